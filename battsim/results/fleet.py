"""The fleet table: one row per trip of a result file, for the fleet carbon calculator.

:func:`fleet_table` turns the trips of a result file (or of ``bs.run``'s results) into a
:class:`pandas.DataFrame` with a fixed set of columns (:data:`FLEET_COLUMNS`, version
:data:`FLEET_SCHEMA_VERSION`): what identifies the trip (vehicle, chemistry, heating, ambient
...), the carbon assumptions behind its CO2 figures, every trip metric, the case's status and the
versions that made it. :func:`write_fleet_table` writes it as CSV, with its units in a sidecar
(``TABLE.csv`` -> ``TABLE.units.csv``), or as HDF5; :func:`read_fleet_table` reads either back.

Kinds of column: text (unit ``""``, ``str`` in pandas, never missing: ``""`` where it does not
apply) and numbers (a unit that ``pint.UnitRegistry().Unit`` parses, ``"1"`` for a pure number,
float64, NaN where it does not apply; yes/no columns hold 0/1 and counts whole numbers, as in the
result file's summary).

**Other grid intensities without simulating.** CO2 is the grid energy per km times the grid's
intensity (:func:`battsim.metrics.trip.drive_energy_metrics`), and the grid energy already holds
the charging losses and what preconditioning took from the grid; so ``grid=[...]`` gives one
copy of every row per intensity, with ``co2_g_per_km``, ``reference_co2_g_per_km`` and
``co2_penalty_g_per_km`` computed again exactly as the trip computed them.

**Units in a sidecar, not a second header row.** A second header row turns every column into
text for pandas, R and spreadsheets unless the reader knows to skip it; a sidecar keeps the table
a plain rectangle any tool reads and has room for each column's meaning.
"""

from __future__ import annotations

import csv
import json
import math
import numbers
import os
import re
import tomllib
import warnings
from collections.abc import Callable, Iterable
from functools import cache
from importlib import resources
from pathlib import Path

import h5py
import numpy as np
from scipy.constants import lb as KG_PER_LB

from battsim._version import __version__
from battsim.errors import ConfigError, ResultFileError
from battsim.metrics import METRIC_UNITS
from battsim.results.h5layout import TEXT, read_summary, text
from battsim.results.result import Results
from battsim.results.schema import PARAMETER_COLUMNS, SCHEMA_VERSION
from battsim.results.store import writable_folder

#: version of the fleet table's columns and files; bump it (with a migration note) when a
#: column is renamed, removed or changes its unit or meaning
FLEET_SCHEMA_VERSION = 1
FILE_KIND = "battsim-fleet-table"
#: suffixes :func:`write_fleet_table` writes
SUFFIXES = (".csv", ".h5", ".hdf5")

#: battsim's default grid intensity (``[carbon] grid_gco2_per_kWh``) [g.kW-1.h-1] and the reference
#: it comes from: US 2023, 0.81 lb/kWh (EIA), rounded. The results layer cannot read the config
#: schema (import-linter's layers), so tests pin these two to it.
DEFAULT_GRID_GCO2_PER_KWH = 367.0
DEFAULT_GRID_SOURCE = "GR-10"
#: highest grid intensity accepted [g.kW-1.h-1], as ``[carbon] grid_gco2_per_kWh``
MAX_GRID_GCO2_PER_KWH = 2000.0

#: a unit of :data:`METRIC_UNITS` with a scale factor -> the same unit without one, which
#: ``pint.UnitRegistry().Unit`` parses (1 W*h/hm = 1 kW*h/(100*km) exactly)
_SCALE_FREE = {"kW*h/(100*km)": "W*h/hm"}

_CASE = {
    "case_id": ("", "the case's id in the result file: the first 16 hex digits of the SHA-256 of its resolved "
                "config; with several grid intensities a case has one row per intensity"),
}

#: what identifies a trip: parameter -> meaning (units from the summary's fixed schema)
_AXES = {
    "vehicle": "vehicle preset (`vehicle.preset`)",
    "chemistry": "cell chemistry (`cell.chemistry`, see `battsim chemistries`)",
    "model": "cell model (`cell.model`: DFN, SPMe, SPM or fast); in a trip, the drive's",
    "parked_model": "cell model of the trip's soak and preconditioning (`heating.model`, default `cell.model`); "
                    "the drive starts from the state it left",
    "method": "pack heating method (`heating.method`); `none` when the pack is not heated (neither "
              "preconditioned nor heated on the road)",
    "controller": "heating controller (`heating.controller`; set even when `method` is `none`)",
    "precondition": "1: the pack is heated from the grid before departure, to the heating target "
                    "(`heating.precondition`); 0: not",
    "on_road": "1: the pack is kept at the heating target while driving, from the battery (`heating.on_road`); 0: not",
    "cabin_heating": "1: the cabin is heated to its set point while driving (`vehicle.cabin_heating`); 0: not",
    "ambient_C": "ambient air temperature during soak and drive (`climate.ambient_C`)",
    "soak_h": "time parked at ambient before departure (`climate.soak_h`)",
    "cycle": "drive cycle, repeated (`drive.cycle`)",
    "distance_km": "distance the drive stops at (`drive.distance_km`); NaN: driven until the pack is empty",
    "initial_soc": "state of charge at the start of the trip (`cell.initial_soc`)",
    "series": "cells in series in the pack (NaN for a failed case)",
    "parallel": "cells in parallel in the pack (NaN for a failed case)",
}

_CARBON = {
    "grid_gco2_per_kWh": ("g/(kW*h)", "grid carbon intensity the CO2 columns use: the run's "
                          "`carbon.grid_gco2_per_kWh`, or one given to the export"),
    "grid_source": ("", "where that intensity comes from: an id of battsim/data/references/reference_data.json "
                    "(`GR-10`: battsim's default 367 g/kWh, the US 2023 mean of 0.81 lb/kWh (EIA) rounded; "
                    "`GR-05:Southwest`: one value of a table entry), `config` (another value set in the run's "
                    "[carbon] section) or `user` (a number given to the export)"),
    "charging_efficiency": ("1", "wall-to-battery charging efficiency the grid energy assumes "
                            "(`carbon.charging_efficiency`)"),
}

#: the metrics a trip has (:func:`battsim.metrics.trip.trip_metrics`) -> meaning; the drive starts
#: after soak and preconditioning, the reference is the same trip at 25 degC without heating
_METRICS = {
    "min_anode_potential_V": "lowest negative-electrode potential against Li/Li+ of any pack zone while driving "
                             "(NaN for lithium-metal cells)",
    "max_ccd_ratio": "lithium-metal cells: largest interface current density over the critical current density "
                     "while driving (above 1: dendrites or voids; NaN for other cells)",
    "heating_time_s": "time from the start of pack heating (preconditioning or departure) until the coldest zone "
                      "reaches the heating target; NaN if the pack is not heated or never gets there",
    "heating_energy_kWh": "electrical energy of pack heating, grid and battery together",
    "heating_energy_grid_kWh": "electrical energy of pack heating taken from the grid (preconditioning)",
    "heating_energy_battery_kWh": "electrical energy of pack heating taken from the battery",
    "plating_time_s": "time the negative electrode spent below the plating margin while driving",
    "departure_temperature_C": "coldest pack zone's temperature when the drive starts",
    "range_km": "distance driven until the pack's limit (lower voltage limit or `drive.soc_min`); NaN when the "
                "drive stopped at `distance_km` (battsim never extrapolates a range)",
    "reference_range_km": "`range_km` of the reference trip",
    "range_loss_pct": "100 (1 - range_km / reference_range_km); NaN without a range",
    "battery_energy_Wh_per_km": "energy out of the battery per km driven",
    "grid_energy_Wh_per_km": "energy from the grid per km driven: battery_energy_Wh_per_km / charging_efficiency "
                             "+ (heating_energy_grid_kWh + cabin_precondition_grid_kWh) per km",
    "energy_penalty_kWh_per_100km": "grid energy per 100 km above the reference's: (grid_energy_Wh_per_km - "
                                    "reference_grid_energy_Wh_per_km) / 10, in kWh per 100 km (the unit W*h/hm "
                                    "is kW*h/(100*km) in a form pint's Unit parses)",
    "co2_g_per_km": "grid_energy_Wh_per_km / 1000 x grid_gco2_per_kWh",
    "co2_penalty_g_per_km": "co2_g_per_km - reference_co2_g_per_km: the CO2 per km the cold costs",
    "max_temperature_spread_K": "largest temperature difference between pack zones during the trip",
    "driven_km": "distance driven",
    "drive_time_h": "time driven",
    "range_estimated": "0: every range reported was driven (kept for the schema; battsim never estimates one)",
    "drive_battery_energy_kWh": "energy out of the battery while driving",
    "traction_energy_kWh": "battery energy for traction while driving (drivetrain losses included)",
    "drivetrain_loss_energy_kWh": "drivetrain losses while driving",
    "aux_energy_kWh": "battery energy for the auxiliaries while driving",
    "cabin_energy_kWh": "battery energy for the cabin heater while driving",
    "cabin_precondition_grid_kWh": "electricity the cabin heater took from the grid before departure",
    "cabin_min_temperature_C": "lowest cabin temperature while driving",
    "cabin_time_below_comfort_s": "time the cabin spent below its set point minus `vehicle.cabin_comfort_band_K` "
                                  "while driving",
    "cabin_heat_deficit_kWh": "heat the cabin needed to stay at its set point beyond what its heater could "
                              "deliver, while driving",
    "cabin_heat_kWh": "heat the cabin heater delivered while driving",
    "regen_not_accepted_kWh": "braking energy the cold cells could not take back, while driving",
    "cell_heat_kWh": "the cells' electrochemical heat while driving",
    "end_soc": "state of charge at the end of the drive",
    "reference_battery_energy_Wh_per_km": "`battery_energy_Wh_per_km` of the reference trip",
    "reference_grid_energy_Wh_per_km": "`grid_energy_Wh_per_km` of the reference trip",
    "reference_co2_g_per_km": "reference_grid_energy_Wh_per_km / 1000 x grid_gco2_per_kWh",
}

#: the trip metrics, in the order of :data:`battsim.metrics.METRIC_UNITS`
TRIP_METRICS = tuple(name for name in METRIC_UNITS if name in _METRICS)

_PROVENANCE = {
    "status": ("", "`ok`, or `failed` (its metrics are NaN)"),
    "error": ("", "why the case failed, one line (`\"\"` when ok)"),
    "battsim_version": ("", "battsim version that wrote the result file"),
    "result_schema_version": ("1", "schema version of the result file the table was made from"),
    "schema_version": ("1", "version of the fleet table's columns (FLEET_SCHEMA_VERSION)"),
}


def _unit(unit: str) -> str:
    return _SCALE_FREE.get(unit, unit)


#: every column of the fleet table, in order -> (unit, meaning); a run that sweeps a key outside
#: these adds its column after ``parallel``
FLEET_COLUMNS: dict[str, tuple[str, str]] = {
    **_CASE,
    **{name: ("" if PARAMETER_COLUMNS[name][1] == "text" else PARAMETER_COLUMNS[name][0], meaning)
       for name, meaning in _AXES.items()},
    **_CARBON,
    **{name: (_unit(METRIC_UNITS[name]), _METRICS[name]) for name in TRIP_METRICS},
    **_PROVENANCE,
}

# ------------------------------------------------------------------------- grid intensities


_GR_UNIT = re.compile(r"\s*(g|kg|t|lb)\s*CO2e?\s*/\s*kWh\b")
_G_PER_UNIT = {"g": 1.0, "kg": 1e3, "t": 1e6, "lb": 1e3 * KG_PER_LB}


@cache
def grid_references() -> dict[str, float]:
    """Grid carbon intensities of the reference data [g.kW-1.h-1] by id: ``GR-01`` for an entry of
    one value, ``GR-05:Southwest`` for one value of an entry that is a table."""
    data = json.loads(resources.files("battsim").joinpath("data/references/reference_data.json").read_text())
    out = {}
    for entry in data["entries"]:
        match = _GR_UNIT.match(str(entry.get("unit", "")))
        if entry.get("category") != "grid_carbon" or match is None:
            continue
        factor, value = _G_PER_UNIT[match.group(1)], entry["value"]
        values = ({f"{entry['id']}:{k}": v for k, v in value.items()} if isinstance(value, dict)
                  else {entry["id"]: value})
        out.update({key: float(f"{factor * float(v):.12g}") for key, v in values.items()})
    return out


def _known_ids() -> str:
    """The reference ids :func:`grid_intensities` takes, tables shortened to ``GR-05:{a|b}``."""
    groups: dict[str, list[str]] = {}
    for key in grid_references():
        entry, _, part = key.partition(":")
        groups.setdefault(entry, []).append(part)
    return ", ".join(entry if parts == [""] else f"{entry}:{{{'|'.join(parts)}}}" for entry, parts in groups.items())


def grid_intensities(grid) -> list[tuple[float, str]]:
    """Grid intensities and their sources from numbers [g.kW-1.h-1] and reference ids.

    Parameters
    ----------
    grid : number, str or iterable of them
        Intensities in gCO2/kWh (source ``user``; a string that reads as a number counts as one) and
        ids of the reference data (``GR-01``; ``GR-05:Southwest`` for one value of a table); one
        string may list several, separated by commas (``"100,367,GR-01"``, as on the command line).

    Returns
    -------
    list of (float, str)
        ``(g_per_kWh, source)`` in the order given.

    Raises
    ------
    ConfigError
        For an empty list, an unknown id, a value repeated, or a number that is not above 0 and at
        most :data:`MAX_GRID_GCO2_PER_KWH`; the message names the value and what is allowed.
    """
    if isinstance(grid, str):
        grid = [part for part in grid.split(",") if part.strip()] or [grid]
    items = [grid] if isinstance(grid, numbers.Number) else list(grid)
    if not items:
        raise ConfigError("grid intensities: none given; give numbers in gCO2/kWh or reference ids "
                          f"({_known_ids()})")
    out: list[tuple[float, str]] = []
    for item in items:
        value = _one_intensity(item)
        if value in out:
            raise ConfigError(f"grid intensity {item!r} is given twice")
        out.append(value)
    return out


def _one_intensity(item) -> tuple[float, str]:
    allowed = (f"give a number of gCO2/kWh above 0 and at most {MAX_GRID_GCO2_PER_KWH:g}, "
               f"or a reference id ({_known_ids()})")
    if isinstance(item, str) and re.fullmatch(r"\s*GR-.*", item, re.IGNORECASE):
        entry, colon, part = item.partition(":")
        entry = entry.strip()
        known = {key.lower(): key for key in grid_references()}
        key = known.get(f"{entry}{colon}{part.strip()}".lower())
        if key is None:
            tables = [k for k in grid_references() if k.lower().startswith(f"{entry.lower()}:")]
            why = (f"'{entry.upper()}' is a table: give one of its values, {', '.join(tables)}" if tables and not colon
                   else f"not a grid intensity of the reference data; {allowed}")
            raise ConfigError(f"grid intensity {item!r}: {why}")
        return grid_references()[key], key
    if isinstance(item, bool) or not isinstance(item, str | numbers.Real):
        raise ConfigError(f"grid intensity {item!r}: {allowed}")
    try:
        value = float(item)
    except ValueError:
        raise ConfigError(f"grid intensity {item!r}: {allowed}") from None
    if not 0.0 < value <= MAX_GRID_GCO2_PER_KWH:  # NaN fails too
        raise ConfigError(f"grid intensity {item!r}: {allowed}")
    return value, "user"


def own_grid_source(g_per_kWh: float) -> str:
    """The source of a run's own grid intensity: the default's reference id, else ``config``."""
    if math.isnan(g_per_kWh):
        return ""
    return DEFAULT_GRID_SOURCE if g_per_kWh == DEFAULT_GRID_GCO2_PER_KWH else "config"


def carbon_metrics(grid_energy_Wh_per_km: float, reference_grid_energy_Wh_per_km: float,
                   g_per_kWh: float) -> dict[str, float]:
    """CO2 per km of a trip and of its reference, and the penalty, at another grid intensity.

    Parameters
    ----------
    grid_energy_Wh_per_km, reference_grid_energy_Wh_per_km : float
        Grid energy per km of the trip and of its 25 degC reference [W.h.km-1] (charging losses
        and grid-side preconditioning included).
    g_per_kWh : float
        Grid carbon intensity [g.kW-1.h-1].

    Notes
    -----
    .. math:: CO_2 = E_{grid}/1000 \\cdot g, \\quad \\Delta CO_2 = CO_2 - CO_{2,ref}

    in the order :func:`battsim.metrics.trip.drive_energy_metrics` and
    :func:`~battsim.metrics.trip.against_reference` compute them, so a trip's own intensity gives
    its stored values to the last bit.
    """
    co2 = grid_energy_Wh_per_km / 1000 * g_per_kWh
    reference = reference_grid_energy_Wh_per_km / 1000 * g_per_kWh
    return {"co2_g_per_km": co2, "reference_co2_g_per_km": reference, "co2_penalty_g_per_km": co2 - reference}


# ------------------------------------------------------------------------- the table


def fleet_table(results, grid=None):
    """The fleet table of a result file: one row per trip (per trip and grid intensity with ``grid``).

    Parameters
    ----------
    results : path-like or Results
        A battsim result file, or results read or run (``bs.run``: the versions are this battsim's).
    grid : number, str or list of them, optional
        Grid intensities [g.kW-1.h-1] and reference ids (``GR-01``) to compute the CO2 columns at,
        without simulating; default: each run's own intensity.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`FLEET_COLUMNS` (and swept keys outside them); units in
        ``df.attrs["units"]``, meanings in ``df.attrs["meanings"]``, versions in ``df.attrs``.

    Raises
    ------
    ResultFileError
        If the file cannot be read or holds no trips.
    ConfigError
        For a grid intensity that is not a positive number or a known reference id.

    Notes
    -----
    A case is a trip when it has a ``vehicle`` (only trips have one); other cases are left out
    with a warning. Failed trips are kept (``status``, ``error``; their metrics NaN). With
    ``grid``, the rows repeat once per intensity, in the order given, and only
    ``grid_gco2_per_kWh``, ``grid_source`` and the three CO2 columns change
    (:func:`carbon_metrics`).

    Examples
    --------
    >>> bs.open_results("results/trips.h5").fleet_table(grid=[100, "GR-01"])   # doctest: +SKIP
    """
    import pandas as pd

    intensities = None if grid is None else grid_intensities(grid)
    if isinstance(results, Results):
        where, attrs = "this Results object", results.attrs
        (spec, rows), configs = results.table(), [r.config_toml for r in results]
    else:
        where = f"'{results}'"
        spec, rows, configs, attrs = _read_summary(Path(results))
    trips = [(row, config) for row, config in zip(rows, configs) if row.get("vehicle")]
    if not trips:
        raise ResultFileError(f"{where} holds no trips ({_kinds(configs)}); the fleet table is made of trips")
    if len(trips) < len(rows):
        warnings.warn(f"{where}: {len(rows) - len(trips)} of {len(rows)} cases are not trips and are left out of "
                      "the fleet table", UserWarning, stacklevel=2)
    columns = _columns(spec, [row for row, _ in trips])
    versions = {"battsim_version": str(attrs.get("battsim_version", __version__)),
                "result_schema_version": float(attrs.get("schema_version", SCHEMA_VERSION)),
                "schema_version": float(FLEET_SCHEMA_VERSION)}
    base = [_row(row, config, columns, versions) for row, config in trips]
    out = base if intensities is None else [_at_grid(row, g, source) for g, source in intensities for row in base]
    df = pd.DataFrame({name: pd.Series([r[name] for r in out], dtype="str" if unit == "" else "float64")
                       for name, (unit, _) in columns.items()})
    df.attrs.update(units={name: unit for name, (unit, _) in columns.items()},
                    meanings={name: meaning for name, (_, meaning) in columns.items()},
                    battsim_version=versions["battsim_version"],
                    result_schema_version=int(versions["result_schema_version"]),
                    schema_version=FLEET_SCHEMA_VERSION)
    return df


def _read_summary(path: Path) -> tuple[list, list[dict], list[str], dict]:
    """Columns, rows, each case's resolved config (TOML) and the file's attributes.

    A file of this schema without a journal is read from its summary (one dataset per column:
    fast); anything else (older schemas, the cases of a killed run) through :func:`read_result`,
    which also says what is wrong with a file that cannot be read.
    """
    from battsim.results.store import FILE_KIND as RESULT_KIND
    from battsim.results.store import journal_of, read_result

    if path.is_file() and not journal_of(path).exists():
        try:
            with h5py.File(path, "r") as file:
                if (text(file.attrs.get("file_kind", "")) == RESULT_KIND and "summary" in file and "cases" in file
                        and file.attrs.get("schema_version") == SCHEMA_VERSION):
                    spec, rows = read_summary(file)
                    cases = file["cases"]
                    configs = [text(cases[r["case_id"]].attrs.get("config_toml", "")) if r["case_id"] in cases
                               else "" for r in rows]
                    attrs = {k: text(file.attrs[k]) if k == "battsim_version" else int(file.attrs[k])
                             for k in ("battsim_version", "schema_version") if k in file.attrs}
                    return spec, rows, configs, attrs
        except (OSError, KeyError, ValueError):
            pass  # read_result says what is wrong
    results = read_result(path, timeseries=False)
    spec, rows = results.table()
    return spec, rows, [r.config_toml for r in results], results.attrs


def _case_config(config_toml: str) -> dict:
    """A case's resolved config (``{}`` if it has none or it cannot be read)."""
    try:
        return tomllib.loads(config_toml) if config_toml else {}
    except tomllib.TOMLDecodeError:
        return {}


def _kinds(configs: list[str]) -> str:
    kinds = [_case_config(c).get("scenario", {}).get("kind", "of unknown kind") for c in configs]
    return "no cases" if not kinds else ", ".join(f"{kinds.count(k)} {k}" for k in dict.fromkeys(kinds))


def _columns(spec, rows: list[dict]) -> dict[str, tuple[str, str]]:
    """The table's columns: the fixed ones and, after the axes, the parameters some trip has
    that are not among them (swept keys)."""
    fixed = set(FLEET_COLUMNS)
    swept = {}
    for name, unit, kind, role in spec:
        if role == "param" and name not in fixed and any(row.get(name) not in (None, "") for row in rows):
            swept[name] = ("" if kind == "text" else unit or "1", f"config key `{name}`, swept in this run")
    names = list(FLEET_COLUMNS)
    at = names.index("parallel") + 1
    order = names[:at] + list(swept) + names[at:]
    return {name: FLEET_COLUMNS.get(name) or swept[name] for name in order}


def _number(value) -> float:
    return math.nan if value is None or value == "" else float(value)


def _row(row: dict, config_toml: str, columns: dict, versions: dict) -> dict:
    """One fleet row of a summary row; carbon assumptions from the params, else from the case's
    resolved config (files written before trips carried them in their params)."""
    g, efficiency = _number(row.get("grid_gco2_per_kWh")), _number(row.get("charging_efficiency"))
    if math.isnan(g) or math.isnan(efficiency):
        carbon = _case_config(config_toml).get("carbon", {})
        g = _number(carbon.get("grid_gco2_per_kWh")) if math.isnan(g) else g
        efficiency = _number(carbon.get("charging_efficiency")) if math.isnan(efficiency) else efficiency
    out = {}
    for name, (unit, _) in columns.items():
        value = row.get(name)
        out[name] = ("" if value is None else str(value)) if unit == "" else _number(value)
    out.update(grid_gco2_per_kWh=g, grid_source=own_grid_source(g), charging_efficiency=efficiency, **versions)
    return out


def _at_grid(row: dict, g: float, source: str) -> dict:
    return {**row, **carbon_metrics(row["grid_energy_Wh_per_km"], row["reference_grid_energy_Wh_per_km"], g),
            "grid_gco2_per_kWh": g, "grid_source": source}


# ------------------------------------------------------------------------- files


def units_path(path) -> Path:
    """The units sidecar of a CSV table: ``TABLE.csv`` -> ``TABLE.units.csv``."""
    path = Path(path)
    return path.with_name(f"{path.stem}.units{path.suffix}")


def check_fleet_path(path) -> Path:
    """A path the fleet table can be written to: ``.csv``, ``.h5`` or ``.hdf5``, not a directory,
    not a battsim result file, its folder creatable and writable. Raises :class:`ResultFileError`."""
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise ResultFileError(f"--out '{path}': the fleet table is written as .csv (units in a .units.csv beside it) "
                              f"or .h5/.hdf5, not '{path.suffix or 'no suffix'}'")
    if path.is_dir():
        raise ResultFileError(f"--out '{path}' is a directory; give a file name such as {path / 'fleet.csv'}")
    if path.exists() and not path.is_file():
        raise ResultFileError(f"--out '{path}' is not a regular file")
    if path.suffix.lower() != ".csv" and path.is_file() and _h5_kind(path) not in (FILE_KIND, None):
        raise ResultFileError(f"--out '{path}' is an HDF5 file but not a fleet table (a result file?); "
                              "give another --out")
    return writable_folder(path)


def _h5_kind(path: Path) -> str | None:
    """``file_kind`` of an HDF5 file (``""`` if it has none), ``None`` if it is not HDF5."""
    try:
        with h5py.File(path, "r") as file:
            return text(file.attrs.get("file_kind", ""))
    except OSError:
        return None


def write_fleet_table(df, path) -> list[Path]:
    """Write a fleet table: CSV with a units sidecar, or HDF5; returns the files written.

    Every file is written under a temporary name beside its target, flushed to disk and renamed
    over it, so an existing table is never truncated by a write that fails.

    Parameters
    ----------
    df : pandas.DataFrame
        A table of :func:`fleet_table` (rows may be filtered; its ``attrs`` give the units).
    path : path-like
        ``TABLE.csv`` (and ``TABLE.units.csv``: column, unit, meaning) or ``TABLE.h5``/``.hdf5``
        (one dataset per column with ``units`` and ``meaning`` attributes, text as UTF-8; root
        attributes ``file_kind``, ``schema_version``, ``result_schema_version``,
        ``battsim_version`` and ``columns``, their order as JSON).

    Raises
    ------
    ResultFileError
        For another suffix, a path that cannot be written, or a column without a unit.
    """
    path = check_fleet_path(path)
    units = dict(df.attrs.get("units", {}))
    missing = [name for name in df.columns if name not in units]
    if missing:
        raise ResultFileError(f"fleet table: no unit for column(s) {', '.join(map(str, missing))} in "
                              "df.attrs['units']; write tables made by fleet_table")
    meanings = {**{n: m for n, (_, m) in FLEET_COLUMNS.items()}, **df.attrs.get("meanings", {})}
    if path.suffix.lower() == ".csv":
        writers = {path: lambda tmp: _write_csv(df, tmp),
                   units_path(path): lambda tmp: _write_units(df.columns, units, meanings, tmp)}
    else:
        writers = {path: lambda tmp: _write_h5(df, units, meanings, tmp)}
    _replace_all(writers)
    return list(writers)


def _replace_all(writers: dict[Path, Callable[[Path], None]]) -> None:
    """Write every file to a temporary name, then rename each over its target."""
    temporary = {target: target.with_name(f".{target.name}.{os.getpid()}.tmp") for target in writers}
    try:
        for target, write in writers.items():
            write(temporary[target])
            with open(temporary[target], "rb+") as handle:
                os.fsync(handle.fileno())
        for target, tmp in temporary.items():
            os.replace(tmp, target)
    except OSError as error:
        raise ResultFileError(f"--out '{next(iter(writers))}': cannot write it ({error.strerror or error})") from None
    finally:
        for tmp in temporary.values():
            tmp.unlink(missing_ok=True)


def _write_csv(df, tmp: Path) -> None:
    with open(tmp, "w", encoding="utf-8", newline="") as handle:
        df.to_csv(handle, index=False, na_rep="NaN", lineterminator="\n")


def _write_units(columns: Iterable[str], units: dict, meanings: dict, tmp: Path) -> None:
    with open(tmp, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["column", "unit", "meaning"])
        out.writerows([name, units[name], meanings.get(name, "")] for name in columns)


def _write_h5(df, units: dict, meanings: dict, tmp: Path) -> None:
    with h5py.File(tmp, "w") as file:
        file.attrs.update({"file_kind": FILE_KIND, "schema_version": FLEET_SCHEMA_VERSION,
                           "result_schema_version": int(df.attrs.get("result_schema_version", SCHEMA_VERSION)),
                           "battsim_version": str(df.attrs.get("battsim_version", __version__)),
                           "columns": json.dumps([str(name) for name in df.columns])})
        for name in df.columns:
            if units[name] == "":
                dataset = file.create_dataset(str(name), data=[str(v) for v in df[name]], dtype=TEXT,
                                              shape=(len(df),))
            else:
                dataset = file.create_dataset(str(name), data=df[name].to_numpy(dtype=np.float64))
            dataset.attrs.update({"units": units[name], "meaning": meanings.get(name, "")})


def read_fleet_table(path):
    """A fleet table written by :func:`write_fleet_table` (CSV with its sidecar, or HDF5), with the
    dtypes :func:`fleet_table` gives: text ``str``, numbers float64.

    For CSV this is plain pandas: the sidecar says which columns are text (unit ``""``)::

        units = pd.read_csv("TABLE.units.csv", keep_default_na=False)
        text = {c: "str" for c, u in zip(units["column"], units["unit"]) if u == ""}
        df = pd.read_csv("TABLE.csv", dtype=text, keep_default_na=False, na_values=["NaN"])
    """
    import pandas as pd

    path = Path(path)
    if not path.is_file():
        raise ResultFileError(f"fleet table '{path}' not found")
    if path.suffix.lower() == ".csv":
        sidecar = units_path(path)
        if not sidecar.is_file():
            raise ResultFileError(f"fleet table '{path}': its units file '{sidecar}' is missing")
        units_df = pd.read_csv(sidecar, keep_default_na=False, dtype=str)
        units = dict(zip(units_df["column"], units_df["unit"]))
        meanings = dict(zip(units_df["column"], units_df["meaning"]))
        df = pd.read_csv(path, dtype={c: "str" for c, u in units.items() if u == ""}, keep_default_na=False,
                         na_values=["NaN"])
        df = df.astype({c: "float64" for c in df.columns if units.get(c, "") != ""})
        attrs = {} if df.empty else {"battsim_version": df["battsim_version"].iloc[0],
                                     "result_schema_version": int(df["result_schema_version"].iloc[0]),
                                     "schema_version": int(df["schema_version"].iloc[0])}
    else:
        if _h5_kind(path) != FILE_KIND:
            raise ResultFileError(f"'{path}' is not a battsim fleet table")
        with h5py.File(path, "r") as file:
            names = json.loads(text(file.attrs["columns"]))
            units = {n: text(file[n].attrs["units"]) for n in names}
            meanings = {n: text(file[n].attrs.get("meaning", "")) for n in names}
            df = pd.DataFrame({n: pd.Series(file[n].asstr()[()], dtype="str") if units[n] == ""
                               else pd.Series(file[n][()], dtype="float64") for n in names})
            attrs = {k: text(file.attrs[k]) if k == "battsim_version" else int(file.attrs[k])
                     for k in ("battsim_version", "result_schema_version", "schema_version")}
    df.attrs.update(units=units, meanings=meanings, **attrs)
    return df


__all__ = ["DEFAULT_GRID_GCO2_PER_KWH", "DEFAULT_GRID_SOURCE", "FLEET_COLUMNS", "FLEET_SCHEMA_VERSION",
           "TRIP_METRICS", "carbon_metrics", "check_fleet_path", "fleet_table", "grid_intensities",
           "grid_references", "read_fleet_table", "units_path", "write_fleet_table"]
