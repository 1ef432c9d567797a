"""Energy accounting of a trip: every power flow integrated by the solver into an energy [J].

Integrating the flows as states (rather than from output samples) makes energy balances hold
to solver tolerance. The distance driven [m] is not a state: the trace gives it exactly
(:func:`battsim.models.pack.demand.trace_distance_m`), as the series :data:`DISTANCE_SERIES`.
"""

from __future__ import annotations

from battsim.models._pybamm import pybamm

#: the series of the cumulative states are named ``cumulative_<flow>_<unit>``
CUMULATIVE_PREFIX = "cumulative_"
#: the series of the distance driven [m] (cumulative, carried on like the energies; variable
#: :data:`battsim.models.names.CUMULATIVE_DISTANCE`)
DISTANCE_SERIES = f"{CUMULATIVE_PREFIX}distance_m"


def flows(battery_out, demand, heater, cabin, regen_not_accepted, electrochemical, internal_heat,
          loss_to_ambient) -> dict:
    """The named power flows of a trip [W]."""
    positive_wheel = pybamm.maximum(demand.wheel, 0)
    braking = -pybamm.minimum(demand.wheel, 0)
    return {
        "battery_out": battery_out,
        "traction_wheel": positive_wheel,
        "braking_wheel": braking,
        "traction_battery": demand.traction,
        "drivetrain_losses": demand.traction - demand.wheel,
        "aux": demand.aux,
        "cabin": cabin.battery,
        "cabin_grid": cabin.grid,
        "cabin_heat": cabin.heat,
        "cabin_deficit": cabin.deficit,
        "cabin_loss": cabin.loss,
        "heating_battery": heater.battery,
        "heating_grid": heater.grid,
        "heating_losses": heater.losses,
        "heat_pumped": heater.pumped,
        "heater_to_node": heater.node,
        "heat_in_cells": internal_heat,
        "regen_not_accepted": regen_not_accepted,
        "electrochemical_heat": electrochemical,
        "to_ambient": loss_to_ambient,
    }


def cumulative_states(named_flows: dict) -> tuple[dict, dict, dict]:
    """States integrating each flow: ``(rhs, initial_conditions, series)``; series maps
    ``cumulative_<name>_<unit>`` to (variable name, unit)."""
    rhs, initial, series = {}, {}, {}
    for name, flow in named_flows.items():
        unit = "J"
        var = pybamm.Variable(f"Cumulative {name} [{unit}]", scale=1e5)
        rhs[var] = flow
        initial[var] = pybamm.Scalar(0)
        series[f"{CUMULATIVE_PREFIX}{name}_{unit}"] = (var.name, unit)
    return rhs, initial, series
