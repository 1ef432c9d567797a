"""Results: the one case-result type and the HDF5 result files."""

from battsim.results.result import Result, Results
from battsim.results.store import (
    SCHEMA_VERSION,
    ResultWriter,
    check_output_path,
    read_result,
)

__all__ = ["SCHEMA_VERSION", "Result", "ResultWriter", "Results", "check_output_path", "read_result"]
