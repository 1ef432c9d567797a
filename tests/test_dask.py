"""The Dask executor on a real cluster: a scheduler and two single-thread workers started as
separate processes, the way a user starts them; Slurm and PBS job scripts built without a batch
system; every misconfiguration refused in one line."""

import dataclasses
import json
import math
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from battsim.api import cases_of
from battsim.config import Case
from battsim.errors import ConfigError
from battsim.sweep import DaskExecutor, get_executor, jobqueue_cluster, run_cases

REPO = Path(__file__).resolve().parents[1]
QUICKSTART = REPO / "configs" / "quickstart.toml"
#: three short 1C DFN discharges of one model; no validity warning (which this test process turns into errors,
#: the workers not): still air at 25 and -10 degC (the cold one's 25 degC reference is the first), and a
#: thermal chamber at -10 degC (its reference solved by whichever worker runs it)
FAST = {"cell.chemistry": "nmc811-graphite", "climate.ambient_C": [25, -10], "thermal.condition": "still-air"}
CHAMBER = {"cell.chemistry": "nmc811-graphite", "climate.ambient_C": -10, "thermal.condition": "thermal-chamber"}
#: valid, but each fails at once when solved (the cell starts below its minimum voltage): 8 cheap cases that
#: fill the queue, so that the bound on the cases in flight is seen
FAILING = {"cell.chemistry": "nmc811-graphite", "climate.ambient_C": [25, 20, 15, 10, 5, 0, -5, -15],
           "thermal.condition": "still-air", "cell.initial_soc": 0.001}
START_TIMEOUT_S = 60
JOB = {"queue": "short", "cores": 4, "memory": "16GiB", "walltime": "02:30:00", "jobs": 3, "account": "ev-cold"}


@dataclasses.dataclass(frozen=True)
class Unshippable(Case):
    """A case the cluster cannot unpickle (it cannot import this test module): Dask itself fails it."""


def _start(args, log: Path, cwd: Path) -> subprocess.Popen:
    with open(log, "w") as out:  # the child keeps its own descriptor
        return subprocess.Popen([sys.executable, "-m", *args], cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                env={**os.environ, "OMP_NUM_THREADS": "1"}, start_new_session=True)


def _stop(process: subprocess.Popen) -> None:
    """End a process and its children (a worker's nanny spawns the worker): SIGTERM, then SIGKILL."""
    for sig, grace_s in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)  # its own session: the group is this process and its children only
        except ProcessLookupError:
            return
        try:
            process.wait(grace_s)
            return
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory):
    """The address of a running scheduler with two connected single-thread workers."""
    from distributed import Client

    folder = tmp_path_factory.mktemp("dask")
    file = folder / "scheduler.json"
    processes = [_start(["distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                         "--scheduler-file", str(file)], folder / "scheduler.log", folder)]
    try:
        processes += [_start(["distributed.cli.dask_worker", "--scheduler-file", str(file), "--nthreads", "1",
                              "--nworkers", "1", "--no-dashboard", "--name", f"battsim-test-{i}"],
                             folder / f"worker-{i}.log", folder) for i in range(2)]
        deadline = time.monotonic() + START_TIMEOUT_S
        while not file.exists() and time.monotonic() < deadline and processes[0].poll() is None:
            time.sleep(0.1)
        try:
            address = json.loads(file.read_text())["address"]
            with Client(address, timeout=10, set_as_default=False) as client:
                client.wait_for_workers(2, timeout=max(deadline - time.monotonic(), 1))
        except Exception as error:  # noqa: BLE001 - the logs say why
            logs = "\n".join(f"--- {log.name}\n{log.read_text()[-2000:]}" for log in sorted(folder.glob("*.log")))
            pytest.fail(f"the Dask cluster did not start within {START_TIMEOUT_S} s: {error}\n{logs}")
        yield address
    finally:
        for process in processes:
            _stop(process)


def _same(results, expected):
    """Results equal to the last bit: status, error, metrics (NaN where NaN) and series."""
    for got, want in zip(results, expected, strict=True):
        assert (got.case_id, got.status, got.error, got.params) == (want.case_id, want.status, want.error, want.params)
        assert got.metrics.keys() == want.metrics.keys()
        for name, value in want.metrics.items():
            assert got.metrics[name] == value or (math.isnan(got.metrics[name]) and math.isnan(value)), name
        assert got.timeseries.keys() == want.timeseries.keys()
        for name, series in want.timeseries.items():
            np.testing.assert_array_equal(got.timeseries[name], series, err_msg=name)


@pytest.mark.slow
@pytest.mark.xdist_group("dask")
def test_a_sweep_on_dask_equals_the_serial_run(scheduler):
    """The same cases give the same numbers on two Dask workers as in this process, a failing
    case is recorded as failed, and at most 2 cases per worker thread are submitted at a time."""
    from distributed import Client

    cases = [case for overrides in (FAST, CHAMBER, FAILING) for case in cases_of(QUICKSTART, set=overrides)[1]]
    in_flight = []

    with Client(scheduler, timeout=10, set_as_default=False) as observer:
        def progress(done, total, result):
            in_flight.append(observer.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks)))

        start = time.perf_counter()
        on_dask = run_cases(cases, progress, executor=DaskExecutor(scheduler=scheduler))
        dask_s = time.perf_counter() - start
    start = time.perf_counter()
    serial = run_cases(cases)
    serial_s = time.perf_counter() - start

    assert [r.status for r in on_dask] == ["ok"] * 3 + ["failed"] * 8
    assert all("solver failed" in r.error for r in on_dask[3:])
    _same(on_dask, serial)
    # 2 workers x 1 thread x 2, plus the cases whose release is still on its way to the scheduler
    assert max(in_flight) <= 4 + 2, in_flight
    print(f"{len(cases)} cases: Dask {dask_s:.1f} s, serial {serial_s:.1f} s, tasks on the scheduler {in_flight}")


@pytest.mark.slow
@pytest.mark.xdist_group("dask")
def test_a_case_dask_loses_is_recorded_and_the_others_run(scheduler):
    """A task that fails on the Dask side (here: its case cannot be unpickled on the cluster) is a
    failed result with the reason, not an exception that stops the sweep."""
    _, (case, *_) = cases_of(QUICKSTART, set=FAST)
    lost = Unshippable(swept=case.swept, config=case.config)
    results = run_cases([lost, case], executor=get_executor("dask", scheduler=scheduler))
    assert [r.status for r in results] == ["failed", "ok"]
    assert results[0].error.startswith("Dask could not run this case: ") and "\n" not in results[0].error
    assert "No module named 'test_dask'" in results[0].error_detail  # why the cluster could not unpickle it


@pytest.mark.slow
@pytest.mark.xdist_group("dask")
def test_closing_the_run_cancels_the_cases_in_flight(scheduler):
    """An interrupted run (its iterator closed after the first result) leaves nothing on the cluster."""
    from distributed import Client

    _, cases = cases_of(QUICKSTART, set=FAST)
    stream = DaskExecutor(scheduler=scheduler).run(cases, list(range(len(cases))))
    index, result = next(stream)
    stream.close()
    assert result.ok
    with Client(scheduler, timeout=10, set_as_default=False) as observer:
        deadline = time.monotonic() + 10
        while (left := observer.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks))) and \
                time.monotonic() < deadline:
            time.sleep(0.1)
    assert left == 0


def test_a_wrong_scheduler_address_is_refused_at_once():
    """Refused in one line when the executor is built, before any case runs."""
    with socket.socket() as s:  # a port where nothing listens
        s.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{s.getsockname()[1]}"
    start = time.perf_counter()
    with pytest.raises(ConfigError, match=f"scheduler = '{address}': cannot reach a Dask scheduler there "
                                          r"\(connection refused\)") as error:
        get_executor("dask", scheduler=address)
    assert time.perf_counter() - start < 5
    assert "\n" not in str(error.value)
    with pytest.raises(ConfigError, match="scheduler = 'localhost': not an address like 'tcp://HOST:PORT'"):
        DaskExecutor(scheduler="localhost")


@pytest.mark.parametrize("options, message", [
    ({}, "needs either scheduler = 'tcp://HOST:PORT'.* not neither"),
    ({"scheduler": "tcp://127.0.0.1:8786", "cluster": "slurm"}, "not both"),
    ({"scheduler": "tcp://127.0.0.1:8786", "cluster_options": {"cores": 2}}, "cluster options are given without"),
    ({"scheduler": ""}, "scheduler = '': must be the address"),
])
def test_executor_arguments_are_checked(options, message):
    with pytest.raises(ConfigError, match=message):
        DaskExecutor(**options)


def test_without_dask_the_error_says_which_extra_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    with pytest.raises(ConfigError, match=r"needs the cluster extra .*: pip install 'battsim\[cluster\]'"):
        get_executor("dask", scheduler="tcp://127.0.0.1:8786")


def test_importing_battsim_does_not_import_dask():
    code = ("import sys, battsim, battsim.api, battsim.sweep, battsim.cli; "
            "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed', 'dask_jobqueue')); "
            "assert not loaded, loaded")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]


@pytest.mark.filterwarnings("ignore:Port 8787 is already in use")  # the in-process scheduler's dashboard
@pytest.mark.parametrize("kind, directive, lines", [
    ("slurm", "--constraint=cpu", ["#SBATCH -p short", "#SBATCH -A ev-cold", "#SBATCH --cpus-per-task=4",
                                   "#SBATCH --mem=16G", "#SBATCH -t 02:30:00", "#SBATCH --constraint=cpu"]),
    ("pbs", "-m abe", ["#PBS -q short", "#PBS -A ev-cold", "#PBS -l select=1:ncpus=4:mem=16GB",
                       "#PBS -l walltime=02:30:00", "#PBS -m abe"]),
])
def test_a_jobqueue_cluster_writes_the_requested_job(kind, directive, lines):
    """The batch script holds the queue, cores, memory and time limit asked for, and starts 4 workers
    of one thread each with this Python; building it submits nothing."""
    with jobqueue_cluster(kind, {**JOB, "job_extra_directives": [directive]}) as cluster:
        script = cluster.job_script()
        assert not cluster.workers  # no job submitted
    for line in lines:
        assert line in script.splitlines(), f"{line!r} not in\n{script}"
    assert "export OMP_NUM_THREADS=1" in script
    assert f"{sys.executable} -m distributed.cli.dask_worker" in script
    assert "--nthreads 1" in script and "--nworkers 4" in script


@pytest.mark.filterwarnings("ignore:Port 8787 is already in use")
def test_the_sites_job_prologue_is_kept():
    """A site's dask-jobqueue prologue (loading modules, activating the environment) runs first."""
    import dask

    with dask.config.set({"jobqueue.slurm.job-script-prologue": ["module load python/3.11"]}):
        with jobqueue_cluster("slurm", {"memory": "4GB"}) as cluster:
            script = cluster.job_script().splitlines()
    assert script.index("module load python/3.11") < script.index("export OMP_NUM_THREADS=1")
    assert "#SBATCH --cpus-per-task=1" in script and "#SBATCH -t 01:00:00" in script  # the defaults


@pytest.mark.parametrize("kind, options, message", [
    ("sge", {"memory": "4GB"}, "cluster = 'sge': must be one of slurm, pbs"),
    ("slurm", {"memory": "4GB", "qeue": "short"}, r"unknown key 'qeue' in \[cluster\] \(did you mean 'queue'\?\)"),
    ("slurm", {"memory": "4GB", "cores": 0}, "cluster.cores = 0: must be a whole number of at least 1"),
    ("slurm", {"memory": "4GB", "cores": 2.5}, "cluster.cores = 2.5: must be a whole number"),
    ("pbs", {"memory": "4GB", "jobs": -1}, "cluster.jobs = -1: must be a whole number of at least 1"),
    ("slurm", {"memory": "4GB", "cores": 4, "processes": 3}, "cluster.processes = 3: must divide cluster.cores = 4"),
    ("slurm", {}, "cluster.memory is required"),
    ("slurm", {"memory": "lots"}, "cluster.memory = 'lots': must be an amount of memory"),
    ("slurm", {"memory": "16"}, "cluster.memory = '16': must be an amount of memory with its unit"),
    ("slurm", {"memory": 16}, "cluster.memory = 16: must be an amount of memory with its unit"),
    ("pbs", {"memory": "4GB", "walltime": "2h"}, "cluster.walltime = '2h': must be a time limit HH:MM:SS"),
    ("pbs", {"memory": "4GB", "walltime": "01:75:00"}, "cluster.walltime = '01:75:00'"),
    ("slurm", {"memory": "4GB", "queue": ""}, "cluster.queue = '': must be a non-empty name"),
    ("slurm", {"memory": "4GB", "job_extra_directives": "--exclusive"}, "cluster.job_extra_directives = '--excl"),
])
def test_bad_cluster_options_are_refused_in_one_line(kind, options, message):
    with pytest.raises(ConfigError, match=message) as error:
        DaskExecutor(cluster=kind, cluster_options=options)
    assert "\n" not in str(error.value)


@pytest.mark.slow
@pytest.mark.xdist_group("dask")
def test_battsim_run_with_scheduler_writes_the_file_the_local_run_writes(scheduler, tmp_path, capsys):
    """The command a user types: ``battsim run CONFIG --scheduler ADDRESS`` against local workers."""
    from battsim.cli import main
    from battsim.results import read_result

    config = tmp_path / "c.toml"
    config.write_text("[cell]\nchemistry = \"lfp-graphite\"\n[climate]\nambient_C = [25, 0]\n"
                      "[discharge]\nc_rate = 3.0\n")
    assert main(["run", str(config), "--out", str(tmp_path / "dask.h5"), "--scheduler", scheduler, "--quiet"]) == 0
    assert main(["run", str(config), "--out", str(tmp_path / "local.h5"), "--workers", "1", "--quiet"]) == 0
    _same(list(read_result(tmp_path / "dask.h5")), list(read_result(tmp_path / "local.h5")))
    assert main(["run", str(config), "--out", str(tmp_path / "x.h5"), "--scheduler", scheduler,
                 "--workers", "2"]) == 2
    assert "--workers is for local processes" in capsys.readouterr().err
