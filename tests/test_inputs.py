"""Inputs a careful user will try: each gives one line naming what is wrong, exit status 2,
nothing computed and nothing overwritten."""

import os
import subprocess
import sys
import tomllib
import warnings
from pathlib import Path

import h5py
import pytest

from battsim import cases, config
from battsim.cli import main
from battsim.errors import ConfigError, ConfigWarning, SimulationError

ROOT = Path(__file__).parent.parent


def _run_cli(capsys, *argv):
    status = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _one_line_error(err: str, *words):
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("battsim: error: "), err
    for word in words:
        assert word in lines[0], (word, lines[0])
    assert "Traceback" not in err


@pytest.fixture
def config_file(tmp_path):
    def write(text: str) -> Path:
        path = tmp_path / "case.toml"
        path.write_text(text)
        return path
    return write


@pytest.fixture
def never_compute(monkeypatch):
    """Any attempt to simulate fails the test: bad input must be refused before."""
    def refuse(cfg):
        raise AssertionError("a case was computed")
    for kind in list(cases.KINDS):
        monkeypatch.setitem(cases.KINDS, kind, refuse)


# ------------------------------------------------------------ contradictions in the config

@pytest.mark.parametrize("text, words", [
    ('[scenario]\nkind = "cell_heating"\n[climate]\nambient_C = 10\n[heating]\ntarget_C = 10\n',
     ["heating.target_C = 10", "start temperature"]),
    ('[scenario]\nkind = "cell_heating"\n[climate]\nambient_C = -10\n[cell]\ninitial_temperature_C = 15\n'
     '[heating]\ntarget_C = 10\n', ["heating.target_C = 10", "15"]),
    ('[scenario]\nkind = "trip"\n[cell]\ninitial_soc = 0.3\n[drive]\nsoc_min = 0.3\n',
     ["drive.soc_min = 0.3", "cell.initial_soc"]),
    ('[scenario]\nkind = "cell_heating"\n[climate]\nambient_C = -10\n[heating]\nmethod = "none"\n',
     ["heating.method = 'none'", "allowed", "'ptc'"]),
    ('[scenario]\nkind = "cell_discharge"\n[cell]\ninitial_soc = 0\n', ["cell.initial_soc = 0", "> 0"]),
    ('[scenario]\nkind = "trip"\n[heating]\nmethod = "self_heating"\n',
     ["heating.method = 'self_heating'", "not available in trips"]),
    ('[scenario]\nkind = "cell_heating"\n[climate]\nambient_C = -10\n[heating]\nmethod = "acc"\n',
     ["heating.method = 'acc'", "did you mean 'ac'"]),
    ('[drive]\ncycle = "wltp"\n', ["drive.cycle = 'wltp'", "allowed"]),
])
def test_contradictions_are_refused_when_read(capsys, config_file, never_compute, tmp_path, text, words):
    out = tmp_path / "r.h5"
    status, _, err = _run_cli(capsys, "run", config_file(text), "--out", out)
    assert status == 2
    _one_line_error(err, *words)
    assert not out.exists()


def test_keys_a_scenario_does_not_use_are_named_in_a_warning():
    raw = {"scenario": {"kind": "cell_discharge"}, "vehicle": {"preset": "midsize-suv"},
           "climate": {"ambient_C": 0, "soak_h": 5}}
    with pytest.warns(ConfigWarning, match=r"does not use vehicle\.preset, climate\.soak_h"):
        config.expand(raw)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConfigWarning)
        (case,) = config.expand({"scenario": {"kind": "cell_discharge"}, "climate": {"ambient_C": 0}})
        config.expand(case.config.to_dict())  # a resolved config (every key written) reads back silently


# ------------------------------------------------------------------------- files and paths

def test_out_that_is_a_directory(capsys, config_file, never_compute, tmp_path):
    status, _, err = _run_cli(capsys, "run", config_file("[climate]\nambient_C = 0\n"), "--out", tmp_path)
    assert status == 2
    _one_line_error(err, "is a directory")


def test_out_whose_directory_cannot_be_created(capsys, config_file, never_compute, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    status, _, err = _run_cli(capsys, "run", config_file("[climate]\nambient_C = 0\n"), "--out", blocker / "r.h5")
    assert status == 2
    _one_line_error(err, "not a directory")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories")
def test_out_in_a_read_only_directory(capsys, config_file, never_compute, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    status, _, err = _run_cli(capsys, "run", config_file("[climate]\nambient_C = 0\n"), "--out", folder / "r.h5")
    assert status == 2
    _one_line_error(err, "not writable")


@pytest.mark.parametrize("target", ["dir", "/dev/null"])
def test_config_that_is_not_a_regular_file(capsys, tmp_path, target):
    path = tmp_path if target == "dir" else Path(target)
    status, _, err = _run_cli(capsys, "run", path, "--out", tmp_path / "r.h5")
    assert status == 2
    _one_line_error(err, "directory" if target == "dir" else "not a regular file")


def _result_file(path: Path, **attrs) -> Path:
    with h5py.File(path, "w") as f:
        f.attrs["file_kind"] = "battsim-result"
        f.attrs.update(attrs)
        cases_group = f.create_group("cases")
        case = cases_group.create_group("abc")
        case.create_group("metrics")
        case.create_group("timeseries")
        case.attrs["status"] = "ok"
        case.attrs["params"] = "{}"
    return path


@pytest.mark.parametrize("attrs, words", [
    ({}, ["no schema_version"]),
    ({"schema_version": "two"}, ["schema_version = 'two'", "whole number"]),
    ({"schema_version": 2.5}, ["whole number"]),
    ({"schema_version": 99}, ["schema_version 99", "reads 1 to"]),
    ({"schema_version": 0}, ["schema_version 0"]),
])
def test_result_files_with_a_bad_schema_version(capsys, tmp_path, attrs, words):
    path = _result_file(tmp_path / "r.h5", **attrs)
    status, out, err = _run_cli(capsys, "show", path, "--json")
    assert status == 2 and out == ""
    _one_line_error(err, *words)


@pytest.mark.parametrize("remove, word", [("cases", "no cases"), ("cases/abc/metrics", "lacks metrics"),
                                          ("params", "lacks params")])
def test_result_files_missing_their_parts(capsys, tmp_path, remove, word):
    path = _result_file(tmp_path / "r.h5", schema_version=2)
    with h5py.File(path, "a") as f:
        if remove == "params":
            del f["cases/abc"].attrs["params"]
        else:
            del f[remove]
    status, _, err = _run_cli(capsys, "show", path)
    assert status == 2
    _one_line_error(err, word)


def test_not_an_hdf5_file(capsys, tmp_path):
    path = tmp_path / "r.h5"
    path.write_text("hello")
    status, _, err = _run_cli(capsys, "show", path)
    assert status == 2
    _one_line_error(err, "not an HDF5 file")


# ---------------------------------------------------------------------- --set and the cap

def test_set_value_with_a_newline(capsys, config_file, never_compute, tmp_path):
    status, _, err = _run_cli(capsys, "run", config_file("[climate]\nambient_C = 0\n"), "--out", tmp_path / "r.h5",
                              "--set", 'scenario.name="a\nb"')
    assert status == 2
    _one_line_error(err, "newline")


def test_a_product_over_the_cap_is_refused_quickly(capsys, config_file, never_compute, tmp_path):
    temperatures = ", ".join(str(t) for t in range(-40, 61))   # 101 values
    socs = ", ".join(f"{s / 1000:.3f}" for s in range(1, 1001))  # 1000 values
    path = config_file(f"[climate]\nambient_C = [{temperatures}]\n[cell]\ninitial_soc = [{socs}]\n")
    status, _, err = _run_cli(capsys, "run", path, "--out", tmp_path / "r.h5")
    assert status == 2
    _one_line_error(err, "101000 cases", "cap of 100000", "--max-cases")
    status, _, err = _run_cli(capsys, "run", path, "--out", tmp_path / "r.h5", "--max-cases", "0")
    assert status == 2
    _one_line_error(err, "--max-cases 0")


def test_the_cap_can_be_raised():
    raw = {"climate": {"ambient_C": [0, 10, 20]}}
    with pytest.raises(ConfigError, match="3 cases"):
        config.expand(raw, max_cases=2)
    assert len(config.expand(raw, max_cases=3)) == 3


def test_stored_config_is_valid_toml_whatever_the_name():
    name = 'quote " backslash \\ newline \n tab \t bell \x07 del \x7f snow ❄ 🚗'
    (case,) = config.expand({"scenario": {"name": name}})
    text = case.config.to_toml()
    assert tomllib.loads(text)["scenario"]["name"] == name


# ------------------------------------------------------------------ failures and output

def test_a_solver_failure_is_one_line_and_its_detail_goes_to_the_file(capsys, config_file, tmp_path, monkeypatch):
    detail = "PyBaMM IDA_CONV_FAIL: " + "long solver text " * 50

    def failing(cfg):
        raise SimulationError("discharge phase: the DAE solver could not converge", detail=detail)

    monkeypatch.setitem(cases.KINDS, "cell_discharge", failing)
    out = tmp_path / "r.h5"
    status, _, err = _run_cli(capsys, "run", config_file("[climate]\nambient_C = 0\n"), "--out", out, "--quiet")
    assert status == 1
    assert "discharge phase: the DAE solver could not converge" in err and "long solver text" not in err
    assert "ambient_C" in err  # the case is named
    from battsim.results import read_result

    (failed,) = read_result(out)
    assert failed.status == "failed" and failed.error_detail == detail


def test_an_existing_result_survives_a_failing_run(capsys, config_file, tmp_path, monkeypatch):
    out = tmp_path / "r.h5"
    out.write_bytes(b"earlier results")

    def interrupted(cfg):
        raise KeyboardInterrupt

    monkeypatch.setitem(cases.KINDS, "cell_discharge", interrupted)
    status, _, err = _run_cli(capsys, "run", config_file("[climate]\nambient_C = 0\n"), "--out", out, "--quiet")
    assert status == 2  # not a battsim result: refused, untouched
    _one_line_error(err, "not a battsim result file", "--overwrite")
    status, _, _ = _run_cli(capsys, "run", config_file("[climate]\nambient_C = 0\n"), "--out", out, "--quiet",
                            "--overwrite")
    assert status == 130
    assert out.read_bytes() == b"earlier results"


@pytest.mark.slow
def test_show_into_a_closed_pipe(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text('[climate]\nambient_C = [25, 20, 15]\n[discharge]\nc_rate = 3.0\n')
    out = tmp_path / "r.h5"
    battsim = [sys.executable, "-c", "import sys; from battsim.cli import main; sys.exit(main())"]
    subprocess.run([*battsim, "run", str(config), "--out", str(out), "--quiet"], check=True, capture_output=True)
    pipeline = subprocess.run(f"{' '.join(battsim[:2])} '{battsim[2]}' show {out} | head -1", shell=True,
                              capture_output=True, text=True)
    assert pipeline.stdout.count("\n") == 1
    assert "Traceback" not in pipeline.stderr and "BrokenPipe" not in pipeline.stderr
