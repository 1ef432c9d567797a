"""Time-step convergence of a trip: which solver tolerance gives a trip's range worth reporting.

The mesh study (:mod:`battsim.studies.convergence`) shows cell discharges converged at the solver's
default tolerance. A trip is different: it integrates a drive cycle for hours, and it may end at a
cell's cut-off voltage, where a small error in the states moves the end by minutes of driving.
This study runs one trip config with each cell model at a sequence of relative tolerances (the
absolute tolerance as the config sets it, or for the fast model tightened with them:
:data:`ATOLS`) and reports, for each, the change of range, battery
energy per km, heating energy and state of charge at the end against the tightest tolerance, and
of the lowest negative-electrode potential. A tolerance is *converged* for a model when it and
every tighter one are within :data:`TOLERANCE` (the potential within
:data:`POTENTIAL_TOLERANCE_V`) of the tightest.

Run ``python -m battsim.studies.trip_tolerance [--quick] [--config configs/trip.toml]
[--model DFN --model fast] [--out validation/trip_tolerance.md] [--json rows.json] [--from-json rows.json]``
(the full study of ``configs/trip.toml``: about half an hour on one core, most of it the DFN at rtol 1e-6).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

from battsim import api
from battsim.cachedir import write_text_whole
from battsim.errors import ValidityWarning
from battsim.studies import convergence

#: largest relative change of range, energy per km and heating energy against the tightest tolerance [-]
#: (the mesh study's criterion)
TOLERANCE = convergence.TOLERANCE
#: largest change of the state of charge at the end [-] (absolute: a share near 0 has no relative meaning)
SOC_TOLERANCE = convergence.TOLERANCE
#: largest change of the lowest negative-electrode potential [V] (the mesh study's)
POTENTIAL_TOLERANCE_V = convergence.POTENTIAL_TOLERANCE_V
RELATIVE = ("range_km", "battery_energy_Wh_per_km", "heating_energy_kWh")
QUANTITIES = (*RELATIVE, "end_soc", "min_anode_potential_V")
#: relative tolerances, loose to tight (the last is the reference)
RTOLS = (1e-4, 1e-5, 1e-6)
#: absolute tolerances with RTOLS, per model (``None``: the config's, 1e-6 by default): the fast model's
#: calibrated diffusion overpotential is scaled by 100 V in the solver (``battsim.models.fast.DIFFUSION_SCALE_V``),
#: so its absolute error is atol x 100 V, 1e-4 V at the default, and only a tighter atol tightens it
ATOLS = {"fast": (None, 1e-8, 1e-10)}
MODELS = ("DFN", "fast")
CONFIG = Path(__file__).resolve().parents[2] / "configs" / "trip.toml"
#: --quick: the trip of ``battsim validate --fidelity --quick``, on the fast model
QUICK = {"cell.chemistry": "lfp-graphite", "climate.ambient_C": -10.0, "drive.cycle": "us06",
         "heating.method": "none", "drive.distance_km": 5.0}


@dataclass(frozen=True)
class Row:
    """One model at one tolerance, and its largest change against the model's tightest tolerance."""

    model: str
    rtol: float
    values: dict
    wall_time_s: float
    termination: str
    change: float = math.nan  # in tolerances (<= 1: converged)
    atol: float | None = None  # None: the config's

    @property
    def tolerance(self) -> str:
        return f"{self.rtol:g}" + ("" if self.atol is None else f", atol {self.atol:g}")


def _change(values: dict, reference: dict) -> float:
    """Largest change against the reference, in units of its tolerance (converged: <= 1)."""
    changes = []
    for q in QUANTITIES:
        a, b = values.get(q, math.nan), reference.get(q, math.nan)
        if math.isnan(a) and math.isnan(b):
            continue
        if q in RELATIVE:
            changes.append(abs(a - b) / max(abs(b), 1e-9) / TOLERANCE)
        else:
            changes.append(abs(a - b) / (POTENTIAL_TOLERANCE_V if q.endswith("_V") else SOC_TOLERANCE))
    return max((math.inf if math.isnan(c) else c for c in changes), default=math.inf)


def run_model(config, model: str, rtols=RTOLS, overrides: dict | None = None, progress=None) -> list[Row]:
    """The trip with ``model`` at each of ``rtols`` (and its :data:`ATOLS`), compared with the last (the
    tightest)."""
    rows = []
    for rtol, atol in zip(rtols, ATOLS.get(model, (None,) * len(rtols))):
        start = time.perf_counter()
        settings = {"cell.model": model, "solver.rtol": rtol, **({} if atol is None else {"solver.atol": atol})}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ValidityWarning)
            (result,) = api.run(config, set={**(overrides or {}), **settings})
        rows.append(Row(model, rtol, {q: result.metrics.get(q, math.nan) for q in QUANTITIES},
                        time.perf_counter() - start, result.termination, atol=atol))
        if progress:
            progress(rows[-1])
    return compared(rows)


def compared(rows: list[Row]) -> list[Row]:
    """``rows`` (one model, loose to tight) with each one's change against the last."""
    return [dataclasses.replace(row, change=_change(row.values, rows[-1].values)) for row in rows]


def converged_rtol(rows: list[Row]) -> float | None:
    """The loosest tolerance from which on every tighter one is within tolerance of the tightest
    (``None`` when only the tightest passes: nothing is shown converged)."""
    row = converged_row(rows)
    return None if row is None else row.rtol


def converged_row(rows: list[Row]) -> Row | None:
    """The row of :func:`converged_rtol`."""
    loosest = None
    for row in reversed(rows[:-1]):
        if not row.change <= 1.0:
            break
        loosest = row
    return loosest


def markdown(studies: list[list[Row]], config_label: str) -> str:
    """The study as a Markdown table, one block of rows per model, and each model's converged tolerance."""
    lines = [f"# Solver tolerance of a trip ({config_label})", "",
             f"Changes against each model's tightest tolerance (the fast model's atol tightened with its rtol, "
             "`ATOLS`); converged: range, energy per km and heating energy "
             f"within {TOLERANCE:.1%}, end state of charge within {SOC_TOLERANCE:g}, lowest negative-electrode "
             f"potential within {POTENTIAL_TOLERANCE_V * 1e3:g} mV. Wall time: the trip with its 25 degC "
             "reference, first run in the process (model build included). Written by `python -m "
             "battsim.studies.trip_tolerance` (`--json` keeps the rows, `--from-json` re-renders them).", "",
             "| model | rtol | range [km] | energy [Wh/km] | heating [kWh] | end SOC | lowest anode [V] | "
             "change [tolerances] | ended by | wall [s] |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for rows in studies:
        for row in rows:
            v = {q: _shown(row.values[q], digits) for q, digits in zip(QUANTITIES, (3, 3, 4, 4, 4))}
            lines.append(f"| {row.model} | {row.tolerance} | {v['range_km']} | {v['battery_energy_Wh_per_km']} "
                         f"| {v['heating_energy_kWh']} | {v['end_soc']} | {v['min_anode_potential_V']} | "
                         f"{row.change:.2f} | {row.termination} | {row.wall_time_s:.1f} |")
    lines.append("")
    for rows in studies:
        row = converged_row(rows)
        lines.append(f"- {rows[0].model}: converged from rtol {row.tolerance}" if row is not None
                     else f"- {rows[0].model}: not shown converged (only the tightest tolerance passes)")
    return "\n".join(lines) + "\n"


def _shown(value: float, digits: int) -> str:
    return "—" if math.isnan(value) else f"{value:.{digits}f}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 km of US06 after a -10 degC soak, LFP, fast model")
    parser.add_argument("--config", default=str(CONFIG), help="the trip config (default: configs/trip.toml)")
    parser.add_argument("--model", action="append", choices=MODELS, help="only this model (repeatable)")
    parser.add_argument("--out", help="write the Markdown table here (e.g. validation/trip_tolerance.md)")
    parser.add_argument("--json", help="also write every row as JSON here")
    parser.add_argument("--from-json", help="read rows written by --json instead of running them")
    args = parser.parse_args(argv)
    if args.from_json:
        studies = [compared([Row(**row) for row in rows]) for rows in json.loads(Path(args.from_json).read_text())]
    else:
        models = args.model or (["fast"] if args.quick else list(MODELS))
        overrides = QUICK if args.quick else {}
        studies = [run_model(args.config, model, RTOLS, overrides, _print_progress) for model in models]
    if args.json and not args.from_json:
        write_text_whole(Path(args.json), json.dumps([[dataclasses.asdict(row) for row in rows] for rows in studies],
                                                     indent=1))
    text = markdown(studies, Path(args.config).name + (" --quick" if args.quick else ""))
    print(text)
    if args.out:
        write_text_whole(Path(args.out), text)
    return 0


def _print_progress(row: Row) -> None:
    print(f"{row.model} rtol {row.tolerance}: range {row.values['range_km']:.3f} km, {row.wall_time_s:.1f} s",
          file=sys.stderr, flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
