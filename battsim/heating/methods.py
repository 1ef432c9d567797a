"""Heating methods and controllers: registries of ``{name: factory}`` with cited defaults.

A method and a controller together make a :class:`battsim.simulation.HeatingDesign`, built
once into the cell model; the per-case numbers (power limit, gains, target ...) are PyBaMM
inputs. :func:`heating_design` is the one place a (method, controller) pair becomes PyBaMM
submodels.

Methods
-------
``ptc``          electric coolant heater (PTC / HV coolant heater) feeding the coolant/plate
                 node; electrical-to-heat efficiency 1.0 (a resistive heater turns all its
                 input into heat; the loop's losses are the node's conductance to ambient).
``heat_pump``    the same node fed by a heat pump whose COP falls with ambient temperature:
                 1.7 at -20 degC (Qin, Shao, Tian, Yang, Energy Procedia 2014, 726-729,
                 measured lower bound) rising linearly to 3.2 at -5 degC (Tang, Guo, Li,
                 Jiang, Energies 2020, measured BEV R134a system) and held above; below
                 -20 degC, the lowest ambient where an EV heat pump was shown to work, it
                 delivers nothing.
``ac``           internal sinusoidal AC heating (:mod:`battsim.heating.ac`), default 400 Hz
                 for the fixed-setting controllers (Processes 11, 1089 (2023),
                 doi:10.3390/pr11041089: plating-free AC preheating at 400 Hz).
``pulse``        bidirectional rectangular pulses, duty ratio 0.55 (the pulse ratio of most
                 heat in a 3.0-4.2 V window, Batteries 9, 457 (2023),
                 doi:10.3390/batteries9090457, reference AC-11).
``self_heating`` embedded nickel foil (Wang et al., Nature 529, 515 (2016),
                 doi:10.1038/nature16502); the foil design is calibrated against SH-01 and
                 SH-03 (:mod:`battsim.heating.self_heating`).

Controllers
-----------
``thermostat``  full output until the target, then off; with ``heating.hold_s`` it holds the
                target within a hysteresis band of ``heating.band_K``.
``pi``          PI on the cell temperature with back-calculation anti-windup, set point
                ``target_C + pi_offset_K``.
``rapid``       the largest output the constraints allow at every instant: for AC and pulse
                the amplitude and frequency of most heat within the voltage window, plating
                margin (or critical current density), current limit, envelope validity and
                (if set) the warming-rate cap ``max_warming_rate_K_per_min``;
                for the external heaters full power with the coolant node held below
                ``node_limit_C``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Callable

import numpy as np

from battsim.cells import Chemistry
from battsim.heating import submodels as hs
from battsim.simulation import HeatingDesign
from battsim.units import celsius_to_kelvin

METHODS = ("ptc", "heat_pump", "ac", "pulse", "self_heating")
CONTROLLERS = ("thermostat", "pi", "rapid")
INTERNAL = ("ac", "pulse")

#: heat pump COP against ambient temperature [degC] (see the module docstring)
HEAT_PUMP_COP = ((-60.0, 0.0), (-20.01, 0.0), (-20.0, 1.7), (-5.0, 3.2), (60.0, 3.2))


def heat_pump_cop_table_K() -> tuple[np.ndarray, np.ndarray]:
    """:data:`HEAT_PUMP_COP` as (ambient temperature [K], COP [-]) arrays."""
    T_C, cop = zip(*HEAT_PUMP_COP)
    return celsius_to_kelvin(np.array(T_C)), np.array(cop)


def heat_pump_cop(ambient_C: float) -> float:
    """Heat pump COP at ``ambient_C`` [degC], linear in :data:`HEAT_PUMP_COP`."""
    T_C, cop = zip(*HEAT_PUMP_COP)
    return float(np.interp(ambient_C, T_C, cop))


@dataclass(frozen=True)
class HeatingSettings:
    """The numbers a heating design needs (from ``[heating]``, SI inside)."""

    method: str
    controller: str
    target_K: float
    from_battery: bool
    heater_power_W: float
    heater_efficiency: float
    node_limit_K: float
    ac_frequency_Hz: float
    ac_amplitude_A: float | None
    current_limit_A: float
    plating_margin_V: float
    kinetic_share_max: float
    inverter_efficiency: float
    pulse_duty: float
    foil_resistance_Ohm: float
    pi_gain_per_K: float
    pi_integral_gain_per_Ks: float
    pi_offset_K: float
    max_warming_rate_K_per_s: float | None = None


def _controller(settings: HeatingSettings) -> tuple[Callable, dict[str, float]]:
    if settings.controller == "pi":
        return hs.PIController, {
            "PI gain [K-1]": settings.pi_gain_per_K,
            "PI integral gain [K-1.s-1]": settings.pi_integral_gain_per_Ks,
            "PI setpoint [K]": settings.target_K + settings.pi_offset_K,
        }
    return hs.ConstantCommand, {hs.COMMAND: 1.0}


def _ac_map(chemistry: Chemistry, settings: HeatingSettings, initial_T_K: float, initial_soc: float):
    from battsim.heating import ac
    from battsim.heating.impedance import impedance_table

    table = impedance_table(chemistry.name)
    waveform = ac.Waveform("sine") if settings.method == "ac" else ac.Waveform("pulse", settings.pulse_duty)
    limits = ac.AcLimits(settings.current_limit_A, settings.plating_margin_V, settings.kinetic_share_max)
    if settings.controller == "rapid":
        return table, waveform, ac.rapid_map(table, waveform, limits)
    amplitude = settings.ac_amplitude_A
    if amplitude is None:
        # the largest amplitude the limits allow at the start state: a fixed setting that is
        # safe when switched on (it is not re-checked as the cell warms)
        allowed, _ = ac.amplitude_limit(table, waveform, settings.ac_frequency_Hz, limits)
        amplitude = float(ac._bilinear(table, allowed, np.array([initial_T_K]), np.array([initial_soc]))[0])
    return table, waveform, ac.fixed_map(table, waveform, settings.ac_frequency_Hz, amplitude)


@dataclass
class PreparedHeating:
    """A design ready to build, its per-case inputs, and what post-processing needs."""

    design: HeatingDesign
    inputs: dict[str, float]
    ac: tuple | None = None  # (table, waveform, heat map) for AC and pulse


def prepare(chemistry: Chemistry, settings: HeatingSettings, capacity_Ah: float,
            initial_T_K: float, initial_soc: float) -> PreparedHeating:
    """The heating design and inputs for one case."""
    controller, inputs = _controller(settings)
    inputs.update({hs.TARGET: settings.target_K, "Heating from battery": float(settings.from_battery)})
    key = f"{settings.method}/{settings.controller}"
    series = {}
    ac_data = None
    if settings.method in ("ptc", "heat_pump"):
        cop = None
        if settings.method == "heat_pump":
            cop = heat_pump_cop_table_K()
            series["heat_pump_cop"] = ("Heat pump COP", "1")
        coolant_limit = settings.controller == "rapid"

        def method(param, options):
            return hs.ExternalHeater(param, options, cop_table=cop, coolant_limit=coolant_limit)

        inputs.update({"Heater power limit [W]": settings.heater_power_W,
                       "Heater efficiency": settings.heater_efficiency})
        if coolant_limit:
            inputs["Node temperature limit [K]"] = settings.node_limit_K
    elif settings.method in INTERNAL:
        table, waveform, heat_map = _ac_map(chemistry, settings, initial_T_K, initial_soc)
        ac_data = (table, waveform, heat_map)
        scale = 1.0
        if len(heat_map.candidate_frequencies_Hz) == 1:  # fixed setting: the amplitude is an input
            scale = float(heat_map.amplitude_A.flat[0])
            heat_map_unit = dataclasses.replace(heat_map, heat_W=heat_map.heat_W / scale**2,
                                                candidate_heat_W=heat_map.candidate_heat_W / scale**2,
                                                amplitude_A=heat_map.amplitude_A / scale)
            key += f"/{heat_map_unit.digest()}"
            interpolant_data = heat_map_unit.as_interpolant_data()
        else:
            key += f"/{heat_map.digest()}"
            interpolant_data = heat_map.as_interpolant_data()
        inputs["AC amplitude scale"] = scale

        def method(param, options):
            return hs.TabulatedInternalHeater(param, options, heat_map=interpolant_data, capacity_Ah=capacity_Ah)

        inputs["Inverter efficiency"] = settings.inverter_efficiency
        rate = settings.max_warming_rate_K_per_s
        inputs["Maximum warming rate [K.s-1]"] = 1e6 if rate is None else rate
        inputs["Initial state of charge"] = initial_soc
        series["soc"] = ("State of charge", "1")
    elif settings.method == "self_heating":
        method = hs.FoilHeater
        inputs["Foil resistance [Ohm]"] = settings.foil_resistance_Ohm
        series["foil_current_A"] = ("Foil current [A]", "A")
    else:  # validated by the config layer
        raise ValueError(f"unknown heating method {settings.method!r}")
    design = HeatingDesign(key=f"{chemistry.name}/{key}", method=method, controller=controller,
                           inputs=tuple(inputs), series=series,
                           voltage_limits=settings.method != "self_heating")
    return PreparedHeating(design=design, inputs=inputs, ac=ac_data)
