"""Metrics of a trip against its 25 degC reference: pure functions of series and scalars."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from battsim.metrics.heating import plating_time_s
from battsim.units import J_PER_KWH as _J_PER_KWH
from battsim.units import kelvin_to_celsius


@dataclass(frozen=True)
class TripAssumptions:
    """The scalars a trip's metrics need besides its series.

    Parameters
    ----------
    soc_min : float
        State of charge that ends the drive [-].
    plating_margin_V : float
        Plating margin of the negative electrode [V].
    charging_efficiency : float
        Wall-to-battery efficiency [-].
    grid_gco2_per_kWh : float
        Grid carbon intensity [g.kW-1.h-1].
    heating_target_K : float
        Pack heating target [K].
    heated : bool
        Whether the pack is heated (preconditioning or on the road).
    preconditioned : bool
        Whether heating starts before departure (from the grid).
    ccd_A_per_m2 : callable, optional
        Critical current density [A.m-2] against temperature [K] (lithium-metal cells).
    cabin_setpoint_K : float
        Cabin set point [K].
    comfort_band_K : float
        The cabin counts as cold below the set point minus this [K].
    """

    soc_min: float
    plating_margin_V: float
    charging_efficiency: float
    grid_gco2_per_kWh: float
    heating_target_K: float
    heated: bool
    preconditioned: bool
    ccd_A_per_m2: Callable[[float], float] | None = None
    cabin_setpoint_K: float = 295.15
    comfort_band_K: float = 2.0


def trip_metrics(series: Mapping[str, np.ndarray], marks, assumptions: TripAssumptions,
                 reference: Mapping[str, float] | None) -> dict:
    """Metrics of a trip (names of DESIGN.md); ``reference`` is the 25 degC trip's (``None`` for it).

    Parameters
    ----------
    series : mapping
        Time series of the whole trip (battsim names, SI).
    marks : TripMarks
        Phase times.
    assumptions : TripAssumptions
        Carbon, heating and drive settings.
    """
    a = assumptions
    t = series["time_s"]
    start = min(int(np.searchsorted(t, marks.drive_start_s, side="left")), len(t) - 1)
    metrics = drive_energy_metrics(series, start, marks.end_reason, a)
    metrics.update(cell_limit_metrics(series, start, a))
    metrics.update(cabin_metrics(series, start, a))
    metrics["heating_time_s"] = heating_time_s(series, marks, a)
    metrics["departure_temperature_C"] = float(kelvin_to_celsius(series["min_cell_temperature_K"][start]))
    metrics["max_temperature_spread_K"] = float(np.max(series["temperature_spread_K"]))
    metrics["drive_time_h"] = float(t[-1] - t[start]) / 3600
    metrics.update(against_reference(metrics, reference))
    return metrics


def _kwh(series, name: str, i0: int = 0) -> float:
    return float(series[name][-1] - series[name][i0]) / _J_PER_KWH


def drive_energy_metrics(series: Mapping[str, np.ndarray], start: int, end_reason: str,
                         a: TripAssumptions) -> dict:
    """Range, energy per km (battery and grid), CO2 per km and the drive's energy by use."""
    distance_km = float(series["cumulative_distance_m"][-1] - series["cumulative_distance_m"][start]) / 1000
    battery_kWh = _kwh(series, "cumulative_battery_out_J", start)
    grid_heat_kWh = _kwh(series, "cumulative_heating_grid_J")
    battery_heat_kWh = _kwh(series, "cumulative_heating_battery_J")
    cabin_grid_kWh = _kwh(series, "cumulative_cabin_grid_J")
    soc1 = float(series["soc"][-1])
    # a range is only reported when driven to empty: extrapolating a partial drive from the state
    # of charge used overstated it by about 13 % (the end is set by the voltage under load, not
    # by the state of charge), and a better estimate needs the rest of the drive simulated anyway
    range_km = float("nan") if "Distance reached" in end_reason else distance_km
    driven = distance_km > 0
    battery_per_km = 1000 * battery_kWh / distance_km if driven else float("nan")
    grid_per_km = battery_per_km / a.charging_efficiency + 1000 * (grid_heat_kWh + cabin_grid_kWh) / distance_km \
        if driven else float("nan")
    by_use = {f"{label}_kWh": _kwh(series, f"cumulative_{flow}_J", start) for label, flow in _DRIVE_USES}
    return {
        "heating_energy_kWh": grid_heat_kWh + battery_heat_kWh, "heating_energy_grid_kWh": grid_heat_kWh,
        "heating_energy_battery_kWh": battery_heat_kWh, "range_km": range_km, "range_estimated": 0.0,
        "cabin_precondition_grid_kWh": cabin_grid_kWh,
        "battery_energy_Wh_per_km": battery_per_km, "grid_energy_Wh_per_km": grid_per_km,
        "co2_g_per_km": grid_per_km / 1000 * a.grid_gco2_per_kWh, "driven_km": distance_km,
        "drive_battery_energy_kWh": battery_kWh, **by_use, "end_soc": soc1,
    }


#: drive energy metrics (``<name>_kWh``) and the flow each integrates
_DRIVE_USES = (("traction_energy", "traction_battery"), ("drivetrain_loss_energy", "drivetrain_losses"),
               ("aux_energy", "aux"), ("cabin_energy", "cabin"), ("regen_not_accepted", "regen_not_accepted"),
               ("cell_heat", "electrochemical_heat"))


def cell_limit_metrics(series: Mapping[str, np.ndarray], start: int, a: TripAssumptions) -> dict:
    """Lowest negative-electrode potential and time below the plating margin (graphite), and the
    largest current density over the critical current density (lithium metal), while driving."""
    t = series["time_s"]
    anode = [series[name][start:] for name in series if name.endswith("_anode_potential_V")]
    min_anode = plating = ccd_ratio = float("nan")
    if anode:
        anode_min = np.min(np.vstack(anode), axis=0)
        min_anode, plating = float(np.min(anode_min)), plating_time_s(t[start:], anode_min, a.plating_margin_V)
    densities = [(name, name.replace("_lithium_current_density_A_per_m2", "_temperature_K"))
                 for name in series if name.endswith("_lithium_current_density_A_per_m2")]
    if densities:
        ccd = a.ccd_A_per_m2
        ccd_ratio = max(float(np.max(np.abs(series[i][start:]) / np.array([ccd(T) for T in series[T_name][start:]])))
                        for i, T_name in densities)
    return {"min_anode_potential_V": min_anode, "plating_time_s": plating, "max_ccd_ratio": ccd_ratio}


def cabin_metrics(series: Mapping[str, np.ndarray], start: int, a: TripAssumptions) -> dict:
    """The cabin while driving: its lowest temperature, the time it spent below the comfort band,
    the heat the heater could not deliver and the heat it delivered."""
    t, T = series["time_s"][start:], series["cabin_temperature_K"][start:]
    cold = T < a.cabin_setpoint_K - a.comfort_band_K
    dt = np.diff(t)
    return {"cabin_min_temperature_C": float(kelvin_to_celsius(np.min(T))),
            "cabin_time_below_comfort_s": float(np.sum(dt[cold[:-1] & cold[1:]])),
            "cabin_heat_deficit_kWh": _kwh(series, "cumulative_cabin_deficit_J", start),
            "cabin_heat_kWh": _kwh(series, "cumulative_cabin_heat_J", start)}


def heating_time_s(series: Mapping[str, np.ndarray], marks, a: TripAssumptions) -> float:
    """Time from the start of heating (preconditioning or departure) until the coldest zone
    reaches the target [s]; ``nan`` if the pack is not heated or never gets there."""
    if not a.heated:
        return float("nan")
    t = series["time_s"]
    begin = marks.precondition_start_s if a.preconditioned else marks.drive_start_s
    after = (t >= begin) & (series["min_cell_temperature_K"] >= a.heating_target_K - 1e-6)
    return float(t[np.argmax(after)] - begin) if np.any(after) else float("nan")


def against_reference(metrics: dict, reference: Mapping[str, float] | None) -> dict:
    """Range loss, energy and CO2 penalties against the 25 degC reference (the trip itself for it)."""
    ref = reference if reference is not None else metrics
    comparison = {f"reference_{name}": ref[name]
                  for name in ("battery_energy_Wh_per_km", "grid_energy_Wh_per_km", "co2_g_per_km", "range_km")}
    if reference is None:  # the reference trip itself
        return {**comparison, "range_loss_pct": 0.0, "energy_penalty_kWh_per_100km": 0.0, "co2_penalty_g_per_km": 0.0}
    return {**comparison, "range_loss_pct": 100 * (1 - metrics["range_km"] / ref["range_km"]),
            "energy_penalty_kWh_per_100km": (metrics["grid_energy_Wh_per_km"] - ref["grid_energy_Wh_per_km"]) / 10,
            "co2_penalty_g_per_km": metrics["co2_g_per_km"] - ref["co2_g_per_km"]}

#: battery-side uses of a trip's energy: (cumulative series, label, sign); they add up to
#: ``cumulative_battery_out_J`` exactly (the pack model integrates each flow as a state)
ENERGY_USES = (
    ("cumulative_traction_wheel_J", "traction at the wheels", 1.0),
    ("cumulative_drivetrain_losses_J", "drivetrain losses", 1.0),
    ("cumulative_aux_J", "auxiliaries", 1.0),
    ("cumulative_cabin_J", "cabin heating", 1.0),
    ("cumulative_heating_battery_J", "battery heating (from the battery)", 1.0),
    ("cumulative_regen_not_accepted_J", "braking energy the cold cells refused", 1.0),
    ("cumulative_braking_wheel_J", "braking energy at the wheels (returned)", -1.0),
)


def energy_by_use_J(series: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Cumulative battery energy by use [J] (label -> series), regenerated braking negative.

    Their sum is the battery's net energy out, ``cumulative_battery_out_J``:

    .. math:: E_{out} = E^+_{wheel} + E_{drivetrain} + E_{aux} + E_{cabin} + E_{heat,batt}
              + E_{refused} - E^-_{wheel}
    """
    return {label: sign * np.asarray(series[name], float) for name, label, sign in ENERGY_USES if name in series}
