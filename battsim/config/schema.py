"""The config schema: sections as frozen dataclasses that validate themselves.

A config file has one table per section (``[cell]``, ``[climate]`` ...). Every key has a
documented default, a unit (the suffix of its name: ``_C``, ``_W`` ...) and an allowed
range; a string key whose choices live in a registry (chemistries, heating methods and
controllers, drive cycles) is checked against it. Contradictions between keys are checked
when the whole :class:`Config` is built.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import math
import numbers
import typing
import warnings
from dataclasses import dataclass, field
from typing import Any, Literal

from battsim.config.tomlio import dumps_toml
from battsim.errors import ConfigError, did_you_mean
from battsim.models.mesh import Mesh


def setting(default, unit: str = "1", doc: str = "", *, ge=None, gt=None, le=None, lt=None,
            registry: typing.Callable[[], list[str]] | None = None):
    """A config key: its default, unit, description and allowed range.

    ``registry`` names a function listing the allowed values of a string key whose choices
    live in a registry (chemistries ...).
    """
    return field(default=default, metadata=dict(unit=unit, doc=doc, ge=ge, gt=gt, le=le, lt=lt,
                                                 registry=registry))


def _chemistry_names():
    from battsim.cells import chemistry_names

    return chemistry_names()


def _method_names():
    from battsim.heating import method_names

    return method_names()


def _controller_names():
    from battsim.heating import controller_names

    return controller_names()


def _cycle_names():
    from battsim.vehicle.cycles import cycle_names

    return cycle_names()


@functools.cache
def _hints(cls) -> dict:
    """Type hints of a section class (cached: resolving them costs more than a whole check)."""
    return typing.get_type_hints(cls)


@functools.cache
def _fields(cls) -> tuple:
    return dataclasses.fields(cls)


def _plain(value):
    """NumPy scalars (``np.int64``, ``np.float32``, ``np.bool_``) as Python values."""
    if isinstance(value, bool | str) or value is None:
        return value
    if hasattr(value, "item") and not isinstance(value, int | float):
        value = value.item()
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, numbers.Real) and not isinstance(value, int):
        return float(value)
    return value


def _fmt(value) -> str:
    return f"'{value}'" if isinstance(value, str) else repr(value)


class Section:
    """Base of the config sections: checks every field against its annotation and metadata."""

    _name = ""

    def __post_init__(self):
        hints = _hints(type(self))
        for f in _fields(type(self)):
            value = _plain(getattr(self, f.name))
            object.__setattr__(self, f.name, value)
            _check_value(f"{self._name}.{f.name}", value, hints[f.name], f.metadata)
            if type(value) is int and _is_float(hints[f.name]):
                object.__setattr__(self, f.name, float(value))  # 25 and 25.0 are one case


@functools.cache
def _is_float(annotation) -> bool:
    kinds = typing.get_args(annotation) + (annotation,)
    return float in kinds and int not in kinds


def literal_choices(annotation) -> tuple | None:
    """The values a ``Literal[...]`` key (or an optional one, ``Literal[...] | None``) allows, else ``None``."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) is not Literal and len(args) == 1:
        annotation = args[0]
    return typing.get_args(annotation) if typing.get_origin(annotation) is Literal else None


def _check_value(path: str, value, annotation, meta) -> None:
    """Check one key's value against its annotation and metadata; a :class:`ConfigError` if wrong."""
    args = typing.get_args(annotation)
    if value is None:
        if type(None) in args:
            return
        raise ConfigError(f"{path}: a value is required")
    base = [a for a in args if a is not type(None)][0] if type(None) in args else annotation
    choices = literal_choices(annotation)
    if choices is not None:
        if value not in choices:
            allowed = ", ".join(_fmt(a) for a in choices)
            raise ConfigError(f"{path} = {_fmt(value)}: must be one of {allowed}{did_you_mean(value, choices)}")
        return
    if base is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{path} = {_fmt(value)}: must be true or false")
    elif base in (int, float):
        _check_number(path, value, base is int, meta)
    elif base is str:
        _check_text(path, value, meta.get("registry"))
    else:
        raise TypeError(f"unsupported config annotation {annotation} for {path}")  # programming error


def _check_number(path: str, value, whole: bool, meta) -> None:
    unit = meta.get("unit", "1")
    unit_text = "" if unit in ("1", "") else f" [{unit}]"
    if whole and (isinstance(value, bool) or not isinstance(value, int)):
        raise ConfigError(f"{path} = {_fmt(value)}: must be a whole number{unit_text}")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{path} = {_fmt(value)}: must be a number{unit_text}")
    if not math.isfinite(value):
        raise ConfigError(f"{path} = {_fmt(value)}: must be a finite number{unit_text}")
    for bound, word in (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<")):
        limit = meta.get(bound)
        if limit is not None and not _BOUNDS[bound](value, limit):
            raise ConfigError(f"{path} = {value!r}: must be {word} {limit:g}{unit_text}")


#: ``[solver] rtol`` when not given: the fast model's trips are converged in time at 1e-4 (``FAST_RTOL``); the
#: DFN's are not (configs/trip.toml, which ends at a cut-off voltage: at 1e-4 range 0.2 % short and heating
#: energy 0.7 % high against 1e-6; converged from 1e-5), and its cell tests are converged at 1e-6
#: (``DEFAULT_RTOL``; validation/trip_tolerance.md, validation/mesh_convergence.md)
FAST_RTOL, DEFAULT_RTOL = 1e-4, 1e-6

_BOUNDS = {"ge": lambda v, b: v >= b, "gt": lambda v, b: v > b, "le": lambda v, b: v <= b, "lt": lambda v, b: v < b}


def _check_text(path: str, value, registry) -> None:
    if not isinstance(value, str):
        raise ConfigError(f"{path} = {_fmt(value)}: must be a text value")
    if registry is not None and value not in registry():
        allowed = registry()
        raise ConfigError(f"{path} = {_fmt(value)}: unknown{did_you_mean(value, allowed)}; "
                          f"allowed: {', '.join(allowed)}")


@dataclass(frozen=True)
class ScenarioConfig(Section):
    """``[scenario]``: what to simulate."""

    _name = "scenario"
    kind: Literal["cell_discharge", "cell_heating", "cell_envelope", "trip"] = setting(
        "cell_discharge", doc="`cell_discharge`: one cell from `cell.initial_soc` at a constant C-rate "
        "to its lower voltage limit; `cell_heating`: one resting cell heated from ambient to "
        "`heating.target_C`; `cell_envelope`: the largest discharge and charge C-rates a cell at ambient "
        "sustains for a pulse inside its limits; `trip`: a vehicle's pack through soak, preconditioning "
        "and driving")
    name: str = setting("", doc="a label for the run, copied into the result file")


@dataclass(frozen=True)
class CellConfig(Section):
    """``[cell]``: the cell and its model."""

    _name = "cell"
    chemistry: str = setting("nmc811-graphite", doc="registered chemistry (`battsim chemistries`)",
                             registry=_chemistry_names)
    model: Literal["DFN", "SPMe", "SPM", "fast"] = setting(
        "DFN", doc="PyBaMM model; SPMe and SPM warn below 0 degC, where they lose validity; `fast` (trips "
                   "only) is the SPM with an element calibrated from the converged DFN (`battsim calibrate`), warns "
                   "outside its calibrated temperatures")
    initial_soc: float = setting(1.0, "1", "state of charge at the start, 0 to 1", ge=0.0, le=1.0)
    initial_temperature_C: float | None = setting(
        None, "degC", "cell temperature at the start; default: `climate.ambient_C`", ge=-60.0, le=80.0)


@dataclass(frozen=True)
class ClimateConfig(Section):
    """``[climate]``: the surroundings."""

    _name = "climate"
    ambient_C: float = setting(25.0, "degC", "ambient air temperature", ge=-50.0, le=60.0)
    soak_h: float = setting(10.0, "h", "trip: hours parked at ambient before departure", ge=0.0, le=240.0)
    start_temperature_C: float = setting(
        25.0, "degC", "trip: pack temperature when it is parked (start of the soak)", ge=-50.0, le=60.0)


@dataclass(frozen=True)
class PackConfig(Section):
    """``[pack]``: the trip's battery pack (sized to the vehicle unless `series`/`parallel` are given)."""

    _name = "pack"
    series: int | None = setting(None, "1", "cells in series; default: about 355 V nominal", ge=1, le=1000)
    parallel: int | None = setting(None, "1", "parallel strings; default: to reach `vehicle.battery_energy_kWh`",
                                   ge=1, le=1000)
    edge_fraction: float = setting(0.25, "1", "share of cells in the edge thermal zone (0: one zone)", ge=0.0, lt=1.0)
    cell_to_pack_mass_ratio: float = setting(0.62, "1", "cell mass / pack mass (VW MEB packs: 0.60-0.63)",
                                             gt=0.0, le=1.0)
    coolant_L: float = setting(5.0, "L", "coolant volume (assumed; no published pack value found)", ge=0.0, le=100.0)
    plate_to_enclosure_W_per_K: float = setting(20.0, "W/K", "cooling plate to enclosure conductance",
                                                gt=0.0, le=1e6)
    insulation_W_per_K: float = setting(10.0, "W/K", "enclosure to ambient conductance (assumed, EX-15)",
                                        gt=0.0, le=1e6)


@dataclass(frozen=True)
class VehicleConfig(Section):
    """``[vehicle]``: a preset and any of its parameters overridden."""

    _name = "vehicle"
    preset: Literal["compact", "midsize-suv", "small-hatch"] = setting(
        "compact", doc="`compact` (2020 Chevrolet Bolt EV), `midsize-suv` (2022 Tesla Model Y RWD) or "
        "`small-hatch` (2016 Nissan Leaf 24 kWh), FASTSim data")
    mass_kg: float | None = setting(None, "kg", "test mass; default: the preset's", gt=100.0, le=1e5)
    cda_m2: float | None = setting(None, "m**2", "drag area; default: the preset's", gt=0.0, le=20.0)
    crr: float | None = setting(None, "1", "rolling-resistance coefficient at 25 degC; default: the preset's",
                                gt=0.0, le=0.1)
    crr_per_K: float = setting(0.008, "1/K", "rise of rolling resistance per kelvin below 25 degC (ISO 28580 "
                               "temperature correction, defined for 20-30 degC); 0 switches it off", ge=0.0, le=0.03)
    drivetrain_efficiency: float | None = setting(
        None, "1", "one battery-to-wheel efficiency in traction; default: the preset's drivetrain map", gt=0.0, le=1.0)
    regen_efficiency: float | None = setting(
        None, "1", "one wheel-to-battery efficiency in braking; default: the preset's drivetrain map", ge=0.0, le=1.0)
    aux_W: float | None = setting(None, "W", "auxiliary load; default: the preset's", ge=0.0, le=1e5)
    cabin_heating: bool = setting(True, doc="heat the cabin to its set point while driving")
    cabin_setpoint_C: float | None = setting(None, "degC", "cabin set point; default 22", ge=0.0, le=35.0)
    cabin_ua_W_per_K: float | None = setting(
        None, "W/K", "cabin shell conductance (shell coefficient x plate area, in series with the outside film); "
        "default: the preset's (151 W/K)", gt=0.0, le=1e4)
    cabin_heat_capacity_J_per_K: float | None = setting(
        None, "J/K", "cabin air and interior heat capacity; default: the preset's (74.4 kJ/K)", gt=0.0, le=1e8)
    cabin_heater: Literal["preset", "ptc", "heat_pump"] = setting(
        "preset", doc="cabin heater: the preset's, `ptc` (resistive) or `heat_pump` (with a resistive backup)")
    cabin_heater_max_W: float | None = setting(
        None, "W", "largest power of the resistive heater (the heat pump's backup); default: the preset's (5000)",
        ge=0.0, le=1e5)
    cabin_heat_pump_max_W: float | None = setting(
        None, "W", "largest electric power of the heat pump; default: the preset's", ge=0.0, le=1e5)
    cabin_fresh_air_kg_per_s: float | None = setting(
        None, "kg/s", "ventilation air heated from ambient; default 0 (in the calibrated shell coefficient)",
        ge=0.0, le=1.0)
    cabin_solar_W: float | None = setting(None, "W", "solar heat gain of the cabin; default 0", ge=0.0, le=1e4)
    cabin_precondition_s: float = setting(
        0.0, "s", "heat the cabin from the grid for the last this long of the soak (and while the pack "
        "preconditions)", ge=0.0, le=86400.0)
    cabin_comfort_band_K: float = setting(
        2.0, "K", "the cabin counts as cold below set point minus this", gt=0.0, le=20.0)
    battery_energy_kWh: float | None = setting(None, "kW*h", "energy the pack is sized to; default: the preset's",
                                               gt=0.0, le=1000.0)


@dataclass(frozen=True)
class DriveConfig(Section):
    """``[drive]``: the driving of a trip."""

    _name = "drive"
    cycle: str = setting("wltc", doc="drive cycle, repeated (files and sources: "
                         "battsim/data/drive_cycles/README.md)", registry=_cycle_names)
    distance_km: float | None = setting(None, "km", "distance to drive; absent: until the pack is empty", gt=0.0,
                                        le=5000.0)
    soc_min: float = setting(0.02, "1", "state of charge that ends the drive", ge=0.0, lt=1.0)
    dynamometer: bool = setting(False, doc="drive on a chassis dynamometer in a climate cell, as published tests "
                                "do: aerodynamic drag as specified for 20 degC (the rolls' road-load target, 40 CFR "
                                "1066.805(c)), tyres at the cell's temperature (ISO 28580 is itself a drum test)")


@dataclass(frozen=True)
class CarbonConfig(Section):
    """``[carbon]``: grid carbon intensity and charging losses."""

    _name = "carbon"
    grid_gco2_per_kWh: float = setting(367.0, "g/(kW*h)", "grid carbon intensity; default: US 2023, 0.81 lb/kWh "
                                       "(EIA, GR-10)", ge=0.0, le=2000.0)
    charging_efficiency: float = setting(0.884, "1", "wall-to-battery efficiency; default: Tesla Model Y L2 (GR-14)",
                                         gt=0.0, le=1.0)


@dataclass(frozen=True)
class DischargeConfig(Section):
    """``[discharge]``: the constant-current discharge of a cell test."""

    _name = "discharge"
    c_rate: float = setting(1.0, "1/h", "discharge current as a multiple of the nominal capacity",
                            gt=0.0, le=10.0)


@dataclass(frozen=True)
class EnvelopeConfig(Section):
    """``[envelope]``: the operating envelope of a cell (``scenario.kind = "cell_envelope"``)."""

    _name = "envelope"
    soc: float = setting(0.5, "1", "state of charge at the start of each pulse", gt=0.0, lt=1.0)
    pulse_s: float = setting(
        10.0, "s", "pulse length the rate must be sustained for (10 s: the HPPC pulse of the USABC "
        "battery test manual)", gt=0.0, le=3600.0)
    max_c_rate: float = setting(10.0, "1/h", "the largest C-rate tried", gt=0.0, le=50.0)
    resolution_c_rate: float = setting(
        0.01, "1/h", "the search stops when the rate is known to this or to 1 % of it", gt=0.0, le=1.0)
    plating_margin_V: float = setting(
        0.0, "V", "charge, graphite cells: lowest allowed negative-electrode potential against Li/Li+",
        ge=-0.1, le=0.5)


@dataclass(frozen=True)
class ThermalConfig(Section):
    """``[thermal]``: how the cell exchanges heat."""

    _name = "thermal"
    condition: Literal["still-air", "thermal-chamber"] = setting(
        "still-air", doc="where a cell test sits: `still-air` (natural convection, the chemistry's 10 "
        "W/(m**2*K), vehicle-like: the cell warms itself) or `thermal-chamber` (forced air, 140 W/(m**2*K): "
        "the cell is held near ambient, as in a capacity-versus-temperature test)")
    h_W_per_m2K: float | None = setting(
        None, "W/(m**2*K)", "heat-transfer coefficient of the cell surface; default: from `condition`",
        ge=0.0, le=1e4)
    internal_heat_W: float = setting(0.0, "W", "extra heat released inside the cell", ge=-1e4, le=1e4)
    external_node: bool = setting(
        False, doc="surround the cell with a lumped node (plate, coolant) instead of ambient air")
    node_heat_capacity_J_per_K: float = setting(500.0, "J/K", "heat capacity of the external node",
                                                gt=0.0, le=1e9)
    node_to_ambient_W_per_K: float = setting(0.1, "W/K", "conductance from the node to ambient",
                                             ge=0.0, le=1e6)
    node_heater_W: float = setting(0.0, "W", "heater power into the external node", ge=0.0, le=1e6)
    node_initial_temperature_C: float | None = setting(
        None, "degC", "node temperature at the start; default: the cell's", ge=-60.0, le=120.0)
    heat_capacity_scale: float = setting(
        1.0, "1", "multiplies the chemistry's cell heat capacity (e.g. thermal mass of packaging "
        "carried per cell)", gt=0.0, le=100.0)


@dataclass(frozen=True)
class HeatingConfig(Section):
    """``[heating]``: the heating method, its controller and their limits (per cell)."""

    _name = "heating"
    method: str = setting(
        "ptc", doc="`ptc` coolant heater, `heat_pump`, `ac` internal sinusoid, `pulse` bidirectional "
        "pulses, `self_heating` embedded nickel foil, `none` (trips only)", registry=_method_names)
    controller: str = setting(
        "rapid", doc="`thermostat` full output to the target, `pi` PI on cell temperature, "
        "`rapid` the largest output the limits allow", registry=_controller_names)
    target_C: float = setting(10.0, "degC", "cell temperature that ends the heating phase", ge=-40.0, le=60.0)
    power_source: Literal["grid", "battery"] = setting(
        "battery", doc="who pays: `grid` (plugged-in preconditioning) or `battery` (on the road)")
    max_duration_s: float = setting(3600.0, "s", "longest heating phase", gt=0.0, le=86400.0)
    precondition: bool = setting(False, doc="trip: heat the pack from the grid before departure, to `target_C`")
    model: Literal["DFN", "SPMe", "SPM", "fast"] | None = setting(
        None, doc="trip: cell model while parked (the soak and the preconditioning); the drive runs "
        "`cell.model`, from the state the parked model left (zone, coolant, enclosure and cabin temperatures, "
        "state of charge); e.g. `DFN` with `cell.model = \"fast\"` keeps the DFN's plating margin through an "
        "internal preconditioning; default: `cell.model`")
    precondition_max_h: float = setting(2.0, "h", "trip: longest preconditioning", gt=0.0, le=48.0)
    on_road: bool = setting(False, doc="trip: keep the pack at `target_C` while driving, from the battery")
    pack_heater_power_kW: float = setting(5.0, "kW", "trip: PTC / heat pump electrical power for the pack "
                                          "(5 kW coolant heater, EX-01/EX-02)", gt=0.0, le=100.0)
    hold_s: float = setting(0.0, "s", "after reaching the target, hold it this long (thermostat and rapid: "
                            "on/off within `band_K`; PI: set point `target_C`)", ge=0.0, le=86400.0)
    band_K: float = setting(2.0, "K", "hysteresis band of the thermostat around `target_C` while holding",
                            gt=0.0, le=20.0)
    heater_power_W: float = setting(
        1.8, "W", "electrical power limit of the PTC or heat pump per cell: a 5 kW heater (EX-02) "
        "over a 50 kWh pack of 2800 cells", gt=0.0, le=1e6)
    heater_efficiency: float = setting(1.0, "1", "PTC electrical-to-heat efficiency", gt=0.0, le=1.0)
    node_limit_C: float = setting(60.0, "degC", "coolant/plate temperature the rapid controller keeps below",
                                  ge=-20.0, le=120.0)
    ac_frequency_Hz: float = setting(400.0, "Hz", "AC / pulse frequency of the fixed-setting controllers "
                                     "(Processes 11, 1089 (2023))", ge=0.1, le=1e4)
    ac_amplitude_A: float | None = setting(
        None, "A", "AC / pulse amplitude of the fixed-setting controllers; default: the largest the "
        "limits allow at the start", gt=0.0, le=1e4)
    current_limit_C: float = setting(3.0, "1/h", "largest AC / pulse current as a multiple of the "
                                     "nominal capacity (inverter rating)", gt=0.0, le=50.0)
    plating_margin_V: float = setting(0.0, "V", "lowest negative-electrode potential vs Li/Li+ allowed",
                                      ge=-0.1, le=0.5)
    kinetic_share_max: float = setting(0.1, "1", "AC harmonics with more reaction heat than this keep "
                                       "their overpotential swing below RT/F (linear envelope)", gt=0.0, le=1.0)
    inverter_efficiency: float = setting(0.95, "1", "efficiency of the AC / pulse power electronics "
                                         "(no published value found; set explicitly)", gt=0.0, le=1.0)
    pulse_duty: float = setting(0.55, "1", "pulse: fraction of the period discharging (AC-11)", gt=0.05, lt=0.95)
    foil_resistance_Ohm: float | None = setting(
        None, "ohm", "self-heating foil resistance; default: the design calibrated on SH-01 scaled "
        "to the cell's capacity", gt=0.0, le=100.0)
    max_warming_rate_K_per_min: float | None = setting(
        None, "K/min", "AC / pulse: cap on the cell's warming rate (thermal stress); default: none",
        gt=0.0, le=600.0)
    pi_gain_per_K: float = setting(0.5, "1/K", "PI proportional gain on the temperature error", ge=0.0, le=1e3)
    pi_integral_gain_per_Ks: float = setting(0.005, "1/(K*s)", "PI integral gain", gt=0.0, le=1e3)
    pi_offset_K: float = setting(2.0, "K", "PI set point above `target_C`, so the target is crossed",
                                 gt=0.0, le=20.0)


@dataclass(frozen=True)
class SolverConfig(Section):
    """``[solver]``: PyBaMM IDAKLU tolerances and the finite-volume mesh."""

    _name = "solver"
    rtol: float | None = setting(
        None, "1", "relative tolerance; default: 1e-4 for `cell.model = \"fast\"`, 1e-6 otherwise (a DFN trip "
        "at 1e-4 is up to 0.7 % off: `python -m battsim.studies.trip_tolerance`, validation/trip_tolerance.md)",
        gt=0.0, le=1e-2)
    atol: float = setting(1e-6, "1", "absolute tolerance", gt=0.0, le=1e-2)
    electrode_points: int | None = setting(
        None, "1", "finite-volume points across each electrode and the separator; default: the "
        "chemistry's converged mesh (`battsim chemistries`)", ge=3, le=100)
    particle_points: int | None = setting(
        None, "1", "points along both particle radii; default: the chemistry's converged mesh "
        "(`python -m battsim.studies.convergence`)", ge=3, le=1000)
    negative_particle_points: int | None = setting(
        None, "1", "points along the negative particle radius; default: `particle_points`, else the "
        "chemistry's", ge=3, le=1000)
    positive_particle_points: int | None = setting(
        None, "1", "points along the positive particle radius; default: `particle_points`, else the "
        "chemistry's", ge=3, le=1000)
    negative_electrode_points: int | None = setting(
        None, "1", "points across the negative electrode only; default: `electrode_points`, else the "
        "chemistry's", ge=3, le=200)
    particle_stretch: float | None = setting(
        None, "1", "0: particle points evenly spaced; above 0: clustered at the particle surface with this "
        "stretch (PyBaMM's Exponential1DSubMesh); default: the chemistry's", ge=0.0, le=10.0)
    compile: bool | None = setting(
        None, doc="compile the model's equations to machine code with the system C compiler (PyBaMM's "
        "ahead-of-time option, cached in a subfolder of `$PYBAMM_CASADI_AOT_CACHE` per processor type, so "
        "nodes sharing the folder never load code built for another processor; without a compiler PyBaMM "
        "falls back to its interpreter): "
        "each solver step several times faster after a one-off compile of about 10 s for a `fast` trip and "
        "minutes for a DFN trip; default: on for `cell.model = \"fast\"`, off otherwise")

    suppress_algebraic_error: bool | None = setting(
        None, doc="leave the algebraic variables (currents, potentials) out of the solver's local error test "
        "(SUNDIALS IDA's `IDASetSuppressAlg`; they are still solved to the Newton tolerance): a drive then "
        "takes about half the steps; the fast model's trips stay converged with it on every metric but refused "
        "regeneration (within 4.2 %; validation/fidelity.md, fourth section); at rtol 1e-5 the DFN's trips stay "
        "within 0.21 % of its defaults on every metric but refused regeneration (0.6–2.3 % off on 9 of the 38 "
        "trips: not converged) in a quarter of the time (the fleet sweep sets it), at rtol 1e-6 or 1e-7 within "
        "0.5 % (or 0.1 Wh) on every metric in about a third of the time (validation/fidelity.md); default: on for "
        "`cell.model = \"fast\"`, off otherwise")

    def relative_tolerance(self, model: str) -> float:
        """The solver's relative tolerance for ``model`` (``rtol``, else :data:`FAST_RTOL` for the fast model,
        :data:`DEFAULT_RTOL` otherwise)."""
        if self.rtol is None:
            return FAST_RTOL if model == "fast" else DEFAULT_RTOL
        return float(self.rtol)

    def compiled(self, model: str) -> bool:
        """Whether the solver compiles ``model``'s equations (``compile``, else on for the fast model)."""
        return model == "fast" if self.compile is None else bool(self.compile)

    def algebraic_error_suppressed(self, model: str) -> bool:
        """Whether the solver leaves algebraic variables out of its error test (else on for the fast model)."""
        return model == "fast" if self.suppress_algebraic_error is None else bool(self.suppress_algebraic_error)

    def mesh(self, default: Mesh) -> Mesh:
        """The mesh: each setting of this section where given, else ``default``'s (the chemistry's
        converged mesh for the case). ``electrode_points`` alone sets every region across."""
        default = Mesh.of(default)
        across = self.electrode_points or default.across
        negative = self.negative_electrode_points or (None if self.electrode_points else default.negative_across)
        return Mesh(across,
                    self.negative_particle_points or self.particle_points or default.r_negative,
                    self.positive_particle_points or self.particle_points or default.r_positive,
                    negative_across=negative if negative != across else None,
                    particle_stretch=default.particle_stretch if self.particle_stretch is None
                    else float(self.particle_stretch))


@dataclass(frozen=True)
class Config:
    """One fully resolved case: every section, every key."""

    scenario: ScenarioConfig = field(default_factory=ScenarioConfig)
    cell: CellConfig = field(default_factory=CellConfig)
    climate: ClimateConfig = field(default_factory=ClimateConfig)
    discharge: DischargeConfig = field(default_factory=DischargeConfig)
    envelope: EnvelopeConfig = field(default_factory=EnvelopeConfig)
    thermal: ThermalConfig = field(default_factory=ThermalConfig)
    heating: HeatingConfig = field(default_factory=HeatingConfig)
    pack: PackConfig = field(default_factory=PackConfig)
    vehicle: VehicleConfig = field(default_factory=VehicleConfig)
    drive: DriveConfig = field(default_factory=DriveConfig)
    carbon: CarbonConfig = field(default_factory=CarbonConfig)
    solver: SolverConfig = field(default_factory=SolverConfig)

    def __post_init__(self):
        _check_contradictions(self)
        # Resolve the keys whose default is another key, so a resolved config is explicit.
        for (section, key), (source_section, source_key) in DERIVED.items():
            if getattr(getattr(self, section), key) is None:
                value = getattr(getattr(self, source_section), source_key)
                object.__setattr__(self, section, dataclasses.replace(getattr(self, section), **{key: value}))
        start_C = self.cell.initial_temperature_C
        if self.scenario.kind == "cell_heating" and self.heating.target_C <= start_C:
            raise ConfigError(f"heating.target_C = {self.heating.target_C:g}: must be above the cell's start "
                              f"temperature ({start_C:g} degC, cell.initial_temperature_C or climate.ambient_C)")

    def to_dict(self) -> dict[str, dict[str, Any]]:
        """``{section: {key: value}}`` with ``None`` (use the default rule) left out (the values
        are scalars and tuples of a frozen config: no deep copy needed)."""
        out = {}
        for f in dataclasses.fields(self):
            section = getattr(self, f.name)
            out[f.name] = {g.name: list(v) if isinstance(v, tuple) else v for g in dataclasses.fields(section)
                           if (v := getattr(section, g.name)) is not None}
        return out

    def to_toml(self) -> str:
        return dumps_toml(self.to_dict())

    def hash(self) -> str:
        """A short, stable identifier of this case [16 hex digits] (computed once)."""
        cached = self.__dict__.get("_hash")
        if cached is None:
            cached = config_hash(self.to_dict())
            object.__setattr__(self, "_hash", cached)
        return cached


#: section name -> section class, in file order
SECTIONS: dict[str, type[Section]] = {f.name: f.default_factory for f in dataclasses.fields(Config)}


def keys() -> list[tuple[str, dataclasses.Field]]:
    """Every ``(section, field)`` of the schema, for the README and the CLI."""
    return [(name, f) for name, cls in SECTIONS.items() for f in dataclasses.fields(cls)]


def key_units() -> dict[str, str]:
    """Unit of every key (pint-readable; ``""`` for text and true/false), under ``key`` and
    ``section.key`` (the names case parameters use)."""
    units = {}
    for section, f in keys():
        hint = _hints(SECTIONS[section])[f.name]
        args = typing.get_args(hint) or (hint,)
        textual = typing.get_origin(hint) is Literal or str in args or bool in args
        unit = "" if textual else f.metadata.get("unit", "1")
        units.setdefault(f.name, unit)
        units[f"{section}.{f.name}"] = unit
    return units




def _check_contradictions(cfg: "Config") -> None:
    """Combinations of keys that cannot describe a case, found when the config is read."""
    from battsim.heating import get_method

    kind, h = cfg.scenario.kind, cfg.heating
    method = get_method(h.method)
    if kind == "trip" and not method.in_trips:
        allowed = ", ".join(f"'{name}'" for name in _method_names() if get_method(name).in_trips)
        raise ConfigError(f"heating.method = '{h.method}': not available in trips; allowed: {allowed}")
    if kind == "cell_heating" and not method.heats:
        allowed = ", ".join(f"'{name}'" for name in _method_names() if get_method(name).heats)
        raise ConfigError(f"heating.method = '{h.method}': a cell_heating case needs a heating method; "
                          f"allowed: {allowed}")
    if kind != "trip" and cfg.cell.model == "fast":
        raise ConfigError(f"cell.model = 'fast' in a {kind} case: the fast model is calibrated and measured for "
                          "trips (README, Fast trips); cell tests run 'DFN' (or 'SPMe', 'SPM')")
    if kind == "cell_discharge" and cfg.cell.initial_soc <= 0:
        raise ConfigError(f"cell.initial_soc = {cfg.cell.initial_soc:g}: a discharge needs charge to deliver; "
                          "must be > 0")
    if kind == "trip" and cfg.drive.soc_min >= cfg.cell.initial_soc:
        raise ConfigError(f"drive.soc_min = {cfg.drive.soc_min:g}: must be below cell.initial_soc "
                          f"({cfg.cell.initial_soc:g}), or the trip ends before it starts")
    if kind == "trip" and cfg.vehicle.cabin_precondition_s > 3600 * cfg.climate.soak_h:
        raise ConfigError(f"vehicle.cabin_precondition_s = {cfg.vehicle.cabin_precondition_s:g}: the cabin is "
                          f"preheated during the soak; must be at most climate.soak_h x 3600 "
                          f"({3600 * cfg.climate.soak_h:g})")


#: keys whose default is another key's value, in resolution order: (section, key) -> (section, key)
DERIVED = {("cell", "initial_temperature_C"): ("climate", "ambient_C"),
           ("thermal", "node_initial_temperature_C"): ("cell", "initial_temperature_C")}


def _derived_value(raw: dict, section: str, key: str):
    """What a derived key resolves to in ``raw`` when it is not given (following the chain)."""
    source_section, source_key = DERIVED[(section, key)]
    value = raw.get(source_section, {}).get(source_key)
    if value is None and (source_section, source_key) in DERIVED:
        return _derived_value(raw, source_section, source_key)
    if value is None:
        return next(f.default for f in _fields(SECTIONS[source_section]) if f.name == source_key)
    return value


#: sections (and keys of a section) each scenario kind reads; everything else is unused there
USED = {
    "cell_discharge": {"scenario": None, "cell": None, "climate": {"ambient_C"}, "discharge": None,
                       "thermal": None, "solver": None},
    "cell_heating": {"scenario": None, "cell": None, "climate": {"ambient_C"}, "thermal": None,
                     "heating": {f.name for f in dataclasses.fields(HeatingConfig)}
                     - {"precondition", "precondition_max_h", "on_road", "pack_heater_power_kW", "model"},
                     "solver": None},
    "cell_envelope": {"scenario": None, "cell": {"chemistry", "model"}, "climate": {"ambient_C"}, "thermal": None,
                      "envelope": None, "solver": None},
    "trip": {"scenario": None, "cell": {"chemistry", "model", "initial_soc"}, "climate": None,
             "thermal": {"heat_capacity_scale"}, "heating": None, "pack": None, "vehicle": None, "drive": None,
             "carbon": None, "solver": None},
}


def unused_keys(raw: dict, kind: str) -> list[str]:
    """Keys given in ``raw`` that a ``kind`` scenario does not read (``section.key``)."""
    used = USED[kind]
    unused = []
    for section, table in raw.items():
        if not isinstance(table, dict) or section not in SECTIONS:
            continue
        keys = used.get(section, set())
        defaults = {f.name: f.default for f in _fields(SECTIONS[section])}
        # a key left at its default, or at the value it is derived from, says nothing (a resolved
        # config writes every key)
        unused += [f"{section}.{key}" for key, value in table.items()
                   if keys is not None and key not in keys and value != defaults.get(key)
                   and not ((section, key) in DERIVED and value == _derived_value(raw, section, key))]
    return unused


def warn_unused(raw: dict, kind: str) -> None:
    """Warn (:class:`battsim.errors.ConfigWarning`), naming the keys a ``kind`` scenario ignores."""
    from battsim.errors import ConfigWarning

    unused = unused_keys(raw, kind)
    if unused:
        warnings.warn(f"scenario.kind = '{kind}' does not use {', '.join(unused)}; they are ignored",
                      ConfigWarning, stacklevel=3)


def config_hash(data: dict) -> str:
    """A short, stable identifier of a config [16 hex digits of a SHA-256]."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
