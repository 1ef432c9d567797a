"""Running many cases: executors (this process, local workers, Dask) and the loop that
records every case, failed ones included (:func:`run_cases`)."""

from battsim.sweep.dask_executor import DaskExecutor, jobqueue_cluster, jobqueue_options
from battsim.sweep.executors import EXECUTORS, Executor, ProcessExecutor, SerialExecutor, get_executor, record
from battsim.sweep.run import Progress, failed_result, run_cases

__all__ = ["EXECUTORS", "DaskExecutor", "Executor", "ProcessExecutor", "Progress", "SerialExecutor", "failed_result",
           "get_executor", "jobqueue_cluster", "jobqueue_options", "record", "run_cases"]
