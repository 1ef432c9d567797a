"""Cell chemistries: a registry of ``{name: factory}``; adding one is one entry and one file."""

from __future__ import annotations

import importlib

from battsim.cells.base import Chemistry, Reference, SolidElectrolyte
from battsim.errors import ChemistryError, did_you_mean

#: registry name -> module that defines ``CHEMISTRY``
_REGISTRY = {
    "nmc811-graphite": "battsim.cells.nmc811_graphite",
    "lfp-graphite": "battsim.cells.lfp_graphite",
    "solid-state-li-metal": "battsim.cells.solid_state",
    "nco-graphite-power": "battsim.cells.nco_graphite_power",
}


def chemistry_names() -> list[str]:
    """Names of the registered chemistries."""
    return list(_REGISTRY)


def get_chemistry(name: str) -> Chemistry:
    """The chemistry registered under ``name``.

    Raises
    ------
    ChemistryError
        If no chemistry has that name; the message lists the known ones.
    """
    if name not in _REGISTRY:
        raise ChemistryError(
            f"unknown chemistry '{name}'{did_you_mean(name, _REGISTRY)}; known: {', '.join(_REGISTRY)}"
        )
    return importlib.import_module(_REGISTRY[name]).CHEMISTRY


__all__ = ["Chemistry", "Reference", "SolidElectrolyte", "chemistry_names", "get_chemistry"]
