"""File formats: HDF5 result files (schema version, units on every dataset)."""

from battsim.io.results import (
    SCHEMA_VERSION,
    CaseRecord,
    ResultFile,
    ResultWriter,
    read_result,
)

__all__ = ["SCHEMA_VERSION", "CaseRecord", "ResultFile", "ResultWriter", "read_result"]
