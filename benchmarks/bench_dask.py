"""Dask's cost per case: the same sweep on two local worker processes and on a Dask cluster of two.

The same N short cell discharges run twice in this one run:

* **local processes**: ``ProcessExecutor(2)``, battsim's default for a multi-case run;
* **Dask**: ``DaskExecutor`` on a ``LocalCluster`` of 2 worker processes of one thread each,
  started beforehand (a scheduler and workers that are already running, as on a real cluster).

The cases are 1C DFN discharges of ``nmc811-graphite`` in still air from -10 degC, each 0.01 K
apart: distinct cases of equal cost, so that the time between results measures the executor, not
which worker drew the slow case. Both executors start cold: their workers import battsim, build
the model and solve the 25 degC reference on their first case, and each executor has its own empty
reference cache. Start-up is left out by timing the steady part of each run: from the moment each
worker has finished its first case (the 2 cases longest to compute) to the last result, divided by
the cases finished in between.

It prints that per-case time for each and its excess over the cases' own compute time
(``Result.wall_time_s`` on the worker divided by the 2 workers: the time per case if no worker
ever waited); the Dask path's overhead per case in % (issue 12's goal: at most 5 %) as the
difference of the two excesses, which holds even when the machine gets slower or faster between
the two runs; and the ratio of the two per-case times, which does not.

``--quick`` runs 4 cases instead of 24, in well under a minute on two idle cores.

Run:  python benchmarks/bench_dask.py [--quick]
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from battsim import config  # noqa: E402
from battsim.errors import ValidityWarning  # noqa: E402
from battsim.sweep import DaskExecutor, ProcessExecutor  # noqa: E402

CONFIG = REPO / "configs" / "quickstart.toml"
WORKERS = 2
CASES, QUICK_CASES = 24, 4  # even: both workers finish together
#: the cases' ambient temperature, and the step between cases [degC]
AMBIENT_C, STEP_C = -10.0, 0.01


def timed(executor, cases: list[config.Case]) -> tuple[list[float], list]:
    """Run ``cases`` on ``executor``: the time of each result after the start [s], and the results."""
    start = time.perf_counter()
    times, results = [], []
    for _, result in executor.run(cases, list(range(len(cases)))):
        times.append(time.perf_counter() - start)
        results.append(result)
    failed = [r for r in results if not r.ok]
    if failed:
        raise SystemExit(f"{len(failed)} case(s) failed, e.g. {failed[0].case_id}: {failed[0].error}")
    return times, results


def steady(times: list[float], results: list) -> tuple[float, float]:
    """Time per case once every worker has finished its first case (start-up, imports, the model
    build and the reference solve left out), and the mean compute time of those cases [s].

    A worker's first case is one of the ``WORKERS`` longest to compute (it builds the model and
    solves the reference); the steady part starts when the last of them is back.
    """
    firsts = sorted(range(len(results)), key=lambda i: results[i].wall_time_s)[-WORKERS:]
    start = max(times[i] for i in firsts)
    later = [i for i in range(len(times)) if times[i] > start]
    return (times[later[-1]] - start) / len(later), statistics.mean(results[i].wall_time_s for i in later)


def same_metrics(a, b) -> bool:
    """Equal metrics, to the last bit (NaN where NaN)."""
    return a.metrics.keys() == b.metrics.keys() and all(
        x == y or (math.isnan(x) and math.isnan(y)) for x, y in ((a.metrics[k], b.metrics[k]) for k in a.metrics))


def with_fresh_cache(run):
    """``run()`` with an empty reference cache of its own (inherited by the workers it starts)."""
    before = os.environ.get("BATTSIM_CACHE_DIR")
    with tempfile.TemporaryDirectory(prefix="battsim-bench-dask-") as cache:
        os.environ["BATTSIM_CACHE_DIR"] = cache
        try:
            return run()
        finally:
            if before is None:
                del os.environ["BATTSIM_CACHE_DIR"]
            else:
                os.environ["BATTSIM_CACHE_DIR"] = before


def on_processes(cases):
    return timed(ProcessExecutor(WORKERS), cases)


def on_dask(cases):
    from distributed import LocalCluster

    start = time.perf_counter()
    with LocalCluster(n_workers=WORKERS, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        cluster_s = time.perf_counter() - start
        return cluster_s, timed(DaskExecutor(scheduler=cluster.scheduler_address), cases)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_CASES} cases instead of {CASES}")
    args = parser.parse_args(argv)
    n = QUICK_CASES if args.quick else CASES
    ambients = [round(AMBIENT_C - i * STEP_C, 6) for i in range(n)]
    _, cases = config.load(CONFIG, {"cell.chemistry": "nmc811-graphite", "thermal.condition": "still-air",
                                    "climate.ambient_C": ambients})
    warnings.simplefilter("ignore", ValidityWarning)  # the cases are the same on both; only their timing matters

    process_times, process_results = with_fresh_cache(lambda: on_processes(cases))
    cluster_s, (dask_times, dask_results) = with_fresh_cache(lambda: on_dask(cases))
    local_results = {r.case_id: r for r in process_results}
    if not all(same_metrics(local_results[r.case_id], r) for r in dask_results):
        raise SystemExit("the two executors gave different metrics for the same cases")

    label = f"{n} cases (--quick)" if args.quick else f"{n} cases"
    print(f"{label}: nmc811-graphite DFN 1C discharges in still air from {ambients[0]:g} to {ambients[-1]:g} degC, "
          f"{WORKERS} single-thread workers; steady part of each run (start-up left out)")
    rows = [(f"local processes (ProcessExecutor({WORKERS}))", process_times, process_results, ""),
            (f"Dask (DaskExecutor, LocalCluster of {WORKERS} x 1 thread)", dask_times, dask_results,
             f"; cluster start {cluster_s:.2f} s, not counted")]
    per_case, on_top = [], []
    for name, times, results, note in rows:
        seconds, compute = steady(times, results)
        per_case.append(seconds)
        on_top.append(seconds / (compute / WORKERS) - 1)  # over the time per case of workers that never wait
        print(f"  {name:55s} {per_case[-1]:6.3f} s per case, {100 * on_top[-1]:+5.1f} % over the cases' own "
              f"compute time (first result after {times[0]:.2f} s, all after {times[-1]:.2f} s{note})")
    local, dask = per_case
    print(f"  Dask's overhead per case: {100 * (on_top[1] - on_top[0]):+.1f} % (its excess over the compute time "
          "less the local one; goal: at most 5 %)")
    print(f"  local processes / Dask: {local / dask:.2f}x per case ({100 * (dask / local - 1):+.1f} %; this one "
          "also holds any change in the machine's speed between the two runs)")

if __name__ == "__main__":
    main()
