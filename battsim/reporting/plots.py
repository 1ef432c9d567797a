"""Plots as PNG files.

Figures are made with :class:`matplotlib.figure.Figure` directly, not through ``pyplot``: no
backend is chosen and no global state is touched, so importing battsim leaves a notebook's
inline plots alone and the files are written on machines without a display.
"""

from __future__ import annotations

import math
import os
import textwrap
from pathlib import Path

from matplotlib.figure import Figure


def figure(nrows: int = 1, ncols: int = 1, height_ratios=None, **kwargs):
    """A new figure and its axes (``Figure.subplots``), outside pyplot; rows share the x axis."""
    fig = Figure(**kwargs)
    options = {"sharex": True} if nrows > 1 else {}
    if height_ratios is not None:
        options["height_ratios"] = height_ratios
    return fig, fig.subplots(nrows, ncols, **options)


def save(fig, path: Path) -> Path:
    """Write ``fig`` as PNG to ``path`` (its folder created) and return the path; an earlier file
    of that name is replaced only once the new one is complete."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    fig.savefig(partial, dpi=120, format="png")
    os.replace(partial, path)
    return path

_MARKERS = {"ptc": "s", "heat_pump": "D", "ac": "o", "pulse": "^", "self_heating": "*"}
_COLOURS = {"thermostat": "tab:blue", "pi": "tab:orange", "rapid": "tab:green"}


def heating_comparison(cases: list[dict], path: str | Path, title: str = "") -> Path:
    """Heating time against heating energy, one point per method and controller.

    Parameters
    ----------
    cases : list of dict
        Case parameters and metrics (as ``battsim show --json`` gives them).
    path : path-like
        PNG file to write.

    A filled marker respected the plating margin (and reached the target); a hollow one
    did not, and is labelled.
    """
    fig, ax = figure(figsize=(8.0, 5.5), layout="constrained")
    groups: dict[tuple, list[dict]] = {}
    for case in cases:
        reached = case.get("heating_target_reached") == 1.0
        time_s = case.get("heating_time_s") if reached else case.get("max_duration_s", math.nan)
        energy_Wh = 1000 * (case.get("heating_energy_kWh") or math.nan)
        key = (case.get("method"), round(energy_Wh, 4), round(time_s or math.nan, 1))
        groups.setdefault(key, []).append(dict(case, _x=energy_Wh, _y=time_s, _reached=reached))
    for (method, _, _), members in groups.items():
        notes = []
        for rank, case in enumerate(members):  # coincident points: concentric markers
            plated = (case.get("plating_time_s") or 0) > 0
            ok = case["_reached"] and not plated
            colour = _COLOURS.get(case.get("controller"), "black")
            ax.scatter(case["_x"], case["_y"], marker=_MARKERS.get(method, "x"), s=160 / (1 + rank),
                       facecolors=colour if ok else "none", edgecolors=colour, linewidths=1.5, zorder=3 + rank)
            note = case.get("controller", "")
            if not case["_reached"]:
                note += " (not reached)"
            elif plated:
                note += f" (plating {case['plating_time_s']:.0f} s)"
            notes.append(note)
        first = members[0]
        ax.annotate(f"{method}: " + ", ".join(notes), (first["_x"], first["_y"]), textcoords="offset points",
                    xytext=(8, 4), fontsize=7)
    ax.set_xlabel("heating energy per cell [Wh]")
    ax.set_ylabel("time to target [s]")
    ax.set_yscale("log")
    ax.grid(True, which="both", alpha=0.3)
    for method, marker in _MARKERS.items():
        ax.scatter([], [], marker=marker, color="grey", label=method)
    for controller, colour in _COLOURS.items():
        ax.scatter([], [], marker="o", color=colour, label=controller)
    ax.legend(fontsize=8, loc="best", title="method / controller", title_fontsize=8)
    ax.set_title(title or "heating: time against energy (hollow: limit crossed or target missed)", fontsize=10)
    return save(fig, path)


def heating_temperatures(cases: list, path: str | Path, title: str = "") -> Path:
    """Cell temperature against time for every heating case, one line per method and controller.

    Parameters
    ----------
    cases : list of Result
        Heating cases (their ``timeseries`` hold ``time_s`` and ``temperature_C``).
    path : path-like
        PNG file to write.
    """
    fig, ax = figure(figsize=(9.0, 5.5), layout="constrained")
    for case in cases:
        ts, p = case.timeseries, case.params
        method, controller = p.get("method", ""), p.get("controller", "")
        ax.plot(ts["time_s"] / 60, ts["temperature_C"], color=_COLOURS.get(controller, "black"),
                linestyle=_LINES.get(method, "-"), label=f"{method} / {controller}")
    targets = {c.params.get("target_C") for c in cases if c.params.get("target_C") is not None}
    for target in targets:
        ax.axhline(target, color="grey", linewidth=0.8, linestyle=":", label=f"target {target:g} degC")
    ax.set_xscale("symlog", linthresh=1.0)
    ax.set_xlim(left=0.0)
    ax.set_xlabel("time [min] (logarithmic above 1 min)")
    ax.set_ylabel("cell temperature [degC]")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, ncol=3, loc="lower right")
    ax.set_title(title or "cell temperature while heating, every method and controller", fontsize=10)
    return save(fig, path)


_LINES = {"ptc": "-", "heat_pump": "--", "ac": "-.", "pulse": ":", "self_heating": (0, (5, 1, 1, 1))}


_LIMIT_MARKERS = {"voltage_window": "o", "plating_margin": "v", "critical_current_density": "x", "rate_cap": "^",
                  "no_solution": "s"}


def operating_envelope(cases: list[dict], path: str | Path, title: str = "") -> Path:
    """Largest discharge (solid) and charge (dashed) C-rate against ambient temperature, one colour per
    chemistry, the marker naming the limit that stops a higher rate; the critical current density of a
    lithium-metal cell as a thin line.

    Parameters
    ----------
    cases : list of dict
        Rows of ``cell_envelope`` cases (parameters, metrics and labels).
    path : path-like
        PNG file to write.
    """
    fig, ax = figure(figsize=(8.0, 5.5), layout="constrained")
    chemistries = list(dict.fromkeys(c["chemistry"] for c in cases))
    for i, chemistry in enumerate(chemistries):
        rows = sorted((c for c in cases if c["chemistry"] == chemistry), key=lambda c: c["ambient_C"])
        colour = f"C{i}"
        T = [r["ambient_C"] for r in rows]
        for direction, style in (("discharge", "-"), ("charge", "--")):
            rates = [r.get(f"max_{direction}_c_rate", math.nan) for r in rows]
            ax.plot(T, rates, style, color=colour, label=f"{chemistry}, {direction}")
            for t, rate, r in zip(T, rates, rows):
                ax.plot(t, rate, _LIMIT_MARKERS.get(r.get(f"{direction}_limit"), "."), color=colour,
                        mfc="none", ms=8)
        ccd = [r.get("ccd_c_rate", math.nan) for r in rows]
        if any(math.isfinite(v) for v in ccd):
            ax.plot(T, ccd, ":", color=colour, lw=1, label=f"{chemistry}, critical current density")
    for limit, marker in _LIMIT_MARKERS.items():
        ax.plot([], [], marker, color="grey", mfc="none", ls="none", label=f"stopped by: {limit.replace('_', ' ')}")
    ax.set_yscale("log")
    ax.set_xlabel("ambient temperature [degC]")
    ax.set_ylabel("largest C-rate for the pulse [1/h]")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, loc="best")
    ax.set_title(title or "operating envelope")
    return save(fig, Path(path))


def validation_plot(spec, path: str | Path) -> Path:
    """A validation comparison (:class:`battsim.studies.validation.base.PlotSpec`): the model as
    lines (its band shaded), published points with their bands as error bars, minimums as dashed
    floors."""
    many = len(spec.series) > 6
    fig, ax = figure(figsize=(11.0 if many else 7.5, 5.5 if many else 5.0), layout="constrained")
    for i, s in enumerate(spec.series):
        colour = s.colour or f"C{i % 10}"
        if s.minimum:
            ax.plot(s.x, s.y, s.linestyle or "--", color=colour, lw=1.5, label=s.label)
        elif s.published:
            errors = None
            if s.low is not None:
                errors = [[y - lo for y, lo in zip(s.y, s.low)], [hi - y for y, hi in zip(s.y, s.high)]]
            ax.errorbar(s.x, s.y, yerr=errors, fmt="o", mfc="none", color=colour, capsize=4, label=s.label)
        else:
            line = s.linestyle or "-"
            ax.plot(s.x, s.y, line if len(s.x) > 1 and spec.xticklabels is None else "s", color=colour, label=s.label)
            if s.low is not None:
                ax.fill_between(s.x, s.low, s.high, color=colour, alpha=0.15)
    if spec.xticklabels is not None:
        ax.set_xticks(range(len(spec.xticklabels)), spec.xticklabels, rotation=20, ha="right")
        ax.set_xlim(-0.5, len(spec.xticklabels) - 0.5)
    if spec.logy:
        ax.set_yscale("log")
    ax.set_xlabel(spec.xlabel)
    ax.set_ylabel(spec.ylabel)
    ax.grid(True, which="both", alpha=0.3)
    if many:
        ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5))
    else:
        ax.legend(fontsize=7, loc="best")
    fig.suptitle(spec.title, fontsize=10)
    if spec.note:
        ax.set_title(textwrap.fill(spec.note, 150 if many else 105), fontsize=6.5, loc="left")
    return save(fig, Path(path))


#: what tells the lines of a trip sweep apart, in the order a legend names them
SWEEP_LINE_KEYS = ("method", "precondition", "on_road", "chemistry", "vehicle", "cycle", "cabin_heater")


def trip_sweep(rows: list[dict], path: str | Path, title: str = "") -> Path:
    """Range loss and energy penalty against ambient temperature, one line per heating strategy
    and chemistry (and vehicle and cycle where they vary): a trip sweep at a glance.

    ``rows`` are summary rows (parameters and metrics); failed trips and trips without a range
    (stopped at ``drive.distance_km``) leave gaps rather than invented points.
    """
    keys = [k for k in SWEEP_LINE_KEYS if len({str(r.get(k)) for r in rows}) > 1] or ["chemistry"]
    lines: dict[tuple, list[dict]] = {}
    for row in rows:
        lines.setdefault(tuple(row.get(k) for k in keys), []).append(row)
    fig, (top, bottom) = figure(2, 1, figsize=(9.0, 7.5), layout="constrained")
    for label, members in sorted(lines.items(), key=lambda item: [str(v) for v in item[0]]):
        members = sorted(members, key=lambda r: r.get("ambient_C") or 0.0)
        x = [r.get("ambient_C") for r in members]
        name = ", ".join(f"{k}={v}" for k, v in zip(keys, label))
        for ax, metric in ((top, "range_loss_pct"), (bottom, "energy_penalty_kWh_per_100km")):
            y = [_number(r.get(metric)) if r.get("status", "ok") == "ok" else math.nan for r in members]
            ax.plot(x, y, marker="o", markersize=3, label=name)
    top.set_ylabel("range loss against 25 degC [%]")
    bottom.set_ylabel("energy penalty [kWh/100 km]")
    bottom.set_xlabel("ambient temperature [degC]")
    top.legend(fontsize=7, ncol=2)
    for ax in (top, bottom):
        ax.grid(True, alpha=0.3)
    if title:
        top.set_title(title)
    return save(fig, path)


def _number(value) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else math.nan
