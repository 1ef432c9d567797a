"""Metrics of a cell discharge: pure functions of a simulated time series (battsim names, SI)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from battsim.units import kelvin_to_celsius


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


