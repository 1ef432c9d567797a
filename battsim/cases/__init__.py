"""Cases: typed by ``scenario.kind``, run as a sequence of phases, compared with 25 degC.

``KINDS`` is the registry of case kinds (``{kind: runner}``); :func:`run_case` runs one case
and returns its :class:`battsim.results.Result`. It raises on failure: recording failures and
going on is the sweep layer's job (:mod:`battsim.sweep`).
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable

from battsim.cases.discharge import run_discharge
from battsim.cases.envelope import run_envelope
from battsim.cases.heating import run_heating
from battsim.cases.outcome import Outcome
from battsim.cases.reference import REFERENCES, reference_of
from battsim.cases.resolve import case_parameters
from battsim.cases.trip import run_trip_case
from battsim.config import Case, Config
from battsim.errors import ValidityWarning
from battsim.metrics import METRIC_UNITS
from battsim.results import Result

#: scenario kind -> runner (config -> outcome)
KINDS: dict[str, Callable[[Config], Outcome]] = {
    "cell_discharge": run_discharge,
    "cell_heating": run_heating,
    "cell_envelope": run_envelope,
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
    result.termination, result.warnings, result.labels = outcome.termination, outcome.warnings, outcome.labels
    result.warnings += ccd_warnings(case.config.cell.chemistry, outcome.metrics.get("max_ccd_ratio"))
    result.wall_time_s = time.perf_counter() - start
    return result


def ccd_warnings(chemistry: str, max_ccd_ratio) -> list[str]:
    """A validity warning when a lithium-metal cell ran above its critical current density."""
    if max_ccd_ratio is None or not max_ccd_ratio > 1:
        return []
    reason = (f"the lithium-interface current density reached {max_ccd_ratio:.3g} times the critical current "
              f"density of '{chemistry}': a real cell would grow lithium dendrites or void, so it cannot deliver "
              "this demand at these temperatures (see its operating envelope: scenario.kind = \"cell_envelope\")")
    warnings.warn(reason, ValidityWarning, stacklevel=3)
    return [reason]


def is_own_reference(case: Case) -> bool:
    """Whether the case is its own 25 degC reference (run those first: the others reuse them)."""
    reference = reference_of(case.config)
    return reference is not None and reference == case.config


__all__ = ["KINDS", "REFERENCES", "is_own_reference", "new_result", "run_case"]
