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
from battsim.results.schema import decode, encode

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


def create_summary(file: h5py.File, n: int, spec, schema_version: int) -> h5py.Group:
    """An empty summary group of ``n`` rows with every column of ``spec`` (``(name, unit, kind,
    role)``), each along the ``case`` dimension scale; filled by :func:`fill_summary`."""
    summary = file.create_group("summary")
    case = summary.create_dataset("case", shape=(n,), dtype=TEXT)
    case.make_scale("case")
    case.attrs.update({"units": "", "kind": "text"})
    for name, unit, kind, _ in spec:
        dataset = summary.create_dataset(name, shape=(n,), dtype=TEXT if kind == "text" else np.float64)
        dataset.attrs.update({"units": unit, "kind": kind})
        dataset.dims[0].attach_scale(case)
    summary.attrs["columns"] = json.dumps([name for name, _, _, _ in spec])
    summary.attrs["roles"] = json.dumps({name: role for name, _, _, role in spec})
    summary.attrs["schema_version"] = schema_version
    return summary


def fill_summary(summary: h5py.Group, start: int, rows: list[dict], spec) -> None:
    """Write ``rows`` as the summary's rows ``start, start + 1, ...``."""
    if not rows:
        return
    stop = start + len(rows)
    summary["case"][start:stop] = np.array([r["case_id"] for r in rows], dtype=object)
    for name, _, kind, _ in spec:
        values = [encode(r.get(name), kind) for r in rows]
        summary[name][start:stop] = np.array(values, dtype=object if kind == "text" else np.float64)


def summary_spec(file: h5py.File) -> list[tuple[str, str, str, str]]:
    """The summary's columns ``(name, unit, kind, role)`` of a schema-3 file."""
    summary = file["summary"]
    roles = json.loads(text(summary.attrs["roles"]))
    return [(name, text(summary[name].attrs.get("units", "")), text(summary[name].attrs.get("kind", "float")),
             roles.get(name, "param")) for name in json.loads(text(summary.attrs["columns"]))]


def read_summary_rows(file: h5py.File, positions: list[int], spec) -> list[dict]:
    """Rows ``positions`` of a schema-3 summary (values decoded), in the order given."""
    if not positions:
        return []
    low, high = min(positions), max(positions) + 1
    if high - low <= 4 * len(positions):  # one slice per column, picked in memory
        where, picked = slice(low, high), np.asarray(positions) - low
    else:  # scattered: the rows themselves (h5py reads increasing positions)
        unique = sorted(set(positions))
        where, picked = unique, np.searchsorted(unique, positions)
    data = {}
    for name, _, kind, _ in spec:
        dataset = file["summary"][name]
        block = dataset.asstr()[where] if kind == "text" else dataset[where]
        data[name] = [decode(v, kind) for v in np.asarray(block, dtype=object)[picked]]
    return [{name: data[name][i] for name, _, _, _ in spec} for i in range(len(positions))]


def read_summary(file: h5py.File) -> tuple[list[tuple[str, str, str, str]], list[dict]]:
    """The summary's columns ``(name, unit, kind, role)`` and its rows (values decoded: ``None``
    where a value does not apply), of a schema-3 file."""
    spec = summary_spec(file)
    n = len(file["summary"]["case_id"]) if spec else 0
    return spec, read_summary_rows(file, list(range(n)), spec)


def write_case_order(file: h5py.File, order: list[str]) -> None:
    """``/case_order``: every case id of the file's run (or shard) in config order, finished or not."""
    dataset = file.create_dataset("case_order", data=np.array(order, dtype=object), dtype=TEXT)
    dataset.attrs["units"] = ""
    dataset.make_scale("case_order")  # its own dimension, so netCDF readers (h5netcdf) name it


def read_case_order(file: h5py.File) -> list[str] | None:
    """The ids of ``/case_order`` (``None`` in files written before it existed)."""
    return list(file["case_order"].asstr()[()]) if "case_order" in file else None


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


__all__ = ["TEXT", "create_summary", "fill_summary", "read_case", "read_case_order", "read_summary",
           "read_summary_rows", "row_result", "summary_spec", "text", "write_case", "write_case_order"]
