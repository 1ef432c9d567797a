"""TOML configuration: parsed at the boundary into frozen, self-validating dataclasses.

A config file has one table per section (``[cell]``, ``[climate]`` ...). Every key has a
documented default, a unit (the suffix of its name: ``_C``, ``_W`` ...) and an allowed
range; an unknown section or key is an error with a close-match suggestion.

A list as the value of a key (``ambient_C = [25, 0, -10, -20]``) means one case per value;
several lists give their product. :func:`expand` is the one place this happens, and what
the sweep executors run on.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import math
import tomllib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from battsim.errors import ConfigError, did_you_mean


def setting(default, unit: str = "-", doc: str = "", *, ge=None, gt=None, le=None, lt=None,
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


def _fmt(value) -> str:
    return f"'{value}'" if isinstance(value, str) else repr(value)


class Section:
    """Base of the config sections: checks every field against its annotation and metadata."""

    _name = ""

    def __post_init__(self):
        hints = typing.get_type_hints(type(self))
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            _check_value(f"{self._name}.{f.name}", value, hints[f.name], f.metadata)
            if float in typing.get_args(hints[f.name]) + (hints[f.name],) and type(value) is int \
                    and int not in typing.get_args(hints[f.name]) + (hints[f.name],):
                object.__setattr__(self, f.name, float(value))  # 25 and 25.0 are one case


def _check_value(path: str, value, annotation, meta) -> None:
    unit = meta.get("unit", "-")
    unit_text = "" if unit in ("-", "") else f" [{unit}]"
    args = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    if value is None:
        if type(None) in args:
            return
        raise ConfigError(f"{path}: a value is required")
    if origin is Literal:
        if value not in args:
            allowed = ", ".join(_fmt(a) for a in args)
            raise ConfigError(f"{path} = {_fmt(value)}: must be one of {allowed}{did_you_mean(value, args)}")
        return
    base = [a for a in args if a is not type(None)][0] if args else annotation
    if base is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{path} = {_fmt(value)}: must be true or false")
        return
    if base is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{path} = {_fmt(value)}: must be a whole number{unit_text}")
        base = float  # then the range checks below
    if base is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{path} = {_fmt(value)}: must be a number{unit_text}")
        if not math.isfinite(value):
            raise ConfigError(f"{path} = {_fmt(value)}: must be a finite number{unit_text}")
        for bound, test, word in (("ge", lambda v, b: v >= b, ">="), ("gt", lambda v, b: v > b, ">"),
                                  ("le", lambda v, b: v <= b, "<="), ("lt", lambda v, b: v < b, "<")):
            limit = meta.get(bound)
            if limit is not None and not test(value, limit):
                raise ConfigError(f"{path} = {value!r}: must be {word} {limit:g}{unit_text}")
        return
    if base is str:
        if not isinstance(value, str):
            raise ConfigError(f"{path} = {_fmt(value)}: must be a text value")
        registry = meta.get("registry")
        if registry is not None and value not in registry():
            allowed = registry()
            raise ConfigError(
                f"{path} = {_fmt(value)}: unknown{did_you_mean(value, allowed)}; allowed: {', '.join(allowed)}"
            )
        return
    raise TypeError(f"unsupported config annotation {annotation} for {path}")  # programming error


@dataclass(frozen=True)
class ScenarioConfig(Section):
    """``[scenario]``: what to simulate."""

    _name = "scenario"
    kind: Literal["cell_discharge", "cell_heating", "trip"] = setting(
        "cell_discharge", doc="`cell_discharge`: one cell from `cell.initial_soc` at a constant C-rate "
        "to its lower voltage limit; `cell_heating`: one resting cell heated from ambient to "
        "`heating.target_C`; `trip`: a vehicle's pack through soak, preconditioning and driving")
    name: str = setting("", doc="a label for the run, copied into the result file")


@dataclass(frozen=True)
class CellConfig(Section):
    """``[cell]``: the cell and its model."""

    _name = "cell"
    chemistry: str = setting("nmc811-graphite", doc="registered chemistry (`battsim chemistries`)",
                             registry=_chemistry_names)
    model: Literal["DFN", "SPMe", "SPM"] = setting(
        "DFN", doc="PyBaMM model; SPMe and SPM warn below 0 degC, where they lose validity")
    initial_soc: float = setting(1.0, "-", "state of charge at the start, 0 to 1", ge=0.0, le=1.0)
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
    series: int | None = setting(None, "-", "cells in series; default: about 355 V nominal", ge=1, le=1000)
    parallel: int | None = setting(None, "-", "parallel strings; default: to reach `vehicle.battery_energy_kWh`",
                                   ge=1, le=1000)
    edge_fraction: float = setting(0.25, "-", "share of cells in the edge thermal zone (0: one zone)", ge=0.0, lt=1.0)
    cell_to_pack_mass_ratio: float = setting(0.62, "-", "cell mass / pack mass (VW MEB packs: 0.60-0.63)",
                                             gt=0.0, le=1.0)
    coolant_L: float = setting(5.0, "L", "coolant volume (assumed; no published pack value found)", ge=0.0, le=100.0)
    plate_to_enclosure_W_per_K: float = setting(20.0, "W.K-1", "cooling plate to enclosure conductance",
                                                gt=0.0, le=1e6)
    insulation_W_per_K: float = setting(10.0, "W.K-1", "enclosure to ambient conductance (assumed, EX-15)",
                                        gt=0.0, le=1e6)


@dataclass(frozen=True)
class VehicleConfig(Section):
    """``[vehicle]``: a preset and any of its parameters overridden."""

    _name = "vehicle"
    preset: Literal["compact", "midsize-suv"] = setting(
        "compact", doc="`compact` (2020 Chevrolet Bolt EV) or `midsize-suv` (2022 Tesla Model Y RWD), FASTSim data")
    mass_kg: float | None = setting(None, "kg", "test mass; default: the preset's", gt=100.0, le=1e5)
    cda_m2: float | None = setting(None, "m2", "drag area; default: the preset's", gt=0.0, le=20.0)
    crr: float | None = setting(None, "-", "rolling-resistance coefficient; default: the preset's", gt=0.0, le=0.1)
    drivetrain_efficiency: float | None = setting(None, "-", "battery-to-wheel efficiency; default 0.85",
                                                  gt=0.0, le=1.0)
    regen_efficiency: float | None = setting(None, "-", "share of braking power returned; default 0.83",
                                             ge=0.0, le=1.0)
    aux_W: float | None = setting(None, "W", "auxiliary load; default: the preset's", ge=0.0, le=1e5)
    cabin_heating: bool = setting(True, doc="heat the cabin to its set point while driving")
    cabin_setpoint_C: float | None = setting(None, "degC", "cabin set point; default 22", ge=0.0, le=35.0)
    cabin_ua_W_per_K: float | None = setting(None, "W.K-1", "cabin heat loss coefficient; default: the preset's",
                                             ge=0.0, le=1e4)
    cabin_heater: Literal["preset", "ptc", "heat_pump"] = setting(
        "preset", doc="cabin heater: the preset's, `ptc` or `heat_pump`")
    battery_energy_kWh: float | None = setting(None, "kW.h", "energy the pack is sized to; default: the preset's",
                                               gt=0.0, le=1000.0)


@dataclass(frozen=True)
class DriveConfig(Section):
    """``[drive]``: the driving of a trip."""

    _name = "drive"
    cycle: Literal["wltc", "cltc-p", "nedc", "udds", "hwfet", "us06", "artemis-urban", "artemis-rural",
                   "artemis-motorway-130", "artemis-motorway-150"] = setting(
        "wltc", doc="drive cycle, repeated (files and sources: battsim/data/drive_cycles/README.md)")
    distance_km: float | None = setting(None, "km", "distance to drive; absent: until the pack is empty", gt=0.0,
                                        le=5000.0)
    soc_min: float = setting(0.02, "-", "state of charge that ends the drive", ge=0.0, lt=1.0)


@dataclass(frozen=True)
class CarbonConfig(Section):
    """``[carbon]``: grid carbon intensity and charging losses."""

    _name = "carbon"
    grid_gco2_per_kWh: float = setting(367.0, "g.kW-1.h-1", "grid carbon intensity; default: US 2023, 0.81 lb/kWh "
                                       "(EIA, GR-10)", ge=0.0, le=2000.0)
    charging_efficiency: float = setting(0.884, "-", "wall-to-battery efficiency; default: Tesla Model Y L2 (GR-14)",
                                         gt=0.0, le=1.0)


@dataclass(frozen=True)
class DischargeConfig(Section):
    """``[discharge]``: the constant-current discharge of a cell test."""

    _name = "discharge"
    c_rate: float = setting(1.0, "h-1", "discharge current as a multiple of the nominal capacity",
                            gt=0.0, le=10.0)


@dataclass(frozen=True)
class ThermalConfig(Section):
    """``[thermal]``: how the cell exchanges heat."""

    _name = "thermal"
    h_W_per_m2K: float | None = setting(
        None, "W.m-2.K-1", "heat-transfer coefficient of the cell surface; default: the chemistry's "
        "(10, natural convection)", ge=0.0, le=1e4)
    internal_heat_W: float = setting(0.0, "W", "extra heat released inside the cell", ge=-1e4, le=1e4)
    external_node: bool = setting(
        False, doc="surround the cell with a lumped node (plate, coolant) instead of ambient air")
    node_heat_capacity_J_per_K: float = setting(500.0, "J.K-1", "heat capacity of the external node",
                                                gt=0.0, le=1e9)
    node_to_ambient_W_per_K: float = setting(0.1, "W.K-1", "conductance from the node to ambient",
                                             ge=0.0, le=1e6)
    node_heater_W: float = setting(0.0, "W", "heater power into the external node", ge=0.0, le=1e6)
    node_initial_temperature_C: float | None = setting(
        None, "degC", "node temperature at the start; default: the cell's", ge=-60.0, le=120.0)
    heat_capacity_scale: float = setting(
        1.0, "-", "multiplies the chemistry's cell heat capacity (e.g. thermal mass of packaging "
        "carried per cell)", gt=0.0, le=100.0)


@dataclass(frozen=True)
class HeatingConfig(Section):
    """``[heating]``: the heating method, its controller and their limits (per cell)."""

    _name = "heating"
    method: Literal["ptc", "heat_pump", "ac", "pulse", "self_heating", "none"] = setting(
        "ptc", doc="`ptc` coolant heater, `heat_pump`, `ac` internal sinusoid, `pulse` bidirectional "
        "pulses, `self_heating` embedded nickel foil, `none` (trips only)")
    controller: Literal["thermostat", "pi", "rapid"] = setting(
        "rapid", doc="`thermostat` full output to the target, `pi` PI on cell temperature, "
        "`rapid` the largest output the limits allow")
    target_C: float = setting(10.0, "degC", "cell temperature that ends the heating phase", ge=-40.0, le=60.0)
    power_source: Literal["grid", "battery"] = setting(
        "battery", doc="who pays: `grid` (plugged-in preconditioning) or `battery` (on the road)")
    max_duration_s: float = setting(3600.0, "s", "longest heating phase", gt=0.0, le=86400.0)
    precondition: bool = setting(False, doc="trip: heat the pack from the grid before departure, to `target_C`")
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
    heater_efficiency: float = setting(1.0, "-", "PTC electrical-to-heat efficiency", gt=0.0, le=1.0)
    node_limit_C: float = setting(60.0, "degC", "coolant/plate temperature the rapid controller keeps below",
                                  ge=-20.0, le=120.0)
    ac_frequency_Hz: float = setting(400.0, "Hz", "AC / pulse frequency of the fixed-setting controllers "
                                     "(Processes 11, 1089 (2023))", ge=0.1, le=1e4)
    ac_amplitude_A: float | None = setting(
        None, "A", "AC / pulse amplitude of the fixed-setting controllers; default: the largest the "
        "limits allow at the start", gt=0.0, le=1e4)
    current_limit_C: float = setting(3.0, "h-1", "largest AC / pulse current as a multiple of the "
                                     "nominal capacity (inverter rating)", gt=0.0, le=50.0)
    plating_margin_V: float = setting(0.0, "V", "lowest negative-electrode potential vs Li/Li+ allowed",
                                      ge=-0.1, le=0.5)
    kinetic_share_max: float = setting(0.1, "-", "AC harmonics with more reaction heat than this keep "
                                       "their overpotential swing below RT/F (linear envelope)", gt=0.0, le=1.0)
    inverter_efficiency: float = setting(0.95, "-", "efficiency of the AC / pulse power electronics "
                                         "(no published value found; set explicitly)", gt=0.0, le=1.0)
    pulse_duty: float = setting(0.55, "-", "pulse: fraction of the period discharging (AC-11)", gt=0.05, lt=0.95)
    foil_resistance_Ohm: float | None = setting(
        None, "Ohm", "self-heating foil resistance; default: the design calibrated on SH-01 scaled "
        "to the cell's capacity", gt=0.0, le=100.0)
    max_warming_rate_K_per_min: float | None = setting(
        None, "K.min-1", "AC / pulse: cap on the cell's warming rate (thermal stress); default: none",
        gt=0.0, le=600.0)
    pi_gain_per_K: float = setting(0.5, "K-1", "PI proportional gain on the temperature error", ge=0.0, le=1e3)
    pi_integral_gain_per_Ks: float = setting(0.005, "K-1.s-1", "PI integral gain", gt=0.0, le=1e3)
    pi_offset_K: float = setting(2.0, "K", "PI set point above `target_C`, so the target is crossed",
                                 gt=0.0, le=20.0)


@dataclass(frozen=True)
class SolverConfig(Section):
    """``[solver]``: PyBaMM IDAKLU tolerances and the finite-volume mesh."""

    _name = "solver"
    rtol: float = setting(1e-6, "-", "relative tolerance", gt=0.0, le=1e-2)
    atol: float = setting(1e-6, "-", "absolute tolerance", gt=0.0, le=1e-2)
    electrode_points: int = setting(20, "-", "finite-volume points across each electrode and the separator "
                                    "(PyBaMM's DFN default: 20)", ge=3, le=100)
    particle_points: int = setting(20, "-", "finite-volume points along each particle radius (PyBaMM's DFN "
                                   "default: 20; peak-power voltages need about 20)", ge=3, le=100)

    def mesh_points(self) -> tuple[int, int]:
        """(across the electrodes and separator, along the particle radii)."""
        return self.electrode_points, self.particle_points


@dataclass(frozen=True)
class Config:
    """One fully resolved case: every section, every key."""

    scenario: ScenarioConfig = field(default_factory=ScenarioConfig)
    cell: CellConfig = field(default_factory=CellConfig)
    climate: ClimateConfig = field(default_factory=ClimateConfig)
    discharge: DischargeConfig = field(default_factory=DischargeConfig)
    thermal: ThermalConfig = field(default_factory=ThermalConfig)
    heating: HeatingConfig = field(default_factory=HeatingConfig)
    pack: PackConfig = field(default_factory=PackConfig)
    vehicle: VehicleConfig = field(default_factory=VehicleConfig)
    drive: DriveConfig = field(default_factory=DriveConfig)
    carbon: CarbonConfig = field(default_factory=CarbonConfig)
    solver: SolverConfig = field(default_factory=SolverConfig)

    def __post_init__(self):
        if self.scenario.kind == "trip" and self.heating.method == "self_heating":
            raise ConfigError("heating.method = 'self_heating': not available in trips; allowed: "
                              "'none', 'ptc', 'heat_pump', 'ac', 'pulse'")
        # Resolve the keys whose default is another key, so a resolved config is explicit.
        if self.cell.initial_temperature_C is None:
            object.__setattr__(self, "cell", dataclasses.replace(
                self.cell, initial_temperature_C=self.climate.ambient_C))
        if self.thermal.node_initial_temperature_C is None:
            object.__setattr__(self, "thermal", dataclasses.replace(
                self.thermal, node_initial_temperature_C=self.cell.initial_temperature_C))

    def to_dict(self) -> dict[str, dict[str, Any]]:
        """``{section: {key: value}}`` with ``None`` (use the default rule) left out."""
        return {
            f.name: {k: v for k, v in dataclasses.asdict(getattr(self, f.name)).items() if v is not None}
            for f in dataclasses.fields(self)
        }

    def to_toml(self) -> str:
        return dumps_toml(self.to_dict())

    def hash(self) -> str:
        """A short, stable identifier of this case [16 hex digits]."""
        return config_hash(self.to_dict())


#: section name -> section class, in file order
SECTIONS: dict[str, type[Section]] = {f.name: f.default_factory for f in dataclasses.fields(Config)}


def keys() -> list[tuple[str, dataclasses.Field]]:
    """Every ``(section, field)`` of the schema, for the README and the CLI."""
    return [(name, f) for name, cls in SECTIONS.items() for f in dataclasses.fields(cls)]


@dataclass(frozen=True)
class Case:
    """One case of a run: its swept values (by config name) and its full config."""

    swept: dict[str, Any]
    config: Config


def config_hash(data: dict) -> str:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def read_toml(path: str | Path) -> dict:
    """Parse a TOML file; a missing or malformed file is a :class:`ConfigError`."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"config file '{path}' not found")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from error
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: not a UTF-8 text file") from error


def _check_names(raw: dict) -> None:
    for section, table in raw.items():
        if section not in SECTIONS:
            raise ConfigError(
                f"unknown section [{section}]{did_you_mean(section, SECTIONS)}; allowed: "
                + ", ".join(f"[{s}]" for s in SECTIONS)
            )
        if not isinstance(table, dict):
            raise ConfigError(f"[{section}] must be a table of keys, got {_fmt(table)}")
        allowed = [f.name for f in dataclasses.fields(SECTIONS[section])]
        for key in table:
            if key not in allowed:
                raise ConfigError(
                    f"unknown key '{key}' in [{section}]{did_you_mean(key, allowed)}; allowed: {', '.join(allowed)}"
                )


def parse_override(text: str) -> tuple[str, str, Any]:
    """``"section.key=value"`` -> ``(section, key, value)``; the value is read as TOML.

    A value that is not valid TOML is taken as text, so ``cell.chemistry=lfp-graphite``
    needs no quotes.
    """
    if "=" not in text:
        raise ConfigError(f"--set '{text}': expected section.key=value")
    path, value_text = text.split("=", 1)
    if path.count(".") != 1:
        raise ConfigError(f"--set '{text}': the key must be written section.key, e.g. climate.ambient_C")
    section, key = (part.strip() for part in path.split("."))
    try:
        value = tomllib.loads(f"v = {value_text.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        value = value_text.strip()
    return section, key, value


def apply_overrides(raw: dict, overrides: list[str]) -> dict:
    """A copy of ``raw`` with ``--set section.key=value`` overrides applied."""
    merged = {section: dict(table) for section, table in raw.items() if isinstance(table, dict)}
    merged.update({s: t for s, t in raw.items() if not isinstance(t, dict)})
    for text in overrides:
        section, key, value = parse_override(text)
        _check_names({section: {key: value}})
        merged.setdefault(section, {})[key] = value
    return merged


def expand(raw: dict) -> list[Case]:
    """Validate a raw config and expand its lists into cases (their product, in file order).

    Raises
    ------
    ConfigError
        For an unknown section or key, or any value outside what its key allows; every
        case is validated before any is returned.
    """
    _check_names(raw)
    axes = [(section, key, values) for section, table in raw.items()
            for key, values in table.items() if isinstance(values, list)]
    for section, key, values in axes:
        if not values:
            raise ConfigError(f"{section}.{key} = []: a list needs at least one value")
    leaf_counts: dict[str, int] = {}
    for _, key, _ in axes:
        leaf_counts[key] = leaf_counts.get(key, 0) + 1
    cases = []
    for combination in itertools.product(*(values for _, _, values in axes)):
        resolved = {section: dict(table) for section, table in raw.items()}
        for (section, key, _), value in zip(axes, combination):
            resolved[section][key] = value
        config = _build(resolved)
        swept = {key if leaf_counts[key] == 1 else f"{section}.{key}": getattr(getattr(config, section), key)
                 for section, key, _ in axes}
        cases.append(Case(swept=swept, config=config))
    return cases


def _build(resolved: dict) -> Config:
    sections = {}
    for name, cls in SECTIONS.items():
        table = resolved.get(name, {})
        try:
            sections[name] = cls(**table)
        except TypeError as error:  # a field the dataclass does not know; _check_names caught names
            raise ConfigError(f"[{name}]: {error}") from error
    return Config(**sections)


def load(path: str | Path, overrides: list[str] = ()) -> tuple[dict, list[Case]]:
    """Read ``path``, apply ``--set`` overrides, validate and expand.

    Returns
    -------
    raw : dict
        The config as given (lists kept), overrides applied.
    cases : list of Case
    """
    raw = apply_overrides(read_toml(path), list(overrides))
    return raw, expand(raw)


def dumps_toml(data: dict[str, dict[str, Any]]) -> str:
    """TOML text of ``{section: {key: value}}`` with scalar or list values."""
    lines = []
    for section, table in data.items():
        lines.append(f"[{section}]")
        lines += [f"{key} = {_toml_value(value)}" for key, value in table.items()]
        lines.append("")
    return "\n".join(lines)


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")


def reference_markdown() -> str:
    """The README's configuration reference table, generated from the schema.

    ``python -m battsim.config`` prints it.
    """
    rows = ["| key | default | unit | allowed | meaning |", "| --- | --- | --- | --- | --- |"]
    for section, f in keys():
        default = f.default
        shown = ("—" if default is None else f'"{default}"' if isinstance(default, str)
                 else str(default).lower() if isinstance(default, bool) else repr(default))
        meta = f.metadata
        hint = typing.get_type_hints(SECTIONS[section])[f.name]
        if typing.get_origin(hint) is Literal:
            allowed = " \\| ".join(f"`{a}`" for a in typing.get_args(hint))
        elif meta.get("registry"):
            allowed = "a registered chemistry"
        else:
            bounds = [f"{word} {meta[k]:g}" for k, word in (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<"))
                      if meta.get(k) is not None]
            allowed = ", ".join(bounds) or "—"
        rows.append(f"| `{section}.{f.name}` | {shown} | {meta['unit']} | {allowed} | {meta['doc']} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(reference_markdown())
