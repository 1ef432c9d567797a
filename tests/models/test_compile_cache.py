"""PyBaMM's compiled equations are cached per processor: a shared cache folder on a cluster of
mixed nodes must never hand a node a library built with ``-march=native`` for another processor."""

import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from battsim.models._pybamm import AOT_CACHE_DEFAULT, processor_cache_dir, processor_key

INFO = "processor\t: {n}\nmodel name\t: Example CPU 9000\nflags\t\t: fpu sse2 {extra}\n"


def test_the_processor_key_follows_the_instruction_set_not_the_core_number():
    base = processor_key(INFO.format(n=0, extra="avx2"))
    assert processor_key(INFO.format(n=7, extra="avx2")) == base
    assert processor_key(INFO.format(n=0, extra="avx2 avx512f")) != base
    assert processor_key(INFO.format(n=0, extra="avx2").replace("9000", "8000")) != base


def test_the_cache_folder_is_a_subfolder_once_even_when_inherited(tmp_path):
    key = "x86_64-0123456789ab"
    once = processor_cache_dir(str(tmp_path), key)
    assert once == os.path.join(str(tmp_path), key)
    assert processor_cache_dir(once, key) == once
    assert processor_cache_dir(None, key) == os.path.join(AOT_CACHE_DEFAULT, key)


@pytest.mark.skipif(shutil.which("gcc") is None, reason="PyBaMM compiles with gcc")
def test_a_compiled_solve_lands_in_this_processors_folder(tmp_path):
    script = textwrap.dedent("""
        import os
        from battsim.models._pybamm import pybamm, processor_key
        y = pybamm.Variable("y")
        model = pybamm.BaseModel()
        model.rhs = {y: -y}
        model.initial_conditions = {y: pybamm.Scalar(1)}
        model.variables = {"y": y}
        solver = pybamm.IDAKLUSolver(options={"compile": True})
        solution = pybamm.Simulation(model, solver=solver).solve([0, 1])
        assert abs(solution["y"].entries[-1] - 0.36788) < 1e-3
        print(os.environ["PYBAMM_CASADI_AOT_CACHE"], processor_key())
    """)
    env = {**os.environ, "PYBAMM_CASADI_AOT_CACHE": str(tmp_path)}
    process = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300)
    assert process.returncode == 0, process.stderr
    folder, key = process.stdout.split()
    assert folder == str(tmp_path / key)
    assert list((tmp_path / key).glob("*.so")), "nothing compiled into the processor's folder"
    assert not list(tmp_path.glob("*.so")), "a library outside the processor's folder"
