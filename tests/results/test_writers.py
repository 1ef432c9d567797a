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

# LFP cells: the fastest to build and run (about 5 s a process)
A = "[cell]\nchemistry = \"lfp-graphite\"\n[climate]\nambient_C = [25, 20]\n[discharge]\nc_rate = 3.0\n"
B = "[cell]\nchemistry = \"lfp-graphite\"\n[climate]\nambient_C = 15\n[discharge]\nc_rate = 3.0\n"


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
    assert not list(files.glob("*.lock")) and not list(files.glob("*.partial-*")) and not list(files.glob("*.journal"))


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


BATTSIM = [sys.executable, "-c", "import sys; from battsim.cli import main; sys.exit(main())"]
LONG = "[cell]\nchemistry = \"lfp-graphite\"\n[climate]\nambient_C = [25, 20, 15, 10]\n[discharge]\nc_rate = 3.0\n"


def _start_and_stop_after_first_case(config, out, stop):
    """Start ``battsim run``, wait until its first case is written, then ``stop(proc)``."""
    proc = subprocess.Popen([*BATTSIM, "run", str(config), "--out", str(out), "--workers", "1"],
                            stderr=subprocess.PIPE, text=True)
    for line in proc.stderr:
        if line.startswith("[1/"):
            break
    stop(proc)
    proc.communicate(timeout=120)
    return proc.returncode


def _metrics(path):
    return [(r.case_id, r.status, {k: None if v != v else v for k, v in r.metrics.items()}) for r in read_result(path)]


@pytest.mark.slow
def test_a_killed_sweep_keeps_its_finished_cases_and_its_rerun_equals_an_uninterrupted_run(files):
    """SIGKILL of a real `battsim run` mid-sweep: every finished case is readable at once, the
    earlier file of the same config is never damaged, and the rerun resumes to the same file an
    uninterrupted run writes."""
    config, out, whole = files / "long.toml", files / "r.h5", files / "whole.h5"
    config.write_text(LONG)
    assert _start_and_stop_after_first_case(config, out, lambda p: p.send_signal(signal.SIGKILL)) == -signal.SIGKILL
    assert 1 <= len(read_result(out)) < 4  # from the journal, the file itself was never begun
    for target in (out, whole):
        subprocess.run([*BATTSIM, "run", str(config), "--out", str(target), "--quiet", "--workers", "1"], check=True,
                       capture_output=True)
    assert _metrics(out) == _metrics(whole)
    assert sorted(p.name for p in files.iterdir() if p.suffix != ".toml") == ["r.h5", "whole.h5"]


@pytest.mark.slow
def test_ctrl_c_keeps_the_finished_cases_in_the_file_and_a_rerun_finishes_it(files):
    config, out = files / "long.toml", files / "r.h5"
    config.write_text(LONG)
    assert _start_and_stop_after_first_case(config, out, lambda p: p.send_signal(signal.SIGINT)) == 130
    kept = read_result(out)
    assert 1 <= len(kept) < 4 and kept.attrs["cases_total"] == 4
    assert not (files / "r.h5.lock").exists() and not (files / "r.h5.journal").exists()
    done = subprocess.run([*BATTSIM, "run", str(config), "--out", str(out), "--workers", "1"], capture_output=True,
                          text=True)
    assert done.returncode == 0 and f"resuming {out}: {len(kept)} of 4 cases already finished" in done.stderr
    assert len(read_result(out)) == 4


def test_a_failing_rerun_leaves_the_earlier_file_intact(capsys, files):
    out = files / "r.h5"
    assert _cli(capsys, "run", files / "b.toml", "--out", out, "--quiet")[0] == 0
    before = out.read_bytes()
    (files / "bad.toml").write_text(B.replace("[climate]", "initial_soc = 2.0\n[climate]"))
    status, err = _cli(capsys, "run", files / "bad.toml", "--out", out, "--quiet")
    assert status == 2 and "initial_soc" in err
    assert out.read_bytes() == before
