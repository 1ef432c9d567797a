"""PyBaMM submodels of a heating system: controller, heating method, energy accounting.

They follow battsim's variable contract (names in :mod:`battsim.models.names`):

* a **controller** defines ``"Heating command"`` (0 to 1);
* a **method** turns the command into ``"Heater electrical power [W]"``, the split
  ``"Heating power from grid [W]"`` / ``"Heating power from battery [W]"``, the heat it puts
  inside the cell (``"Internal heat source [W]"``) and into the external node
  (``"External node heater power [W]"``), the heat lost outside both
  (``"Heating losses [W]"``) and, for a heat pump, the heat it pumps in from ambient
  (``"Heat pumped from ambient [W]"``);
* :class:`HeatingAccounting` integrates those powers into energies [J];
* the external circuit (:func:`heating_circuit`) draws the battery-powered share from the
  cell: :math:`I = I_{set} + P_{battery}/V`, PyBaMM's ``FunctionControl`` operating mode.

The heating methods of :mod:`battsim.heating` choose among the method submodels here (or
define their own, subclassing :class:`HeatingMethodSubmodel`).

With an external node the energy balance of a heating phase is

.. math::

    E_{grid} + E_{battery} + E_{pumped} + E_{electrochemical}
    = \\int C(T)\\,dT + C_n\\,\\Delta T_n + E_{to\\,ambient} + E_{losses}

which ``tests/models/test_energy_conservation.py`` checks to 1 %.
"""

from __future__ import annotations

import numpy as np

from battsim.models import names as n
from battsim.models._pybamm import pybamm
from battsim.units import FARADAY_C_PER_MOL, GAS_CONSTANT_J_PER_MOLK

COMMAND = n.COMMAND
TARGET = n.TARGET
LOWER = n.LOWER
I_SET = n.CURRENT_SETPOINT


def heating_circuit(variables):
    """FunctionControl residual: the cell carries its set current plus the battery heating draw."""
    I = variables[n.CURRENT]
    V = variables[n.VOLTAGE]
    return I - pybamm.Parameter(I_SET) - variables[n.HEATING_FROM_BATTERY] / V


def _soc(variables, soc0: float | pybamm.Symbol, capacity_Ah: float):
    return soc0 - variables[n.DISCHARGE_CAPACITY] / capacity_Ah


# ------------------------------------------------------------------------- controllers


class ConstantCommand(pybamm.BaseSubModel):
    """Command from the input ``"Heating command"``: on/off segments of a thermostat,
    and the full-on command of the rapid controller (whose method enforces the limits)."""

    def __init__(self, param, options=None):
        super().__init__(param, options=options)

    def get_fundamental_variables(self):
        return {COMMAND: pybamm.Parameter(COMMAND)}


class PIController(pybamm.BaseSubModel):
    """Proportional-integral control of the cell temperature with anti-windup.

    .. math::

        e = T_{set} - T,\\quad u_{raw} = K_p e + K_i x,\\quad u = \\min(\\max(u_{raw}, 0), 1),

        \\dot x = e + (u - u_{raw}) / (K_i\\,T_t)

    Back-calculation anti-windup (Astrom & Hagglund, *Advanced PID Control*, ISA 2006,
    ch. 3): while the command saturates the integrator tracks it with time constant
    :math:`T_t = K_p / K_i` instead of winding up. Inputs: ``"PI gain [K-1]"`` (Kp),
    ``"PI integral gain [K-1.s-1]"`` (Ki) and ``"PI setpoint [K]"``.
    """

    def __init__(self, param, options=None):
        super().__init__(param, options=options)

    def get_fundamental_variables(self):
        x = pybamm.Variable(n.PI_STATE, scale=100.0)
        return {n.PI_STATE: x}

    def get_coupled_variables(self, variables):
        T = variables[n.CELL_TEMPERATURE]
        x = variables[n.PI_STATE]
        Kp = pybamm.Parameter(n.PI_GAIN)
        Ki = pybamm.Parameter(n.PI_INTEGRAL_GAIN)
        error = pybamm.Parameter(n.PI_SETPOINT) - T
        u_raw = Kp * error + Ki * x
        u = pybamm.minimum(pybamm.maximum(u_raw, 0), 1)
        variables.update({COMMAND: u, n.PI_RAW: u_raw, n.PI_ERROR: error})
        return variables

    def set_rhs(self, variables):
        x = variables[n.PI_STATE]
        Kp = pybamm.Parameter(n.PI_GAIN)
        tracking = (variables[COMMAND] - variables[n.PI_RAW]) / Kp  # = (u - u_raw)/(Ki Tt), Tt = Kp/Ki
        self.rhs = {x: variables[n.PI_ERROR] + tracking}

    def set_initial_conditions(self, variables):
        self.initial_conditions = {variables[n.PI_STATE]: pybamm.Scalar(0)}


# ----------------------------------------------------------------------------- methods


class HeatingMethodSubmodel(pybamm.BaseSubModel):
    """Shared plumbing: every method defines the full set of heating-power variables."""

    def __init__(self, param, options=None):
        super().__init__(param, options=options)

    @staticmethod
    def _powers(electric, from_battery, in_cell, in_node, losses, pumped=None):
        zero = pybamm.Scalar(0)
        return {
            n.HEATER_ELECTRIC: electric,
            n.HEATING_FROM_BATTERY: from_battery,
            n.HEATING_FROM_GRID: electric - from_battery,
            n.INTERNAL_HEAT_SOURCE: in_cell,
            n.NODE_HEATER_POWER: in_node,
            n.HEATING_LOSSES: losses,
            n.HEAT_PUMPED: zero if pumped is None else pumped,
        }


class ExternalHeater(HeatingMethodSubmodel):
    """Electric heater (PTC / coolant heater) or heat pump feeding the external node.

    :math:`P_{el} = u\\,P_{max}\\,s` with ``s`` the rapid controller's coolant limit
    :math:`s = \\min(\\max((T_{n,max} - T_n)/\\Delta T, 0), 1)` (1 for other controllers);
    heat into the node :math:`= \\eta P_{el}` (electric heater) or
    :math:`\\mathrm{COP}(T_{amb}) P_{el}` (heat pump).
    Inputs: ``"Heater power limit [W]"``, ``"Heater efficiency"``,
    ``"Heating from battery"`` (1 on the road, 0 plugged in), ``"Node temperature limit [K]"``.
    """

    def __init__(self, param, options=None, cop_table=None, coolant_limit=False):
        super().__init__(param, options=options)
        self.cop_table = cop_table  # (ambient temperatures [K], COP [-]) or None
        self.coolant_limit = coolant_limit

    def get_coupled_variables(self, variables):
        u = variables[COMMAND]
        P_max = pybamm.Parameter(n.HEATER_POWER_LIMIT)
        scale = pybamm.Scalar(1)
        if self.coolant_limit:
            T_node = variables[n.NODE_TEMPERATURE]
            band = pybamm.Scalar(2.0)  # K: the limit is approached over the last 2 K
            scale = pybamm.minimum(pybamm.maximum((pybamm.Parameter(n.NODE_LIMIT) - T_node) / band, 0), 1)
        electric = u * P_max * scale
        battery = electric * pybamm.Parameter(n.BATTERY_SHARE)
        if self.cop_table is None:
            eta = pybamm.Parameter(n.HEATER_EFFICIENCY)
            powers = self._powers(electric, battery, pybamm.Scalar(0), eta * electric, (1 - eta) * electric)
        else:
            T_amb = variables[n.AMBIENT_TEMPERATURE_VARIABLE]
            T_axis, cop = self.cop_table
            COP = pybamm.Interpolant(T_axis, cop, T_amb, name="heat_pump_COP", interpolator="linear",
                                     extrapolate=False)
            electric = electric * (COP > 0)  # off where it cannot pump: no compressor work lost
            battery = electric * pybamm.Parameter(n.BATTERY_SHARE)
            powers = self._powers(electric, battery, pybamm.Scalar(0), COP * electric, pybamm.Scalar(0),
                                  pumped=(COP - 1) * electric)
            variables[n.HEAT_PUMP_COP] = COP
        variables.update(powers)
        return variables


class TabulatedInternalHeater(HeatingMethodSubmodel):
    """Internal AC or pulse heating: heat :math:`u^2\\,Q(T, SOC)` from a precomputed map.

    ``heat_map`` is :math:`Q` [W] on a (T [K], SOC [-]) grid at full command (see
    :mod:`battsim.heating.envelope`); the inverter draws :math:`Q/\\eta_{inv}` from the battery or
    the grid (input ``"Inverter efficiency"``).
    """

    def __init__(self, param, options=None, heat_map=None, capacity_Ah=1.0):
        super().__init__(param, options=options)
        self.heat_map = heat_map  # (T axis [K], SOC axis [-], Q [W] (nT, nS))
        self.capacity_Ah = capacity_Ah

    def get_coupled_variables(self, variables):
        T = variables[n.CELL_TEMPERATURE]
        T_axis, soc_axis, Q = self.heat_map
        soc = _soc(variables, pybamm.Parameter(n.INITIAL_SOC), self.capacity_Ah)
        T_c = pybamm.minimum(pybamm.maximum(T, float(T_axis[0])), float(T_axis[-1]))
        soc_c = pybamm.minimum(pybamm.maximum(soc, float(soc_axis[0])), float(soc_axis[-1]))
        heat_full = None
        for k, Q_f in enumerate(Q):
            candidate = pybamm.Interpolant((T_axis, soc_axis), Q_f, (T_c, soc_c), name=f"AC_heat_map_{k}",
                                           interpolator="linear")
            heat_full = candidate if heat_full is None else pybamm.maximum(heat_full, candidate)
        u = variables[COMMAND] * pybamm.Parameter(n.AC_AMPLITUDE_SCALE)
        # optional cap on the cell's warming rate: heat no more than C dT/dt_max plus what leaves
        cap = (variables[n.CELL_HEAT_CAPACITY] * pybamm.Parameter(n.MAX_WARMING_RATE)
               + variables[n.HEAT_FROM_SURFACE] - variables[n.TOTAL_HEATING])
        heat = pybamm.minimum(u**2 * heat_full, pybamm.maximum(cap, 0))
        eta = pybamm.Parameter(n.INVERTER_EFFICIENCY)
        electric = heat / eta
        battery = electric * pybamm.Parameter(n.BATTERY_SHARE)
        variables.update(self._powers(electric, battery, heat, pybamm.Scalar(0), electric - heat))
        variables[n.STATE_OF_CHARGE] = soc
        return variables


class FoilHeater(HeatingMethodSubmodel):
    """Self-heating cell: the cell discharges through an embedded nickel foil.

    While the command is on, :math:`I_{foil} = u\\,V/R_{foil}` flows out of the cell through
    the foil inside it; the foil's Joule heat :math:`V I_{foil}` is released in the cell and
    the cell's own electrochemical heat adds to it (Wang et al., Nature 529, 515 (2016),
    doi:10.1038/nature16502). Input ``"Foil resistance [Ohm]"``.
    """

    def get_coupled_variables(self, variables):
        V = variables[n.VOLTAGE]
        u = variables[COMMAND]
        power = u * V**2 / pybamm.Parameter(n.FOIL_RESISTANCE)
        zero = pybamm.Scalar(0)
        variables.update(self._powers(power, power, power, zero, zero))
        variables[n.FOIL_CURRENT] = power / V
        return variables


# -------------------------------------------------------------------------- accounting


_ACCOUNTED = {
    n.CUMULATIVE_HEATING_GRID: n.HEATING_FROM_GRID,
    n.CUMULATIVE_HEATING_BATTERY: n.HEATING_FROM_BATTERY,
    n.CUMULATIVE_HEATING_LOSSES: n.HEATING_LOSSES,
    n.CUMULATIVE_HEAT_PUMPED: n.HEAT_PUMPED,
}


class HeatingAccounting(pybamm.BaseSubModel):
    """Integrates the heating powers into energies [J] (states of the model)."""

    def __init__(self, param, options=None):
        super().__init__(param, options=options)

    def get_fundamental_variables(self):
        return {name: pybamm.Variable(name, scale=1e3) for name in _ACCOUNTED}

    def set_rhs(self, variables):
        self.rhs = {variables[name]: variables[power] for name, power in _ACCOUNTED.items()}

    def set_initial_conditions(self, variables):
        self.initial_conditions = {variables[name]: pybamm.Scalar(0) for name in _ACCOUNTED}


def heating_events(variables):
    """Terminating events: the cell reaches the heating target (upper threshold), or cools to
    the lower threshold (a thermostat's switch-on point while it holds the target)."""
    T = variables[n.CELL_TEMPERATURE]
    return [pybamm.Event(n.EVENT_TARGET, pybamm.Parameter(TARGET) - T),
            pybamm.Event(n.EVENT_LOWER, T - pybamm.Parameter(LOWER))]


def thermal_voltage(T_K):
    """RT/F [V] at ``T_K`` [K]."""
    return GAS_CONSTANT_J_PER_MOLK * np.asarray(T_K) / FARADAY_C_PER_MOL
