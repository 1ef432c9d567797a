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
    """

    soc_min: float
    plating_margin_V: float
    charging_efficiency: float
    grid_gco2_per_kWh: float
    heating_target_K: float
    heated: bool
    preconditioned: bool
    ccd_A_per_m2: Callable[[float], float] | None = None


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
    start = int(np.searchsorted(t, marks.drive_start_s, side="left"))
    start = min(start, len(t) - 1)
    kwh = lambda name, i0=0: float(series[name][-1] - series[name][i0]) / _J_PER_KWH  # noqa: E731
    distance_km = float(series["cumulative_distance_m"][-1] - series["cumulative_distance_m"][start]) / 1000
    battery_kWh = kwh("cumulative_battery_out_J", start)
    grid_heat_kWh = kwh("cumulative_heating_grid_J")
    battery_heat_kWh = kwh("cumulative_heating_battery_J")
    soc0, soc1 = float(series["soc"][start]), float(series["soc"][-1])
    if "Distance reached" not in marks.end_reason:
        range_km, estimated = distance_km, 0.0
    else:  # distance given: extrapolate with the state of charge used
        usable = soc0 - a.soc_min
        range_km = distance_km * usable / (soc0 - soc1) if soc0 > soc1 else float("nan")
        estimated = 1.0
    battery_per_km = 1000 * battery_kWh / distance_km if distance_km > 0 else float("nan")
    grid_per_km = battery_per_km / a.charging_efficiency + 1000 * grid_heat_kWh / distance_km \
        if distance_km > 0 else float("nan")
    co2 = grid_per_km / 1000 * a.grid_gco2_per_kWh
    anode = [series[name][start:] for name in series if name.endswith("_anode_potential_V")]
    if anode:
        anode_min = np.min(np.vstack(anode), axis=0)
        min_anode, plating = float(np.min(anode_min)), plating_time_s(t[start:], anode_min, a.plating_margin_V)
    else:
        min_anode, plating = float("nan"), float("nan")
    ccd_ratio = float("nan")
    densities = [(name, name.replace("_lithium_current_density_A_per_m2", "_temperature_K"))
                 for name in series if name.endswith("_lithium_current_density_A_per_m2")]
    if densities:
        ccd = a.ccd_A_per_m2
        ccd_ratio = max(float(np.max(np.abs(series[i][start:]) / np.array([ccd(T) for T in series[T_name][start:]])))
                        for i, T_name in densities)
    heating_time = float("nan")
    target_K = a.heating_target_K
    if a.heated:
        begin = marks.soak_end_s if a.preconditioned else marks.drive_start_s
        after = (t >= begin) & (series["min_cell_temperature_K"] >= target_K - 1e-6)
        if np.any(after):
            heating_time = float(t[np.argmax(after)] - begin)
    metrics = {
        "heating_time_s": heating_time,
        "heating_energy_kWh": grid_heat_kWh + battery_heat_kWh,
        "heating_energy_grid_kWh": grid_heat_kWh,
        "heating_energy_battery_kWh": battery_heat_kWh,
        "departure_temperature_C": float(kelvin_to_celsius(series["min_cell_temperature_K"][start])),
        "range_km": range_km,
        "range_estimated": estimated,
        "battery_energy_Wh_per_km": battery_per_km,
        "grid_energy_Wh_per_km": grid_per_km,
        "co2_g_per_km": co2,
        "min_anode_potential_V": min_anode,
        "plating_time_s": plating,
        "max_temperature_spread_K": float(np.max(series["temperature_spread_K"])),
        "max_ccd_ratio": ccd_ratio,
        "driven_km": distance_km,
        "drive_time_h": float(t[-1] - t[start]) / 3600,
        "drive_battery_energy_kWh": battery_kWh,
        "traction_energy_kWh": kwh("cumulative_traction_battery_J", start),
        "drivetrain_loss_energy_kWh": kwh("cumulative_drivetrain_losses_J", start),
        "aux_energy_kWh": kwh("cumulative_aux_J", start),
        "cabin_energy_kWh": kwh("cumulative_cabin_J", start),
        "regen_not_accepted_kWh": kwh("cumulative_regen_not_accepted_J", start),
        "cell_heat_kWh": kwh("cumulative_electrochemical_heat_J", start),
        "end_soc": soc1,
    }
    if reference is not None:
        metrics.update({
            "reference_battery_energy_Wh_per_km": reference["battery_energy_Wh_per_km"],
            "reference_grid_energy_Wh_per_km": reference["grid_energy_Wh_per_km"],
            "reference_co2_g_per_km": reference["co2_g_per_km"],
            "reference_range_km": reference["range_km"],
            "range_loss_pct": 100 * (1 - range_km / reference["range_km"]),
            "energy_penalty_kWh_per_100km": (grid_per_km - reference["grid_energy_Wh_per_km"]) / 10,
            "co2_penalty_g_per_km": co2 - reference["co2_g_per_km"],
        })
    else:
        metrics.update({"reference_battery_energy_Wh_per_km": battery_per_km,
                        "reference_grid_energy_Wh_per_km": grid_per_km, "reference_co2_g_per_km": co2,
                        "reference_range_km": range_km, "range_loss_pct": 0.0,
                        "energy_penalty_kWh_per_100km": 0.0, "co2_penalty_g_per_km": 0.0})
    return metrics


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
