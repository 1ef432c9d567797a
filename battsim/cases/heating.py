"""A ``cell_heating`` case: one resting cell in its module heated from ambient to the target,
then (optionally) held there; heating time, energy and plating margin."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from battsim.cases.outcome import Outcome
from battsim.cases.phases import Heat, Hold, PhaseSequence
from battsim.cases.resolve import cell_conditions, chemistry_of, heater_warnings, heating_settings, model_settings
from battsim.config import Config
from battsim.heating import PreparedHeating, get_controller, get_method
from battsim.heating.design import cell_heating
from battsim.heating.envelope import CONTROLLER, HEATER_POWER, dominant_binding
from battsim.metrics import cell_heating_metrics, hold_metrics
from battsim.models import names
from battsim.models.cell import get_cell_model
from battsim.models.protocol import Solution
from battsim.models.soc import soc_capacity_Ah
from battsim.units import celsius_to_kelvin

_DIAGNOSTIC_UNITS = {"amplitude_A": "A", "frequency_Hz": "Hz", "voltage_max_V": "V", "voltage_min_V": "V",
                     "anode_potential_min_V": "V", "ccd_ratio": "1", "binding_limit": "1"}


@dataclass
class HeatingRun:
    """A solved heating phase (and hold): the solution, the design, diagnostics, when the target was reached."""

    solution: Solution
    prepared: PreparedHeating
    diagnostics: dict
    reached_s: float


def run_heating_phase(cfg: Config) -> HeatingRun:
    """Solve the heating phase of a ``cell_heating`` config, and the hold that follows it."""
    chemistry = chemistry_of(cfg)
    settings = heating_settings(cfg, chemistry)
    initial_K = celsius_to_kelvin(cfg.cell.initial_temperature_C)
    prepared = cell_heating(chemistry, settings, soc_capacity_Ah(chemistry), initial_K, cfg.cell.initial_soc)
    model = get_cell_model(chemistry, cfg.cell.model, True,
                           heating=prepared.design, mesh=cfg.solver.mesh(chemistry.mesh),
                           **model_settings(cfg, chemistry))
    conditions = dataclasses.replace(cell_conditions(cfg, chemistry, external_node=True), current_A=0.0,
                                     extra_inputs=tuple({**prepared.inputs, names.LOWER: names.NEVER_BELOW_K}.items()))
    h = cfg.heating
    sequence = PhaseSequence([Heat(h.max_duration_s),
                              Hold(h.hold_s, settings.target_K, h.band_K, get_controller(h.controller).pi)])
    solution = sequence.solve(model, model.inputs(conditions))
    T = solution.series["temperature_K"]
    crossed = np.nonzero(T >= settings.target_K - 1e-6)[0]
    reached_s = float(solution.series["time_s"][crossed[0]]) if len(crossed) else float("nan")
    diagnostics = {}
    if prepared.envelope is not None:
        diagnostics = get_method(h.method).diagnostics(chemistry, prepared, T, solution.series["soc"],
                                                       solution.series["heating_command"])
    return HeatingRun(solution, prepared, diagnostics, reached_s)


def _plating_indicators(chemistry, series, diagnostics):
    """Lowest anode potential over each AC period (or the DC value) [V] and the CCD ratio [-]."""
    anode = diagnostics.get("anode_potential_min_V", series.get("anode_potential_V"))
    ccd = diagnostics.get("ccd_ratio")
    if ccd is None and chemistry.critical_current_density_A_per_m2 is not None:
        i = np.abs(series["lithium_interface_current_density_A_per_m2"])
        ccd = i / np.array([chemistry.critical_current_density_A_per_m2(T) for T in series["temperature_K"]])
    return anode, ccd


def run_heating(cfg: Config) -> Outcome:
    """Metrics and series of a heating case."""
    run = run_heating_phase(cfg)
    chemistry = chemistry_of(cfg)
    series = run.solution.series
    reached = bool(np.isfinite(run.reached_s))
    anode, ccd = _plating_indicators(chemistry, series, run.diagnostics)
    phase = slice(None) if not reached else slice(0, int(np.searchsorted(series["time_s"], run.reached_s)) + 1)
    heating_part = {name: values[phase] for name, values in series.items()}
    margin = cfg.heating.plating_margin_V
    metrics = cell_heating_metrics(heating_part, reached, soc_capacity_Ah(chemistry),
                                   None if anode is None else anode[phase], margin,
                                   None if ccd is None else ccd[phase])
    if cfg.heating.hold_s > 0 and reached:
        metrics.update(hold_metrics(series, run.reached_s, anode, margin))
    outcome = Outcome(metrics, termination=run.solution.termination,
                      warnings=list(run.solution.warnings) + heater_warnings(cfg))
    outcome.store(run.solution)
    if "soc" not in outcome.timeseries:
        outcome.timeseries["soc"] = cfg.cell.initial_soc - series["discharge_capacity_Ah"] / soc_capacity_Ah(chemistry)
        outcome.timeseries_units["soc"] = "1"
    for name, values in run.diagnostics.items():
        outcome.timeseries[f"ac_{name}"] = values
        outcome.timeseries_units[f"ac_{name}"] = _DIAGNOSTIC_UNITS[name]
    command = series["heating_command"]
    codes = run.diagnostics.get("binding_limit", np.where(command >= 0.99, HEATER_POWER, CONTROLLER))
    outcome.labels["binding_limit"] = dominant_binding(codes[phase], command[phase], series["time_s"][phase])
    if not reached:
        outcome.warnings.append(
            f"{cfg.heating.method}/{cfg.heating.controller} did not reach {cfg.heating.target_C:g} degC "
            f"within {cfg.heating.max_duration_s:g} s (ended at {metrics['end_temperature_C']:.1f} degC)")
    return outcome
