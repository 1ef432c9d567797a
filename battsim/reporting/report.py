"""``battsim report``: PNG plots and a one-page Markdown summary of a result file."""

from __future__ import annotations

import json
import math
from pathlib import Path

from battsim.cachedir import write_text_whole
from battsim.metrics.trip import energy_by_use_J
from battsim.reporting.plots import (
    figure,
    heating_comparison,
    heating_temperatures,
    operating_envelope,
    save,
    trip_sweep,
)
from battsim.reporting.tables import range_note
from battsim.results import Result, read_case, read_result
from battsim.units import J_PER_KWH

_TRIP_KEYS = ["range_km", "reference_range_km", "range_loss_pct", "battery_energy_Wh_per_km", "grid_energy_Wh_per_km",
              "energy_penalty_kWh_per_100km", "co2_g_per_km", "co2_penalty_g_per_km", "heating_time_s",
              "heating_energy_kWh", "heating_energy_grid_kWh", "heating_energy_battery_kWh",
              "departure_temperature_C", "min_anode_potential_V", "plating_time_s", "max_temperature_spread_K",
              "cabin_energy_kWh", "cabin_min_temperature_C", "cabin_time_below_comfort_s", "cabin_heat_deficit_kWh"]


def _label(record: Result) -> str:
    p = record.params
    ambient = p.get("ambient_C")
    parts = [p.get("chemistry", ""), f"{ambient:g} degC" if isinstance(ambient, float) else ""]
    for key in ("vehicle", "cycle", "method", "controller"):
        if key in p and p[key] is not None:
            parts.append(str(p[key]))
    return ", ".join(x for x in parts if x)


def _hours(record):
    return record.timeseries["time_s"] / 3600


def _save(fig, path: Path) -> str:
    return save(fig, path).name


def _trip_plots(record: Result, out: Path, stem: str) -> list[str]:
    ts, h = record.timeseries, _hours(record)
    names = []
    fig, ax = figure(figsize=(9, 4.5), layout="constrained")
    for key, label in (("core_temperature_C", "core cells"), ("edge_temperature_C", "edge cells"),
                       ("coolant_temperature_C", "coolant / plate"), ("enclosure_temperature_C", "enclosure"),
                       ("cabin_temperature_C", "cabin")):
        if key in ts:
            ax.plot(h, ts[key], label=label)
    ambient = record.params.get("ambient_C")
    if ambient is not None:
        ax.axhline(ambient, color="grey", linestyle="--", label="ambient")
    _finish(ax, "temperature [degC]", f"temperatures: {_label(record)}")
    names.append(_save(fig, out / f"{stem}_temperatures.png"))

    fig, axes = figure(3, 1, figsize=(9, 8), layout="constrained")
    axes[0].plot(h, ts["heater_electrical_power_W"] / 1000, label="battery heater (electric)")
    axes[0].plot(h, ts["cabin_heater_power_W"] / 1000, label="cabin heater (electric)")
    if "cabin_heat_deficit_W" in ts and ts["cabin_heat_deficit_W"].max() > 1.0:
        axes[0].plot(h, ts["cabin_heat_deficit_W"] / 1000, ":", label="cabin heat the heater cannot give")
    axes[0].set_ylabel("power [kW]")
    axes[0].legend(fontsize=8)
    axes[1].plot(h, 100 * ts["soc"])
    axes[1].set_ylabel("state of charge [%]")
    axes[2].plot(h, 3.6 * ts["speed_m_per_s"], linewidth=0.4)
    axes[2].set_ylabel("speed [km/h]")
    axes[2].set_xlabel("time [h]")
    for ax in axes:
        ax.grid(alpha=0.3)
    axes[0].set_title(f"heating, state of charge and speed: {_label(record)}", fontsize=10)
    names.append(_save(fig, out / f"{stem}_power_soc_speed.png"))

    names.append(_save(_energy_plot(record, h), out / f"{stem}_energy.png"))
    return names


def _energy_plot(record: Result, h):
    """Battery energy by use, stacked: the uses add up to the net battery line; returned braking
    energy below zero. The cells' own heat, inside the battery, is in a panel of its own."""
    ts = record.timeseries
    fig, (ax, cells) = figure(2, 1, figsize=(9, 7), layout="constrained", height_ratios=(3, 1))
    uses = energy_by_use_J(ts)
    positive = {label: values / J_PER_KWH for label, values in uses.items() if values[-1] >= 0}
    negative = {label: values / J_PER_KWH for label, values in uses.items() if values[-1] < 0}
    ax.stackplot(h, *positive.values(), labels=list(positive), alpha=0.8)
    for label, values in negative.items():
        ax.fill_between(h, values, 0, alpha=0.5, label=label, color="tab:cyan")
    ax.plot(h, ts["cumulative_battery_out_J"] / J_PER_KWH, "k--", label="battery energy out (net): the sum")
    if "cumulative_heating_grid_J" in ts and ts["cumulative_heating_grid_J"][-1] > 0:
        ax.plot(h, ts["cumulative_heating_grid_J"] / J_PER_KWH, "r:",
                label="battery heating from the grid (not stacked)")
    _finish(ax, "cumulative energy [kWh]", f"energy by use: {_label(record)}")
    cells.plot(h, ts["cumulative_electrochemical_heat_J"] / J_PER_KWH, color="tab:brown")
    cells.set_ylabel("[kWh]")
    cells.set_xlabel("time [h]")
    cells.grid(alpha=0.3)
    cells.set_title("net heat released inside the cells (Ohmic and reaction heat, less reversible heat absorbed)",
                    fontsize=9)
    return fig


def _finish(ax, ylabel: str, title: str) -> None:
    """Time axis in hours, ``ylabel``, legend, grid and ``title`` of a one-panel trip plot."""
    ax.set_xlabel("time [h]")
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    ax.set_title(title, fontsize=10)


def _cell_plots(record: Result, out: Path, stem: str) -> list[str]:
    ts = record.timeseries
    ac = "ac_amplitude_A" in ts
    fig, axes = figure(4 if ac else 2, 1, figsize=(8, 10 if ac else 6), layout="constrained")
    t = ts["time_s"] / 60
    axes[0].plot(t, ts["voltage_V"], label="terminal (DC)")
    if ac:
        axes[0].plot(t, ts["ac_voltage_max_V"], ":", label="AC swing, highest")
        axes[0].plot(t, ts["ac_voltage_min_V"], ":", label="AC swing, lowest")
        axes[0].legend(fontsize=8)
    axes[0].set_ylabel("voltage [V]")
    axes[1].plot(t, ts["temperature_C"], label="cell")
    if "node_temperature_C" in ts:
        axes[1].plot(t, ts["node_temperature_C"], label="external node")
    axes[1].set_ylabel("temperature [degC]")
    axes[1].legend(fontsize=8)
    if ac:
        axes[2].plot(t, ts["ac_amplitude_A"])
        axes[2].set_ylabel("AC amplitude [A]")
        axes[3].plot(t, ts["ac_frequency_Hz"])
        axes[3].set_yscale("log")
        axes[3].set_ylabel("AC frequency [Hz]")
    axes[-1].set_xlabel("time [min]")
    for ax in axes:
        ax.grid(alpha=0.3)
    axes[0].set_title(_label(record), fontsize=10)
    return [_save(fig, out / f"{stem}_voltage_temperature.png")]


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "-"
    return f"{value:.4g}" if isinstance(value, float) else str(value)


#: a report draws each case's own plots for at most this many cases (by default)
PER_CASE_PLOTS = 12
#: rows of the metrics table in ``summary.md``
TABLE_ROWS = 500


def write_report(result_path, out_dir, per_case: int = PER_CASE_PLOTS) -> Path:
    """Plots and ``summary.md`` of a result file; returns the summary's path.

    The sweep plots and the metrics table come from the metrics alone; each case's own plots
    (its time series) are drawn for every case of a small run and, above ``per_case`` cases,
    for the ``per_case`` trips that lost the most range (other runs: the first ``per_case``), so
    a report of thousands of cases reads only those cases' time series."""
    result = read_result(result_path, timeseries=False)
    cases = list(result)
    ok = [r for r in cases if r.status == "ok"]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    kinds = {_kind(r) for r in ok}
    lines = [f"# battsim report: {Path(result_path).name}", "",
             f"battsim {result.attrs.get('battsim_version')}, PyBaMM {result.attrs.get('pybamm_version')}, "
             f"created {result.attrs.get('created_utc')}; {len(cases)} cases.", ""]
    drawn = [read_case(result_path, r.case_id) for r in _chosen(ok, per_case)]
    lines += _sweep_sections(ok, drawn, out)
    lines += _metrics_table(cases, ok, kinds)
    if "trip" in kinds:
        lines += [f"Ranges: {range_note(r.metrics)} ({_label(r)})." for r in ok[:TABLE_ROWS]] + [""]
    if len(drawn) < len(ok):
        lines += [f"Each case's own plots are drawn for {len(drawn)} of the {len(ok)} finished cases "
                  f"({'the largest range losses' if 'trip' in kinds else 'the first ones'}); every case's time "
                  "series is in the result file (`battsim.results.read_case(path, case_id)`).", ""]
    numbers = {r.case_id: i for i, r in enumerate(cases, 1)}
    for record in (r for r in drawn if _kind(r) != "envelope"):
        number = numbers[record.case_id]
        stem = f"case{number:02d}_{record.case_id}"
        images = _trip_plots(record, out, stem) if _kind(record) == "trip" else _cell_plots(record, out, stem)
        lines += [f"## Case {number}: {_label(record)}", ""] + [f"![{name}]({name})" for name in images] + [""]
    failed = [r for r in cases if r.status != "ok"]
    if failed:
        lines += ["## Failed cases", ""] + [f"- {_label(r)}: {r.error}" for r in failed] + [""]
    summary = out / "summary.md"
    write_text_whole(summary, "\n".join(lines))
    return summary


def _kind(record: Result) -> str:
    if "max_discharge_c_rate" in record.metrics:
        return "envelope"  # a search over pulses: no time series of its own
    names = record.timeseries_units or record.timeseries
    return "trip" if "cumulative_distance_m" in names else "heating" if "heating_command" in names else "cell"


def _chosen(ok: list[Result], per_case: int) -> list[Result]:
    """The cases whose own plots are drawn: all of a small run, else the largest range losses."""
    if len(ok) <= per_case:
        return ok
    if not all(_kind(r) == "trip" for r in ok):
        return ok[:per_case]

    def loss(record: Result) -> float:  # range lost, else (partial drives) the energy penalty
        for name in ("range_loss_pct", "energy_penalty_kWh_per_100km"):
            value = record.metrics.get(name)
            if value is not None and math.isfinite(value):
                return value
        return -math.inf

    picked = {r.case_id for r in sorted(ok, key=loss, reverse=True)[:per_case]}
    return [r for r in ok if r.case_id in picked]


def _sweep_sections(ok: list[Result], drawn: list[Result], out: Path) -> list[str]:
    """Heating time against energy and, for trips, range loss and penalty against ambient."""
    lines = []
    heated = [r for r in ok if _kind(r) == "heating"]
    if len(heated) > 1:
        name = heating_comparison([dict(r.params, **r.metrics) for r in heated], out / "heating_comparison.png").name
        lines += ["## Heating time against energy", "", f"![heating comparison]({name})", ""]
        drawn_heated = [r for r in drawn if _kind(r) == "heating"]
        if len(drawn_heated) > 1:
            overlay = heating_temperatures(drawn_heated, out / "heating_temperatures.png").name
            lines += ["## Cell temperature against time", "", f"![heating temperatures]({overlay})", ""]
    envelopes = [r for r in ok if _kind(r) == "envelope"]
    if envelopes:
        name = operating_envelope([dict(r.params, **r.metrics, **r.labels) for r in envelopes],
                                  out / "operating_envelope.png").name
        lines += ["## Operating envelope against ambient temperature", "", f"![operating envelope]({name})", ""]
    trips = [r for r in ok if _kind(r) == "trip" or r.params.get("vehicle")]
    if len({r.params.get("ambient_C") for r in trips}) > 1:
        name = trip_sweep([dict(r.params, **r.metrics, status=r.status) for r in trips],
                          out / "trip_sweep.png").name
        lines += ["## Range loss and energy penalty against ambient temperature", "",
                  f"![trip sweep]({name})", ""]
    return lines


def _metrics_table(cases: list[Result], ok: list[Result], kinds: set[str]) -> list[str]:
    """The metrics of every case (the first :data:`TABLE_ROWS`), the varying parameters first."""
    metric_names = list(dict.fromkeys(m for r in ok for m in r.metrics))
    shown = [m for m in _TRIP_KEYS if m in metric_names] if "trip" in kinds else metric_names
    units = {m: u for r in ok for m, u in r.units.items()}
    params = list(dict.fromkeys(k for r in cases for k in r.params))
    varying = [p for p in params if len({json.dumps(r.params.get(p)) for r in cases}) > 1] or params[:2]
    lines = ["## Metrics", "", "| " + " | ".join(varying + [f"{m} [{units[m]}]" for m in shown] + ["status"]) + " |",
             "|" + " --- |" * (len(varying) + len(shown) + 1)]
    for r in cases[:TABLE_ROWS]:
        lines.append("| " + " | ".join([_cell(r.params.get(p)) for p in varying]
                                        + [_cell(r.metrics.get(m)) for m in shown] + [r.status]) + " |")
    if len(cases) > TABLE_ROWS:
        lines.append(f"\n{len(cases) - TABLE_ROWS} more cases: `battsim show RESULT.h5 --json` or "
                     "`battsim export fleet` give every row.")
    return lines + [""]
