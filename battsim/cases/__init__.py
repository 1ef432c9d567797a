"""Cases: typed by ``scenario.kind``, run as a sequence of phases, compared with 25 degC.

``KINDS`` is the registry of case kinds (``{kind: runner}``); :func:`run_case` runs one case
and returns its :class:`battsim.results.Result`. It raises on failure: recording failures and
going on is the sweep layer's job (:mod:`battsim.sweep`).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from battsim.cases.discharge import run_discharge
from battsim.cases.heating import run_heating
from battsim.cases.outcome import Outcome
from battsim.cases.reference import REFERENCES, reference_of
from battsim.cases.resolve import case_parameters
from battsim.cases.trip import run_trip_case
from battsim.config import Case, Config
from battsim.metrics import METRIC_UNITS
from battsim.results import Result

#: scenario kind -> runner (config -> outcome)
KINDS: dict[str, Callable[[Config], Outcome]] = {
    "cell_discharge": run_discharge,
    "cell_heating": run_heating,
    "trip": run_trip_case,
}


def new_result(case: Case) -> Result:
    """An empty result of ``case``: its id, parameters and config."""
    cfg = case.config
    return Result(case_id=cfg.hash(), params=case_parameters(case), config_toml=cfg.to_toml())


def run_case(case: Case) -> Result:
    """Run one case; raises :class:`battsim.errors.BattsimError` (or another error) on failure."""
    result = new_result(case)
    start = time.perf_counter()
    outcome = KINDS[case.config.scenario.kind](case.config)
    result.params.update(outcome.params)
    result.metrics = outcome.metrics
    result.units = {name: METRIC_UNITS[name] for name in outcome.metrics}
    result.timeseries, result.timeseries_units = outcome.timeseries, outcome.timeseries_units
    result.termination, result.warnings = outcome.termination, outcome.warnings
    result.wall_time_s = time.perf_counter() - start
    return result


def is_own_reference(case: Case) -> bool:
    """Whether the case is its own 25 degC reference (run those first: the others reuse them)."""
    reference = reference_of(case.config)
    return reference is not None and reference == case.config


__all__ = ["KINDS", "REFERENCES", "is_own_reference", "new_result", "run_case"]
