"""Heating controllers: a registry of ``{name: class}``, one class per controller.

``thermostat``  full output until the target, then off; with ``heating.hold_s`` it holds the
                target within a hysteresis band of ``heating.band_K``.
``pi``          PI on the cell temperature with back-calculation anti-windup (Astrom &
                Hagglund, *Advanced PID Control*, ISA 2006, ch. 3), set point
                ``target_C + pi_offset_K``.
``rapid``       the largest output the constraints allow at every instant: for AC and pulse
                the amplitude and frequency of most heat within the voltage window, plating
                margin (or critical current density), current limit, envelope validity and
                (if set) the warming-rate cap; for the external heaters full power with the
                coolant node held below ``node_limit_C``. In trips it runs as a thermostat.

A controller provides the command of one cell (a PyBaMM submodel and its inputs) and the
command of a pack (:class:`battsim.models.pack.terms.CommandTerms`).
"""

from __future__ import annotations

from typing import ClassVar

from battsim.errors import ConfigError, did_you_mean
from battsim.models import heating_submodels as hs
from battsim.models import names
from battsim.models._pybamm import pybamm
from battsim.models.pack.terms import CommandTerms, shared_variable


class Controller:
    """Command from the input ``"Heating command"`` (on/off segments): the thermostat."""

    name: ClassVar[str] = "thermostat"
    summary: ClassVar[str] = "full output to the target, then off (hysteresis band while holding)"
    #: the method builds the largest output its limits allow (AC heat map, coolant limit)
    rapid: ClassVar[bool] = False
    pi: ClassVar[bool] = False

    def cell_submodel(self):
        return hs.ConstantCommand

    def cell_inputs(self, settings) -> dict[str, float]:
        return {names.COMMAND: 1.0}

    def pack_command(self, T_min) -> CommandTerms:
        u = shared_variable(names.COMMAND)
        return CommandTerms(u, algebraic={u: u - pybamm.Parameter(names.COMMAND)},
                            initial_conditions={u: pybamm.Scalar(0)}, inputs=frozenset({names.COMMAND}))


class Rapid(Controller):
    name = "rapid"
    summary = "the largest output the limits allow at every instant"
    rapid = True


class PI(Controller):
    name = "pi"
    summary = "PI on the cell temperature with anti-windup, set point target_C + pi_offset_K"
    pi = True

    def cell_submodel(self):
        return hs.PIController

    def cell_inputs(self, settings) -> dict[str, float]:
        return {names.PI_GAIN: settings.pi_gain_per_K, names.PI_INTEGRAL_GAIN: settings.pi_integral_gain_per_Ks,
                names.PI_SETPOINT: settings.target_K + settings.pi_offset_K}

    def pack_command(self, T_min) -> CommandTerms:
        P = pybamm.Parameter
        u = shared_variable(names.COMMAND)
        x = pybamm.Variable("Pack PI integral state [K.s]", scale=100.0)
        Kp, Ki = P(names.PI_GAIN), P(names.PI_INTEGRAL_GAIN)
        error = P(names.PI_SETPOINT) - T_min
        u_raw = Kp * error + Ki * x
        u_sat = pybamm.minimum(pybamm.maximum(u_raw, 0), 1) * P(names.HEATER_ENABLED)
        return CommandTerms(u, rhs={x: error + (u_sat - u_raw) / Kp}, algebraic={u: u - u_sat},
                            initial_conditions={x: pybamm.Scalar(0), u: pybamm.Scalar(0)},
                            inputs=frozenset({names.PI_GAIN, names.PI_INTEGRAL_GAIN, names.PI_SETPOINT,
                                              names.HEATER_ENABLED}))


#: controller name -> class
CONTROLLERS: dict[str, type[Controller]] = {cls.name: cls for cls in (Controller, PI, Rapid)}


def controller_names() -> list[str]:
    return list(CONTROLLERS)


def get_controller(name: str) -> Controller:
    """The controller registered as ``name``."""
    if name not in CONTROLLERS:
        raise ConfigError(f"heating.controller = '{name}': unknown{did_you_mean(name, CONTROLLERS)}; "
                          f"allowed: {', '.join(CONTROLLERS)}")
    return CONTROLLERS[name]()
