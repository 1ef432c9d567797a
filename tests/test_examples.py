"""Every example script runs to its end in quick mode and writes its figures.

Each ``examples/*.py`` (found by glob) is run as a subprocess from the repository root with
``BATTSIM_EXAMPLE_QUICK=1`` and ``BATTSIM_EXAMPLE_OUT`` pointing at a temporary folder. It must
exit 0 (each example ends by asserting something physical about its results) and write at
least one PNG there.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((REPO / "examples").glob("*.py"))
TIMEOUT_S = 600


def test_examples_are_found():
    assert EXAMPLES, "no examples/*.py found"


@pytest.mark.slow
@pytest.mark.xdist_group("examples")
@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.name)
def test_example_quick(script, tmp_path):
    out = tmp_path / "out"
    env = {**os.environ, "BATTSIM_EXAMPLE_QUICK": "1", "BATTSIM_EXAMPLE_OUT": str(out)}
    proc = subprocess.run([sys.executable, str(script.relative_to(REPO))], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=TIMEOUT_S)
    output = f"--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr[-4000:]}"
    assert proc.returncode == 0, output
    pngs = sorted(out.glob("*.png"))
    assert pngs, f"no PNG written to {out}\n{output}"
    assert all(p.stat().st_size > 0 for p in pngs), f"empty PNG among {pngs}"
