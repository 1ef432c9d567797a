"""An electric vehicle's heat pump: its COP against ambient temperature (cabin and pack heating).

COP 1.7 at -20 degC (Qin, Shao, Tian, Yang, Energy Procedia 61, 726-729 (2014), measured lower
bound) rising linearly to 3.2 at -5 degC (Tang, Guo, Li, Jiang, Energies 2020, measured BEV
R134a system) and held above; below -20 degC, the lowest ambient where an EV heat pump was
shown to work, it delivers nothing.

Its heating **capacity** is the COP times the largest electric power of its compressor, which
is fitted to Tang et al.'s measured 3.6 kW at COP 3.2 (-5 degC): 1125 W. Against the second
published point, 3.10 kW at -10 degC (steady-state cabin heat pump of an electric passenger
car, COP 3.26), this gives 3.04 kW (-2 %). It falls to 1.9 kW at -20 degC and to nothing
below, where a resistive backup heater takes over.
"""

from __future__ import annotations

import numpy as np

from battsim.units import celsius_to_kelvin

#: electric power of the compressor at full capacity [W] (see the module docstring)
HEAT_PUMP_ELECTRIC_MAX_W = 3600.0 / 3.2
#: the lowest ambient an EV heat pump was shown to work at [degC] (Qin et al., module docstring)
HEAT_PUMP_MIN_C = -20.0
#: heat pump COP against ambient temperature [degC] (see the module docstring)
HEAT_PUMP_COP = ((-60.0, 0.0), (HEAT_PUMP_MIN_C - 0.01, 0.0), (HEAT_PUMP_MIN_C, 1.7), (-5.0, 3.2), (60.0, 3.2))


def heat_pump_cop_table_K() -> tuple[np.ndarray, np.ndarray]:
    """:data:`HEAT_PUMP_COP` as (ambient temperature [K], COP [-]) arrays."""
    T_C, cop = zip(*HEAT_PUMP_COP)
    return celsius_to_kelvin(np.array(T_C)), np.array(cop)


def heat_pump_cop(ambient_C: float) -> float:
    """Heat pump COP [-] at ``ambient_C`` [degC], linear in :data:`HEAT_PUMP_COP`."""
    T_C, cop = zip(*HEAT_PUMP_COP)
    return float(np.interp(ambient_C, T_C, cop))


def heat_pump_capacity_W(ambient_C, electric_max_W: float = HEAT_PUMP_ELECTRIC_MAX_W):
    """Largest heat a heat pump delivers [W] at ``ambient_C`` [degC]: COP x compressor power."""
    T_C, cop = zip(*HEAT_PUMP_COP)
    return np.interp(ambient_C, T_C, cop) * electric_max_W
