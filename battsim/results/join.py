"""Joining a result file and its journal into a new file, a chunk of cases at a time.

The journal of a run (``RESULT.h5.journal``) holds one file per finished case
(``cases/<case_id>.h5``) and one summary row per finished case, appended as a line of JSON to
``rows.jsonl`` when the case was written. The join reads rows and cases :data:`CHUNK` at a time,
from the journal (the newest result of a case) or from the existing file, and writes them in
the run's config order; what it holds in memory besides a chunk is one index entry per case
(its id and where its row is), so a join of 100,000 cases needs no more memory than one of 100.

A case file whose row is missing (a kill between the two writes) gets its row from its own
metrics; a row whose case file is missing is dropped (the case runs again on resume).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import h5py
import numpy as np

from battsim.errors import ResultFileError
from battsim.results import h5layout
from battsim.results.schema import columns, combine_kinds, fixed_columns, kind_of, summary_row

#: cases read and written at a time
CHUNK = 64
ROWS_FILE = "rows.jsonl"


def append_row(journal: Path, row: dict) -> None:
    """Append one case's summary row to the journal's ``rows.jsonl`` (flushed; the case file
    written before it is the durable record)."""
    with open(journal / ROWS_FILE, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(row, default=_plain, allow_nan=True) + "\n")
        handle.flush()


def journal_cases(journal: Path) -> dict[str, tuple[int | None, str]]:
    """Finished cases of a journal, in the order they were written: case id -> (byte offset of its
    newest row in ``rows.jsonl``, its status). A case file without a row has offset ``None`` and its
    own status; a row without a case file, or a case file that cannot be read, is not finished."""
    present = {p.stem for p in (journal / "cases").glob("*.h5")}
    cases: dict[str, tuple[int | None, str]] = {}
    for offset, row in _row_lines(journal):
        if row.get("case_id") in present:
            cases.pop(row["case_id"], None)  # the newest row of a rerun case wins, in its place
            cases[row["case_id"]] = (offset, str(row.get("status", "failed")))
    for case_id in sorted(present - set(cases)):
        status = _case_file_status(journal, case_id)
        if status is not None:
            cases[case_id] = (None, status)
    return cases


def journal_index(journal: Path) -> dict[str, int | None]:
    """Finished cases of a journal: case id -> byte offset of its newest row (``journal_cases``)."""
    return {case_id: offset for case_id, (offset, _) in journal_cases(journal).items()}


def journal_statuses(journal: Path) -> dict[str, str]:
    """Finished cases of a journal: case id -> status, ``ok`` or ``failed`` (``journal_cases``)."""
    return {case_id: status for case_id, (_, status) in journal_cases(journal).items()}


def _case_file_status(journal: Path, case_id: str) -> str | None:
    """The status in a journal's case file; ``None`` if it cannot be read (the case runs again)."""
    try:
        with h5py.File(journal / "cases" / f"{case_id}.h5", "r") as file:
            return h5layout.text(file["case"].attrs.get("status", "failed"))
    except (OSError, KeyError):
        return None


def file_statuses(file: h5py.File) -> dict[str, str]:
    """Cases of a result file: case id -> status (from its summary when it has one, never from
    time series)."""
    if "summary" in file and "status" in file["summary"] and "case_id" in file["summary"]:
        summary = file["summary"]
        return dict(zip(summary["case_id"].asstr()[()], summary["status"].asstr()[()]))
    return {name: h5layout.text(group.attrs.get("status", "failed")) for name, group in file["cases"].items()
            if not name.startswith(".")}


def join(partial: Path, attrs: dict, order: list[str], param_units: dict[str, str], old: Path | None,
         journal: Path, schema_version: int) -> int:
    """Write ``partial``: the cases of ``old`` (may be ``None``) and of ``journal`` (which win),
    in ``order`` (ids not in it after, as first seen), with their summary; returns the count."""
    index = journal_index(journal)
    with ExitStack() as stack:
        old_file = stack.enter_context(h5py.File(old, "r")) if old is not None else None
        sources = _Sources(_JournalReader(journal, index), _OldReader(old_file, old))
        rank = {case_id: i for i, case_id in enumerate(order)}
        ids = sorted(dict.fromkeys([*sources.old.positions, *index]), key=lambda c: rank.get(c, len(rank)))
        spec = columns(param_units, _extra_kinds(sources, ids))
        out = stack.enter_context(h5py.File(partial, "w"))
        out.attrs.update(attrs)
        h5layout.write_case_order(out, order)
        cases = out.create_group("cases")
        summary = h5layout.create_summary(out, len(ids), spec, schema_version)
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            h5layout.fill_summary(summary, start, sources.rows(chunk), spec)
            for case_id in chunk:
                sources.copy_case(case_id, cases)
    return len(ids)


class _JournalReader:
    def __init__(self, journal: Path, index: dict[str, int | None]):
        self.journal, self.index = journal, index

    def rows(self, ids: list[str]) -> list[dict]:
        if not ids:
            return []
        with ExitStack() as stack:
            handle = None
            out = []
            for case_id in ids:
                offset = self.index[case_id]
                if offset is None:
                    out.append(self._row_of_case(case_id))
                    continue
                handle = handle or stack.enter_context(open(self.journal / ROWS_FILE, "rb"))
                handle.seek(offset)
                out.append(json.loads(handle.readline()))
        return out

    def _row_of_case(self, case_id: str) -> dict:
        path = self.journal / "cases" / f"{case_id}.h5"
        with h5py.File(path, "r") as file:
            return summary_row(h5layout.read_case(file["case"], case_id, f"'{path}'", timeseries=False))

    def copy_case(self, case_id: str, cases: h5py.Group) -> None:
        with h5py.File(self.journal / "cases" / f"{case_id}.h5", "r") as source:
            source.copy(source["case"], cases, name=case_id)


class _OldReader:
    """Rows and cases of the existing result file (schema 3: its summary; older: its cases)."""

    def __init__(self, file: h5py.File | None, path: Path | None):
        self.file, self.where = file, f"'{path}'"
        self.positions: dict[str, int] = {}
        self.spec: list = []
        if file is None:
            return
        if "summary" in file and "columns" in file["summary"].attrs:
            self.spec = h5layout.summary_spec(file)
            self.positions = {c: i for i, c in enumerate(file["summary"]["case_id"].asstr()[()])}
        else:
            self.positions = {c: i for i, c in enumerate(n for n in file["cases"] if not n.startswith("."))}

    def rows(self, ids: list[str]) -> list[dict]:
        if not self.spec:
            return [summary_row(h5layout.read_case(self.file["cases"][c], c, self.where, timeseries=False))
                    for c in ids]
        return h5layout.read_summary_rows(self.file, [self.positions[c] for c in ids], self.spec)

    def copy_case(self, case_id: str, cases: h5py.Group) -> None:
        if case_id in self.file["cases"]:
            self.file.copy(self.file["cases"][case_id], cases, name=case_id)


class _Sources:
    """Each case from the journal if it is there, else from the old file."""

    def __init__(self, journal: _JournalReader, old: _OldReader):
        self.journal, self.old = journal, old

    def rows(self, ids: list[str]) -> list[dict]:
        new = [c for c in ids if c in self.journal.index]
        found = dict(zip(new, self.journal.rows(new)))
        rest = [c for c in ids if c not in found]
        found.update(zip(rest, self.old.rows(rest)))
        return [found[c] for c in ids]

    def copy_case(self, case_id: str, cases: h5py.Group) -> None:
        (self.journal if case_id in self.journal.index else self.old).copy_case(case_id, cases)


def _extra_kinds(sources: _Sources, ids: list[str]) -> dict[str, str]:
    """Swept keys outside the fixed schema and their kinds (:func:`schema.infer_kind` over every
    row, read a chunk at a time), in first-seen order."""
    fixed = fixed_columns()
    seen: dict[str, set[str]] = {}
    for start in range(0, len(ids), CHUNK):
        for row in sources.rows(ids[start:start + CHUNK]):
            for name, value in row.items():
                if name not in fixed:  # the rule of schema.infer_kind, a row at a time
                    seen.setdefault(name, set()).update([kind_of(value)] if value is not None else [])
    return {name: combine_kinds(kinds) for name, kinds in seen.items()}


def _row_lines(journal: Path) -> Iterator[tuple[int, dict]]:
    """``(offset, row)`` of each whole line of ``rows.jsonl`` (a line cut by a kill is skipped)."""
    path = journal / ROWS_FILE
    if not path.is_file():
        return
    with open(path, "rb") as handle:
        offset = 0
        for line in handle:
            try:
                row = json.loads(line)
            except ValueError:
                row = None
            if isinstance(row, dict) and line.endswith(b"\n"):
                yield offset, row
            offset += len(line)


def _plain(value):
    if isinstance(value, np.generic):
        return value.item()
    raise ResultFileError(f"summary value {value!r} of type {type(value).__name__} cannot be journalled")


__all__ = ["CHUNK", "append_row", "file_statuses", "join", "journal_index", "journal_statuses"]
