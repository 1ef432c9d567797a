"""One writer per result file, and no finished result lost: another config's file is refused,
a second writer is refused, an interrupted run leaves the old file whole."""

import os
import signal
import subprocess
import sys

import pytest

from battsim import cases
from battsim.cli import main
from battsim.results import read_result

A = "[climate]\nambient_C = [25, 20]\n[discharge]\nc_rate = 3.0\n"
B = "[climate]\nambient_C = 15\n[discharge]\nc_rate = 3.0\n"


def _cli(capsys, *argv):
    status = main([str(a) for a in argv])
    return status, capsys.readouterr().err


@pytest.fixture
def files(tmp_path):
    (tmp_path / "a.toml").write_text(A)
    (tmp_path / "b.toml").write_text(B)
    return tmp_path


@pytest.mark.slow
def test_another_configs_file_is_refused_unless_overwrite(capsys, files):
    out = files / "r.h5"
    assert _cli(capsys, "run", files / "a.toml", "--out", out, "--quiet")[0] == 0
    status, err = _cli(capsys, "run", files / "b.toml", "--out", out, "--quiet")
    assert status == 2 and "holds the results of another config" in err and "Traceback" not in err
    assert len(read_result(out)) == 2  # the finished cases are still there
    assert _cli(capsys, "run", files / "a.toml", "--out", out, "--quiet")[0] == 0  # same config: a rerun
    assert len(read_result(out)) == 2
    assert _cli(capsys, "run", files / "b.toml", "--out", out, "--quiet", "--overwrite")[0] == 0
    assert [r.params["ambient_C"] for r in read_result(out)] == [15.0]
    assert not list(files.glob("*.lock")) and not list(files.glob("*.partial-*"))


def test_a_second_writer_is_refused(capsys, files, monkeypatch):
    out = files / "r.h5"
    (files / "r.h5.lock").write_text(str(os.getppid()))  # a live process holds it
    monkeypatch.setitem(cases.KINDS, "cell_discharge", lambda cfg: pytest.fail("a case was computed"))
    status, err = _cli(capsys, "run", files / "a.toml", "--out", out, "--quiet")
    assert status == 2 and "another battsim run" in err and str(os.getppid()) in err
    assert not out.exists()


def test_a_stale_lock_is_taken_over(capsys, files, monkeypatch):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (files / "r.h5.lock").write_text(dead.stdout.strip())
    status, _ = _cli(capsys, "run", files / "b.toml", "--out", files / "r.h5", "--quiet")
    assert status == 0 and not (files / "r.h5.lock").exists()


@pytest.mark.slow
def test_ctrl_c_keeps_the_old_file_and_the_finished_cases(files):
    out, config = files / "r.h5", files / "long.toml"
    config.write_text("[climate]\nambient_C = [25, 20, 15, 10]\n[discharge]\nc_rate = 1.0\n")
    battsim = [sys.executable, "-c", "import sys; from battsim.cli import main; sys.exit(main())"]
    subprocess.run([*battsim, "run", str(config), "--out", str(out), "--quiet"], check=True, capture_output=True)
    before = out.read_bytes()
    proc = subprocess.Popen([*battsim, "run", str(config), "--out", str(out)], stderr=subprocess.PIPE, text=True)
    for line in proc.stderr:  # the first case has finished: press Ctrl-C
        if line.startswith("[1/4]"):
            break
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=120)
    assert proc.returncode == 130
    assert out.read_bytes() == before  # the earlier file is untouched
    (partial,) = files.glob("r.partial-*.h5")
    assert 1 <= len(read_result(partial)) < 4  # what finished before the interrupt is kept
    assert not (files / "r.h5.lock").exists()
