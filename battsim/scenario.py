"""Sequencing of cases: the only place where the phases of a case are put in order.

Today a case is a cell test (``scenario.kind = "cell_discharge"``): one cell, resting at
its initial temperature, discharged at a constant C-rate to its lower voltage limit while
exchanging heat with ambient (or with an external node). :func:`run` executes a list of
cases, reusing one built PyBaMM model per (chemistry, model, thermal set-up), and computes
the 25 degC reference each case's ``delivered_capacity_pct_of_25C`` needs.
"""

from __future__ import annotations

import dataclasses
import time
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from battsim.cells import get_chemistry
from battsim.config import Case, Config
from battsim.errors import BattsimError
from battsim.metrics import cell_discharge_metrics
from battsim.simulation import (
    TIMESERIES_UNITS,
    CellConditions,
    CellSolution,
    ExternalNodeConditions,
    get_cell_model,
)
from battsim.units import SECONDS_PER_HOUR, celsius_to_kelvin, kelvin_to_celsius

#: reference temperature of ``delivered_capacity_pct_of_25C`` [degC]
REFERENCE_C = 25.0
#: a discharge is given this many times its nominal duration before it is cut [-]
DURATION_MARGIN = 1.25


@dataclass
class CaseResult:
    """The outcome of one case: parameters, metrics, time series (with units), status."""

    case_id: str
    params: dict[str, Any]
    config_toml: str
    status: str = "ok"
    error: str = ""
    metrics: dict[str, float] = field(default_factory=dict)
    timeseries: dict[str, np.ndarray] = field(default_factory=dict)
    timeseries_units: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    termination: str = ""
    wall_time_s: float = 0.0


def case_parameters(case: Case) -> dict[str, Any]:
    """The parameters that identify a case, under their config names (``show --json``)."""
    cfg = case.config
    params = {
        "chemistry": cfg.cell.chemistry,
        "model": cfg.cell.model,
        "ambient_C": cfg.climate.ambient_C,
        "initial_temperature_C": cfg.cell.initial_temperature_C,
        "initial_soc": cfg.cell.initial_soc,
        "c_rate": cfg.discharge.c_rate,
    }
    params.update(case.swept)
    return params


def cell_conditions(cfg: Config) -> CellConditions:
    """The :class:`CellConditions` of a cell-discharge config."""
    chemistry = get_chemistry(cfg.cell.chemistry)
    thermal = cfg.thermal
    node = None
    if thermal.external_node:
        node = ExternalNodeConditions(
            heat_capacity_J_per_K=thermal.node_heat_capacity_J_per_K,
            conductance_to_ambient_W_per_K=thermal.node_to_ambient_W_per_K,
            heater_W=thermal.node_heater_W,
            initial_temperature_K=celsius_to_kelvin(thermal.node_initial_temperature_C),
        )
    h = thermal.h_W_per_m2K
    if h is None:
        h = float(chemistry.parameter_values()["Total heat transfer coefficient [W.m-2.K-1]"])
    return CellConditions(
        duration_s=DURATION_MARGIN * SECONDS_PER_HOUR / cfg.discharge.c_rate,
        current_A=cfg.discharge.c_rate * chemistry.nominal_capacity_Ah,
        ambient_K=celsius_to_kelvin(cfg.climate.ambient_C),
        initial_temperature_K=celsius_to_kelvin(cfg.cell.initial_temperature_C),
        initial_soc=cfg.cell.initial_soc,
        h_W_per_m2K=h,
        internal_heat_W=thermal.internal_heat_W,
        node=node,
    )


def reference_config(cfg: Config) -> Config:
    """The same test at 25 degC: ambient, cell and external node all at 25 degC."""
    return dataclasses.replace(
        cfg,
        climate=dataclasses.replace(cfg.climate, ambient_C=REFERENCE_C),
        cell=dataclasses.replace(cfg.cell, initial_temperature_C=REFERENCE_C),
        thermal=dataclasses.replace(cfg.thermal, node_initial_temperature_C=REFERENCE_C),
    )


def _solve(cfg: Config) -> CellSolution:
    model = get_cell_model(cfg.cell.chemistry, cfg.cell.model, cfg.thermal.external_node,
                           cfg.solver.rtol, cfg.solver.atol)
    return model.solve(cell_conditions(cfg))


def _stored_timeseries(series: dict[str, np.ndarray]) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Time series as written to files: temperatures in degC, everything else SI."""
    data, units = {}, {}
    for name, values in series.items():
        if name.endswith("_K"):
            data[name[:-2] + "_C"], units[name[:-2] + "_C"] = kelvin_to_celsius(values), "degC"
        else:
            data[name], units[name] = values, TIMESERIES_UNITS[name]
    return data, units


def _ordered(cases: list[Case]) -> list[int]:
    """Execution order: the cases that are their own 25 degC reference first."""
    own_reference = [i for i, c in enumerate(cases) if reference_config(c.config) == c.config]
    return own_reference + [i for i in range(len(cases)) if i not in set(own_reference)]


def run(cases: list[Case], progress: Callable[[int, int, CaseResult], None] | None = None) -> list[CaseResult]:
    """Run every case; a failing case is recorded with its error and never stops the others.

    Parameters
    ----------
    cases : list of Case
        From :func:`battsim.config.expand`.
    progress : callable, optional
        Called as ``progress(done, total, result)`` after each case.

    Returns
    -------
    list of CaseResult
        In the order of ``cases``.
    """
    reference_capacity: dict[str, float] = {}
    results: list[CaseResult | None] = [None] * len(cases)
    for done, index in enumerate(_ordered(cases), start=1):
        results[index] = _run_case(cases[index], reference_capacity)
        if progress is not None:
            progress(done, len(cases), results[index])
    return results


def _run_case(case: Case, reference_capacity: dict[str, float]) -> CaseResult:
    cfg = case.config
    result = CaseResult(case_id=cfg.hash(), params=case_parameters(case), config_toml=cfg.to_toml())
    start = time.perf_counter()
    try:
        solution = _solve(cfg)
        result.warnings = list(solution.warnings)
        reference = reference_config(cfg)
        key = reference.hash()
        if key not in reference_capacity:
            ref_solution = solution if reference == cfg else _solve(reference)
            reference_capacity[key] = float(ref_solution.series["discharge_capacity_Ah"][-1])
        chemistry = get_chemistry(cfg.cell.chemistry)
        result.metrics = cell_discharge_metrics(
            solution.series, reference_capacity[key], chemistry.critical_current_density_A_per_m2
        )
        result.timeseries, result.timeseries_units = _stored_timeseries(solution.series)
        result.termination = solution.termination
    except BattsimError as error:
        result.status, result.error = "failed", str(error)
    except Exception as error:  # a sweep never loses a case: record what went wrong
        result.status = "failed"
        result.error = f"{type(error).__name__}: {error} [{traceback.format_exc(limit=1).splitlines()[-1]}]"
    result.wall_time_s = time.perf_counter() - start
    return result
