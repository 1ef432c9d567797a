"""Results: the one case-result type, the HDF5 result files and the fleet table."""

from battsim.results.fleet import FLEET_COLUMNS, FLEET_SCHEMA_VERSION, fleet_table, read_fleet_table, write_fleet_table
from battsim.results.result import Result, Results
from battsim.results.schema import SCHEMA_VERSION
from battsim.results.store import (
    ResultWriter,
    case_order,
    check_output_path,
    iter_summary,
    read_case,
    read_result,
    read_table,
    writable_folder,
)

__all__ = ["FLEET_COLUMNS", "FLEET_SCHEMA_VERSION", "SCHEMA_VERSION", "Result", "ResultWriter", "Results",
           "case_order", "check_output_path", "fleet_table", "iter_summary", "read_case", "read_fleet_table",
           "read_result", "read_table", "writable_folder", "write_fleet_table"]
