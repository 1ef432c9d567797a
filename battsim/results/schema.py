"""The summary table's fixed schema: which columns every result file has, their units and kinds.

Every summary holds the same columns whatever was run or swept: ``case_id``, ``status``,
``error``, every parameter of :data:`PARAMETER_COLUMNS`, every metric of
:data:`battsim.metrics.METRIC_UNITS` and every text outcome of :data:`LABEL_COLUMNS`, in that
order; a swept key that is none of these follows the parameters. A value that does not apply
to a case is NaN (numbers) or ``""`` (text).

A column's *kind* says how to read it, the same in HDF5, ``show --json`` and the fleet table:
``text`` (UTF-8 strings), ``float``, ``int`` and ``bool`` (all three stored as float64 in HDF5
so that NaN can say "does not apply"; ``int`` and ``bool`` columns hold whole numbers and 0/1,
read back as ``int``/``bool``, JSON ``null`` where NaN). Metrics are all ``float`` (0/1 flags
such as ``range_estimated`` included).
"""

from __future__ import annotations

import math
from typing import Any

from battsim.metrics import METRIC_UNITS

SCHEMA_VERSION = 3

#: parameter column -> (unit, kind): what identifies a case, under its config name
PARAMETER_COLUMNS: dict[str, tuple[str, str]] = {
    "chemistry": ("", "text"),
    "model": ("", "text"),
    "parked_model": ("", "text"),
    "ambient_C": ("degC", "float"),
    "initial_temperature_C": ("degC", "float"),
    "initial_soc": ("1", "float"),
    "c_rate": ("1/h", "float"),
    "condition": ("", "text"),
    "method": ("", "text"),
    "controller": ("", "text"),
    "target_C": ("degC", "float"),
    "power_source": ("", "text"),
    "soc": ("1", "float"),
    "pulse_s": ("s", "float"),
    "vehicle": ("", "text"),
    "cycle": ("", "text"),
    "soak_h": ("h", "float"),
    "precondition": ("1", "bool"),
    "on_road": ("1", "bool"),
    "cabin_heating": ("1", "bool"),
    "distance_km": ("km", "float"),
    "series": ("1", "int"),
    "parallel": ("1", "int"),
    "grid_gco2_per_kWh": ("g/(kW*h)", "float"),
    "charging_efficiency": ("1", "float"),
}

#: text outcomes of a case (no unit)
LABEL_COLUMNS = ("binding_limit", "discharge_limit", "charge_limit")

KINDS = ("text", "float", "int", "bool")


def kind_of(value) -> str:
    """The kind of one present value."""
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    return "float"


def combine_kinds(kinds: set[str]) -> str:
    """The kind of a column whose present values have ``kinds``: ``text`` if any is text, the
    one kind if there is one, else ``float`` (a mix of numbers, or no value at all)."""
    if "text" in kinds:
        return "text"
    return next(iter(kinds)) if len(kinds) == 1 else "float"


def infer_kind(values) -> str:
    """The kind of a column that is not in the fixed schema, from its values (``None`` = missing)."""
    return combine_kinds({kind_of(v) for v in values if v is not None})


def encode(value: Any, kind: str):
    """A value as stored in HDF5 for a column of ``kind``."""
    if kind == "text":
        return "" if value is None else str(value)
    if value is None or value == "":
        return math.nan
    return float(value)


def decode(value: Any, kind: str):
    """A stored value as Python reads it (``None`` where it does not apply; text stays text)."""
    if kind == "text":
        return value.decode() if isinstance(value, bytes) else str(value)
    value = float(value)
    if math.isnan(value):
        return None
    if kind == "bool":
        return bool(value)
    if kind == "int":
        return int(value)
    return value


def columns(param_units: dict[str, str], extra_params: dict[str, str]) -> list[tuple[str, str, str, str]]:
    """Every summary column as ``(name, unit, kind, role)``, role in ``case``, ``param``,
    ``metric``, ``label``; ``extra_params`` maps swept keys outside the fixed set to their kind."""
    out = [("case_id", "", "text", "case"), ("status", "", "text", "case"), ("error", "", "text", "case")]
    out += [(name, unit, kind, "param") for name, (unit, kind) in PARAMETER_COLUMNS.items()]
    out += [(name, param_units.get(name, ""), kind, "param") for name, kind in extra_params.items()
            if name not in PARAMETER_COLUMNS]
    out += [(name, unit, "float", "metric") for name, unit in METRIC_UNITS.items()]
    out += [(name, "", "text", "label") for name in LABEL_COLUMNS]
    return out


_CASE_COLUMNS = frozenset({"case_id", "status", "error"})


def summary_row(result) -> dict:
    """What the summary keeps of a :class:`~battsim.results.Result`: id, status, error,
    parameters, metrics and labels."""
    return {"case_id": result.case_id, "status": result.status, "error": result.error, **result.params,
            **result.metrics, **result.labels}


def fixed_columns() -> frozenset[str]:
    """Names of the columns every summary has (case, parameter, metric and label columns)."""
    return _CASE_COLUMNS | set(PARAMETER_COLUMNS) | set(METRIC_UNITS) | set(LABEL_COLUMNS)


def extra_params(rows: list[dict]) -> dict[str, str]:
    """Parameters outside the fixed schema (swept keys) and their kinds, in first-seen order."""
    fixed = fixed_columns()
    names = [n for n in dict.fromkeys(n for r in rows for n in r) if n not in fixed]
    return {n: infer_kind([r.get(n) for r in rows]) for n in names}


def table(results, param_units: dict[str, str]) -> tuple[list[tuple[str, str, str, str]], list[dict]]:
    """The fixed-schema table of ``results``: columns ``(name, unit, kind, role)`` and one row
    per result with every column (``None`` where a value does not apply, ``""`` for text)."""
    rows = [summary_row(r) for r in results]
    spec = columns(param_units, extra_params(rows))
    return spec, [{name: decode(encode(row.get(name), kind), kind) for name, _, kind, _ in spec} for row in rows]
