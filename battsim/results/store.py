"""battsim result files (HDF5 through h5py), schema version 2.

Layout::

    /                      attrs: schema_version, battsim_version, pybamm_version,
                                  config_toml (the run's resolved config), config_hash,
                                  created_utc, file_kind = "battsim-result"
    /cases/<case_id>/      attrs: status ("ok" | "failed"), error, error_detail, termination,
                                  warnings (JSON list), params (JSON object), labels (JSON object of
                                  text outcomes such as binding_limit), config_toml, wall_time_s
        metrics/<name>     scalar float64, attrs: units
        timeseries/<name>  1-D float64, attrs: units
    /summary/<column>      one row per case: case_id, status, error, every parameter and
                           every metric and label; attrs: units; group attr ``columns`` lists the order

``case_id`` is the first 16 hex digits of the SHA-256 of the case's resolved config. Every
dataset carries a ``units`` attribute that ``pint`` reads (``""`` for text and pure numbers
written ``"1"``). Schema 2 differs from 1 only in its unit strings (pint's notation: ``A*h``
for ``A.h``, ``W*h/km`` for ``W.h.km-1``, ``delta_degC`` for a temperature difference) and the
``error_detail`` attribute; version 1 files are still read (``labels`` is optional: files
without it read as no labels).

**Never lose data.** A run writes to a temporary file beside the target
(``<name>.partial-<pid>.h5``) and renames it over the target only when it is complete, so an
existing result file is never truncated or replaced by a run that has not finished; an
interrupted run leaves the partial file, which holds every finished case. Within the file a
case is written under a temporary name and renamed when complete, so a file never holds half
a case.
"""

from __future__ import annotations

import importlib.metadata
import json
import math
import os
from datetime import UTC, datetime
from pathlib import Path

import h5py
import numpy as np

from battsim._version import __version__
from battsim.errors import ResultFileError
from battsim.results.result import Result, Results

SCHEMA_VERSION = 2
#: oldest schema this battsim reads
OLDEST_SCHEMA = 1
FILE_KIND = "battsim-result"
_TEXT = h5py.string_dtype(encoding="utf-8")


def check_output_path(path) -> Path:
    """A result-file path that can be written: ``.h5``/``.hdf5``, not a directory, its folder
    creatable and writable. Raises :class:`ResultFileError` naming what is wrong."""
    path = Path(path)
    if path.is_dir():
        raise ResultFileError(f"--out '{path}' is a directory; give a file name such as {path / 'result.h5'}")
    if path.suffix.lower() not in (".h5", ".hdf5"):
        raise ResultFileError(f"--out '{path}': the result file must end in .h5 or .hdf5")
    if path.exists() and not path.is_file():
        raise ResultFileError(f"--out '{path}' is not a regular file")
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise ResultFileError(f"--out '{path}': '{folder}' exists and is not a directory") from None
    except OSError as error:
        raise ResultFileError(f"--out '{path}': cannot create the directory '{folder}' ({error.strerror})") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ResultFileError(f"--out '{path}': the directory '{folder}' is not writable")
    return path


class ResultWriter:
    """Writes a result file case by case; use as a context manager.

    The cases go to a partial file beside ``path``; leaving the ``with`` block without an
    exception renames it to ``path`` (replacing an older file only then). On an exception
    the partial file is kept. A lock file (``<name>.h5.lock``, holding the writer's pid)
    refuses a second writer; an existing ``path`` that holds another config's results is
    refused unless ``overwrite`` (a rerun of the same config replaces it when complete).

    Parameters
    ----------
    path : path-like
        The result file.
    config_toml, config_hash : str
        The run's resolved configuration and its hash.
    param_units : dict
        Unit of each case parameter (``""`` for text).
    overwrite : bool
        Replace an existing file of another config (once this run is complete).
    """

    def __init__(self, path, config_toml: str, config_hash: str, param_units: dict[str, str],
                 overwrite: bool = False):
        self.path = check_output_path(path)
        self._lock = _acquire_lock(self.path)
        try:
            _check_existing(self.path, config_hash, overwrite)
            self._open(config_toml, config_hash, param_units)
        except BaseException:
            self._lock.unlink(missing_ok=True)
            raise

    def _open(self, config_toml: str, config_hash: str, param_units: dict[str, str]) -> None:
        self.partial = self.path.with_name(f"{self.path.stem}.partial-{os.getpid()}{self.path.suffix}")
        self._param_units = dict(param_units)
        self._rows: dict[str, Result] = {}  # case id -> metrics-only result, in write order
        self._file = h5py.File(self.partial, "w")
        self._file.attrs.update({
            "schema_version": SCHEMA_VERSION, "file_kind": FILE_KIND, "battsim_version": __version__,
            "pybamm_version": importlib.metadata.version("pybamm"), "config_toml": config_toml,
            "config_hash": config_hash, "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        })
        self._file.create_group("cases")

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        self.close(complete=kind is None)

    def write_case(self, result: Result) -> None:
        """Write one case whole (temporary group, then rename) and flush."""
        cases = self._file["cases"]
        tmp_name = f".incomplete-{result.case_id}"
        if tmp_name in cases:
            del cases[tmp_name]
        group = cases.create_group(tmp_name)
        group.attrs.update({
            "status": result.status, "error": result.error, "error_detail": result.error_detail,
            "termination": result.termination, "warnings": json.dumps(result.warnings),
            "labels": json.dumps(result.labels),
            "params": json.dumps(result.params), "config_toml": result.config_toml,
            "wall_time_s": result.wall_time_s,
        })
        metrics = group.create_group("metrics")
        for name, value in result.metrics.items():
            metrics.create_dataset(name, data=float(value)).attrs["units"] = result.units[name]
        series = group.create_group("timeseries")
        for name, values in result.timeseries.items():
            dataset = series.create_dataset(name, data=np.asarray(values, dtype=np.float64), compression="gzip",
                                            shuffle=True)
            dataset.attrs["units"] = result.timeseries_units[name]
        if result.case_id in cases:
            del cases[result.case_id]
        cases.move(tmp_name, result.case_id)
        self._rows.pop(result.case_id, None)
        self._rows[result.case_id] = _metrics_only(result)
        self._file.flush()

    def close(self, complete: bool = True) -> None:
        """Write the summary and close; a complete file replaces ``path``."""
        if not self._file.id.valid:
            return
        try:
            _write_summary(self._file, list(self._rows.values()), self._param_units)
            self._file.close()
            if complete:
                os.replace(self.partial, self.path)
        finally:
            self._lock.unlink(missing_ok=True)


def _acquire_lock(path: Path) -> Path:
    """``<path>.lock`` created exclusively with this process's pid; a live owner is refused, a
    stale lock (its process gone) taken over."""
    lock = path.with_name(path.name + ".lock")
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            owner = _lock_owner(lock)
            if owner is not None and _alive(owner):
                raise ResultFileError(f"--out '{path}': another battsim run (pid {owner}) is writing it; "
                                      "wait for it or give another --out") from None
            lock.unlink(missing_ok=True)  # stale: its writer is gone
            continue
        with os.fdopen(fd, "w") as handle:
            handle.write(str(os.getpid()))
        return lock
    raise ResultFileError(f"--out '{path}': cannot take the lock file {lock}")


def _lock_owner(lock: Path) -> int | None:
    try:
        return int(lock.read_text().strip())
    except (OSError, ValueError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _check_existing(path: Path, config_hash: str, overwrite: bool) -> None:
    """Refuse to replace a file holding another config's results (or not a battsim result) unless ``overwrite``."""
    if overwrite or not path.exists():
        return
    try:
        with h5py.File(path, "r") as file:
            kind, existing = _text(file.attrs.get("file_kind", "")), _text(file.attrs.get("config_hash", ""))
    except OSError:
        kind, existing = "", ""
    if kind != FILE_KIND:
        raise ResultFileError(f"--out '{path}' exists and is not a battsim result file; give another --out, "
                              "or --overwrite to replace it when this run completes")
    if existing != config_hash:
        raise ResultFileError(f"--out '{path}' holds the results of another config; give another --out, "
                              "or --overwrite to replace them when this run completes")


def _metrics_only(result: Result) -> Result:
    """A result without its time series (what the summary needs; keeps the writer's memory small)."""
    return Result(case_id=result.case_id, params=result.params, status=result.status, error=result.error,
                  metrics=result.metrics, units=result.units, labels=result.labels)


def _write_summary(file: h5py.File, rows: list[Result], param_units: dict[str, str]) -> None:
    if "summary" in file:
        del file["summary"]
    summary = file.create_group("summary")
    params = list(dict.fromkeys(name for r in rows for name in r.params))
    metrics = list(dict.fromkeys(name for r in rows for name in r.metrics))
    metric_units = {name: unit for r in rows for name, unit in r.units.items()}
    columns = [("case_id", "", [r.case_id for r in rows]), ("status", "", [r.status for r in rows]),
               ("error", "", [r.error for r in rows])]
    columns += [(name, param_units.get(name, ""), [r.params.get(name) for r in rows]) for name in params]
    columns += [(name, metric_units[name], [r.metrics.get(name, math.nan) for r in rows]) for name in metrics
                if name not in params]  # a metric never shares a parameter's name (enforced by tests)
    labels = list(dict.fromkeys(name for r in rows for name in r.labels))
    columns += [(name, "", [r.labels.get(name, "") for r in rows]) for name in labels]
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


def _read_case(group: h5py.Group, case_id: str, where: str) -> Result:
    attrs = group.attrs
    missing = [part for part in ("metrics", "timeseries") if part not in group] + \
              [attr for attr in ("params", "status") if attr not in attrs]
    if missing:
        raise ResultFileError(f"{where}: case {case_id} lacks {', '.join(missing)}; not a complete battsim result")
    try:
        params = json.loads(_text(attrs["params"]))
    except json.JSONDecodeError as error:
        raise ResultFileError(f"{where}: case {case_id} has unreadable params ({error})") from None
    result = Result(case_id=case_id, params=params, status=_text(attrs["status"]),
                    error=_text(attrs.get("error", "")), error_detail=_text(attrs.get("error_detail", "")),
                    termination=_text(attrs.get("termination", "")),
                    labels=json.loads(_text(attrs.get("labels", "{}"))),
                    warnings=json.loads(_text(attrs.get("warnings", "[]"))),
                    config_toml=_text(attrs.get("config_toml", "")),
                    wall_time_s=float(attrs.get("wall_time_s", math.nan)))
    for name, dataset in group["metrics"].items():
        result.metrics[name] = float(dataset[()])
        result.units[name] = _text(dataset.attrs.get("units", ""))
    for name, dataset in group["timeseries"].items():
        result.timeseries[name] = dataset[()]
        result.timeseries_units[name] = _text(dataset.attrs.get("units", ""))
    return result


def _schema_version(file: h5py.File, where: str) -> int:
    if "schema_version" not in file.attrs:
        raise ResultFileError(f"{where} has no schema_version; not a battsim result file")
    raw = file.attrs["schema_version"]
    try:
        version = int(raw)
        if version != float(raw):
            raise ValueError
    except (TypeError, ValueError):
        raise ResultFileError(f"{where}: schema_version = {_text(raw)!r} is not a whole number") from None
    if not OLDEST_SCHEMA <= version <= SCHEMA_VERSION:
        raise ResultFileError(f"{where} has schema_version {version}; this battsim {__version__} reads "
                              f"{OLDEST_SCHEMA} to {SCHEMA_VERSION}")
    return version


def read_result(path) -> Results:
    """Read a result file written by :class:`ResultWriter`.

    Raises
    ------
    ResultFileError
        If the file is missing, not a regular file, not HDF5, not a battsim result, of a schema
        this version does not read, or lacks its cases, metrics or parameters.
    """
    path = Path(path)
    if not path.exists():
        raise ResultFileError(f"result file '{path}' not found")
    if not path.is_file():
        raise ResultFileError(f"result file '{path}' is {'a directory' if path.is_dir() else 'not a regular file'}")
    try:
        file = h5py.File(path, "r")
    except OSError:
        raise ResultFileError(f"'{path}' is not an HDF5 file") from None
    with file:
        if _text(file.attrs.get("file_kind", "")) != FILE_KIND:
            raise ResultFileError(f"'{path}' is an HDF5 file but not a battsim result file")
        _schema_version(file, f"'{path}'")
        if "cases" not in file:
            raise ResultFileError(f"'{path}' has no cases group; not a complete battsim result file")
        attrs = {key: (_text(v) if isinstance(v, bytes | str) else v.item() if hasattr(v, "item") else v)
                 for key, v in file.attrs.items()}
        cases = file["cases"]
        order, param_units = [], {}
        if "summary" in file and "case_id" in file["summary"]:
            order = [_text(v) for v in file["summary"]["case_id"][()]]
            param_units = {name: _text(d.attrs.get("units", "")) for name, d in file["summary"].items()}
        order += [name for name in cases if name not in order and not name.startswith(".")]
        results = [_read_case(cases[case_id], case_id, f"'{path}'") for case_id in order if case_id in cases]
    return Results(results, attrs, param_units)
