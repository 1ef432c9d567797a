"""battsim result files (HDF5 through h5py), schema version 1.

Layout::

    /                      attrs: schema_version, battsim_version, pybamm_version,
                                  config_toml (the run's resolved config), config_hash,
                                  created_utc, file_kind = "battsim-result"
    /cases/<case_id>/      attrs: status ("ok" | "failed"), error, termination, warnings
                                  (JSON list), params (JSON object), config_toml, wall_time_s
        metrics/<name>     scalar float64, attrs: units
        timeseries/<name>  1-D float64, attrs: units
    /summary/<column>      one row per case: case_id, status, error, every parameter and
                           every metric; attrs: units; group attr ``columns`` lists the order

``case_id`` is the first 16 hex digits of the SHA-256 of the case's resolved config. Every
dataset carries a ``units`` attribute (``"1"`` for dimensionless numbers, ``"-"`` for text).
A case group is written under a temporary name and renamed when complete, so a file never
holds half a case.
"""

from __future__ import annotations

import importlib.metadata
import json
import math
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import h5py
import numpy as np

from battsim import __version__
from battsim.errors import ResultFileError

SCHEMA_VERSION = 1
FILE_KIND = "battsim-result"
_TEXT = h5py.string_dtype(encoding="utf-8")


@dataclass
class CaseRecord:
    """One case as stored in a result file."""

    case_id: str
    params: dict[str, Any]
    status: str
    error: str = ""
    termination: str = ""
    warnings: list[str] = field(default_factory=list)
    config_toml: str = ""
    wall_time_s: float = float("nan")
    metrics: dict[str, float] = field(default_factory=dict)
    metric_units: dict[str, str] = field(default_factory=dict)
    timeseries: dict[str, np.ndarray] = field(default_factory=dict)
    timeseries_units: dict[str, str] = field(default_factory=dict)


@dataclass
class ResultFile:
    """A result file read back: root attributes and cases in file order."""

    attrs: dict[str, Any]
    cases: list[CaseRecord]


class ResultWriter:
    """Writes a result file case by case; use as a context manager.

    Parameters
    ----------
    path : path-like
        File to create (an existing file is replaced).
    config_toml, config_hash : str
        The run's resolved configuration and its hash.
    param_units : dict
        Unit of each case parameter (``"-"`` for text).
    """

    def __init__(self, path, config_toml: str, config_hash: str, param_units: dict[str, str]):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._param_units = dict(param_units)
        self._file = h5py.File(self.path, "w")
        self._file.attrs.update(
            {
                "schema_version": SCHEMA_VERSION,
                "file_kind": FILE_KIND,
                "battsim_version": __version__,
                "pybamm_version": importlib.metadata.version("pybamm"),
                "config_toml": config_toml,
                "config_hash": config_hash,
                "created_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            }
        )
        self._file.create_group("cases")
        self._order: list[str] = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def write_case(self, record: CaseRecord) -> None:
        """Write one case whole (temporary group, then rename) and flush."""
        cases = self._file["cases"]
        tmp_name = f".incomplete-{record.case_id}"
        if tmp_name in cases:
            del cases[tmp_name]
        group = cases.create_group(tmp_name)
        group.attrs.update(
            {
                "status": record.status,
                "error": record.error,
                "termination": record.termination,
                "warnings": json.dumps(record.warnings),
                "params": json.dumps(record.params),
                "config_toml": record.config_toml,
                "wall_time_s": record.wall_time_s,
            }
        )
        metrics = group.create_group("metrics")
        for name, value in record.metrics.items():
            metrics.create_dataset(name, data=float(value)).attrs["units"] = record.metric_units[name]
        series = group.create_group("timeseries")
        for name, values in record.timeseries.items():
            dataset = series.create_dataset(name, data=np.asarray(values, dtype=np.float64),
                                            compression="gzip", shuffle=True)
            dataset.attrs["units"] = record.timeseries_units[name]
        if record.case_id in cases:
            del cases[record.case_id]
        cases.move(tmp_name, record.case_id)
        if record.case_id not in self._order:
            self._order.append(record.case_id)
        self._file.flush()

    def close(self) -> None:
        if self._file.id.valid:
            _write_summary(self._file, self._order, self._param_units)
            self._file.close()


def _write_summary(file: h5py.File, order: list[str], param_units: dict[str, str]) -> None:
    records = [_read_case(file["cases"][case_id], case_id) for case_id in order]
    if "summary" in file:
        del file["summary"]
    summary = file.create_group("summary")
    params = list(dict.fromkeys(name for r in records for name in r.params))
    metrics = list(dict.fromkeys(name for r in records for name in r.metrics))
    metric_units = {name: unit for r in records for name, unit in r.metric_units.items()}
    columns = [("case_id", "-", [r.case_id for r in records]),
               ("status", "-", [r.status for r in records]),
               ("error", "-", [r.error for r in records])]
    columns += [(name, param_units.get(name, "-"), [r.params.get(name) for r in records]) for name in params]
    columns += [(name, metric_units[name], [r.metrics.get(name, math.nan) for r in records]) for name in metrics
                if name not in params]  # a metric never shares a parameter's name (enforced by tests)
    for name, unit, values in columns:
        if all(isinstance(v, int | float) and not isinstance(v, bool) or v is None for v in values):
            data = np.array([math.nan if v is None else v for v in values], dtype=np.float64)
            dataset = summary.create_dataset(name, data=data)
        else:
            dataset = summary.create_dataset(name, data=["" if v is None else str(v) for v in values], dtype=_TEXT)
        dataset.attrs["units"] = unit
    summary.attrs["columns"] = json.dumps([name for name, _, _ in columns])


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _read_case(group: h5py.Group, case_id: str) -> CaseRecord:
    attrs = group.attrs
    record = CaseRecord(
        case_id=case_id,
        params=json.loads(_text(attrs["params"])),
        status=_text(attrs["status"]),
        error=_text(attrs.get("error", "")),
        termination=_text(attrs.get("termination", "")),
        warnings=json.loads(_text(attrs.get("warnings", "[]"))),
        config_toml=_text(attrs.get("config_toml", "")),
        wall_time_s=float(attrs.get("wall_time_s", math.nan)),
    )
    for name, dataset in group["metrics"].items():
        record.metrics[name] = float(dataset[()])
        record.metric_units[name] = _text(dataset.attrs["units"])
    for name, dataset in group["timeseries"].items():
        record.timeseries[name] = dataset[()]
        record.timeseries_units[name] = _text(dataset.attrs["units"])
    return record


def read_result(path) -> ResultFile:
    """Read a result file written by :class:`ResultWriter`.

    Raises
    ------
    ResultFileError
        If the file is missing, not HDF5, not a battsim result, or of a newer schema.
    """
    path = Path(path)
    if not path.is_file():
        raise ResultFileError(f"result file '{path}' not found")
    try:
        file = h5py.File(path, "r")
    except OSError as error:
        raise ResultFileError(f"'{path}' is not an HDF5 file ({error})") from error
    with file:
        if _text(file.attrs.get("file_kind", "")) != FILE_KIND:
            raise ResultFileError(f"'{path}' is an HDF5 file but not a battsim result file")
        version = int(file.attrs["schema_version"])
        if version > SCHEMA_VERSION:
            raise ResultFileError(
                f"'{path}' has schema_version {version}; this battsim {__version__} reads up to {SCHEMA_VERSION}"
            )
        attrs = {key: (_text(v) if isinstance(v, bytes | str) else v.item() if hasattr(v, "item") else v)
                 for key, v in file.attrs.items()}
        cases = file["cases"]
        if "summary" in file:
            order = [_text(v) for v in file["summary"]["case_id"][()]]
            order += [name for name in cases if name not in order and not name.startswith(".")]
        else:
            order = [name for name in cases if not name.startswith(".")]
        records = [_read_case(cases[case_id], case_id) for case_id in order if case_id in cases]
    return ResultFile(attrs=attrs, cases=records)
