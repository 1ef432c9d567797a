"""The 25 degC reference of a case and the one cache of reference results.

A cell discharge is compared with the same test at 25 degC (ambient, cell and node), a trip
with the same vehicle and trip at 25 degC without heating. Reference results are cached in one
bounded :class:`ReferenceCache` per process, keyed by the reference config's hash, and on disk
(:mod:`battsim.cachedir`, keyed also by battsim's code and PyBaMM's version), so the workers
of a sweep and the next run compute each reference once.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections import OrderedDict
from collections.abc import Callable

from battsim.cachedir import cache_dir, code_digest, prune_stale, write_atomic
from battsim.config import Config

#: reference temperature of ``delivered_capacity_pct_of_25C`` and of the reference trip [degC]
REFERENCE_C = 25.0


def discharge_reference(cfg: Config) -> Config:
    """The same test at 25 degC: ambient, cell and external node all at 25 degC."""
    return dataclasses.replace(
        cfg,
        climate=dataclasses.replace(cfg.climate, ambient_C=REFERENCE_C),
        cell=dataclasses.replace(cfg.cell, initial_temperature_C=REFERENCE_C),
        thermal=dataclasses.replace(cfg.thermal, node_initial_temperature_C=REFERENCE_C),
    )


def trip_reference(cfg: Config) -> Config:
    """The same vehicle and trip at 25 degC without heating, on the drive's cell model throughout.

    The cell-test temperatures a trip does not read (``cell.initial_temperature_C``,
    ``thermal.node_initial_temperature_C``, which default to the ambient) are set to 25 degC too, so
    the trips of a sweep over ambient share one reference (one key) instead of each computing its own.
    """
    reference = discharge_reference(cfg)
    return dataclasses.replace(
        reference,
        climate=dataclasses.replace(reference.climate, start_temperature_C=REFERENCE_C),
        heating=dataclasses.replace(cfg.heating, method="none", precondition=False, on_road=False, model=None),
    )


def reference_of(cfg: Config) -> Config | None:
    """The reference config of a case (``None`` for kinds without one)."""
    kind = cfg.scenario.kind
    if kind == "cell_discharge":
        return discharge_reference(cfg)
    if kind == "trip":
        return trip_reference(cfg)
    return None


class ReferenceCache:
    """Reference results by reference-config hash; least recently used dropped beyond ``maxsize``."""

    def __init__(self, maxsize: int = 256):
        self.maxsize = maxsize
        self._items: OrderedDict[str, dict] = OrderedDict()

    def get(self, reference: Config, compute: Callable[[], dict]) -> dict:
        key = reference.hash()
        if key in self._items:
            self._items.move_to_end(key)
            return self._items[key]
        value = _from_disk(key)
        if value is None:
            value = compute()
            _prune_once()
            write_atomic(_disk_path(key), json.dumps(value).encode())
        self._items[key] = value
        if len(self._items) > self.maxsize:
            self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        self._items.clear()


@functools.cache
def _prune_once() -> None:
    """Remove other battsim versions' old references from the disk cache (once per process)."""
    prune_stale(cache_dir() / "references", code_digest())


def _disk_path(key: str):
    return cache_dir() / "references" / f"{key}-{code_digest()}.json"


def _from_disk(key: str) -> dict | None:
    try:
        return json.loads(_disk_path(key).read_text())
    except (OSError, ValueError):
        return None  # absent or damaged: computed again


#: the process's reference results
REFERENCES = ReferenceCache()
