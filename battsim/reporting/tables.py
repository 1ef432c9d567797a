"""Text tables of results: the run summary, one trip against its reference, metric columns."""

from __future__ import annotations

import math

from battsim.metrics import METRIC_UNITS

_TRIP_VERSUS = [("range_km", "reference_range_km"), ("battery_energy_Wh_per_km", "reference_battery_energy_Wh_per_km"),
                ("grid_energy_Wh_per_km", "reference_grid_energy_Wh_per_km"),
                ("co2_g_per_km", "reference_co2_g_per_km")]
_TRIP_ALONE = ["range_loss_pct", "energy_penalty_kWh_per_100km", "co2_penalty_g_per_km", "heating_time_s",
               "heating_energy_kWh", "heating_energy_grid_kWh", "heating_energy_battery_kWh",
               "departure_temperature_C", "min_anode_potential_V", "plating_time_s", "max_temperature_spread_K",
               "driven_km", "drive_time_h", "cabin_energy_kWh", "cabin_precondition_grid_kWh",
               "cabin_min_temperature_C", "cabin_time_below_comfort_s", "cabin_heat_deficit_kWh",
               "regen_not_accepted_kWh"]


def trip_summary(result) -> str:
    """One trip against its 25 degC reference, a metric per line."""
    m = result.metrics
    rows = [{"metric": name, "this trip": m.get(name), "reference (25 degC, no heating)": m.get(ref),
             "unit": METRIC_UNITS[name]} for name, ref in _TRIP_VERSUS]
    rows += [{"metric": name, "this trip": m.get(name), "reference (25 degC, no heating)": None,
              "unit": METRIC_UNITS[name]} for name in _TRIP_ALONE]
    p = result.params
    head = (f"{p['vehicle']}, {p['chemistry']} pack {p['series']}s{p['parallel']}p, {p['cycle']}, "
            f"{p['ambient_C']:g} degC after {p['soak_h']:g} h, heating: {p['method']}"
            + (" (grid preconditioning)" if p.get("precondition") else "")
            + (" (on the road)" if p.get("on_road") else "") + f"; drive ended by {result.termination}")
    return "\n".join([head, range_note(m), table(rows, ["metric", "this trip", "reference (25 degC, no heating)",
                                                        "unit"])])


def range_counts(rows: list[dict]) -> tuple[int, int]:
    """``(trips, trips without a range)`` among ``rows`` (a trip row has a vehicle or a range)."""
    trips = [row for row in rows if row.get("vehicle") not in (None, "")
             or ("range_km" in row and "vehicle" not in row)]
    return len(trips), sum(not finite(row.get("range_km")) for row in trips)


def range_footer(rows: list[dict] | None = None, counts: tuple[int, int] | None = None) -> str | None:
    """One line under a table of trips saying that every range shown was driven (``None`` without
    trips), from the rows or from their :func:`range_counts`."""
    trips, missing = counts if counts is not None else range_counts(rows or [])
    if not trips:
        return None
    line = "range_km: driven until the pack was empty, never estimated"
    if missing:
        line += f"; {missing} of {trips} trips stopped at drive.distance_km and report none"
    return line


def range_note(metrics) -> str:
    """Whether a trip's range was driven (battsim never extrapolates one)."""
    if finite(metrics.get("range_km")):
        return "range: driven until the pack was empty (not estimated)"
    return ("range: not reported: the drive stopped at drive.distance_km (remove it to drive until the pack is "
            "empty); energy per km, heating and CO2 are for the distance driven")


_MAIN_METRICS = {
    "cell_discharge": ["delivered_capacity_Ah", "delivered_capacity_pct_of_25C", "delivered_energy_Wh",
                       "end_temperature_C", "min_anode_potential_V", "max_ccd_ratio"],
    "cell_heating": ["heating_time_s", "heating_energy_kWh", "heating_energy_grid_kWh",
                     "heating_energy_battery_kWh", "heating_soc_consumed_pct", "end_temperature_C",
                     "min_anode_potential_V", "plating_time_s", "max_ccd_ratio", "hold_energy_kWh",
                     "hold_min_temperature_C", "hold_max_temperature_C"],
    "cell_envelope": ["max_discharge_c_rate", "max_charge_c_rate", "ccd_c_rate"],
    "trip": ["range_km", "reference_range_km", "range_loss_pct", "battery_energy_Wh_per_km",
             "grid_energy_Wh_per_km", "energy_penalty_kWh_per_100km", "co2_g_per_km", "co2_penalty_g_per_km",
             "heating_energy_grid_kWh", "heating_energy_battery_kWh", "departure_temperature_C",
             "min_anode_potential_V", "plating_time_s", "max_temperature_spread_K", "cabin_min_temperature_C",
             "cabin_heat_deficit_kWh"],
}

#: text outcomes shown in the run table when a case has them
_LABELS = ("binding_limit", "discharge_limit", "charge_limit")


def run_columns(kind: str, swept, rows) -> list[str]:
    """The columns of the run table: identifying parameters, the kind's main metrics, status."""
    columns = ["chemistry", "ambient_C"] + [k for k in swept if k not in ("chemistry", "ambient_C")]
    if kind == "cell_discharge":
        columns += [k for k in ("condition",) if k not in columns]
    if kind == "cell_heating":
        columns += [k for k in ("method", "controller") if k not in columns]
    if kind == "trip":
        columns += [k for k in ("vehicle", "cycle", "method") if k not in columns]
    metrics = [m for m in _MAIN_METRICS[kind] if any(finite(row.get(m)) for row in rows)]
    metrics += [label for label in _LABELS if any(row.get(label) for row in rows)]
    return columns + metrics + (["status"] if any(row["status"] != "ok" for row in rows) else [])


def finite(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        if not math.isfinite(value):
            return "-"
        return f"{value:.4g}" if abs(value) < 1e4 else f"{value:.0f}"
    return str(value)


def table(rows: list[dict], columns: list[str]) -> str:
    cells = [[cell(row.get(c)) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.rjust(w) for c, w in zip(columns, widths))]
    lines += ["  ".join(v.rjust(w) for v, w in zip(r, widths)) for r in cells]
    return "\n".join(lines)


