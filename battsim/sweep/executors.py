"""Where cases run: this process, local worker processes, or a Dask cluster.

An executor takes cases and yields ``(index, result)`` pairs as cases finish, in any order;
a case that fails is a result with ``status == "failed"`` (see :func:`record`), never an
exception, so one case never stops the others. ``EXECUTORS`` is the registry: the name of an
executor -> its class, each built from keyword options.

Local workers are long-lived processes: each imports battsim once and keeps its built models
(PyBaMM's build and discretisation are cached per process, per chemistry, model and options)
and its 25 degC references for every case it gets; the cases are handed out grouped by model
(:func:`model_order`), so a worker rarely switches model. References are shared between
processes through the disk cache (:mod:`battsim.cases.reference`).
"""

from __future__ import annotations

import multiprocessing
import os
import time
import traceback
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Protocol

from battsim.cases import is_own_reference, new_result, run_case
from battsim.config import Case
from battsim.errors import BattsimError, ConfigError, ValidityWarning
from battsim.results import Result


def record(case: Case) -> Result:
    """Run ``case``; a failure becomes a failed result with its one-line reason and the full
    message (a sweep never loses a case to an exception)."""
    start = time.perf_counter()
    try:
        return run_case(case)
    except Exception as error:  # noqa: BLE001 - recorded; KeyboardInterrupt still stops the run
        result = failed_result(case, error)
        result.wall_time_s = time.perf_counter() - start  # the time it took to fail
        return result


def failed_result(case: Case, error: BaseException) -> Result:
    """The result of a case that failed: its parameters, status ``failed`` and the reason."""
    result = new_result(case)
    result.status = "failed"
    if isinstance(error, BattsimError):
        result.error = str(error)
        result.error_detail = getattr(error, "detail", "") or ""
    else:
        result.error = f"{type(error).__name__}: {error}"
        result.error_detail = traceback.format_exc()
    return result


def model_key(case: Case) -> tuple:
    """What a case's built model depends on: cases with equal keys share one build."""
    cfg = case.config
    return (cfg.scenario.kind, cfg.cell.chemistry, cfg.cell.model, cfg.drive.cycle, cfg.heating.method,
            repr(cfg.solver))


def model_order(cases: list[Case], indices: list[int]) -> list[int]:
    """Execution order: the cases that are their own 25 degC reference first (the others reuse
    them), then grouped by :func:`model_key`, keeping file order within a group."""
    own = [i for i in indices if is_own_reference(cases[i])]
    taken = set(own)
    rest = [i for i in indices if i not in taken]
    first_seen: dict[tuple, int] = {}
    for i in rest:
        first_seen.setdefault(model_key(cases[i]), len(first_seen))
    return own + sorted(rest, key=lambda i: first_seen[model_key(cases[i])])


class Executor(Protocol):
    """Runs cases and yields ``(index, result)`` as they finish."""

    def run(self, cases: list[Case], indices: list[int]) -> Iterator[tuple[int, Result]]: ...


class SerialExecutor:
    """Every case in this process, one after the other (the default for a single case)."""

    def run(self, cases: list[Case], indices: list[int]) -> Iterator[tuple[int, Result]]:
        for index in model_order(cases, indices):
            yield index, record(cases[index])


def _worker_init() -> None:
    os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core per worker: the workers are the parallelism
    warnings.simplefilter("ignore", ValidityWarning)  # kept in each result's warnings, printed by the driver


class ProcessExecutor:
    """Cases on ``workers`` long-lived local processes, forked from a server process that has
    imported battsim and PyBaMM once and run nothing (``forkserver``: no solver threads are
    copied, and no worker pays the imports). At most ``2 x workers`` cases are queued at a time, so an
    interrupted run has little in flight and the driver's memory does not grow with the run."""

    def __init__(self, workers: int | None = None):
        workers = (os.cpu_count() or 1) if workers is None else workers
        if not isinstance(workers, int) or isinstance(workers, bool) or workers < 1:
            raise ConfigError(f"workers = {workers!r}: must be a whole number of at least 1")
        self.workers = workers

    def run(self, cases: list[Case], indices: list[int]) -> Iterator[tuple[int, Result]]:
        order = iter(model_order(cases, indices))
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["battsim.cases"])  # workers fork from a process that imported it once
        with ProcessPoolExecutor(self.workers, mp_context=context, initializer=_worker_init) as pool:
            running: dict[Future, int] = {}
            try:
                yield from self._drain(pool, cases, order, running)
            finally:
                for future in running:
                    future.cancel()
                pool.shutdown(wait=False, cancel_futures=True)

    def _drain(self, pool, cases, order, running) -> Iterator[tuple[int, Result]]:
        def submit_more():
            for index in order:
                running[pool.submit(record, cases[index])] = index
                if len(running) >= 2 * self.workers:
                    return

        submit_more()
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                index = running.pop(future)
                error = future.exception()
                yield index, future.result() if error is None else failed_result(cases[index], error)
            submit_more()


def dask_executor(**options) -> Executor:
    """A :class:`battsim.sweep.dask_executor.DaskExecutor` (its module, and Dask, imported only now)."""
    from battsim.sweep.dask_executor import DaskExecutor

    return DaskExecutor(**options)


#: executor name -> its class, or a function building it that imports its module when called
EXECUTORS: dict[str, Callable[..., Executor]] = {"serial": SerialExecutor, "processes": ProcessExecutor,
                                                "dask": dask_executor}


def get_executor(name: str, **options) -> Executor:
    """The executor registered as ``name``, built with ``options``."""
    if name not in EXECUTORS:
        raise ConfigError(f"executor {name!r}: must be one of {', '.join(sorted(EXECUTORS))}")
    return EXECUTORS[name](**options)
