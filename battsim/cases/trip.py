"""A ``trip`` case: a vehicle's pack through soak, optional preconditioning from the grid, and a
drive (with optional on-road heating) until a limit or the distance, against the same trip at
25 degC without heating."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from battsim.cases.outcome import Outcome
from battsim.cases.phases import CabinPrecondition, Drive, PhaseSequence, Precondition, Soak
from battsim.cases.reference import REFERENCES, trip_reference
from battsim.cases.resolve import (
    chemistry_of,
    heater_warnings,
    heating_settings,
    model_settings,
    parked_model,
    trip_heated,
)
from battsim.cells import Chemistry
from battsim.config import Config
from battsim.heating import get_controller, get_method
from battsim.heating.design import trip_heating
from battsim.metrics import TripAssumptions, trip_metrics
from battsim.models import names
from battsim.models.pack import Pack, PackModel, continued, get_pack_model, sized_pack
from battsim.models.protocol import Solution
from battsim.models.soc import initial_concentrations
from battsim.units import celsius_to_kelvin
from battsim.vehicle.road_load import (
    CRR_CORRECTION_RANGE_C,
    air_density_kg_per_m3,
    rolling_resistance_coefficient,
)
from battsim.vehicle.vehicle import Vehicle, get_vehicle


@dataclass
class TripSetup:
    """What a trip config resolves to: chemistry, vehicle, pack, built models and the inputs.
    ``model`` drives; ``parked`` (the same object unless ``heating.model`` differs) soaks and preconditions."""

    chemistry: Chemistry
    vehicle: Vehicle
    pack: Pack
    model: PackModel
    inputs: dict[str, float]
    parked: PackModel | None = None

    def __post_init__(self):
        self.parked = self.parked or self.model


@dataclass
class TripMarks:
    """When the phases of a trip began and ended [s], and why the drive ended."""

    soak_end_s: float = 0.0
    precondition_start_s: float = math.nan
    precondition_end_s: float = math.nan
    drive_start_s: float = 0.0
    drive_end_s: float = 0.0
    end_reason: str = ""


def vehicle_of(cfg: Config) -> Vehicle:
    """The vehicle preset with the config's overrides."""
    v = cfg.vehicle
    area = get_vehicle(v.preset).cabin.area_m2
    cabin = dict(setpoint_C=v.cabin_setpoint_C, heat_capacity_J_per_K=v.cabin_heat_capacity_J_per_K,
                 shell_htc_W_per_m2K=None if v.cabin_ua_W_per_K is None else v.cabin_ua_W_per_K / area,
                 ptc_max_W=v.cabin_heater_max_W, heat_pump_max_W=v.cabin_heat_pump_max_W,
                 fresh_air_kg_per_s=v.cabin_fresh_air_kg_per_s, solar_W=v.cabin_solar_W)
    drivetrain = dict(efficiency=v.drivetrain_efficiency, regen_efficiency=v.regen_efficiency)
    return get_vehicle(v.preset, mass_kg=v.mass_kg, cda_m2=v.cda_m2, crr=v.crr, aux_W=v.aux_W,
                       battery_energy_kWh=v.battery_energy_kWh, cabin=cabin, drivetrain=drivetrain,
                       cabin_heater=None if v.cabin_heater == "preset" else v.cabin_heater)


def pack_of(cfg: Config, chemistry: Chemistry, vehicle: Vehicle) -> Pack:
    """The pack of the config: ``series`` x ``parallel`` if both given, else sized to the vehicle."""
    p = cfg.pack
    kwargs = dict(edge_fraction=p.edge_fraction, cell_to_pack_mass_ratio=p.cell_to_pack_mass_ratio,
                  coolant_L=p.coolant_L, plate_to_enclosure_W_per_K=p.plate_to_enclosure_W_per_K,
                  insulation_W_per_K=p.insulation_W_per_K)
    if p.series and p.parallel:
        return Pack(chemistry, p.series, p.parallel, **kwargs)
    return sized_pack(chemistry, vehicle.battery_energy_kWh, series=p.series, **kwargs)


#: the temperature a chassis dynamometer's road-load target is specified at (40 CFR 1066.805(c)) [degC]
DYNAMOMETER_ROAD_LOAD_C = 20.0


def drag_air_temperature_C(cfg: Config) -> float:
    """Temperature of the air the car pushes [degC]: the ambient on a road; on a chassis
    dynamometer the rolls impose the drag specified for 20 degC whatever the cell's temperature."""
    return DYNAMOMETER_ROAD_LOAD_C if cfg.drive.dynamometer else cfg.climate.ambient_C


def vehicle_inputs(cfg: Config, vehicle: Vehicle) -> dict[str, float]:
    """Road load, drivetrain and cabin inputs; the cabin heater starts off (phases switch it)."""
    d, c = vehicle.drivetrain, vehicle.cabin
    return {names.VEHICLE_MASS: vehicle.mass_kg, names.DRAG_AREA: vehicle.cda_m2,
            names.ROLLING_RESISTANCE: float(rolling_resistance_coefficient(vehicle.crr, cfg.climate.ambient_C,
                                                                           cfg.vehicle.crr_per_K)),
            names.AIR_DENSITY: float(air_density_kg_per_m3(celsius_to_kelvin(drag_air_temperature_C(cfg)))),
            names.AUX_POWER: vehicle.aux_W,
            names.MOTOR_MAX_POWER: d.motor_max_W, names.MOTOR_PEAK_EFFICIENCY: d.motor_peak_efficiency,
            names.GEARBOX_EFFICIENCY: d.gearbox_efficiency, names.REGEN_SHARE: d.regen_share,
            names.DRIVETRAIN_MAP: float(d.efficiency is None), names.REGEN_MAP: float(d.regen_efficiency is None),
            names.DRIVETRAIN_EFFICIENCY: d.efficiency or 1.0, names.REGEN_EFFICIENCY: d.regen_efficiency or 0.0,
            names.CABIN_HEAT_CAPACITY: c.heat_capacity_J_per_K, names.CABIN_SHELL_HTC: c.shell_htc_W_per_m2K,
            names.CABIN_STOPPED_HTC: c.stopped_htc_W_per_m2K, names.CABIN_LENGTH: c.length_m,
            names.CABIN_WIDTH: c.width_m, names.CABIN_SETPOINT: celsius_to_kelvin(c.setpoint_C),
            names.CABIN_GAIN: c.gain_W_per_K, names.CABIN_PTC_MAX: c.ptc_max_W,
            names.CABIN_HEAT_PUMP_MAX: c.heat_pump_max_W,
            names.CABIN_FRESH_AIR: c.fresh_air_kg_per_s, names.CABIN_SOLAR: c.solar_W,
            names.CABIN_HEATER_ON: 0.0, names.CABIN_FROM_GRID: 0.0,
            names.INITIAL_CABIN_TEMPERATURE: celsius_to_kelvin(cfg.climate.start_temperature_C)}


def _pack_inputs(pack: Pack, chemistry: Chemistry) -> dict[str, float]:
    inputs = {names.SERIES_CELLS: pack.series, names.PARALLEL_STRINGS: pack.parallel,
              names.COOLANT_HEAT_CAPACITY: pack.coolant_heat_capacity_J_per_K,
              names.ENCLOSURE_HEAT_CAPACITY: pack.enclosure_heat_capacity_J_per_K,
              names.PLATE_TO_ENCLOSURE: pack.plate_to_enclosure_W_per_K, names.INSULATION: pack.insulation_W_per_K}
    area = float(chemistry.parameter_values()[names.COOLING_SURFACE_AREA])
    G_c = pack.cell_to_coolant_W_per_K()
    for zone, fraction in pack.zones.items():
        G_e = pack.edge_to_enclosure_W_per_K() if zone == "edge" else 0.0
        prefix = names.zone_prefix(zone)
        inputs.update({prefix + names.ZONE_CELL_COUNT: fraction * pack.n_cells, prefix + names.CELL_TO_COOLANT: G_c,
                       prefix + names.CELL_TO_ENCLOSURE: G_e,
                       prefix + names.HEAT_TRANSFER_COEFFICIENT: (G_c + G_e) / area})
    return inputs


def initial_state_inputs(chemistry: Chemistry, zones_K: dict[str, float], coolant_K: float, enclosure_K: float,
                         soc: float) -> dict[str, float]:
    """The pack's initial state as inputs: each zone's temperature and (uniform) concentrations at
    ``soc``, the coolant's and enclosure's temperatures."""
    c_p0, c_n0 = initial_concentrations(chemistry, soc)
    inputs = {names.INITIAL_COOLANT_TEMPERATURE: coolant_K, names.INITIAL_ENCLOSURE_TEMPERATURE: enclosure_K,
              names.INITIAL_SOC: soc}
    for zone, T_K in zones_K.items():
        prefix = names.zone_prefix(zone)
        inputs.update({prefix + names.INITIAL_TEMPERATURE: T_K, prefix + names.INITIAL_C_POSITIVE: c_p0,
                       prefix + names.INITIAL_C_NEGATIVE: c_n0 if c_n0 is not None else 0.0})
    return inputs


def departure_inputs(setup: TripSetup, series) -> dict[str, float]:
    """The state a parked solve ended in (its series), as the drive model's initial-state inputs.

    Every zone's temperature, the coolant's, the enclosure's and the cabin's, and the state of charge
    (the zones carry one current, so one state of charge), each cell relaxed to uniform concentrations
    at it: after a soak and a preconditioning without net current the DFN's gradients are gone. The
    PI controller's integral restarts at zero: the drive's thermostat or PI starts from the pack's
    temperature."""
    zones_K = {zone: float(series[f"{zone}_temperature_K"][-1]) for zone in setup.pack.zones}
    state = initial_state_inputs(setup.chemistry, zones_K, float(series["coolant_temperature_K"][-1]),
                                 float(series["enclosure_temperature_K"][-1]), float(series["soc"][-1]))
    state[names.INITIAL_CABIN_TEMPERATURE] = float(series["cabin_temperature_K"][-1])
    return state


def _initial_inputs(cfg: Config, chemistry: Chemistry, settings, zones) -> dict[str, float]:
    """The state at parking: temperatures, state of charge, every switch off."""
    start_K = celsius_to_kelvin(cfg.climate.start_temperature_C)
    return {**initial_state_inputs(chemistry, dict.fromkeys(zones, start_K), start_K, start_K, cfg.cell.initial_soc),
            names.AMBIENT_TEMPERATURE: celsius_to_kelvin(cfg.climate.ambient_C),
            names.HEAT_CAPACITY_SCALE: cfg.thermal.heat_capacity_scale,
            names.DRIVING: 0.0, names.DRIVE_START: 0.0, names.DISTANCE_TARGET: names.NEVER_M,
            names.MIN_SOC: cfg.drive.soc_min,
            names.TARGET: names.NEVER_K, names.LOWER: names.NEVER_BELOW_K, names.INTERNAL_HEAT_SOURCE: 0.0,
            names.COMMAND: 0.0, names.HEATER_ENABLED: 0.0, names.BATTERY_SHARE: 0.0,
            names.PI_GAIN: settings.pi_gain_per_K, names.PI_INTEGRAL_GAIN: settings.pi_integral_gain_per_Ks,
            names.PI_SETPOINT: settings.target_K}


def trip_setup(cfg: Config) -> TripSetup:
    """Resolve a ``trip`` config: chemistry, vehicle and pack, heating design, built model, inputs."""
    chemistry = chemistry_of(cfg)
    vehicle = vehicle_of(cfg)
    pack = pack_of(cfg, chemistry, vehicle)
    ambient_K = celsius_to_kelvin(cfg.climate.ambient_C)
    settings = heating_settings(cfg, chemistry, method=cfg.heating.method if trip_heated(cfg) else "none")
    design = trip_heating(chemistry, settings, ambient_K, cfg.cell.initial_soc)
    massless = pack.non_cell_mass_kg == 0 and pack.coolant_L == 0

    def pack_model(name: str) -> PackModel:
        return get_pack_model(chemistry, tuple(pack.zones), cfg.drive.cycle, design, name, massless,
                              cfg.heating.plating_margin_V, mesh=cfg.solver.mesh(chemistry.mesh),
                              **model_settings(cfg, chemistry, name))

    inputs = {**_initial_inputs(cfg, chemistry, settings, pack.zones), **vehicle_inputs(cfg, vehicle),
              **_pack_inputs(pack, chemistry), **get_method(settings.method).trip_inputs(settings)}
    parked = parked_model(cfg)
    return TripSetup(chemistry, vehicle, pack, pack_model(cfg.cell.model), inputs,
                     None if parked == cfg.cell.model else pack_model(parked))


def trip_phases(cfg: Config, heated: bool) -> PhaseSequence:
    """Soak, preconditioning (if asked and needed), drive."""
    h = cfg.heating
    target_K = celsius_to_kelvin(h.target_C)
    pi = get_controller(h.controller).pi
    cabin_s = cfg.vehicle.cabin_precondition_s if cfg.vehicle.cabin_heating else 0.0
    return PhaseSequence([
        Soak(cfg.climate.soak_h * 3600.0 - cabin_s),
        CabinPrecondition(cabin_s),
        Precondition(heated and h.precondition, target_K, h.precondition_max_h * 3600.0, pi, h.pi_offset_K),
        Drive(1000 * cfg.drive.distance_km if cfg.drive.distance_km else None, heated and h.on_road, target_K,
              h.band_K, pi, cabin_heated=cfg.vehicle.cabin_heating),
    ])


def run_trip(cfg: Config) -> tuple[Solution, TripMarks, TripSetup]:
    """Solve a trip: soak -> optional preconditioning from the grid -> drive (handed over to the
    drive's model at departure when ``heating.model`` differs from ``cell.model``)."""
    setup = trip_setup(cfg)
    sequence = trip_phases(cfg, trip_heated(cfg))
    if setup.parked is setup.model:
        solution, parked, driving, departure_s = sequence.solve(setup.model, setup.inputs), sequence, sequence, 0.0
    else:
        solution, parked, driving, departure_s = _handed_over(setup, sequence)
    marks = TripMarks(soak_end_s=parked.end_s("soak"), precondition_start_s=parked.start_s("precondition"),
                      precondition_end_s=parked.end_s("precondition"),
                      drive_start_s=departure_s + driving.start_s("drive"),
                      drive_end_s=departure_s + driving.end_s("drive"), end_reason=driving.end_reason)
    if not marks.drive_end_s or not np.isfinite(marks.drive_end_s):
        marks.drive_end_s, marks.end_reason = float(solution.series["time_s"][-1]), solution.termination
    return solution, marks, setup


def _handed_over(setup: TripSetup, sequence: PhaseSequence):
    """The parked phases on ``setup.parked``, the drive on ``setup.model`` from the state they left:
    ``(solution, parked phases, drive phase, departure time [s])``, the drive's marks from departure."""
    parked, driving = PhaseSequence(sequence.phases[:-1]), PhaseSequence(sequence.phases[-1:])
    before = parked.solve(setup.parked, setup.inputs)
    state = departure_inputs(setup, before.series)
    zones_K = [state[names.zone_prefix(zone) + names.INITIAL_TEMPERATURE] for zone in setup.pack.zones]
    driving.phases[0].departure_K = min(zones_K)
    solution = continued(before, driving.solve(setup.model, {**setup.inputs, **state}))
    return solution, parked, driving, float(before.series["time_s"][-1])


def road_warnings(cfg: Config) -> list[str]:
    """Reasons the road load is extrapolated: the tyres' temperature correction outside its range."""
    low, high = CRR_CORRECTION_RANGE_C
    ambient = cfg.climate.ambient_C
    if low <= ambient <= high or cfg.vehicle.crr_per_K == 0:
        return []
    return [f"rolling resistance: the ISO 28580 temperature correction ({100 * cfg.vehicle.crr_per_K:.1f} %/K, "
            f"defined for "
            f"{low:g}-{high:g} degC) extrapolated to {ambient:g} degC"]


def cabin_warnings(cfg: Config, vehicle: Vehicle) -> list[str]:
    """A reason if the ambient is above the cabin's set point: battsim heats cabins, it does not cool them."""
    setpoint = vehicle.cabin.setpoint_C
    if cfg.climate.ambient_C <= setpoint:
        return []
    return [f"ambient {cfg.climate.ambient_C:g} degC is above the cabin set point ({setpoint:g} degC): cabin cooling "
            "(air conditioning) is not modelled, so the trip spends nothing on it and its energy and range are "
            "optimistic"]


def cutoff_warnings(cfg: Config, marks: TripMarks) -> list[str]:
    """A reason if a fast-model trip ended at a cell's cut-off voltage: its range is measured against
    the DFN for trips that end at ``drive.soc_min`` (README, Fast trips)."""
    if cfg.cell.model != "fast" or names.EVENT_MIN_VOLTAGE not in (marks.end_reason or ""):
        return []
    return [f"model 'fast': the drive ended at a cell's cut-off voltage ({marks.end_reason}), before "
            f"drive.soc_min = {cfg.drive.soc_min:g}; its range is measured against the DFN only for trips that end "
            "at drive.soc_min: run this trip with cell.model = \"DFN\""]


def trip_assumptions(cfg: Config, chemistry: Chemistry) -> TripAssumptions:
    """The scalars of a trip config its metrics need."""
    return TripAssumptions(soc_min=cfg.drive.soc_min, plating_margin_V=cfg.heating.plating_margin_V,
                           charging_efficiency=cfg.carbon.charging_efficiency,
                           grid_gco2_per_kWh=cfg.carbon.grid_gco2_per_kWh,
                           heating_target_K=celsius_to_kelvin(cfg.heating.target_C), heated=trip_heated(cfg),
                           preconditioned=cfg.heating.precondition,
                           ccd_A_per_m2=chemistry.critical_current_density_A_per_m2,
                           cabin_setpoint_K=celsius_to_kelvin(vehicle_of(cfg).cabin.setpoint_C),
                           comfort_band_K=cfg.vehicle.cabin_comfort_band_K)


def run_trip_case(cfg: Config) -> Outcome:
    """Metrics and series of a trip against its 25 degC reference (from the process cache)."""
    solution, marks, setup = run_trip(cfg)
    reference = trip_reference(cfg)

    def reference_metrics():
        ref_solution, ref_marks = (solution, marks) if reference == cfg else run_trip(reference)[:2]
        return trip_metrics(ref_solution.series, ref_marks, trip_assumptions(reference, setup.chemistry), None)

    metrics = trip_metrics(solution.series, marks, trip_assumptions(cfg, setup.chemistry),
                           REFERENCES.get(reference, reference_metrics))
    outcome = Outcome(metrics, termination=marks.end_reason,
                      warnings=list(solution.warnings) + road_warnings(cfg) + cutoff_warnings(cfg, marks)
                      + heater_warnings(cfg) + cabin_warnings(cfg, setup.vehicle),
                      params=dict(vehicle=cfg.vehicle.preset, cycle=cfg.drive.cycle, series=setup.pack.series,
                                  parallel=setup.pack.parallel))
    outcome.store(solution)
    t = solution.series["time_s"]
    # 0 soak, 1 preconditioning (cabin or pack), 2 driving (a boundary instant belongs to the phase it ends)
    outcome.timeseries["phase"] = np.where(t <= marks.soak_end_s, 0.0, np.where(t <= marks.drive_start_s, 1.0, 2.0))
    outcome.timeseries_units["phase"] = "1"
    return outcome
