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
from battsim.metrics import cell_discharge_metrics, cell_heating_metrics, hold_metrics
from battsim.simulation import (
    CellConditions,
    CellSolution,
    ExternalNodeConditions,
    get_cell_model,
    soc_capacity_Ah,
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
    }
    if cfg.scenario.kind == "cell_heating":
        params.update(method=cfg.heating.method, controller=cfg.heating.controller,
                      target_C=cfg.heating.target_C, power_source=cfg.heating.power_source)
    else:
        params["c_rate"] = cfg.discharge.c_rate
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
        heat_capacity_scale=thermal.heat_capacity_scale,
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


def _stored_timeseries(solution: CellSolution) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Time series as written to files: temperatures in degC, everything else SI."""
    data, units = {}, {}
    for name, values in solution.series.items():
        if name.endswith("_K"):
            data[name[:-2] + "_C"], units[name[:-2] + "_C"] = kelvin_to_celsius(values), "degC"
        else:
            data[name], units[name] = values, solution.units[name]
    return data, units


def _ordered(cases: list[Case]) -> list[int]:
    """Execution order: the cases that are their own 25 degC reference first (cell discharges)."""
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
        if cfg.scenario.kind == "cell_heating":
            _run_heating(cfg, result)
        else:
            _run_discharge(cfg, result, reference_capacity)
    except BattsimError as error:
        result.status, result.error = "failed", str(error)
    except Exception as error:  # a sweep never loses a case: record what went wrong
        result.status = "failed"
        result.error = f"{type(error).__name__}: {error} [{traceback.format_exc(limit=1).splitlines()[-1]}]"
    if result.status != "ok":  # a case is reported whole or not at all
        result.metrics, result.timeseries, result.timeseries_units = {}, {}, {}
    result.wall_time_s = time.perf_counter() - start
    return result


def _run_discharge(cfg: Config, result: CaseResult, reference_capacity: dict[str, float]) -> None:
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
    result.timeseries, result.timeseries_units = _stored_timeseries(solution)
    result.termination = solution.termination


def heating_settings(cfg: Config) -> "HeatingSettings":
    """The heating numbers of a config, in SI, with the defaults that depend on the cell."""
    from battsim.heating.methods import HeatingSettings
    from battsim.heating.self_heating import FOIL_DESIGN_OHM_AH

    chemistry = get_chemistry(cfg.cell.chemistry)
    h = cfg.heating
    foil = h.foil_resistance_Ohm
    return HeatingSettings(
        method=h.method, controller=h.controller, target_K=celsius_to_kelvin(h.target_C),
        from_battery=h.power_source == "battery", heater_power_W=h.heater_power_W,
        heater_efficiency=h.heater_efficiency, node_limit_K=celsius_to_kelvin(h.node_limit_C),
        ac_frequency_Hz=h.ac_frequency_Hz, ac_amplitude_A=h.ac_amplitude_A,
        current_limit_A=h.current_limit_C * chemistry.nominal_capacity_Ah,
        plating_margin_V=h.plating_margin_V, kinetic_share_max=h.kinetic_share_max,
        inverter_efficiency=h.inverter_efficiency, pulse_duty=h.pulse_duty,
        foil_resistance_Ohm=FOIL_DESIGN_OHM_AH / chemistry.nominal_capacity_Ah if foil is None else foil,
        pi_gain_per_K=h.pi_gain_per_K, pi_integral_gain_per_Ks=h.pi_integral_gain_per_Ks,
        pi_offset_K=h.pi_offset_K,
        max_warming_rate_K_per_s=None if h.max_warming_rate_K_per_min is None else h.max_warming_rate_K_per_min / 60,
    )


def run_heating_phase(cfg: Config):
    """Solve the heating phase of a ``cell_heating`` config, and the hold that follows it.

    Returns
    -------
    solution : CellSolution
    prepared : PreparedHeating
    diagnostics : dict of ndarray
        AC/pulse amplitude, frequency and limit quantities over time (empty otherwise).
    reached_s : float
        Time the cell reached the target [s] (``nan`` if it did not).
    """
    from battsim.heating import ac, methods
    from battsim.heating import submodels as hs

    chemistry = get_chemistry(cfg.cell.chemistry)
    settings = heating_settings(cfg)
    capacity = soc_capacity_Ah(chemistry.name)
    initial_K = celsius_to_kelvin(cfg.cell.initial_temperature_C)
    prepared = methods.prepare(chemistry, settings, capacity, initial_K, cfg.cell.initial_soc)
    model = get_cell_model(chemistry.name, cfg.cell.model, True, cfg.solver.rtol, cfg.solver.atol,
                           heating=prepared.design)
    base = cell_conditions(dataclasses.replace(cfg, thermal=dataclasses.replace(cfg.thermal, external_node=True)))
    inputs = {**prepared.inputs, hs.LOWER: 0.0}
    conditions = dataclasses.replace(base, duration_s=cfg.heating.max_duration_s, current_A=0.0,
                                     extra_inputs=tuple(inputs.items()))
    target_K, band_K, hold_s = settings.target_K, cfg.heating.band_K, cfg.heating.hold_s
    state = {}

    def hold(result):
        """Segments after the target: thermostat switching, or PI regulation at the target."""
        t = result.series["time_s"][-1]
        if "end_s" not in state:
            if "Heating target reached" not in result.termination or hold_s <= 0:
                return None
            state["end_s"] = t + hold_s
            state["on"] = True
        left = state["end_s"] - t
        if left <= 1e-6:
            return None
        if cfg.heating.controller == "pi":
            state["end_s"] = t  # one segment
            return left, {hs.TARGET: 1e4, "PI setpoint [K]": target_K}
        state["on"] = not state["on"]
        if state["on"]:
            return left, {hs.COMMAND: 1.0, hs.TARGET: target_K + band_K / 2, hs.LOWER: 0.0}
        return left, {hs.COMMAND: 0.0, hs.TARGET: 1e4, hs.LOWER: target_K - band_K / 2}

    first = model.solve(conditions, segments=None if hold_s <= 0 else hold)
    t = first.series["time_s"]
    T = first.series["temperature_K"]
    crossed = np.nonzero(T >= target_K - 1e-6)[0]
    reached_s = float(t[crossed[0]]) if len(crossed) else float("nan")
    diagnostics = {}
    if prepared.ac is not None:
        table, waveform, heat_map = prepared.ac
        diagnostics = ac.diagnostics(table, waveform, heat_map, T, first.series["soc"],
                                     first.series["heating_command"])
    return first, prepared, diagnostics, reached_s


def _run_heating(cfg: Config, result: CaseResult) -> None:
    solution, prepared, diagnostics, reached_s = run_heating_phase(cfg)
    chemistry = get_chemistry(cfg.cell.chemistry)
    series = solution.series
    reached = bool(np.isfinite(reached_s))
    if "anode_potential_min_V" in diagnostics:
        anode = diagnostics["anode_potential_min_V"]
    else:
        anode = series.get("anode_potential_V")
    ccd = diagnostics.get("ccd_ratio")
    if ccd is None and chemistry.critical_current_density_A_per_m2 is not None:
        i = np.abs(series["lithium_interface_current_density_A_per_m2"])
        ccd = i / np.array([chemistry.critical_current_density_A_per_m2(T) for T in series["temperature_K"]])
    phase = slice(None) if not reached else slice(0, int(np.searchsorted(series["time_s"], reached_s)) + 1)
    heating_part = {name: values[phase] for name, values in series.items()}
    result.metrics = cell_heating_metrics(
        heating_part, reached, soc_capacity_Ah(chemistry.name),
        None if anode is None else anode[phase], cfg.heating.plating_margin_V,
        None if ccd is None else ccd[phase])
    if cfg.heating.hold_s > 0 and reached:
        result.metrics.update(hold_metrics(series, reached_s, anode, cfg.heating.plating_margin_V))
    result.timeseries, result.timeseries_units = _stored_timeseries(solution)
    if "soc" not in result.timeseries:
        result.timeseries["soc"] = cfg.cell.initial_soc - series["discharge_capacity_Ah"] / soc_capacity_Ah(chemistry.name)
        result.timeseries_units["soc"] = "1"
    for name, values in diagnostics.items():
        result.timeseries[f"ac_{name}"] = values
        result.timeseries_units[f"ac_{name}"] = _DIAGNOSTIC_UNITS[name]
    result.termination = solution.termination
    result.warnings = list(solution.warnings)
    if not reached:
        result.warnings.append(
            f"{cfg.heating.method}/{cfg.heating.controller} did not reach {cfg.heating.target_C:g} degC "
            f"within {cfg.heating.max_duration_s:g} s (ended at {result.metrics['end_temperature_C']:.1f} degC)")


_DIAGNOSTIC_UNITS = {"amplitude_A": "A", "frequency_Hz": "Hz", "voltage_max_V": "V", "voltage_min_V": "V",
                     "anode_potential_min_V": "V", "ccd_ratio": "1"}
