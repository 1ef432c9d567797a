"""Heating methods and controllers: registries of plug-ins, one class (and one file) each.

Methods live in :mod:`battsim.heating.methods`, one module per method, each defining one
subclass of :class:`battsim.heating.base.HeatingMethod`; the registry finds them by scanning
that package, so adding a method is one file (and its test). Controllers are in
:mod:`battsim.heating.controllers`.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil

from battsim.errors import ConfigError, did_you_mean
from battsim.heating.base import HeatingMethod, HeatingSettings, Knob, PreparedHeating
from battsim.heating.controllers import Controller, controller_names, get_controller


@functools.cache
def _registry() -> dict[str, type[HeatingMethod]]:
    from battsim.heating import methods as package

    found = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for value in vars(module).values():
            if (isinstance(value, type) and issubclass(value, HeatingMethod) and value.name
                    and value.__module__ == module.__name__):
                if value.name in found:
                    raise RuntimeError(f"two heating methods are named '{value.name}'")  # programming error
                found[value.name] = value
    order = ["ptc", "heat_pump", "ac", "pulse", "self_heating", "none"]  # the documented order first
    return {name: found[name] for name in sorted(found, key=lambda n: (order.index(n) if n in order else 99, n))}


def method_names() -> list[str]:
    """Names of the registered heating methods (``none`` included)."""
    return list(_registry())


def get_method(name: str) -> HeatingMethod:
    """The heating method registered as ``name``.

    Raises
    ------
    ConfigError
        For an unknown name; the message lists the known ones.
    """
    registry = _registry()
    if name not in registry:
        raise ConfigError(f"heating.method = '{name}': unknown{did_you_mean(name, registry)}; "
                          f"allowed: {', '.join(registry)}")
    return registry[name]()


__all__ = ["Controller", "HeatingMethod", "HeatingSettings", "Knob", "PreparedHeating", "controller_names",
           "get_controller", "get_method", "method_names"]
