"""``heat_pump``: the coolant/plate node fed by a heat pump whose COP falls with ambient temperature.

COP 1.7 at -20 degC (Qin, Shao, Tian, Yang, Energy Procedia 61, 726-729 (2014), measured lower
bound) rising linearly to 3.2 at -5 degC (Tang, Guo, Li, Jiang, Energies 2020, measured BEV
R134a system) and held above; below -20 degC, the lowest ambient where an EV heat pump was
shown to work, it delivers nothing.
"""

from __future__ import annotations

import numpy as np

from battsim.heating.methods.ptc import PTCHeater
from battsim.models import names
from battsim.models._pybamm import pybamm
from battsim.models.pack.terms import HeaterTerms, PackHeatingContext
from battsim.units import celsius_to_kelvin

#: heat pump COP against ambient temperature [degC] (see the module docstring)
HEAT_PUMP_COP = ((-60.0, 0.0), (-20.01, 0.0), (-20.0, 1.7), (-5.0, 3.2), (60.0, 3.2))


def heat_pump_cop_table_K() -> tuple[np.ndarray, np.ndarray]:
    """:data:`HEAT_PUMP_COP` as (ambient temperature [K], COP [-]) arrays."""
    T_C, cop = zip(*HEAT_PUMP_COP)
    return celsius_to_kelvin(np.array(T_C)), np.array(cop)


def heat_pump_cop(ambient_C: float) -> float:
    """Heat pump COP [-] at ``ambient_C`` [degC], linear in :data:`HEAT_PUMP_COP`."""
    T_C, cop = zip(*HEAT_PUMP_COP)
    return float(np.interp(ambient_C, T_C, cop))


class HeatPump(PTCHeater):
    """Heat pump: heat into the node :math:`\\mathrm{COP}(T_{amb})\\,P_{el}`, of which
    :math:`(\\mathrm{COP} - 1)\\,P_{el}` is pumped from ambient."""

    name = "heat_pump"
    summary = "heat pump feeding the coolant/plate node, COP falling with ambient temperature"
    cop_table = heat_pump_cop_table_K()

    def heater_terms(self, context: PackHeatingContext) -> HeaterTerms:
        P = pybamm.Parameter
        electric = context.command * P(names.HEATER_POWER_LIMIT)
        battery = electric * P(names.BATTERY_SHARE)
        cop = pybamm.Interpolant(*self.cop_table, P(names.AMBIENT_TEMPERATURE), name="heat_pump_COP",
                                 interpolator="linear")
        zero = pybamm.Scalar(0)
        return HeaterTerms(electric=electric, battery=battery, grid=electric - battery, node=cop * electric,
                           losses=zero, pumped=(cop - 1) * electric,
                           inputs=frozenset({names.HEATER_POWER_LIMIT, names.BATTERY_SHARE}))

    def trip_inputs(self, settings) -> dict[str, float]:
        return {names.HEATER_POWER_LIMIT: settings.pack_heater_power_W}
