"""Running many cases: the library raises, the sweep records.

:func:`run_cases` runs every case in this process (cases that are their own 25 degC
reference first, so the others reuse them), records a failing case with its one-line reason
and the solver's full message, and never lets one case stop the others. Executors for local
worker processes and Dask clusters will plug in here.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Literal

from battsim.cases import is_own_reference, new_result, run_case
from battsim.config import Case
from battsim.errors import BattsimError
from battsim.results import Result

Progress = Callable[[int, int, Result], None]


def ordered(cases: list[Case]) -> list[int]:
    """Execution order: the cases that are their own 25 degC reference first."""
    own = [i for i, c in enumerate(cases) if is_own_reference(c)]
    taken = set(own)
    return own + [i for i in range(len(cases)) if i not in taken]


def failed_result(case: Case, error: BaseException) -> Result:
    """The result of a case that failed: its parameters, status ``failed`` and the reason."""
    result = new_result(case)
    result.status = "failed"
    if isinstance(error, BattsimError):
        result.error = str(error)
        result.error_detail = getattr(error, "detail", "") or ""
    else:  # a sweep never loses a case: record what went wrong
        result.error = f"{type(error).__name__}: {error}"
        result.error_detail = traceback.format_exc()
    return result


def run_cases(cases: list[Case], progress: Progress | None = None,
              errors: Literal["raise", "record"] = "record") -> list[Result]:
    """Run every case, in the order of :func:`ordered`; results in the order of ``cases``.

    Parameters
    ----------
    cases : list of Case
    progress : callable, optional
        ``progress(done, total, result)`` after each case (a failed one included).
    errors : {"record", "raise"}
        ``record``: a failed case is kept with its error and the others run; ``raise``: the
        first failure is raised (with its traceback).
    """
    results: list[Result | None] = [None] * len(cases)
    for done, index in enumerate(ordered(cases), start=1):
        try:
            results[index] = run_case(cases[index])
        except Exception as error:  # noqa: BLE001 - a sweep records every failure; KeyboardInterrupt still stops it
            if errors == "raise":
                raise
            results[index] = failed_result(cases[index], error)
        if progress is not None:
            progress(done, len(cases), results[index])
    return results
