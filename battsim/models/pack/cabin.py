"""The cabin node of the trip DAE and its heater (physics: :mod:`battsim.vehicle.cabin`).

The cabin temperature is a state of the pack model; the heater's thermal power follows the
cabin controller and is limited by what the heater can deliver at the ambient temperature;
its electric power is drawn from the battery while driving and from the grid while the car is
parked and plugged in (cabin preconditioning). Every cabin quantity is an input, so one built
model serves every vehicle.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from battsim.models import names
from battsim.models._pybamm import pybamm
from battsim.vehicle.cabin import CP_AIR_J_PER_KGK, MOVING_SPEED_M_PER_S, film_conductance_times_length

#: cabin inputs every pack model reads
CABIN_INPUTS = frozenset({names.CABIN_HEAT_CAPACITY, names.CABIN_SHELL_HTC, names.CABIN_STOPPED_HTC,
                          names.CABIN_LENGTH, names.CABIN_WIDTH, names.CABIN_SETPOINT, names.CABIN_GAIN,
                          names.CABIN_PTC_MAX, names.CABIN_HEAT_PUMP_MAX, names.CABIN_FRESH_AIR, names.CABIN_SOLAR,
                          names.CABIN_HEATER_ON, names.CABIN_FROM_GRID, names.INITIAL_CABIN_TEMPERATURE})
#: smoothing of the heater's limits [W]: a corner within about 10 W
_SMOOTH_PER_W = 0.1
# grid of the outside-film table: speed x length [m2.s-1] and film temperature [K]
_X_GRID = np.concatenate([np.linspace(0.0, 10.0, 41), np.linspace(12.5, 400.0, 156)])
_FILM_GRID = np.linspace(213.15, 333.15, 13)


@dataclass
class CabinTerms:
    """The cabin's state, equations, heater powers [W] and the heat it cannot get [W]."""

    temperature: pybamm.Variable
    heat: pybamm.Symbol
    electric: pybamm.Symbol
    battery: pybamm.Symbol
    grid: pybamm.Symbol
    capacity: pybamm.Symbol
    deficit: pybamm.Symbol
    loss: pybamm.Symbol
    rhs: dict = field(default_factory=dict)
    algebraic: dict = field(default_factory=dict)
    initial_conditions: dict = field(default_factory=dict)
    inputs: frozenset = CABIN_INPUTS


def _outside_film(speed, T_film, length):
    """Outside film coefficient [W.m-2.K-1] moving, from a table of :math:`k\\,Nu_L`."""
    X, F = np.meshgrid(_X_GRID, _FILM_GRID, indexing="ij")
    table = film_conductance_times_length(X, F)
    x = pybamm.minimum(speed * length, float(_X_GRID[-1]))
    film = pybamm.minimum(pybamm.maximum(T_film, float(_FILM_GRID[0])), float(_FILM_GRID[-1]))
    return pybamm.Interpolant((_X_GRID, _FILM_GRID), table, (x, film), name="cabin_film_kNu",
                              interpolator="linear") / length


def cabin_conductance(speed, T_cab, T_amb):
    """Heat loss of the cabin per kelvin [W.K-1]: shell in series with the outside film (parked
    or moving, a smooth switch at 2 mph) plus the ventilation flow."""
    P = pybamm.Parameter
    length, area = P(names.CABIN_LENGTH), P(names.CABIN_LENGTH) * P(names.CABIN_WIDTH)
    h_shell, h_stop = P(names.CABIN_SHELL_HTC), P(names.CABIN_STOPPED_HTC)
    moving = 0.5 * (1 + pybamm.tanh((speed - MOVING_SPEED_M_PER_S) / 0.1))
    h_move = _outside_film(speed, 0.5 * (T_cab + T_amb), length) + 1e-3
    ua = area * (moving / (1 / h_move + 1 / h_shell) + (1 - moving) / (1 / h_stop + 1 / h_shell))
    return ua + P(names.CABIN_FRESH_AIR) * CP_AIR_J_PER_KGK


def cabin_equations(speed, T_amb, cop_table_K) -> CabinTerms:
    """The cabin's heat balance and its heater.

    Parameters
    ----------
    speed : pybamm.Symbol
        Vehicle speed [m.s-1].
    T_amb : pybamm.Symbol
        Ambient temperature [K].
    cop_table_K : (ndarray, ndarray)
        Heat pump COP [-] against ambient temperature [K].

    Notes
    -----
    .. math::

        Q_{hold} = UA(v)\\,(T_{set} - T_{amb}) - Q_{solar},\\qquad
        Q = \\min(\\max(Q_{hold} + K_p (T_{set} - T_{cab}), 0), Q_{max})

        Q_{max} = \\mathrm{COP}(T_{amb})\\,P_{hp} + P_{ptc},\\qquad
        P_{el} = Q_{hp}/\\mathrm{COP} + (Q - Q_{hp}),\\quad Q_{hp} = \\min(Q, \\mathrm{COP}\\,P_{hp})

    The deficit is what the cabin would need at its set point beyond the heater's capacity,
    :math:`\\max(Q_{hold} - Q_{max}, 0)`, while the heater is on.
    """
    P = pybamm.Parameter
    T_cab = pybamm.Variable(names.CABIN_T, scale=298.15)
    T_set, on = P(names.CABIN_SETPOINT), P(names.CABIN_HEATER_ON)
    ua = cabin_conductance(speed, T_cab, T_amb)
    solar = P(names.CABIN_SOLAR)
    cop = pybamm.Interpolant(*cop_table_K, T_amb, name="cabin_heat_pump_COP", interpolator="linear")
    hp_capacity = cop * P(names.CABIN_HEAT_PUMP_MAX)
    capacity = hp_capacity + P(names.CABIN_PTC_MAX)
    hold = ua * (T_set - T_amb) - solar
    request = pybamm.smooth_max(hold + P(names.CABIN_GAIN) * (T_set - T_cab), 0, _SMOOTH_PER_W)
    heat = on * pybamm.smooth_min(request, capacity, _SMOOTH_PER_W)
    from_hp = pybamm.smooth_min(heat, hp_capacity, _SMOOTH_PER_W) * (P(names.CABIN_HEAT_PUMP_MAX) > 0)
    electric = from_hp / pybamm.maximum(cop, 1.0) + (heat - from_hp)
    grid_share = P(names.CABIN_FROM_GRID)
    loss = ua * (T_cab - T_amb)
    deficit = on * pybamm.smooth_max(hold - capacity, 0, _SMOOTH_PER_W)
    return CabinTerms(
        temperature=T_cab, heat=heat, electric=electric, battery=(1 - grid_share) * electric,
        grid=grid_share * electric, capacity=on * capacity, deficit=deficit, loss=loss,
        rhs={T_cab: (heat - loss + solar) / P(names.CABIN_HEAT_CAPACITY)},
        initial_conditions={T_cab: P(names.INITIAL_CABIN_TEMPERATURE)})
