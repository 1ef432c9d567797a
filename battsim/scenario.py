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
    initial_concentrations,
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
    elif cfg.scenario.kind == "trip":
        params.pop("initial_temperature_C")
        params.update(vehicle=cfg.vehicle.preset, cycle=cfg.drive.cycle, soak_h=cfg.climate.soak_h,
                      method=cfg.heating.method if (cfg.heating.precondition or cfg.heating.on_road) else "none",
                      controller=cfg.heating.controller, precondition=cfg.heating.precondition,
                      on_road=cfg.heating.on_road, cabin_heating=cfg.vehicle.cabin_heating,
                      distance_km=cfg.drive.distance_km)
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
                           cfg.solver.rtol, cfg.solver.atol, mesh_points=cfg.solver.mesh_points())
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
        elif cfg.scenario.kind == "trip":
            _run_trip(cfg, result)
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
                           heating=prepared.design, mesh_points=cfg.solver.mesh_points())
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


# ----------------------------------------------------------------------------------- trips

#: longest drive before a trip is stopped [s]
MAX_DRIVE_S = 48 * 3600.0
_DRIVE_ENDS = ("Minimum voltage", "State of charge floor", "Distance reached")
_reference_cache: dict[str, dict[str, float]] = {}


@dataclass
class TripSetup:
    """What a trip config resolves to: vehicle, pack, built model and its inputs."""

    vehicle: Any
    pack: Any
    model: Any
    inputs: dict[str, float]


def trip_setup(cfg: Config) -> TripSetup:
    """Resolve a ``trip`` config: vehicle preset and overrides, sized pack, heating design, inputs."""
    from battsim.heating import methods
    from battsim.heating import submodels as hs
    from battsim.heating.methods import heat_pump_cop
    from battsim.pack_simulation import TripHeating, get_pack_model
    from battsim.thermal.pack import Pack, sized_pack
    from battsim.vehicle.road_load import air_density_kg_per_m3
    from battsim.vehicle.vehicle import cabin_heater_electric_W, get_vehicle

    v = cfg.vehicle
    vehicle = get_vehicle(v.preset, mass_kg=v.mass_kg, cda_m2=v.cda_m2, crr=v.crr,
                          drivetrain_efficiency=v.drivetrain_efficiency, regen_efficiency=v.regen_efficiency,
                          aux_W=v.aux_W, cabin_setpoint_C=v.cabin_setpoint_C, cabin_ua_W_per_K=v.cabin_ua_W_per_K,
                          cabin_heater=None if v.cabin_heater == "preset" else v.cabin_heater,
                          battery_energy_kWh=v.battery_energy_kWh)
    p = cfg.pack
    pack_kwargs = dict(edge_fraction=p.edge_fraction, cell_to_pack_mass_ratio=p.cell_to_pack_mass_ratio,
                       coolant_L=p.coolant_L, plate_to_enclosure_W_per_K=p.plate_to_enclosure_W_per_K,
                       insulation_W_per_K=p.insulation_W_per_K)
    if p.series and p.parallel:
        pack = Pack(cfg.cell.chemistry, p.series, p.parallel, **pack_kwargs)
    else:
        pack = sized_pack(cfg.cell.chemistry, vehicle.battery_energy_kWh, series=p.series, **pack_kwargs)
    h = cfg.heating
    method = h.method if (h.precondition or h.on_road) else "none"
    controller = "pi" if h.controller == "pi" else "thermostat"
    heat_map, key = None, ""
    chemistry = get_chemistry(cfg.cell.chemistry)
    if method in methods.INTERNAL:
        settings = heating_settings(cfg)
        _, _, law = methods._ac_map(chemistry, settings, celsius_to_kelvin(cfg.climate.ambient_C),
                                     cfg.cell.initial_soc)
        heat_map, key = law.as_interpolant_data(), law.digest()
    design = TripHeating(method, controller, heat_map, key)
    massless = pack.non_cell_mass_kg == 0 and pack.coolant_L == 0
    model = get_pack_model(chemistry.name, tuple(pack.zones), cfg.drive.cycle, design, cfg.cell.model,
                           massless, h.plating_margin_V, cfg.solver.rtol, cfg.solver.atol,
                           cfg.solver.mesh_points())

    ambient_K = celsius_to_kelvin(cfg.climate.ambient_C)
    start_K = celsius_to_kelvin(cfg.climate.start_temperature_C)
    c_p0, c_n0 = initial_concentrations(chemistry.name, cfg.cell.initial_soc)
    cabin_W = 0.0
    if v.cabin_heating:
        cabin_W = cabin_heater_electric_W(vehicle, cfg.climate.ambient_C, heat_pump_cop)
    area = float(chemistry.parameter_values()["Cell cooling surface area [m2]"])
    inputs = {
        "Ambient temperature [K]": ambient_K, "Initial temperature [K]": start_K,
        "Cell heat capacity scale": cfg.thermal.heat_capacity_scale,
        "Initial concentration in positive electrode [mol.m-3]": c_p0,
        "Initial concentration in negative electrode [mol.m-3]": c_n0 if c_n0 is not None else 0.0,
        "Series cells": pack.series, "Parallel strings": pack.parallel,
        "Coolant heat capacity [J.K-1]": pack.coolant_heat_capacity_J_per_K,
        "Enclosure heat capacity [J.K-1]": pack.enclosure_heat_capacity_J_per_K,
        "Plate to enclosure conductance [W.K-1]": pack.plate_to_enclosure_W_per_K,
        "Insulation conductance [W.K-1]": pack.insulation_W_per_K,
        "Vehicle mass [kg]": vehicle.mass_kg, "Rolling resistance coefficient": vehicle.crr,
        "Drag area [m2]": vehicle.cda_m2, "Air density [kg.m-3]": float(air_density_kg_per_m3(ambient_K)),
        "Drivetrain efficiency": vehicle.drivetrain_efficiency, "Regeneration efficiency": vehicle.regen_efficiency,
        "Auxiliary power [W]": vehicle.aux_W, "Cabin heater power [W]": cabin_W,
        "Driving": 0.0, "Drive start time [s]": 0.0, "Distance target [m]": 1e12,
        "Minimum state of charge": cfg.drive.soc_min, "Initial state of charge": cfg.cell.initial_soc,
        "Heating target temperature [K]": 1e6, "Heating lower threshold [K]": 0.0,
        "Internal heat source [W]": 0.0, hs.COMMAND: 0.0, "Heater enabled": 0.0,
        "PI gain [K-1]": h.pi_gain_per_K, "PI integral gain [K-1.s-1]": h.pi_integral_gain_per_Ks,
        "PI setpoint [K]": celsius_to_kelvin(h.target_C),
        "Heater power limit [W]": 1000 * h.pack_heater_power_kW, "Heater efficiency": h.heater_efficiency,
        "Heating from battery": 0.0, "Inverter efficiency": h.inverter_efficiency,
        "AC amplitude scale": 1.0,
        "Maximum warming rate [K.s-1]": 1e6 if h.max_warming_rate_K_per_min is None else h.max_warming_rate_K_per_min / 60,
    }
    G_c = pack.cell_to_coolant_W_per_K()
    for zone, fraction in pack.zones.items():
        G_e = pack.edge_to_enclosure_W_per_K() if zone == "edge" else 0.0
        prefix = zone.capitalize() + " "
        inputs.update({prefix + "Zone cell count": fraction * pack.n_cells,
                       prefix + "Cell to coolant conductance [W.K-1]": G_c,
                       prefix + "Cell to enclosure conductance [W.K-1]": G_e,
                       prefix + "Total heat transfer coefficient [W.m-2.K-1]": (G_c + G_e) / area})
    return TripSetup(vehicle, pack, model, inputs)


@dataclass
class TripMarks:
    """When the phases of a trip began and ended [s]."""

    soak_end_s: float = 0.0
    precondition_end_s: float = float("nan")
    drive_start_s: float = 0.0
    drive_end_s: float = 0.0
    end_reason: str = ""


def run_trip(cfg: Config):
    """Solve a trip: soak -> optional preconditioning from the grid -> drive (with optional
    on-road heating) until the pack reaches a limit or the distance is driven.

    Returns
    -------
    solution : TripSolution
    marks : TripMarks
    setup : TripSetup
    """
    from battsim.heating import submodels as hs

    setup = trip_setup(cfg)
    h = cfg.heating
    target_K = celsius_to_kelvin(h.target_C)
    heated = setup.model.heating.method != "none"
    pi = setup.model.heating.controller == "pi"
    marks = TripMarks()
    state = {"phase": "soak"}

    def drive_inputs(t_now):
        changes = {"Driving": 1.0, "Drive start time [s]": t_now,
                   "Distance target [m]": 1000 * cfg.drive.distance_km if cfg.drive.distance_km else 1e12,
                   "Heating from battery": 1.0, "Heating target temperature [K]": 1e6,
                   "Heating lower threshold [K]": 0.0, hs.COMMAND: 0.0, "Heater enabled": 0.0}
        if heated and h.on_road:
            if pi:
                changes.update({"Heater enabled": 1.0, "PI setpoint [K]": target_K})
            else:
                changes.update({hs.COMMAND: 1.0, "Heating target temperature [K]": target_K + h.band_K / 2})
        return changes

    def phases(result):
        if result is None:
            return max(cfg.climate.soak_h * 3600.0, 1.0), {}
        t = float(result.series["time_s"][-1])
        T_min = float(result.series["min_cell_temperature_K"][-1])
        if state["phase"] == "soak":
            marks.soak_end_s = t
            if heated and h.precondition and T_min < target_K:
                state["phase"] = "precondition"
                changes = {"Heating from battery": 0.0, "Heating target temperature [K]": target_K}
                changes.update({"Heater enabled": 1.0, "PI setpoint [K]": target_K + h.pi_offset_K} if pi
                               else {hs.COMMAND: 1.0})
                return h.precondition_max_h * 3600.0, changes
            state["phase"] = "precondition"
            result = None  # no preconditioning: fall through to the drive
        if state["phase"] == "precondition":
            marks.precondition_end_s = t
            marks.drive_start_s = t
            state["phase"] = "drive"
            state["drive_end"] = t + MAX_DRIVE_S
            return MAX_DRIVE_S, drive_inputs(t)
        # driving: stop at a limit, else the thermostat switches
        reason = result.termination
        if any(end in reason for end in _DRIVE_ENDS) or t >= state["drive_end"] - 1e-6:
            marks.drive_end_s, marks.end_reason = t, reason
            return None
        if "Heating target reached" in reason:  # thermostat off until the lower threshold
            return state["drive_end"] - t, {hs.COMMAND: 0.0, "Heating target temperature [K]": 1e6,
                                            "Heating lower threshold [K]": target_K - h.band_K / 2}
        if "Heating lower threshold reached" in reason:
            return state["drive_end"] - t, {hs.COMMAND: 1.0, "Heating target temperature [K]": target_K + h.band_K / 2,
                                            "Heating lower threshold [K]": 0.0}
        marks.drive_end_s, marks.end_reason = t, reason
        return None

    solution = setup.model.solve(setup.inputs, phases)
    if not marks.drive_end_s:
        marks.drive_end_s, marks.end_reason = float(solution.series["time_s"][-1]), solution.termination
    return solution, marks, setup


def reference_trip_config(cfg: Config) -> Config:
    """The same vehicle and trip at 25 degC without heating."""
    return dataclasses.replace(
        cfg,
        climate=dataclasses.replace(cfg.climate, ambient_C=REFERENCE_C, start_temperature_C=REFERENCE_C),
        heating=dataclasses.replace(cfg.heating, method="none", precondition=False, on_road=False),
    )


def _run_trip(cfg: Config, result: CaseResult) -> None:
    from battsim.metrics import trip_metrics

    solution, marks, setup = run_trip(cfg)
    reference = reference_trip_config(cfg)
    key = reference.hash()
    if key not in _reference_cache:
        if reference == cfg:
            ref_solution, ref_marks = solution, marks
        else:
            ref_solution, ref_marks, _ = run_trip(reference)
        _reference_cache[key] = trip_metrics(ref_solution.series, ref_marks, cfg, None)
    result.metrics = trip_metrics(solution.series, marks, cfg, _reference_cache[key])
    result.timeseries, result.timeseries_units = {}, {}
    for name, values in solution.series.items():
        if name.endswith("temperature_K"):  # temperatures, not differences, go to degC
            result.timeseries[name[:-2] + "_C"], result.timeseries_units[name[:-2] + "_C"] = kelvin_to_celsius(values), "degC"
        else:
            result.timeseries[name], result.timeseries_units[name] = values, solution.units[name]
    t = solution.series["time_s"]
    # 0 soak, 1 preconditioning, 2 driving (a boundary instant belongs to the phase it ends)
    result.timeseries["phase"] = np.where(t <= marks.soak_end_s, 0.0, np.where(t <= marks.drive_start_s, 1.0, 2.0))
    result.timeseries_units["phase"] = "1"
    result.termination = marks.end_reason
    result.params.update(vehicle=cfg.vehicle.preset, cycle=cfg.drive.cycle, series=setup.pack.series,
                         parallel=setup.pack.parallel)
