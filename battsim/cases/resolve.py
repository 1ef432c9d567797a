"""From a config to the objects a case runs on: the chemistry (resolved once, here), the cell
conditions, the heating settings in SI, and the case's parameters under their config names."""

from __future__ import annotations

from typing import Any

from battsim.cells import Chemistry, get_chemistry
from battsim.config import Case, Config
from battsim.heating import HeatingSettings, get_method
from battsim.heating.methods.self_heating import SelfHeating
from battsim.models import names
from battsim.models.calibration import fast_calibration
from battsim.models.cell import THERMAL_CHAMBER_H_W_PER_M2K, CellConditions, ExternalNodeConditions
from battsim.models.fast import FAST_MESH, FastCalibration
from battsim.units import celsius_to_kelvin


def chemistry_of(cfg: Config) -> Chemistry:
    """The chemistry object of ``cell.chemistry`` (the one place a case resolves the name)."""
    return get_chemistry(cfg.cell.chemistry)


def calibration_of(cfg: Config, chemistry: Chemistry, model: str) -> FastCalibration | None:
    """The fast model's calibration when ``model`` is ``"fast"``, on its mesh with any ``[solver]`` point
    counts given (built and cached on first use)."""
    if model != "fast":
        return None
    return fast_calibration(chemistry, mesh=cfg.solver.mesh(FAST_MESH))


def model_settings(cfg: Config, chemistry: Chemistry, model: str | None = None) -> dict[str, Any]:
    """The keyword arguments of ``get_cell_model``/``get_pack_model`` that depend on the model
    (``cell.model`` unless given): its calibration, its tolerances, and the ``[solver]`` switches whose defaults
    depend on it."""
    model = model or cfg.cell.model
    return {"calibration": calibration_of(cfg, chemistry, model), "rtol": cfg.solver.relative_tolerance(model),
            "atol": cfg.solver.atol, "compile": cfg.solver.compiled(model),
            "suppress_algebraic_error": cfg.solver.algebraic_error_suppressed(model)}


def cell_conditions(cfg: Config, chemistry: Chemistry, external_node: bool | None = None) -> CellConditions:
    """The :class:`CellConditions` of a cell config (discharge current from ``[discharge]``)."""
    thermal = cfg.thermal
    node = None
    if thermal.external_node if external_node is None else external_node:
        node = ExternalNodeConditions(
            heat_capacity_J_per_K=thermal.node_heat_capacity_J_per_K,
            conductance_to_ambient_W_per_K=thermal.node_to_ambient_W_per_K,
            heater_W=thermal.node_heater_W,
            initial_temperature_K=celsius_to_kelvin(thermal.node_initial_temperature_C),
        )
    h = thermal.h_W_per_m2K
    if h is None:
        h = (THERMAL_CHAMBER_H_W_PER_M2K if thermal.condition == "thermal-chamber"
             else float(chemistry.parameter_values()[names.HEAT_TRANSFER_COEFFICIENT]))
    return CellConditions(
        current_A=cfg.discharge.c_rate * chemistry.nominal_capacity_Ah,
        ambient_K=celsius_to_kelvin(cfg.climate.ambient_C),
        initial_temperature_K=celsius_to_kelvin(cfg.cell.initial_temperature_C),
        initial_soc=cfg.cell.initial_soc,
        h_W_per_m2K=h,
        internal_heat_W=thermal.internal_heat_W,
        node=node,
        heat_capacity_scale=thermal.heat_capacity_scale,
    )


def heater_warnings(cfg: Config) -> list[str]:
    """A reason if the config's heating method delivers no heat at its ambient (cell heating and trips)."""
    off = get_method(cfg.heating.method).unavailable(cfg.climate.ambient_C)
    return [off] if off else []


def heating_settings(cfg: Config, chemistry: Chemistry, method: str | None = None) -> HeatingSettings:
    """The heating numbers of a config, in SI, with the defaults that depend on the cell."""
    h = cfg.heating
    foil = h.foil_resistance_Ohm
    rate = h.max_warming_rate_K_per_min
    return HeatingSettings(
        method=method or h.method, controller=h.controller, target_K=celsius_to_kelvin(h.target_C),
        from_battery=h.power_source == "battery", heater_power_W=h.heater_power_W,
        heater_efficiency=h.heater_efficiency, node_limit_K=celsius_to_kelvin(h.node_limit_C),
        ac_frequency_Hz=h.ac_frequency_Hz, ac_amplitude_A=h.ac_amplitude_A,
        current_limit_A=h.current_limit_C * chemistry.nominal_capacity_Ah,
        plating_margin_V=h.plating_margin_V, kinetic_share_max=h.kinetic_share_max,
        inverter_efficiency=h.inverter_efficiency, pulse_duty=h.pulse_duty,
        foil_resistance_Ohm=SelfHeating.default_foil_resistance_Ohm(chemistry.nominal_capacity_Ah)
        if foil is None else foil,
        pi_gain_per_K=h.pi_gain_per_K, pi_integral_gain_per_Ks=h.pi_integral_gain_per_Ks, pi_offset_K=h.pi_offset_K,
        max_warming_rate_K_per_s=None if rate is None else rate / 60,
        pack_heater_power_W=1000 * h.pack_heater_power_kW,
    )


def parked_model(cfg: Config) -> str:
    """The cell model of a trip's soak and preconditioning (``heating.model``, else ``cell.model``)."""
    return cfg.heating.model or cfg.cell.model


def trip_heated(cfg: Config) -> bool:
    """Whether a trip heats its pack (a method, and preconditioning or on-road heating)."""
    h = cfg.heating
    return h.method != "none" and (h.precondition or h.on_road)


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
                      parked_model=parked_model(cfg),
                      method=cfg.heating.method if trip_heated(cfg) else "none",
                      controller=cfg.heating.controller, precondition=cfg.heating.precondition,
                      on_road=cfg.heating.on_road, cabin_heating=cfg.vehicle.cabin_heating,
                      distance_km=cfg.drive.distance_km, grid_gco2_per_kWh=cfg.carbon.grid_gco2_per_kWh,
                      charging_efficiency=cfg.carbon.charging_efficiency)
    elif cfg.scenario.kind == "cell_envelope":
        params.pop("initial_soc")
        params.update(soc=cfg.envelope.soc, pulse_s=cfg.envelope.pulse_s)
    else:
        params.update(c_rate=cfg.discharge.c_rate, condition=cfg.thermal.condition)
    params.update(case.swept)
    return params

