"""Metrics: pure functions of simulated time series and scalars (no config, no model).

Names are a contract (DESIGN.md): result files, ``battsim show --json`` and the fleet table
use exactly these. :data:`METRIC_UNITS` gives the unit stored with each, written so that
``pint`` reads it (``W*h/km``, ``kW*h/(100*km)``, ``degC``, ``1`` for a pure number).
"""

from __future__ import annotations

from battsim.metrics.cell import (
    cell_discharge_metrics,
    delivered_capacity_Ah,
    max_ccd_ratio,
    min_anode_potential_V,
)
from battsim.metrics.heating import cell_heating_metrics, hold_metrics, plating_time_s
from battsim.metrics.trip import TripAssumptions, trip_metrics

#: metric name -> unit (as written to the ``units`` attribute of result files)
METRIC_UNITS = {
    # cell tests
    "delivered_capacity_Ah": "A*h",
    "delivered_capacity_pct_of_25C": "%",
    "delivered_energy_Wh": "W*h",
    "end_temperature_C": "degC",
    "min_anode_potential_V": "V",
    "reference_capacity_25C_Ah": "A*h",
    "max_temperature_C": "degC",
    "mean_voltage_V": "V",
    "duration_s": "s",
    "max_ccd_ratio": "1",
    # operating envelopes
    "max_discharge_c_rate": "1/h",
    "max_charge_c_rate": "1/h",
    "ccd_c_rate": "1/h",
    # heating phases
    "heating_time_s": "s",
    "heating_energy_kWh": "kW*h",
    "heating_energy_grid_kWh": "kW*h",
    "heating_energy_battery_kWh": "kW*h",
    "heating_soc_consumed_pct": "%",
    "heat_to_cell_kWh": "kW*h",
    "plating_time_s": "s",
    "heating_target_reached": "1",
    "mean_heating_rate_K_per_min": "K/min",
    "hold_energy_kWh": "kW*h",
    "hold_min_temperature_C": "degC",
    "hold_max_temperature_C": "degC",
    "hold_plating_time_s": "s",
    # trips
    "departure_temperature_C": "degC",
    "range_km": "km",
    "reference_range_km": "km",
    "range_loss_pct": "%",
    "battery_energy_Wh_per_km": "W*h/km",
    "grid_energy_Wh_per_km": "W*h/km",
    "energy_penalty_kWh_per_100km": "kW*h/(100*km)",
    "co2_g_per_km": "g/km",
    "co2_penalty_g_per_km": "g/km",
    "max_temperature_spread_K": "delta_degC",
    "driven_km": "km",
    "drive_time_h": "h",
    "range_estimated": "1",
    "drive_battery_energy_kWh": "kW*h",
    "traction_energy_kWh": "kW*h",
    "drivetrain_loss_energy_kWh": "kW*h",
    "aux_energy_kWh": "kW*h",
    "cabin_energy_kWh": "kW*h",
    "cabin_precondition_grid_kWh": "kW*h",
    "cabin_min_temperature_C": "degC",
    "cabin_time_below_comfort_s": "s",
    "cabin_heat_deficit_kWh": "kW*h",
    "cabin_heat_kWh": "kW*h",
    "regen_not_accepted_kWh": "kW*h",
    "cell_heat_kWh": "kW*h",
    "end_soc": "1",
    "reference_battery_energy_Wh_per_km": "W*h/km",
    "reference_grid_energy_Wh_per_km": "W*h/km",
    "reference_co2_g_per_km": "g/km",
}

__all__ = ["METRIC_UNITS", "TripAssumptions", "cell_discharge_metrics", "cell_heating_metrics",
           "delivered_capacity_Ah", "hold_metrics", "max_ccd_ratio", "min_anode_potential_V", "plating_time_s",
           "trip_metrics"]
