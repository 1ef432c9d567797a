"""A (method, controller) pair made into what the models build: a cell design or a trip design."""

from __future__ import annotations

from battsim.heating import get_controller, get_method
from battsim.heating.base import HeatingSettings, PreparedHeating, TripHeatMap
from battsim.models.pack.terms import TripHeating


def cell_heating(chemistry, settings: HeatingSettings, capacity_Ah: float, initial_T_K: float,
                 initial_soc: float) -> PreparedHeating:
    """The cell heating design of ``settings.method`` under ``settings.controller``, with its inputs.

    Parameters
    ----------
    chemistry : Chemistry
    settings : HeatingSettings
    capacity_Ah : float
        Charge between 0 and 100 % SOC [A.h].
    initial_T_K : float
        Cell temperature at the start [K].
    initial_soc : float
        State of charge at the start [-].
    """
    method, controller = get_method(settings.method), get_controller(settings.controller)
    return method.cell_design(chemistry, settings, controller, capacity_Ah, initial_T_K, initial_soc)


def trip_heating(chemistry, settings: HeatingSettings, ambient_K: float, initial_soc: float) -> TripHeating:
    """The pack heating design of ``settings`` (``method = "none"`` for an unheated trip).

    In trips the ``rapid`` controller switches like a thermostat; for AC and pulse it keeps
    its constraint-aware heat map.
    """
    method, controller = get_method(settings.method), get_controller(settings.controller)
    heat_map = method.trip_heat_map(chemistry, settings, ambient_K, initial_soc) if method.heats else TripHeatMap()
    return TripHeating(key=f"{method.name}/{controller.name}/{heat_map.key}", method=method.name,
                       controller=controller.name, heater_terms=method.heater_terms,
                       command_terms=controller.pack_command, zone_submodel=method.zone_submodel(heat_map))
