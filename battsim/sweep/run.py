"""Running many cases: the library raises, the sweep records.

:func:`run_cases` runs the cases on an executor (this process by default; local worker
processes or a Dask cluster, :mod:`battsim.sweep.executors`), records a failing case with its
one-line reason and the solver's full message, and never lets one case stop the others.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from battsim.cases import run_case
from battsim.config import Case
from battsim.errors import SimulationError
from battsim.results import Result
from battsim.sweep.executors import Executor, SerialExecutor, failed_result, model_order

Progress = Callable[[int, int, Result], None]


def run_cases(cases: list[Case], progress: Progress | None = None,
              errors: Literal["raise", "record"] = "record", executor: Executor | None = None,
              skip: frozenset[int] = frozenset(), keep_timeseries: bool = True,
              keep_results: bool = True) -> list[Result | None]:
    """Run every case (but those in ``skip``); results in the order of ``cases``.

    Parameters
    ----------
    cases : list of Case
    progress : callable, optional
        ``progress(done, total, result)`` after each case (a failed one included), in the
        order the cases finish; ``total`` counts the cases run.
    errors : {"record", "raise"}
        ``record``: a failed case is kept with its error and the others run; ``raise``: the
        first failure is raised (with its traceback when it ran in this process).
    executor : Executor, optional
        Where the cases run; default: this process.
    skip : set of int
        Indices not to run (their place in the returned list is ``None``): a resumed run's
        finished cases.
    keep_timeseries : bool
        ``False`` drops each result's time series once ``progress`` has seen it (a run writing
        a file keeps its memory flat).
    keep_results : bool
        ``False`` keeps no result once ``progress`` has seen it (every place in the returned
        list is ``None``): a run whose ``progress`` writes each case to a file.
    """
    indices = [i for i in range(len(cases)) if i not in skip]
    results: list[Result | None] = [None] * len(cases)
    if errors == "raise" and executor is None:
        return _run_raising(cases, indices, results, progress)
    stream = (executor or SerialExecutor()).run(cases, indices)
    try:
        for done, (index, result) in enumerate(stream, start=1):
            if errors == "raise" and not result.ok:
                raise_failed(result)
            if progress is not None:
                progress(done, len(indices), result)
            if not keep_timeseries:
                result.timeseries, result.timeseries_units = {}, {}
            if keep_results:
                results[index] = result
    finally:
        stream.close()  # an executor stops its workers (or cancels its tasks) at once, even on Ctrl-C
    return results


def _run_raising(cases, indices, results, progress):
    """In this process, the first failure raised with its own traceback."""
    for done, index in enumerate(model_order(cases, indices), start=1):
        results[index] = run_case(cases[index])
        if progress is not None:
            progress(done, len(indices), results[index])
    return results


def raise_failed(result: Result):
    """Raise the failure of a case that ran elsewhere (its traceback is in ``detail``)."""
    raise SimulationError(f"case {result.case_id} failed: {result.error}", result.error_detail)


__all__ = ["Progress", "failed_result", "run_cases"]
