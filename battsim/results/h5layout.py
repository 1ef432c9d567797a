"""How one case and the summary table sit in HDF5 (h5py): write and read, nothing else.

A case group::

    <case>/   attrs: status, error, error_detail, termination, warnings (JSON list),
                     params (JSON object), labels (JSON object), config_toml, wall_time_s
        metrics/<name>     scalar float64, attrs: units
        timeseries/<name>  1-D float64 (gzip), attrs: units

The summary group holds one dataset per column of :func:`battsim.results.schema.columns`
along a ``case`` dimension (an HDF5 dimension scale holding the case ids, so xarray with
h5netcdf reads it with a named dimension); each dataset has ``units`` and ``kind``
attributes, the group ``columns`` (their order, JSON) and ``schema_version``.
"""

from __future__ import annotations

import json
import math

import h5py
import numpy as np

from battsim.errors import ResultFileError
from battsim.results.result import Result
from battsim.results.schema import columns, decode, encode

TEXT = h5py.string_dtype(encoding="utf-8")


def text(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def write_case(group: h5py.Group, result: Result) -> None:
    """Fill an empty group with one case."""
    group.attrs.update({
        "status": result.status, "error": result.error, "error_detail": result.error_detail,
        "termination": result.termination, "warnings": json.dumps(result.warnings),
        "labels": json.dumps(result.labels), "params": json.dumps(result.params),
        "config_toml": result.config_toml, "wall_time_s": result.wall_time_s,
    })
    metrics = group.create_group("metrics")
    for name, value in result.metrics.items():
        metrics.create_dataset(name, data=float(value)).attrs["units"] = result.units[name]
    series = group.create_group("timeseries")
    for name, values in result.timeseries.items():
        dataset = series.create_dataset(name, data=np.asarray(values, dtype=np.float64), compression="gzip",
                                        shuffle=True)
        dataset.attrs["units"] = result.timeseries_units[name]


def read_case(group: h5py.Group, case_id: str, where: str, timeseries: bool = True) -> Result:
    """The case stored in ``group`` (its time series only if ``timeseries``)."""
    attrs = group.attrs
    missing = [part for part in ("metrics", "timeseries") if part not in group] + \
              [attr for attr in ("params", "status") if attr not in attrs]
    if missing:
        raise ResultFileError(f"{where}: case {case_id} lacks {', '.join(missing)}; not a complete battsim result")
    try:
        params = json.loads(text(attrs["params"]))
    except json.JSONDecodeError as error:
        raise ResultFileError(f"{where}: case {case_id} has unreadable params ({error})") from None
    result = Result(case_id=case_id, params=params, status=text(attrs["status"]),
                    error=text(attrs.get("error", "")), error_detail=text(attrs.get("error_detail", "")),
                    termination=text(attrs.get("termination", "")),
                    labels=json.loads(text(attrs.get("labels", "{}"))),
                    warnings=json.loads(text(attrs.get("warnings", "[]"))),
                    config_toml=text(attrs.get("config_toml", "")),
                    wall_time_s=float(attrs.get("wall_time_s", math.nan)))
    for name, dataset in group["metrics"].items():
        result.metrics[name] = float(dataset[()])
        result.units[name] = text(dataset.attrs.get("units", ""))
    for name, dataset in group["timeseries"].items():
        result.timeseries_units[name] = text(dataset.attrs.get("units", ""))
        if timeseries:
            result.timeseries[name] = dataset[()]
    return result


def write_summary(file: h5py.File, rows: list[dict], param_units: dict[str, str], extra: dict[str, str],
                  schema_version: int) -> None:
    """The summary group: every column of the fixed schema, one row per case, in ``rows`` order."""
    summary = file.create_group("summary")
    ids = [r["case_id"] for r in rows]
    case = summary.create_dataset("case", data=ids, dtype=TEXT)
    case.make_scale("case")
    case.attrs.update({"units": "", "kind": "text"})
    spec = columns(param_units, extra)
    for name, unit, kind, _ in spec:
        values = [encode(r.get(name), kind) for r in rows]
        if kind == "text":
            dataset = summary.create_dataset(name, data=values, dtype=TEXT)
        else:
            dataset = summary.create_dataset(name, data=np.asarray(values, dtype=np.float64).reshape(len(rows)))
        dataset.attrs.update({"units": unit, "kind": kind})
        dataset.dims[0].attach_scale(case)
    summary.attrs["columns"] = json.dumps([name for name, _, _, _ in spec])
    summary.attrs["roles"] = json.dumps({name: role for name, _, _, role in spec})
    summary.attrs["schema_version"] = schema_version


def read_summary(file: h5py.File) -> tuple[list[tuple[str, str, str, str]], list[dict]]:
    """The summary's columns ``(name, unit, kind, role)`` and its rows (values decoded: ``None``
    where a value does not apply), of a schema-3 file."""
    summary = file["summary"]
    names = json.loads(text(summary.attrs["columns"]))
    roles = json.loads(text(summary.attrs["roles"]))
    spec, data = [], {}
    for name in names:
        dataset = summary[name]
        kind = text(dataset.attrs.get("kind", "float"))
        spec.append((name, text(dataset.attrs.get("units", "")), kind, roles.get(name, "param")))
        data[name] = [decode(v, kind) for v in (dataset.asstr()[()] if kind == "text" else dataset[()])]
    n = len(data["case_id"]) if names else 0
    return spec, [{name: data[name][i] for name in names} for i in range(n)]


def row_result(row: dict, spec) -> Result:
    """A metrics-only :class:`Result` from a summary row (what does not apply left out)."""
    result = Result(case_id=row["case_id"], params={}, status=row["status"], error=row["error"])
    for name, unit, _, role in spec:
        value = row.get(name)
        if role == "param" and value not in (None, ""):
            result.params[name] = value
        elif role == "metric" and value is not None:
            result.metrics[name], result.units[name] = value, unit
        elif role == "label" and value:
            result.labels[name] = value
    return result


__all__ = ["TEXT", "read_case", "read_summary", "row_result", "text", "write_case", "write_summary"]
