"""Shards of a run and their merge.

``battsim run --shard I/N`` runs the I-th of N deterministic slices of a config's cases (every
N-th case from the I-th, so each slice mixes cold and warm cases alike); its file is marked with
the run's hash and the slice. :func:`merge_files` joins such files (or any result files of one
run) into one, in the config's case order, as one writer: each case is copied whole and the
target replaced only when complete, so a merge that fails leaves every file as it was.
"""

from __future__ import annotations

from pathlib import Path

from battsim.errors import ConfigError, ResultFileError
from battsim.results import ResultWriter, case_order, read_case, read_result


def parse_shard(text: str) -> tuple[int, int]:
    """``"I/N"`` -> ``(I, N)`` with ``1 <= I <= N``."""
    try:
        part, total = (int(x) for x in str(text).split("/"))
    except ValueError:
        raise ConfigError(f"--shard {text!r}: must be I/N, e.g. 2/8 (the second of eight slices)") from None
    if not 1 <= part <= total:
        raise ConfigError(f"--shard {text!r}: I must be between 1 and N (got {part}/{total})")
    return part, total


def shard_indices(count: int, part: int, total: int) -> list[int]:
    """The case indices of slice ``part`` of ``total`` (1-based): every ``total``-th from ``part - 1``."""
    return list(range(part - 1, count, total))


def shard_hash(run_hash: str, part: int, total: int) -> str:
    """The config hash a shard's file carries: the run's, marked with the slice."""
    return f"{run_hash}:{part}/{total}"


def run_hash_of(file_hash: str) -> str:
    """The run a file belongs to (a shard's hash without its slice)."""
    return file_hash.split(":", 1)[0]


def merge_files(paths: list[Path], out: Path, overwrite: bool = False, progress=None) -> int:
    """Join result files of one run into ``out`` (resuming a partial ``out`` of the run);
    returns the number of cases written. Raises :class:`ResultFileError` if the files belong to
    different runs or ``out`` holds another run (unless ``overwrite``)."""
    if not paths:
        raise ConfigError("merge: give at least one result file")
    sources = [(Path(p), read_result(p, timeseries=False)) for p in paths]
    first_path, first = sources[0]
    run = run_hash_of(str(first.attrs.get("config_hash", "")))
    for path, results in sources[1:]:
        if run_hash_of(str(results.attrs.get("config_hash", ""))) != run:
            raise ResultFileError(f"merge: '{path}' holds another run than '{first_path}' (different config); "
                                  "only shards of one run can be merged")
    config_toml = str(first.attrs.get("config_toml", ""))
    order = _case_order(sources)
    chosen = _best_source(sources)
    run_total = max(int(r.attrs.get("run_cases_total") or r.attrs.get("cases_total") or 0) for _, r in sources)
    written = 0
    with ResultWriter(out, config_toml, run, first.param_units, overwrite=overwrite, case_ids=order,
                      run_cases_total=max(run_total, len(order))) as writer:
        done = writer.finished()
        for case_id, path in chosen.items():
            if case_id in done:
                continue
            result = read_case(path, case_id)
            writer.write_case(result)
            written += 1
            if progress:
                progress(written, len(chosen) - len(done), result)
    return written


def _case_order(sources) -> list[str]:
    """The run's case ids in config order: shard ``I/N`` holds cases I-1, I-1+N, ... of the run,
    listed (finished or not) in its ``/case_order``; a whole run's file lists them all. A file
    written before battsim kept that list counts only its finished cases, in its own order."""
    position: dict[str, float] = {}
    for path, results in sources:
        part, total = _slice(str(results.attrs.get("config_hash", "")))
        listed = case_order(path) or [r.case_id for r in results]
        for k, case_id in enumerate(listed):
            position.setdefault(case_id, part - 1 + k * total)
        for r in results:  # a case missing from its own list (it should not be): after the others
            position.setdefault(r.case_id, float("inf"))
    return sorted(position, key=position.get)


def _slice(file_hash: str) -> tuple[int, int]:
    """``(I, N)`` of a shard's hash; ``(1, 1)`` for a whole run."""
    if ":" not in file_hash:
        return 1, 1
    return parse_shard(file_hash.split(":", 1)[1])


def _best_source(sources) -> dict[str, Path]:
    """For each case id, the file to take it from: a finished case over a failed one."""
    chosen: dict[str, tuple[Path, bool]] = {}
    for path, results in sources:
        for r in results:
            if r.case_id not in chosen or (r.ok and not chosen[r.case_id][1]):
                chosen[r.case_id] = (path, r.ok)
    return {case_id: path for case_id, (path, _) in chosen.items()}
