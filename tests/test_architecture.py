"""The house rules, checked: layers (import-linter), style (ruff), one plug-in per heating method."""

import importlib
import os
import pkgutil
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "battsim"


def _tool(name: str) -> str:
    path = shutil.which(name, path=str(Path(sys.executable).parent))
    assert path, f"{name} is not installed (pip install -e '.[test]')"
    return path


def test_layers_are_kept():
    """pyproject.toml's import-linter contracts: nothing imports upward, PyBaMM behind one adapter."""
    run = subprocess.run([_tool("lint-imports")], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "0 broken" in run.stdout


def test_style():
    run = subprocess.run([_tool("ruff"), "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-4000:]


def test_every_method_module_is_one_registered_class():
    from battsim.heating import HeatingMethod, method_names
    from battsim.heating import methods as package

    modules = [info.name for info in pkgutil.iter_modules(package.__path__)]
    registered = set(method_names())
    for name in modules:
        module = importlib.import_module(f"{package.__name__}.{name}")
        own = [v for v in vars(module).values()
               if isinstance(v, type) and issubclass(v, HeatingMethod) and v.__module__ == module.__name__]
        assert len(own) == 1, f"battsim/heating/methods/{name}.py must define exactly one HeatingMethod"
        assert own[0].name in registered
    assert len(registered) == len(modules)


def test_no_dispatch_on_method_names_outside_their_files():
    """Adding a method is one file: nothing else branches on a method's name."""
    from battsim.heating import method_names

    quoted = "|".join(re.escape(f'"{name}"') for name in method_names() if name != "none")
    pattern = re.compile(rf"(==|!=|\bin)\s*\(?\s*({quoted})")
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "heating/methods" in path.as_posix():
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if pattern.search(line) and "cabin_heater" not in line:  # the cabin's heater is another choice
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_pybamm_names_live_in_one_module():
    """PyBaMM strings with units ("... [W]") appear only in battsim/models/names.py (and the
    chemistries' parameter sets, whose keys are PyBaMM's own parameter names)."""
    pattern = re.compile(r'(?<!`)"[A-Z][a-z][^"]*\[(W|K|J|V|A|s|m|J\.K-1|K\.s-1|W\.K-1|A\.h)\]"')
    allowed = {"models/names.py", "models/pack/model.py", "models/impedance.py"}
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel in allowed or rel.startswith("cells/"):
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"battsim/{rel}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


@pytest.mark.parametrize("module", ["battsim", "battsim.config", "battsim.errors", "battsim.units"])
def test_light_imports_do_not_set_global_state(module):
    """Importing battsim touches no matplotlib backend and no process-wide log level."""
    code = (f"import logging, matplotlib; before = matplotlib.get_backend(); import {module}; "
            "import battsim.reporting.plots; "
            "assert matplotlib.get_backend() == before; "
            "assert logging.getLogger('pybamm').level in (logging.NOTSET, logging.WARNING)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]


@pytest.mark.xdist_group("grouping-check")
def test_xdist_groups_hold(request):
    """Tests of one xdist_group run on one worker (--dist loadgroup), so a group's shared fixture
    (the trips, the validation cases) is computed once; pytest 9.2 broke this silently."""
    if "PYTEST_XDIST_WORKER" not in os.environ or not request.config.getoption("loadgroup", False):
        pytest.skip("not run by pytest-xdist with --dist loadgroup")
    assert request.node.nodeid.endswith("@grouping-check"), request.node.nodeid
