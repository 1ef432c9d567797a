"""Sweeps on local workers, and the driver's memory: measured in one run.

1. **Parallel efficiency.** The same 64 short trips (the compact car, 5 km of WLTC after a
   1 h soak, one thermal zone, at 64 ambient temperatures between 25 and -15 degC; each worker
   builds its model once and the 25 degC reference is shared through the disk cache) with
   ``--workers 1`` and ``--workers 2``, each into a fresh result file and with a fresh, empty
   disk cache (so neither run reads the other's reference), through the ``battsim run``
   command path (:func:`battsim.cli.main`). Per-case time of each and the parallel efficiency
   ``t1 / (2 t2)`` (the issue's goal: at least 90 % on 2 cores; the spawn of the worker
   processes and their model builds are included, as a user pays them).
2. **Driver memory.** The driver's peak memory (``tracemalloc``: Python allocations of the
   process that writes the file) when 64 and when 1,024 cases stream through the writer,
   while they run and while the writer joins them into the file. The cases are one real
   simulated case copied under new ids (simulating 1,024 cases to measure the driver alone
   would take an hour; the driver does the same work per case either way: the journal file, the
   summary row, the time series dropped once written). Goal: flat.

``--quick``: 4 LFP cells discharged at 3C for (1) (a second each: the start-up of the workers
dominates, so the quick efficiency says nothing about long sweeps), 16 and 64 cases for (2).
``--cases N``: N cases for (1).

Run:  python benchmarks/bench_sweep.py [--quick] [--cases N]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from battsim.api import cases_of  # noqa: E402
from battsim.cli import main as battsim_main  # noqa: E402
from battsim.results import ResultWriter  # noqa: E402
from battsim.results.join import CHUNK  # noqa: E402
from battsim.sweep import run_cases  # noqa: E402

CONFIG = "[cell]\nchemistry = \"lfp-graphite\"\n[climate]\nambient_C = {ambients}\n[discharge]\nc_rate = 3.0\n"
TRIPS = ("[scenario]\nkind = \"trip\"\n[climate]\nambient_C = {ambients}\nsoak_h = 1.0\n[drive]\ndistance_km = 5.0\n"
         "[pack]\nedge_fraction = 0.0\n[heating]\nmethod = \"none\"\n")


def ambients(n: int) -> list[float]:
    return [round(25.0 - 40.0 * i / max(n - 1, 1), 3) for i in range(n)]


def timed_run(folder: Path, n: int, workers: int, template: str) -> float:
    config = folder / f"sweep-{n}.toml"
    config.write_text(template.format(ambients=ambients(n)))
    os.environ["BATTSIM_CACHE_DIR"] = str(folder / f"cache-{workers}")  # each run computes its own 25 degC reference
    start = time.perf_counter()
    status = battsim_main(["run", str(config), "--out", str(folder / f"w{workers}.h5"), "--quiet",
                           "--workers", str(workers)])
    if status != 0:
        raise SystemExit(f"battsim run exited with {status}")
    return time.perf_counter() - start


class Replay:
    """An executor that yields one real result under the ids of ``cases`` (the driver's work only)."""

    def __init__(self, result):
        self.result = result

    def run(self, cases, indices):
        for index in indices:
            yield index, dataclasses.replace(self.result, case_id=cases[index].config.hash(),
                                             timeseries=dict(self.result.timeseries))


def driver_peak_MB(folder: Path, sample, n: int) -> tuple[float, float]:
    """Peak Python memory of the driver while ``n`` cases stream through the writer, and while
    the writer joins them into the file (MB; the expanded cases themselves not counted)."""
    _, cases = cases_of({"cell": {"chemistry": "lfp-graphite"}, "climate": {"ambient_C": ambients(n)},
                         "discharge": {"c_rate": 3.0}})
    ids = [c.config.hash() for c in cases]  # the expansion's work (each config caches its hash), not the driver's
    tracemalloc.start()
    writer = ResultWriter(folder / f"mem-{n}.h5", "", f"mem-{n}", {}, case_ids=ids, timeseries="decimated")
    run_cases(cases, lambda done, total, r: writer.write_case(r), executor=Replay(sample),
              keep_timeseries=False, keep_results=False)
    running = tracemalloc.get_traced_memory()[1]
    tracemalloc.reset_peak()
    writer.close()
    joining = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return running / 1e6, joining / 1e6


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="4 cases on workers; 16 and 64 through the driver")
    parser.add_argument("--cases", type=int, metavar="N", help="cases for (1) (default: 64, or 4 with --quick)")
    args = parser.parse_args(argv)
    n = args.cases or (4 if args.quick else 64)
    small, large = (16, 64) if args.quick else (64, 1024)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        template, what = (CONFIG, "LFP 3C discharges") if args.quick else (TRIPS, "5 km WLTC trips")
        t1 = timed_run(folder, n, 1, template)
        t2 = timed_run(folder, n, 2, template)
        print(f"{n} {what} through `battsim run` (start-up of the workers and model builds included):")
        print(f"  1 worker : {t1:7.1f} s  ({t1 / n:.2f} s per case)")
        print(f"  2 workers: {t2:7.1f} s  ({t2 / n:.2f} s per case)")
        print(f"  speed-up: {t1 / t2:.2f}x, parallel efficiency {100 * t1 / (2 * t2):.0f} % (goal: >= 90 %)")
        (sample,) = run_cases(cases_of({"cell": {"chemistry": "lfp-graphite"}, "climate": {"ambient_C": -10.0},
                                        "discharge": {"c_rate": 3.0}})[1])
        print(f"driver peak memory (tracemalloc), one real case's result written {small} and {large} times "
              f"(the join reads and writes {CHUNK} cases at a time):")
        peaks = {n: driver_peak_MB(folder, sample, n) for n in (small, large)}
        for n, (running, joining) in peaks.items():
            print(f"  {n:5d} cases: {running:6.2f} MB while the cases run, {joining:6.2f} MB while they are joined")
        for phase, k in (("running", 0), ("joining", 1)):
            grow = (peaks[large][k] - peaks[small][k]) * 1e6 / (large - small)
            print(f"  {phase}: {peaks[large][k] / peaks[small][k]:.2f}x for {large // small}x the cases, "
                  f"{grow:.0f} bytes per added case (goal: flat)")


if __name__ == "__main__":
    main()
