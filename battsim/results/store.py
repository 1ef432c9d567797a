"""battsim result files (HDF5 through h5py), schema version 3, and the journal that makes them safe.

Layout of ``RESULT.h5``::

    /                 attrs: schema_version, battsim_version, pybamm_version, config_toml (the
                             run's resolved config), config_hash, created_utc, cases_total
                             (cases of this file's run, or of its shard), run_cases_total (of
                             the whole run), file_kind = "battsim-result"
    /case_order       every case id of the run (or shard) in config order, finished or not
    /cases/<case_id>/ one group per case (:mod:`battsim.results.h5layout`)
    /summary/         one row per case, the fixed schema of :mod:`battsim.results.schema`

``case_id`` is the first 16 hex digits of the SHA-256 of the case's resolved config. Every
dataset carries a ``units`` attribute that ``pint`` reads (``""`` for text). Schema 3 added the
fixed summary (every column in every file, a ``case`` dimension, a ``kind`` per column) and
``cases_total``; files of schema 1 and 2 are still read.

**Never lose data.** While a run is going, each finished case is written whole to its own
file in the journal beside the result (``RESULT.h5.journal/cases/<case_id>.h5``: written under
a temporary name, flushed to disk, renamed) and its summary row appended to
``RESULT.h5.journal/rows.jsonl``, so a SIGKILL at any moment loses only the cases in flight, and
the writer keeps only each case's id and status in memory. When the run ends, completed or
interrupted, the journal and the cases of the existing file are joined a chunk at a time
(:mod:`battsim.results.join`) into a new file, which replaces ``RESULT.h5`` only once it is
whole; then the journal goes. A run whose file holds the same config *resumes*: only the missing cases run (the
failed ones too with ``retry_failed``). :func:`read_result` reads the file and any journal, so
every finished case is readable even after a kill. A file of another config is refused unless
``overwrite``, and even then replaced only when the new run has completed. A lock file
(``RESULT.h5.lock``, holding the writer's pid) refuses a second writer.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import h5py
import numpy as np

from battsim._version import __version__
from battsim.errors import ResultFileError
from battsim.results import h5layout, join
from battsim.results.result import Result, Results
from battsim.results.schema import SCHEMA_VERSION, summary_row, table

#: oldest schema this battsim reads
OLDEST_SCHEMA = 1
FILE_KIND = "battsim-result"
#: ``timeseries`` modes of a writer; ``decimated`` keeps one sample per this many seconds
TIMESERIES_MODES = ("full", "decimated", "none")
DECIMATION_S = 10.0
#: the journal's copy of ``/case_order``
ORDER_FILE = "case_order.json"


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
    return writable_folder(path)


def writable_folder(path: Path) -> Path:
    """``path``, once its folder exists (created if needed) and can be written; otherwise a
    :class:`ResultFileError` naming what is wrong."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise ResultFileError(f"--out '{path}': '{folder}' exists and is not a directory") from None
    except OSError as error:
        raise ResultFileError(f"--out '{path}': cannot create the directory '{folder}' ({error.strerror})") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ResultFileError(f"--out '{path}': the directory '{folder}' is not writable")
    try:  # permissions are not the whole story (a read-only or virtual file system): try it
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".battsim-write-check-"):
            pass
    except OSError as error:
        raise ResultFileError(f"--out '{path}': cannot create a file in '{folder}' ({error.strerror})") from None
    return path


def journal_of(path: Path) -> Path:
    """The journal folder of a result file."""
    return path.with_name(path.name + ".journal")


class ResultWriter:
    """Writes a result file case by case, resuming a run of the same config; a context manager.

    Parameters
    ----------
    path : path-like
        The result file.
    config_toml, config_hash : str
        The run's resolved configuration and its hash.
    param_units : dict
        Unit of each case parameter outside the fixed schema (swept keys).
    overwrite : bool
        Replace an existing file of another config (once this run is complete).
    retry_failed : bool
        Run again the cases the file holds as failed.
    case_ids : list of str, optional
        The file's cases in config order (the summary's order, ``/case_order``, ``cases_total``).
    run_cases_total : int, optional
        Cases of the whole run when this file holds a shard of it (default: ``len(case_ids)``).
    timeseries : {"full", "decimated", "none"}
        What is kept of each case's time series (``decimated``: one sample per 10 s).
    """

    def __init__(self, path, config_toml: str, config_hash: str, param_units: dict[str, str],
                 overwrite: bool = False, retry_failed: bool = False, case_ids: list[str] | None = None,
                 timeseries: str = "full", run_cases_total: int | None = None):
        if timeseries not in TIMESERIES_MODES:
            raise ResultFileError(f"--timeseries {timeseries!r}: must be one of {', '.join(TIMESERIES_MODES)}")
        self.path = check_output_path(path)
        self.journal = journal_of(self.path)
        self._timeseries, self._param_units = timeseries, dict(param_units)
        self._order = list(dict.fromkeys(case_ids or []))
        self._attrs = {"schema_version": SCHEMA_VERSION, "file_kind": FILE_KIND, "battsim_version": __version__,
                       "pybamm_version": importlib.metadata.version("pybamm"), "config_toml": config_toml,
                       "config_hash": config_hash, "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
                       "cases_total": len(self._order), "run_cases_total": run_cases_total or len(self._order)}
        self._lock = _acquire_lock(self.path)
        try:
            self._replacing = _check_existing(self.path, config_hash, overwrite)
            self._open_journal(config_hash, overwrite)
            self._done = self._finished(retry_failed)
        except BaseException:
            self._lock.unlink(missing_ok=True)
            raise

    # ----------------------------------------------------------------- opening

    def _open_journal(self, config_hash: str, overwrite: bool) -> None:
        run = self.journal / "run.json"
        if run.is_file():
            held = _journal_attrs(self.journal).get("config_hash")
            if held != config_hash and not overwrite:
                raise ResultFileError(
                    f"--out '{self.path}': its journal holds unfinished results of another config; run that config "
                    "again to finish them, or give --overwrite to discard them")
            if held != config_hash:
                shutil.rmtree(self.journal)
        (self.journal / "cases").mkdir(parents=True, exist_ok=True)
        if not run.is_file():
            _write_durably(self.journal / ORDER_FILE, json.dumps(self._order).encode())
            _write_durably(run, json.dumps({k: _plain(v) for k, v in self._attrs.items()}).encode())

    def _finished(self, retry_failed: bool) -> dict[str, str]:
        """Status of each case already finished (file and journal), failed ones left out if they
        are to be retried (their rows stay until a new result replaces them)."""
        done = {} if self._replacing or not self.path.exists() else _file_statuses(self.path)
        done.update(join.journal_statuses(self.journal))
        if retry_failed:
            done = {k: status for k, status in done.items() if status == "ok"}
        return done

    def finished(self) -> set[str]:
        """Ids of the cases that need not run again."""
        return set(self._done)

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        self.close(complete=kind is None)

    # ----------------------------------------------------------------- writing

    def write_case(self, result: Result) -> None:
        """Write one finished case whole to the journal (flushed to disk before this returns)."""
        result = _thinned(result, self._timeseries)
        target = self.journal / "cases" / f"{result.case_id}.h5"
        tmp = target.with_name(f".{result.case_id}.{os.getpid()}.tmp")
        with h5py.File(tmp, "w") as file:
            h5layout.write_case(file.create_group("case"), result)
        _fsync(tmp)
        os.replace(tmp, target)
        join.append_row(self.journal, summary_row(result))
        self._done[result.case_id] = result.status

    def close(self, complete: bool = True) -> None:
        """Join the file and the journal into a new file that replaces ``path`` (a file of
        another config only if ``complete``), then remove the journal."""
        if self._lock is None:
            return
        try:
            if complete or not self._replacing:
                self._consolidate()
        finally:
            self._lock.unlink(missing_ok=True)
            self._lock = None

    def _consolidate(self) -> None:
        """Join the existing file and the journal, :data:`join.CHUNK` cases at a time."""
        has_new = any((self.journal / "cases").glob("*.h5"))
        if not has_new and (self.path.exists() or not self._done):
            shutil.rmtree(self.journal, ignore_errors=True)  # nothing new: the file stays as it is
            return
        partial = self.path.with_name(f"{self.path.stem}.partial-{os.getpid()}{self.path.suffix}")
        old = None if self._replacing or not self.path.exists() else self.path
        join.join(partial, self._attrs, self._order, self._param_units, old, self.journal, SCHEMA_VERSION)
        _fsync(partial)
        os.replace(partial, self.path)
        shutil.rmtree(self.journal, ignore_errors=True)


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value


def _fsync(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _write_durably(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _thinned(result: Result, mode: str) -> Result:
    """``result`` with its time series as the writer keeps them."""
    if mode == "full" or not result.timeseries:
        return result
    if mode == "none":
        series = {}
    else:
        t = np.asarray(result.timeseries.get("time_s", []), dtype=float)
        if len(t) < 3:
            return result
        bins = np.floor(t / DECIMATION_S)
        keep = np.flatnonzero(np.r_[True, np.diff(bins) != 0])
        keep = np.union1d(keep, [len(t) - 1])
        series = {name: np.asarray(values)[keep] for name, values in result.timeseries.items()}
    units = {name: result.timeseries_units[name] for name in series}
    return replace(result, timeseries=series, timeseries_units=units)


# ------------------------------------------------------------------------- locking


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


def _check_existing(path: Path, config_hash: str, overwrite: bool) -> bool:
    """Whether ``path`` holds another config's results (to be replaced once this run completes);
    refused unless ``overwrite``."""
    if not path.exists():
        return False
    try:
        with h5py.File(path, "r") as file:
            kind = h5layout.text(file.attrs.get("file_kind", ""))
            existing = h5layout.text(file.attrs.get("config_hash", ""))
    except OSError:
        kind, existing = "", ""
    if kind == FILE_KIND and existing == config_hash:
        return False
    if not overwrite:
        what = "is not a battsim result file" if kind != FILE_KIND else "holds the results of another config"
        raise ResultFileError(f"--out '{path}' {what}; give another --out, "
                              "or --overwrite to replace it when this run completes")
    return True


# ------------------------------------------------------------------------- reading


def _file_statuses(path: Path) -> dict[str, str]:
    """Status of each case of a result file (from its summary, never its time series)."""
    with h5py.File(path, "r") as file:
        _schema_version(file, f"'{path}'")
        return join.file_statuses(file)


def _journal_attrs(journal: Path) -> dict:
    try:
        return json.loads((journal / "run.json").read_text())
    except (OSError, ValueError):
        return {}


def _journal_cases(journal: Path, timeseries: bool = False) -> list[Result]:
    """The cases in a journal, oldest first; a file that cannot be read (cut by a kill before
    its rename cannot happen, but a damaged disk can) is skipped."""
    results = []
    for path in sorted((journal / "cases").glob("*.h5"), key=lambda p: p.stat().st_mtime):
        try:
            with h5py.File(path, "r") as file:
                results.append(h5layout.read_case(file["case"], path.stem, f"'{path}'", timeseries))
        except (OSError, KeyError, ResultFileError):
            continue
    return results


def _schema_version(file: h5py.File, where: str) -> int:
    if "schema_version" not in file.attrs:
        raise ResultFileError(f"{where} has no schema_version; not a battsim result file")
    raw = file.attrs["schema_version"]
    try:
        version = int(raw)
        if version != float(raw):
            raise ValueError
    except (TypeError, ValueError):
        raise ResultFileError(f"{where}: schema_version = {h5layout.text(raw)!r} is not a whole number") from None
    if not OLDEST_SCHEMA <= version <= SCHEMA_VERSION:
        raise ResultFileError(f"{where} has schema_version {version}; this battsim {__version__} reads "
                              f"{OLDEST_SCHEMA} to {SCHEMA_VERSION}")
    return version


def _open(path: Path) -> h5py.File:
    if not path.is_file():
        raise ResultFileError(f"result file '{path}' is {'a directory' if path.is_dir() else 'not a regular file'}")
    try:
        file = h5py.File(path, "r")
    except OSError:
        raise ResultFileError(f"'{path}' is not an HDF5 file") from None
    if h5layout.text(file.attrs.get("file_kind", "")) != FILE_KIND:
        file.close()
        raise ResultFileError(f"'{path}' is an HDF5 file but not a battsim result file")
    return file


def read_result(path, timeseries: bool = True) -> Results:
    """Read a result file and the finished cases of its journal (a run that was killed).

    Parameters
    ----------
    path : path-like
    timeseries : bool
        ``False`` reads the metrics only (fast for big files).

    Raises
    ------
    ResultFileError
        If neither the file nor a journal exists, or the file is not HDF5, not a battsim result,
        of a schema this version does not read, or lacks its cases, metrics or parameters.
    """
    path = Path(path)
    journal = journal_of(path)
    if not path.exists() and not (journal / "run.json").is_file():
        raise ResultFileError(f"result file '{path}' not found")
    results, attrs, param_units = [], _journal_attrs(journal), {}
    if path.exists():
        with _open(path) as file:
            _schema_version(file, f"'{path}'")
            if "cases" not in file:
                raise ResultFileError(f"'{path}' has no cases group; not a complete battsim result file")
            attrs = {k: _plain(h5layout.text(v) if isinstance(v, bytes | str) else v) for k, v in file.attrs.items()}
            results, param_units = _read_cases(file, path, timeseries)
    if attrs.get("config_hash") == _journal_attrs(journal).get("config_hash"):
        seen = {r.case_id for r in results}
        results += [r for r in _journal_cases(journal, timeseries) if r.case_id not in seen]
    attrs["cases_done"] = len(results)
    return Results(results, attrs, param_units)


def _read_cases(file: h5py.File, path: Path, timeseries: bool) -> tuple[list[Result], dict[str, str]]:
    cases = file["cases"]
    order, param_units = [], {}
    if "summary" in file and "case_id" in file["summary"]:
        order = [h5layout.text(v) for v in file["summary"]["case_id"][()]]
        param_units = {name: h5layout.text(d.attrs.get("units", "")) for name, d in file["summary"].items()}
    order += [name for name in cases if name not in order and not name.startswith(".")]
    results = [h5layout.read_case(cases[case_id], case_id, f"'{path}'", timeseries)
               for case_id in order if case_id in cases]
    return results, param_units


def iter_summary(path, chunk: int = join.CHUNK) -> Iterator[list[Result]]:
    """The cases of a complete schema-3 file as metrics-only results read from its summary,
    ``chunk`` at a time (the memory of a chunk whatever the file's size)."""
    with _open(Path(path)) as file:
        if _schema_version(file, f"'{path}'") < 3 or "summary" not in file:
            raise ResultFileError(f"'{path}' has no schema-3 summary to read in chunks")
        spec = h5layout.summary_spec(file)
        n = len(file["summary"]["case_id"])
        for start in range(0, n, chunk):
            rows = h5layout.read_summary_rows(file, list(range(start, min(start + chunk, n))), spec)
            yield [h5layout.row_result(row, spec) for row in rows]


def read_table(path) -> tuple[list[tuple[str, str, str, str]], list[dict], dict]:
    """The summary of a result file and its journal in the fixed schema: ``(columns, rows,
    attrs)``, columns as ``(name, unit, kind, role)``; never reads time series."""
    results = read_result(path, timeseries=False)
    spec, rows = table(results, results.param_units)
    return spec, rows, results.attrs


def case_order(path) -> list[str] | None:
    """Every case id of a result file's run (or shard) in config order, finished or not, from
    the file or its journal; ``None`` for files written before battsim kept it."""
    path = Path(path)
    if path.exists():
        with _open(path) as file:
            order = h5layout.read_case_order(file)
        if order is not None:
            return order
    try:
        return json.loads((journal_of(path) / ORDER_FILE).read_text())
    except (OSError, ValueError):
        return None


def read_case(path, case_id: str) -> Result:
    """One case of a result file (or its journal), time series included."""
    path = Path(path)
    journal_file = journal_of(path) / "cases" / f"{case_id}.h5"
    if journal_file.is_file():
        with h5py.File(journal_file, "r") as file:
            return h5layout.read_case(file["case"], case_id, f"'{journal_file}'")
    with _open(path) as file:
        if case_id not in file.get("cases", {}):
            raise ResultFileError(f"'{path}' holds no case {case_id}")
        return h5layout.read_case(file["cases"][case_id], case_id, f"'{path}'")
