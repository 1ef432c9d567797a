"""Metrics: pure functions of a simulated time series.

Names are a contract (DESIGN.md): result files, ``battsim show --json`` and the fleet table
use exactly these. :data:`METRIC_UNITS` gives the unit stored with each.
"""

from __future__ import annotations

from typing import Callable, Mapping

import numpy as np

from battsim.units import celsius_to_kelvin, kelvin_to_celsius

#: metric name -> unit (as written to the ``units`` attribute of result files)
METRIC_UNITS = {
    "delivered_capacity_Ah": "A.h",
    "delivered_capacity_pct_of_25C": "%",
    "delivered_energy_Wh": "W.h",
    "end_temperature_C": "degC",
    "min_anode_potential_V": "V",
    "reference_capacity_25C_Ah": "A.h",
    "max_temperature_C": "degC",
    "mean_voltage_V": "V",
    "duration_s": "s",
    "max_ccd_ratio": "1",
}


def delivered_capacity_Ah(series: Mapping[str, np.ndarray]) -> float:
    """Charge delivered over the discharge [A.h]."""
    return float(series["discharge_capacity_Ah"][-1])


def delivered_energy_Wh(series: Mapping[str, np.ndarray]) -> float:
    """Energy delivered at the terminals over the discharge [W.h]."""
    return float(series["discharge_energy_Wh"][-1])


def min_anode_potential_V(series: Mapping[str, np.ndarray]) -> float:
    """Lowest negative-electrode potential against Li/Li+ at the separator [V].

    Below 0 V lithium plating is thermodynamically possible. A lithium-metal negative
    electrode is at 0 V by definition: ``nan`` (no graphite to plate on).
    """
    if "anode_potential_V" not in series:
        return float("nan")
    return float(np.min(series["anode_potential_V"]))


def max_ccd_ratio(series: Mapping[str, np.ndarray], ccd_A_per_m2: Callable[[float], float] | None) -> float:
    """Largest ratio of lithium-interface current density to the critical current density [-].

    Above 1 a lithium-metal cell voids on stripping and grows dendrites on plating.
    ``nan`` for cells without a lithium-metal electrode.
    """
    if ccd_A_per_m2 is None or "lithium_interface_current_density_A_per_m2" not in series:
        return float("nan")
    i = np.abs(series["lithium_interface_current_density_A_per_m2"])
    ccd = np.array([ccd_A_per_m2(T) for T in series["temperature_K"]])
    return float(np.max(i / ccd))


def cell_discharge_metrics(series: Mapping[str, np.ndarray], capacity_25C_Ah: float,
                           ccd_A_per_m2: Callable[[float], float] | None = None) -> dict[str, float]:
    """The cell-test metrics of one discharge.

    Parameters
    ----------
    series : mapping
        Time series of the discharge (battsim names, SI units).
    capacity_25C_Ah : float
        Capacity delivered by the same cell and test at 25 degC [A.h].
    ccd_A_per_m2 : callable, optional
        Critical current density [A.m-2] as a function of temperature [K].
    """
    capacity = delivered_capacity_Ah(series)
    energy = delivered_energy_Wh(series)
    return {
        "delivered_capacity_Ah": capacity,
        "delivered_capacity_pct_of_25C": 100.0 * capacity / capacity_25C_Ah,
        "delivered_energy_Wh": energy,
        "end_temperature_C": float(kelvin_to_celsius(series["temperature_K"][-1])),
        "min_anode_potential_V": min_anode_potential_V(series),
        "reference_capacity_25C_Ah": float(capacity_25C_Ah),
        "max_temperature_C": float(kelvin_to_celsius(np.max(series["temperature_K"]))),
        "mean_voltage_V": energy / capacity if capacity > 0 else float("nan"),
        "duration_s": float(series["time_s"][-1]),
        "max_ccd_ratio": max_ccd_ratio(series, ccd_A_per_m2),
    }


METRIC_UNITS.update({
    "heating_time_s": "s",
    "heating_energy_kWh": "kW.h",
    "heating_energy_grid_kWh": "kW.h",
    "heating_energy_battery_kWh": "kW.h",
    "heating_soc_consumed_pct": "%",
    "heat_to_cell_kWh": "kW.h",
    "plating_time_s": "s",
    "heating_target_reached": "1",
    "mean_heating_rate_K_per_min": "K.min-1",
    "hold_energy_kWh": "kW.h",
    "hold_min_temperature_C": "degC",
    "hold_max_temperature_C": "degC",
    "hold_plating_time_s": "s",
})

_J_PER_KWH = 3.6e6


def plating_time_s(time_s: np.ndarray, anode_potential_V: np.ndarray, margin_V: float) -> float:
    """Time the negative electrode spends below the plating margin [s] (trapezoidal)."""
    below = (np.asarray(anode_potential_V) < margin_V).astype(float)
    return float(np.sum(0.5 * (below[1:] + below[:-1]) * np.diff(time_s)))


def cell_heating_metrics(series: Mapping[str, np.ndarray], reached: bool, soc_capacity_Ah: float,
                         anode_min_V: np.ndarray | None, margin_V: float,
                         ccd_ratio: np.ndarray | None = None) -> dict[str, float]:
    """Metrics of a heating phase of one cell.

    Parameters
    ----------
    series : mapping
        Time series of the phase (battsim names, SI units).
    reached : bool
        Whether the cell reached the target before the phase's time limit.
    soc_capacity_Ah : float
        Charge between 0 and 100 % SOC [A.h].
    anode_min_V : ndarray, optional
        Lowest negative-electrode potential against Li/Li+ over each AC period (or the DC
        value) [V]; ``None`` for a lithium-metal cell.
    margin_V : float
        Plating margin [V].
    ccd_ratio : ndarray, optional
        Current density over critical current density (lithium metal) [-].
    """
    t = series["time_s"]
    grid = float(series["cumulative_heating_grid_J"][-1])
    battery = float(series["cumulative_heating_battery_J"][-1])
    T = series["temperature_K"]
    # heat the cell received: from inside (heater, AC, foil, its own reactions) and net from its surface
    heat_to_cell = float(series["cumulative_internal_heat_J"][-1] + series["cumulative_electrochemical_heat_J"][-1]
                         - series["cumulative_heat_from_surface_J"][-1])
    metrics = {
        "heating_target_reached": float(reached),
        "heating_time_s": float(t[-1]) if reached else float("nan"),
        "heating_energy_kWh": (grid + battery) / _J_PER_KWH,
        "heating_energy_grid_kWh": grid / _J_PER_KWH,
        "heating_energy_battery_kWh": battery / _J_PER_KWH,
        "heating_soc_consumed_pct": 100.0 * float(series["discharge_capacity_Ah"][-1]) / soc_capacity_Ah,
        "heat_to_cell_kWh": heat_to_cell / _J_PER_KWH,
        "end_temperature_C": float(kelvin_to_celsius(T[-1])),
        "max_temperature_C": float(kelvin_to_celsius(np.max(T))),
        "mean_heating_rate_K_per_min": float(60 * (T[-1] - T[0]) / t[-1]) if t[-1] > 0 else float("nan"),
        "min_anode_potential_V": float(np.min(anode_min_V)) if anode_min_V is not None else float("nan"),
        "plating_time_s": plating_time_s(t, anode_min_V, margin_V) if anode_min_V is not None else float("nan"),
        "max_ccd_ratio": float(np.max(ccd_ratio)) if ccd_ratio is not None else float("nan"),
    }
    return metrics


def hold_metrics(series: Mapping[str, np.ndarray], start_s: float, anode_min_V: np.ndarray | None,
                 margin_V: float) -> dict[str, float]:
    """Metrics of holding the target after a heating phase that reached it at ``start_s`` [s]."""
    t = series["time_s"]
    hold = t >= start_s
    i0 = int(np.argmax(hold))
    energy = (series["cumulative_heating_grid_J"] + series["cumulative_heating_battery_J"])
    T = series["temperature_K"][hold]
    return {
        "hold_energy_kWh": float(energy[-1] - energy[i0]) / _J_PER_KWH,
        "hold_min_temperature_C": float(kelvin_to_celsius(np.min(T))),
        "hold_max_temperature_C": float(kelvin_to_celsius(np.max(T))),
        "hold_plating_time_s": (plating_time_s(t[hold], anode_min_V[hold], margin_V)
                                if anode_min_V is not None else float("nan")),
    }


METRIC_UNITS.update({
    "departure_temperature_C": "degC",
    "range_km": "km",
    "reference_range_km": "km",
    "range_loss_pct": "%",
    "battery_energy_Wh_per_km": "W.h.km-1",
    "grid_energy_Wh_per_km": "W.h.km-1",
    "energy_penalty_kWh_per_100km": "kW.h.(100km)-1",
    "co2_g_per_km": "g.km-1",
    "co2_penalty_g_per_km": "g.km-1",
    "max_temperature_spread_K": "K",
    "driven_km": "km",
    "drive_time_h": "h",
    "range_estimated": "1",
    "drive_battery_energy_kWh": "kW.h",
    "traction_energy_kWh": "kW.h",
    "drivetrain_loss_energy_kWh": "kW.h",
    "aux_energy_kWh": "kW.h",
    "cabin_energy_kWh": "kW.h",
    "regen_not_accepted_kWh": "kW.h",
    "cell_heat_kWh": "kW.h",
    "end_soc": "1",
    "reference_battery_energy_Wh_per_km": "W.h.km-1",
    "reference_grid_energy_Wh_per_km": "W.h.km-1",
    "reference_co2_g_per_km": "g.km-1",
})


def trip_metrics(series: Mapping[str, np.ndarray], marks, cfg, reference: Mapping[str, float] | None) -> dict:
    """Metrics of a trip (names of DESIGN.md); ``reference`` is the 25 degC trip's (``None`` for it).

    Parameters
    ----------
    series : mapping
        Time series of the whole trip (battsim names, SI).
    marks : TripMarks
        Phase times.
    cfg : Config
        The trip's config (carbon, heating, drive settings).
    """
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
        usable = soc0 - cfg.drive.soc_min
        range_km = distance_km * usable / (soc0 - soc1) if soc0 > soc1 else float("nan")
        estimated = 1.0
    battery_per_km = 1000 * battery_kWh / distance_km if distance_km > 0 else float("nan")
    grid_per_km = battery_per_km / cfg.carbon.charging_efficiency + 1000 * grid_heat_kWh / distance_km \
        if distance_km > 0 else float("nan")
    co2 = grid_per_km / 1000 * cfg.carbon.grid_gco2_per_kWh
    anode = [series[name][start:] for name in series if name.endswith("_anode_potential_V")]
    if anode:
        anode_min = np.min(np.vstack(anode), axis=0)
        min_anode, plating = float(np.min(anode_min)), plating_time_s(t[start:], anode_min, cfg.heating.plating_margin_V)
    else:
        min_anode, plating = float("nan"), float("nan")
    ccd_ratio = float("nan")
    densities = [(name, name.replace("_lithium_current_density_A_per_m2", "_temperature_K"))
                 for name in series if name.endswith("_lithium_current_density_A_per_m2")]
    if densities:
        from battsim.cells import get_chemistry

        ccd = get_chemistry(cfg.cell.chemistry).critical_current_density_A_per_m2
        ccd_ratio = max(float(np.max(np.abs(series[i][start:]) / np.array([ccd(T) for T in series[T_name][start:]])))
                        for i, T_name in densities)
    heating_time = float("nan")
    target_K = celsius_to_kelvin(cfg.heating.target_C)
    heated = cfg.heating.method != "none" and (cfg.heating.precondition or cfg.heating.on_road)
    if heated:
        begin = marks.soak_end_s if cfg.heating.precondition else marks.drive_start_s
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
