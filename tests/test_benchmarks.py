"""Every benchmark runs in its quick mode and prints its comparison.

Each ``benchmarks/bench_*.py`` (found by glob, so a new one is tested without editing this
file) is run as ``python benchmarks/<file> --quick`` from the repository root, as a user would.
It must exit 0, print the plain PyBaMM way's time and at least one ratio of the two (a decimal
number followed by ``x``: ``speed-up: 1.99x``), so a benchmark that silently does nothing fails.
A benchmark of battsim alone (``NO_PYBAMM``: expansion, Dask, local workers) prints its ratio against
another way of battsim's instead.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BENCHMARKS = sorted((REPO / "benchmarks").glob("bench_*.py"))
#: a ratio as the benchmarks print it: "speed-up: 1.99x", "plain / this =  3.30x"
RATIO = re.compile(r"\d+\.\d+\s*[x×](?!\w)")
#: benchmarks with nothing of PyBaMM's to compare (config expansion; Dask against local processes; two local
#: workers against one; the fast model against battsim's DFN): a ratio, no plain PyBaMM time
NO_PYBAMM = {"bench_expand.py", "bench_dask.py", "bench_sweep.py", "bench_fast.py"}
TIMEOUT_S = 600  # --quick is well under a minute on one core; generous for a loaded CI machine


def test_benchmarks_are_found():
    assert BENCHMARKS, "no benchmarks/bench_*.py found"


@pytest.mark.slow
@pytest.mark.xdist_group("benchmarks")
@pytest.mark.parametrize("script", BENCHMARKS, ids=lambda p: p.name)
def test_benchmark_quick(script):
    proc = subprocess.run([sys.executable, str(script.relative_to(REPO)), "--quick"], cwd=REPO,
                          capture_output=True, text=True, timeout=TIMEOUT_S)
    output = f"--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr[-4000:]}"
    assert proc.returncode == 0, output
    assert RATIO.search(proc.stdout), f"no comparison (ratio) line printed\n{output}"
    if script.name not in NO_PYBAMM:
        assert re.search(r"plain PyBaMM.*\d+\.\d+ s", proc.stdout), f"no plain PyBaMM timing printed\n{output}"


@pytest.mark.slow
@pytest.mark.xdist_group("benchmarks")
def test_the_fast_benchmarks_solver_part_runs_alone():
    """``bench_fast.py --solvers`` (part 5 alone, with the DFN it is compared with), in its quick mode."""
    proc = subprocess.run([sys.executable, "benchmarks/bench_fast.py", "--quick", "--solvers"], cwd=REPO,
                          capture_output=True, text=True, timeout=TIMEOUT_S)
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert re.search(r"the DFN at its defaults \(rtol 1e-6\), repeated: \d+\.\d+ s", proc.stdout), proc.stdout
    assert "5. solver settings" in proc.stdout and "fast, rtol 1e-4, full error test" in proc.stdout, proc.stdout
