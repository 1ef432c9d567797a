"""Cases on a Dask cluster: a scheduler already running, or workers started as Slurm or PBS jobs.

:class:`DaskExecutor` hands the cases to a Dask scheduler one by one, in :func:`model_order`, and
yields each result as it comes back. Each Dask worker is a long-lived process like a local
worker: it imports battsim once and keeps its built models between cases, so its workers should
have one thread each (``dask worker ADDRESS --nthreads 1``) and the same Python environment as
the driver (battsim importable at the same version). Dask, distributed and dask-jobqueue are
imported only when an executor is built: ``import battsim`` never imports them.

A case that fails is recorded by :func:`record` on the worker; a case that Dask itself loses (its
worker died four times, say) is recorded as failed here: no case stops the others.
"""

from __future__ import annotations

import contextlib
import importlib
import re
import socket
import traceback
import uuid
from collections.abc import Iterator, Mapping
from typing import Any

from battsim.config import Case
from battsim.errors import ConfigError, SimulationError, did_you_mean
from battsim.results import Result
from battsim.sweep.executors import failed_result, model_order, record

#: how long a scheduler has to answer before its address is refused [s]
CONNECT_TIMEOUT_S = 10.0
#: cases in flight per worker thread: one running, one waiting, so no worker waits for the driver
IN_FLIGHT_PER_THREAD = 2
#: cases in flight while no worker has joined yet (jobs still in the batch queue)
MIN_IN_FLIGHT = 4
INSTALL = "pip install 'battsim[cluster]'"

#: cluster kind -> its class in dask_jobqueue
CLUSTERS = {"slurm": "SLURMCluster", "pbs": "PBSCluster"}
#: the keys of ``cluster_options`` (a ``[cluster]`` table)
CLUSTER_OPTIONS = ("queue", "account", "cores", "processes", "memory", "walltime", "jobs", "job_extra_directives")
#: a job's time limit when none is given [HH:MM:SS]
DEFAULT_WALLTIME = "01:00:00"
WALLTIME = re.compile(r"\d{1,4}:[0-5]\d:[0-5]\d")
#: run before the workers of a job start: one core per worker process, the processes are the parallelism
JOB_PROLOGUE = ["export OMP_NUM_THREADS=1"]


class DaskExecutor:
    """Cases on a Dask cluster, yielded as they finish.

    Parameters
    ----------
    scheduler : str, optional
        Address of a running Dask scheduler, ``"tcp://HOST:PORT"``.
    cluster : {"slurm", "pbs"}, optional
        Start the workers as batch jobs of this scheduler system (dask-jobqueue), with a Dask
        scheduler in this process; the jobs are cancelled when the run ends.
    cluster_options : dict, optional
        The jobs, with ``cluster`` (see :func:`jobqueue_options`).
    connect_timeout_s : float
        How long ``scheduler`` has to answer [s].

    Exactly one of ``scheduler`` and ``cluster`` is given; the options are checked, and
    ``scheduler`` is reached, when the executor is built (a :class:`ConfigError` in one line).
    Cases are submitted in
    :func:`model_order`, at most ``2 x`` the cluster's worker threads at a time (refilled as they
    finish), so a sweep of any size neither floods the scheduler nor grows the driver's memory.
    Closing the iterator of :meth:`run` (an interrupted run) cancels the cases in flight and
    closes the client, and the jobs it started.
    """

    def __init__(self, scheduler: str | None = None, cluster: str | None = None,
                 cluster_options: Mapping[str, Any] | None = None, connect_timeout_s: float = CONNECT_TIMEOUT_S):
        if (scheduler is None) == (cluster is None):
            raise ConfigError("the Dask executor needs either scheduler = 'tcp://HOST:PORT' (a running Dask "
                              f"scheduler) or cluster = {' | '.join(map(repr, CLUSTERS))}, not "
                              f"{'both' if scheduler is not None else 'neither'}")
        if cluster_options and cluster is None:
            raise ConfigError("cluster options are given without a cluster: they need cluster = "
                              f"{' | '.join(map(repr, CLUSTERS))}")
        if scheduler is not None and (not isinstance(scheduler, str) or not scheduler.strip()):
            raise ConfigError(f"scheduler = {scheduler!r}: must be the address of a Dask scheduler, 'tcp://HOST:PORT'")
        if not connect_timeout_s > 0:
            raise ConfigError(f"connect_timeout_s = {connect_timeout_s!r}: must be a positive number of seconds")
        _require("distributed", "the Dask executor")
        if scheduler is not None:
            reach(scheduler, connect_timeout_s)  # a wrong address is refused now, before anything runs or is written
        self.scheduler, self.cluster = scheduler, cluster
        self.cluster_options = dict(cluster_options or {})
        self.connect_timeout_s = connect_timeout_s
        self._jobs, self._planned_threads = 0, 0
        if cluster is not None:  # checked now, before any case runs
            kwargs, self._jobs = jobqueue_options(cluster, self.cluster_options)
            _require("dask_jobqueue", f"cluster = {cluster!r}")
            self._planned_threads = self._jobs * kwargs["cores"]

    def run(self, cases: list[Case], indices: list[int]) -> Iterator[tuple[int, Result]]:
        if not indices:
            return  # nothing to run (a resumed run that had finished): no client, no jobs
        client, cluster = self._connect()
        try:
            yield from self._drain(client, cases, indices)
        finally:
            with contextlib.suppress(Exception):  # closing what may already be gone must not hide the reason
                client.close()
            if cluster is not None:
                with contextlib.suppress(Exception):
                    cluster.close()

    def _connect(self):
        """A client of the scheduler, and the jobqueue cluster if this run started one (else ``None``)."""
        from distributed import Client

        if self.scheduler is not None:
            reach(self.scheduler, self.connect_timeout_s)  # again: it may have stopped since
            try:
                return Client(self.scheduler, timeout=self.connect_timeout_s, set_as_default=False), None
            except Exception as error:  # noqa: BLE001 - whatever answers there, it is not a usable scheduler
                raise ConfigError(f"scheduler = {self.scheduler!r}: no Dask scheduler answers there "
                                  f"({type(error).__name__}: {_one_line(error)})") from error
        cluster = jobqueue_cluster(self.cluster, self.cluster_options)
        try:
            cluster.scale(jobs=self._jobs)
            return Client(cluster, set_as_default=False), cluster
        except BaseException:
            cluster.close()
            raise

    def _drain(self, client, cases: list[Case], indices: list[int]) -> Iterator[tuple[int, Result]]:
        from distributed import as_completed

        order = iter(model_order(cases, indices))
        run = uuid.uuid4().hex[:8]  # keys unique to this run: two drivers on one scheduler never share a task
        running: dict = {}  # future -> case index
        finished = as_completed(loop=client.loop)

        def submit_more():
            limit = self._in_flight(client)
            for index in order:
                case = cases[index]
                future = client.submit(record, case, pure=False, key=f"battsim-case-{case.config.hash()}-{run}-{index}")
                running[future] = index
                finished.add(future)
                if len(running) >= limit:
                    return

        try:
            submit_more()
            for future in finished:
                index = running.pop(future)
                if future.cancelled() and client.status != "running":
                    raise SimulationError(f"lost the connection to the Dask scheduler "
                                          f"({self.scheduler or self.cluster}): the cases not finished did not run")
                yield index, _result(future, cases[index])
                submit_more()
        finally:
            if running:
                with contextlib.suppress(Exception):
                    client.cancel(list(running))

    def _in_flight(self, client) -> int:
        """How many cases to keep submitted: 2 per worker thread (those connected, or those the jobs
        will bring)."""
        threads = sum(client.nthreads().values())
        return max(IN_FLIGHT_PER_THREAD * max(threads, self._planned_threads), MIN_IN_FLIGHT)


def _result(future, case: Case) -> Result:
    """The result of a finished future; a case Dask lost (worker died, result not transferable,
    cancelled) is a failed result."""
    try:
        return future.result()
    except Exception as error:  # noqa: BLE001 - recorded: one lost case never stops the others
        reason = f"Dask could not run this case: {type(error).__name__}: {_one_line(error)}"
        return failed_result(case, SimulationError(reason, detail="".join(traceback.format_exception(error))))


def reach(address: str, timeout_s: float) -> None:
    """Refuse, in one line and within ``timeout_s``, a scheduler address where nothing listens
    (Dask itself would retry until its timeout and then hang on closing)."""
    from distributed.comm.addressing import parse_address, parse_host_port

    try:
        protocol, location = parse_address(address)
        host, port = parse_host_port(location)
    except (ValueError, TypeError) as error:
        raise ConfigError(f"scheduler = {address!r}: not an address like 'tcp://HOST:PORT' "
                          f"({_one_line(error)})") from error
    if protocol not in ("tcp", "tls"):
        return  # another transport (ucx, inproc): Dask's own connection says what is wrong
    try:
        socket.create_connection((host, port), timeout=timeout_s).close()
    except OSError as error:
        reason = f"no answer within {timeout_s:g} s" if isinstance(error, TimeoutError) else (
            error.strerror or _one_line(error))
        raise ConfigError(f"scheduler = {address!r}: cannot reach a Dask scheduler there ({reason.lower()}); "
                          "start one with `dask scheduler` and give the address it prints") from error


def jobqueue_options(kind: str, options: Mapping[str, Any]) -> tuple[dict[str, Any], int]:
    """The dask-jobqueue keyword arguments of a ``[cluster]`` table, and its number of jobs.

    Parameters
    ----------
    kind : {"slurm", "pbs"}
    options : dict
        ``memory`` (required: one job's memory, ``"16GB"``), ``cores`` (per job, default 1),
        ``processes`` (Dask workers per job, default ``cores``: one thread each), ``walltime``
        (``"HH:MM:SS"``, default 01:00:00), ``jobs`` (default 1), ``queue``, ``account`` and
        ``job_extra_directives`` (more ``#SBATCH``/``#PBS`` options, a list of str); the last three
        default to dask-jobqueue's configuration (``~/.config/dask/jobqueue.yaml``), which also
        sets what battsim does not (network ``interface``, log and scratch folders). The job
        script runs the configuration's ``job-script-prologue`` (loading modules, activating the
        environment), then ``export OMP_NUM_THREADS=1``.

    Raises
    ------
    ConfigError
        One line naming the key, its value and what is allowed.
    """
    if kind not in CLUSTERS:
        raise ConfigError(f"cluster = {kind!r}: must be one of {', '.join(CLUSTERS)}{did_you_mean(kind, CLUSTERS)}")
    options = dict(options)
    for key in options:
        if key not in CLUSTER_OPTIONS:
            raise ConfigError(f"unknown key '{key}' in [cluster]{did_you_mean(key, CLUSTER_OPTIONS)}; "
                              f"allowed: {', '.join(CLUSTER_OPTIONS)}")
    cores = _whole(options, "cores", 1)
    processes = _whole(options, "processes", cores)
    if cores % processes:
        raise ConfigError(f"cluster.processes = {processes}: must divide cluster.cores = {cores} (each worker gets "
                          "cores / processes threads; battsim is best with 1)")
    jobs = _whole(options, "jobs", 1)
    dask = _require("dask", f"cluster = {kind!r}")
    site_prologue = dask.config.get(f"jobqueue.{kind}.job-script-prologue", None) or []  # kept: it may load modules
    kwargs = {"cores": cores, "processes": processes, "memory": _memory(options.get("memory")),
              "walltime": _walltime(options.get("walltime", DEFAULT_WALLTIME)),
              "job_script_prologue": [*site_prologue, *JOB_PROLOGUE]}
    if "job_extra_directives" in options:
        kwargs["job_extra_directives"] = _directives(options["job_extra_directives"])
    for key in ("queue", "account"):
        if key in options:
            if not isinstance(options[key], str) or not options[key].strip():
                raise ConfigError(f"cluster.{key} = {options[key]!r}: must be a non-empty name")
            kwargs[key] = options[key]
    return kwargs, jobs


def jobqueue_cluster(kind: str, options: Mapping[str, Any]):
    """A dask-jobqueue ``SLURMCluster`` or ``PBSCluster`` of ``options`` (see :func:`jobqueue_options`),
    with its scheduler running in this process and no job submitted yet: ``cluster.job_script()``
    shows the batch script, ``cluster.scale(jobs=n)`` submits it. Close it when done."""
    kwargs, _ = jobqueue_options(kind, options)
    jobqueue = _require("dask_jobqueue", f"cluster = {kind!r}")
    return getattr(jobqueue, CLUSTERS[kind])(**kwargs)


def _whole(options: Mapping[str, Any], key: str, default: int) -> int:
    value = options.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ConfigError(f"cluster.{key} = {value!r}: must be a whole number of at least 1")
    return value


def _memory(value) -> str:
    if value is None:
        raise ConfigError("cluster.memory is required: the memory of one job, e.g. \"16GB\"")
    from dask.utils import parse_bytes

    try:
        size = parse_bytes(value) if isinstance(value, str) and re.search(r"[a-zA-Z]\s*$", value) else 0
    except ValueError:
        size = 0
    if size <= 0:
        raise ConfigError(f"cluster.memory = {value!r}: must be an amount of memory with its unit, e.g. \"16GB\"")
    return value


def _walltime(value) -> str:
    if not isinstance(value, str) or not WALLTIME.fullmatch(value):
        raise ConfigError(f"cluster.walltime = {value!r}: must be a time limit HH:MM:SS, e.g. \"02:30:00\"")
    return value


def _directives(value) -> list[str]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"cluster.job_extra_directives = {value!r}: must be a list of strings, "
                          "e.g. [\"--constraint=cpu\"]")
    return list(value)


def _require(module: str, what: str):
    """Import ``module`` or say which extra installs it."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise ConfigError(f"{what} needs the cluster extra ({module} is not installed): {INSTALL}") from error


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__
