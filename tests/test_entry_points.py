"""Every script a user may run answers ``--help`` and writes nothing while doing so.

(``python -m battsim.studies.self_heating --help`` once wrote its report into a file named
``--help`` in the working directory.)"""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODULES = ["battsim.studies.convergence", "battsim.studies.fidelity", "battsim.studies.self_heating",
           "battsim.studies.trip_tolerance"]
SCRIPTS = sorted(str(p) for p in (ROOT / "benchmarks").glob("bench_*.py"))


@pytest.mark.parametrize("command", [["-m", m] for m in MODULES] + [[s] for s in SCRIPTS],
                         ids=lambda c: Path(c[-1]).stem.rsplit(".", 1)[-1])
def test_help_exits_zero_and_writes_nothing(command, tmp_path):
    done = subprocess.run([sys.executable, *command, "--help"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120, env=None)
    assert done.returncode == 0, done.stderr
    assert "usage:" in done.stdout
    assert list(tmp_path.iterdir()) == []


def test_every_study_with_a_main_is_checked_above():
    with_main = {f"battsim.studies.{p.stem}" for p in (ROOT / "battsim" / "studies").glob("*.py")
                 if '__name__ == "__main__"' in p.read_text()}
    assert with_main == set(MODULES)
