"""PyBaMM submodels of a heating system: controller, heating method, energy accounting.

They follow battsim's variable contract:

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

With an external node the energy balance of a heating phase is

.. math::

    E_{grid} + E_{battery} + E_{pumped} + E_{electrochemical}
    = \\int C(T)\\,dT + C_n\\,\\Delta T_n + E_{to\\,ambient} + E_{losses}

which :mod:`tests.heating` checks to 1 %.
"""

from __future__ import annotations

import numpy as np

from battsim._pybamm import pybamm

COMMAND = "Heating command"
TARGET = "Heating target temperature [K]"
LOWER = "Heating lower threshold [K]"
I_SET = "Cell current setpoint [A]"

_R = 8.314462618
_F = 96485.33212


def heating_circuit(variables):
    """FunctionControl residual: the cell carries its set current plus the battery heating draw."""
    I = variables["Current [A]"]
    V = variables["Voltage [V]"]
    return I - pybamm.Parameter(I_SET) - variables["Heating power from battery [W]"] / V


def _soc(variables, soc0: float | pybamm.Symbol, capacity_Ah: float):
    return soc0 - variables["Discharge capacity [A.h]"] / capacity_Ah


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
        x = pybamm.Variable("PI integral state [K.s]", scale=100.0)
        return {"PI integral state [K.s]": x}

    def get_coupled_variables(self, variables):
        T = variables["Volume-averaged cell temperature [K]"]
        x = variables["PI integral state [K.s]"]
        Kp = pybamm.Parameter("PI gain [K-1]")
        Ki = pybamm.Parameter("PI integral gain [K-1.s-1]")
        error = pybamm.Parameter("PI setpoint [K]") - T
        u_raw = Kp * error + Ki * x
        u = pybamm.minimum(pybamm.maximum(u_raw, 0), 1)
        variables.update({COMMAND: u, "PI raw command": u_raw, "PI error [K]": error})
        return variables

    def set_rhs(self, variables):
        x = variables["PI integral state [K.s]"]
        Kp = pybamm.Parameter("PI gain [K-1]")
        Ki = pybamm.Parameter("PI integral gain [K-1.s-1]")
        tracking = (variables[COMMAND] - variables["PI raw command"]) / Kp  # = (u - u_raw)/(Ki Tt)
        self.rhs = {x: variables["PI error [K]"] + tracking}

    def set_initial_conditions(self, variables):
        self.initial_conditions = {variables["PI integral state [K.s]"]: pybamm.Scalar(0)}


# ----------------------------------------------------------------------------- methods


class _Method(pybamm.BaseSubModel):
    """Shared plumbing: every method defines the full set of heating-power variables."""

    def __init__(self, param, options=None):
        super().__init__(param, options=options)

    @staticmethod
    def _powers(electric, from_battery, in_cell, in_node, losses, pumped=None):
        zero = pybamm.Scalar(0)
        return {
            "Heater electrical power [W]": electric,
            "Heating power from battery [W]": from_battery,
            "Heating power from grid [W]": electric - from_battery,
            "Internal heat source [W]": in_cell,
            "External node heater power [W]": in_node,
            "Heating losses [W]": losses,
            "Heat pumped from ambient [W]": zero if pumped is None else pumped,
        }


class ExternalHeater(_Method):
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
        P_max = pybamm.Parameter("Heater power limit [W]")
        scale = pybamm.Scalar(1)
        if self.coolant_limit:
            T_node = variables["External node temperature [K]"]
            band = pybamm.Scalar(2.0)  # K: the limit is approached over the last 2 K
            scale = pybamm.minimum(pybamm.maximum((pybamm.Parameter("Node temperature limit [K]") - T_node) / band, 0), 1)
        electric = u * P_max * scale
        battery = electric * pybamm.Parameter("Heating from battery")
        if self.cop_table is None:
            eta = pybamm.Parameter("Heater efficiency")
            powers = self._powers(electric, battery, pybamm.Scalar(0), eta * electric, (1 - eta) * electric)
        else:
            T_amb = variables["Volume-averaged ambient temperature [K]"]
            T_axis, cop = self.cop_table
            COP = pybamm.Interpolant(T_axis, cop, T_amb, name="heat_pump_COP", interpolator="linear",
                                     extrapolate=False)
            powers = self._powers(electric, battery, pybamm.Scalar(0), COP * electric, pybamm.Scalar(0),
                                  pumped=(COP - 1) * electric)
            variables["Heat pump COP"] = COP
        variables.update(powers)
        return variables


class TabulatedInternalHeater(_Method):
    """Internal AC or pulse heating: heat :math:`u^2\\,Q(T, SOC)` from a precomputed map.

    ``heat_map`` is :math:`Q` [W] on a (T [K], SOC [-]) grid at full command (see
    :mod:`battsim.heating.ac`); the inverter draws :math:`Q/\\eta_{inv}` from the battery or
    the grid (input ``"Inverter efficiency"``).
    """

    def __init__(self, param, options=None, heat_map=None, capacity_Ah=1.0):
        super().__init__(param, options=options)
        self.heat_map = heat_map  # (T axis [K], SOC axis [-], Q [W] (nT, nS))
        self.capacity_Ah = capacity_Ah

    def get_coupled_variables(self, variables):
        T = variables["Volume-averaged cell temperature [K]"]
        T_axis, soc_axis, Q = self.heat_map
        soc = _soc(variables, pybamm.Parameter("Initial state of charge"), self.capacity_Ah)
        T_c = pybamm.minimum(pybamm.maximum(T, float(T_axis[0])), float(T_axis[-1]))
        soc_c = pybamm.minimum(pybamm.maximum(soc, float(soc_axis[0])), float(soc_axis[-1]))
        heat_full = None
        for k, Q_f in enumerate(Q):
            candidate = pybamm.Interpolant((T_axis, soc_axis), Q_f, (T_c, soc_c), name=f"AC_heat_map_{k}",
                                           interpolator="linear")
            heat_full = candidate if heat_full is None else pybamm.maximum(heat_full, candidate)
        u = variables[COMMAND] * pybamm.Parameter("AC amplitude scale")
        # optional cap on the cell's warming rate: heat no more than C dT/dt_max plus what leaves
        cap = (variables["Cell heat capacity [J.K-1]"] * pybamm.Parameter("Maximum warming rate [K.s-1]")
               + variables["Heat from cell surface [W]"] - variables["Total heating [W]"])
        heat = pybamm.minimum(u**2 * heat_full, pybamm.maximum(cap, 0))
        eta = pybamm.Parameter("Inverter efficiency")
        electric = heat / eta
        battery = electric * pybamm.Parameter("Heating from battery")
        variables.update(self._powers(electric, battery, heat, pybamm.Scalar(0), electric - heat))
        variables["State of charge"] = soc
        return variables


class FoilHeater(_Method):
    """Self-heating cell: the cell discharges through an embedded nickel foil.

    While the command is on, :math:`I_{foil} = u\\,V/R_{foil}` flows out of the cell through
    the foil inside it; the foil's Joule heat :math:`V I_{foil}` is released in the cell and
    the cell's own electrochemical heat adds to it (Wang et al., Nature 529, 515 (2016),
    doi:10.1038/nature16502). Input ``"Foil resistance [Ohm]"``.
    """

    def get_coupled_variables(self, variables):
        V = variables["Voltage [V]"]
        u = variables[COMMAND]
        power = u * V**2 / pybamm.Parameter("Foil resistance [Ohm]")
        zero = pybamm.Scalar(0)
        variables.update(self._powers(power, power, power, zero, zero))
        variables["Foil current [A]"] = power / V
        return variables


# -------------------------------------------------------------------------- accounting


_ACCOUNTED = {
    "Cumulative heating energy from grid [J]": "Heating power from grid [W]",
    "Cumulative heating energy from battery [J]": "Heating power from battery [W]",
    "Cumulative heating losses [J]": "Heating losses [W]",
    "Cumulative heat pumped from ambient [J]": "Heat pumped from ambient [W]",
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
    T = variables["Volume-averaged cell temperature [K]"]
    return [pybamm.Event("Heating target reached", pybamm.Parameter(TARGET) - T),
            pybamm.Event("Heating lower threshold reached", T - pybamm.Parameter(LOWER))]


def thermal_voltage(T_K):
    """RT/F [V] at ``T_K`` [K]."""
    return _R * np.asarray(T_K) / _F
