"""Metrics of a heating phase of one cell: pure functions of its time series (battsim names, SI)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from battsim.units import J_PER_KWH as _J_PER_KWH
from battsim.units import kelvin_to_celsius


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


