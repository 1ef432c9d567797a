"""The ``battsim`` command.

``battsim run CONFIG.toml [--out RESULT.h5] [--set section.key=value ...]``
``battsim show RESULT.h5 [--json]``
``battsim chemistries [--json]``
``battsim validate [--json] [--out REPORT.md]``
``battsim tune CONFIG.toml [--objective time|energy|time_with_budget] [--energy-budget-Wh X]``
``battsim report RESULT.h5 --out DIR``

Bad input (unknown key, value out of range, missing file ...) prints one line naming the
problem and exits with status 2, without a traceback. A run in which some cases failed in
the solver exits with status 1 after writing the others.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
import warnings
from pathlib import Path

from battsim import __version__
from battsim.errors import BattsimError, ValidityWarning

EXIT_OK, EXIT_CASE_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors and exit status 2."""

    def error(self, message):
        raise BattsimError(f"{message} (see '{self.prog} --help')")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="battsim", description="What a cold climate costs an EV battery.")
    parser.add_argument("--version", action="version", version=f"battsim {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    run = commands.add_parser("run", help="run the cases of a config file and write a result file")
    run.add_argument("config", help="TOML config file")
    run.add_argument("--out", help="result file to write (default: results/<config name>.h5)")
    run.add_argument("--set", dest="overrides", action="append", default=[], metavar="SECTION.KEY=VALUE",
                     help="override a config key, e.g. --set climate.ambient_C=-10 (repeatable)")
    run.add_argument("--quiet", action="store_true", help="no progress lines")

    show = commands.add_parser("show", help="print the metrics of a result file")
    show.add_argument("result", help="HDF5 result file")
    show.add_argument("--json", action="store_true", help='one JSON object: {"cases": [...]}')

    chem = commands.add_parser("chemistries", help="list the cell chemistries and their facts")
    chem.add_argument("--json", action="store_true", help="as a JSON list")

    tune = commands.add_parser("tune", help="optimise a heating controller's settings (cell_heating configs)")
    tune.add_argument("config", help="TOML config of one cell_heating case")
    tune.add_argument("--set", dest="overrides", action="append", default=[], metavar="SECTION.KEY=VALUE",
                      help="override a config key (repeatable)")
    tune.add_argument("--objective", default="time", choices=["time", "energy", "time_with_budget"],
                      help="what to minimise (default: time)")
    tune.add_argument("--energy-budget-Wh", type=float, help="energy budget per cell for time_with_budget [Wh]")
    tune.add_argument("--max-evaluations", type=int, default=60, help="simulations to spend (default 60)")
    tune.add_argument("--json", action="store_true", help="print the result as JSON")

    report = commands.add_parser("report", help="PNG plots and a Markdown summary of a result file")
    report.add_argument("result", help="HDF5 result file")
    report.add_argument("--out", required=True, help="directory for the plots and summary.md")

    validate = commands.add_parser("validate", help="compare the model with published values, pass/fail")
    validate.add_argument("--json", action="store_true", help="as a JSON list")
    validate.add_argument("--out", help="also write a Markdown report, e.g. validation/report.md")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``battsim`` console script; returns the exit status."""
    try:
        args = _parser().parse_args(argv)
        commands = {"run": _cmd_run, "show": _cmd_show, "chemistries": _cmd_chemistries,
                    "validate": _cmd_validate, "tune": _cmd_tune, "report": _cmd_report}
        return commands[args.command](args)
    except BattsimError as error:
        print(f"battsim: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("battsim: interrupted", file=sys.stderr)
        return 130


# ---------------------------------------------------------------------------------- run


def _cmd_run(args) -> int:
    from battsim import config as cfgmod
    from battsim.io import CaseRecord, ResultWriter
    from battsim.metrics import METRIC_UNITS
    from battsim.scenario import run

    raw, cases = cfgmod.load(args.config, args.overrides)
    out = Path(args.out) if args.out else Path("results") / f"{Path(args.config).stem}.h5"
    if out.suffix.lower() not in (".h5", ".hdf5"):
        raise BattsimError(f"--out '{out}': the result file must end in .h5 or .hdf5")
    run_hash = cfgmod.config_hash({"cases": [c.config.to_dict() for c in cases]})
    resolved = _resolved_run_toml(raw, cases)
    param_units = _param_units()
    started = time.perf_counter()

    with ResultWriter(out, resolved, run_hash, param_units) as writer:

        def progress(done, total, result):
            writer.write_case(CaseRecord(
                case_id=result.case_id, params=result.params, status=result.status, error=result.error,
                termination=result.termination, warnings=result.warnings, config_toml=result.config_toml,
                wall_time_s=result.wall_time_s, metrics=result.metrics,
                metric_units={name: METRIC_UNITS[name] for name in result.metrics},
                timeseries=result.timeseries, timeseries_units=result.timeseries_units,
            ))
            if not args.quiet:
                elapsed = time.perf_counter() - started
                left = elapsed / done * (total - done)
                label = ", ".join(f"{k}={v}" for k, v in _label_params(result.params, cases).items())
                outcome = "ok" if result.status == "ok" else f"FAILED: {result.error}"
                print(f"[{done:>{len(str(total))}}/{total}] {label}: {outcome} in {result.wall_time_s:.1f} s "
                      f"(elapsed {elapsed:.0f} s, about {left:.0f} s left)", file=sys.stderr, flush=True)
            for message in result.warnings:
                print(f"battsim: warning: {message}", file=sys.stderr)

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ValidityWarning)  # printed by progress() instead
            results = run(cases, progress)

    rows = [dict(r.params, status=r.status, **r.metrics) for r in results]
    if cases[0].config.scenario.kind == "trip" and len(results) == 1 and results[0].status == "ok":
        print(_trip_summary(results[0]))
    else:
        print(_table(rows, _run_columns(cases, rows)))
    failed = [r for r in results if r.status != "ok"]
    print(f"\n{len(results) - len(failed)} of {len(results)} cases ok; results written to {out}")
    if cases[0].config.scenario.kind == "cell_heating" and len(results) > 1:
        from battsim.plots import heating_comparison

        cfg = cases[0].config
        for row, case in zip(rows, cases):
            row["max_duration_s"] = case.config.heating.max_duration_s
        title = (f"{cfg.cell.chemistry}: {cfg.climate.ambient_C:g} -> {cfg.heating.target_C:g} degC "
                 "(hollow: limit crossed or target missed)")
        plot = heating_comparison([r for r in rows if r["status"] == "ok"], out.with_suffix(".png"), title)
        print(f"plot of heating time against energy written to {plot}")
    for r in failed:
        print(f"failed: {_label_params(r.params, cases)}: {r.error}", file=sys.stderr)
    return EXIT_CASE_FAILED if failed else EXIT_OK


_TRIP_VERSUS = [("range_km", "reference_range_km"), ("battery_energy_Wh_per_km", "reference_battery_energy_Wh_per_km"),
                ("grid_energy_Wh_per_km", "reference_grid_energy_Wh_per_km"), ("co2_g_per_km", "reference_co2_g_per_km")]
_TRIP_ALONE = ["range_loss_pct", "energy_penalty_kWh_per_100km", "co2_penalty_g_per_km", "heating_time_s",
               "heating_energy_kWh", "heating_energy_grid_kWh", "heating_energy_battery_kWh",
               "departure_temperature_C", "min_anode_potential_V", "plating_time_s", "max_temperature_spread_K",
               "driven_km", "drive_time_h", "cabin_energy_kWh", "regen_not_accepted_kWh"]


def _trip_summary(result) -> str:
    """One trip against its 25 degC reference, a metric per line."""
    from battsim.metrics import METRIC_UNITS

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
    return head + "\n" + _table(rows, ["metric", "this trip", "reference (25 degC, no heating)", "unit"])


def _resolved_run_toml(raw: dict, cases) -> str:
    """The run's config with defaults filled in and lists kept (one file, many cases)."""
    from battsim.config import dumps_toml

    table = cases[0].config.to_dict()
    for section, keys in raw.items():
        for key, value in keys.items():
            if isinstance(value, list):
                table[section][key] = value
    return dumps_toml(table)


def _param_units() -> dict[str, str]:
    from battsim.config import keys

    units = {f.name: f.metadata.get("unit", "-") for _, f in keys()}
    units.update({f"{section}.{f.name}": f.metadata.get("unit", "-") for section, f in keys()})
    return units


def _label_params(params: dict, cases) -> dict:
    shown = ["chemistry", "ambient_C"] + [k for k in cases[0].swept if k not in ("chemistry", "ambient_C")]
    return {k: params[k] for k in shown if k in params}


_MAIN_METRICS = {
    "cell_discharge": ["delivered_capacity_Ah", "delivered_capacity_pct_of_25C", "delivered_energy_Wh",
                       "end_temperature_C", "min_anode_potential_V", "max_ccd_ratio"],
    "cell_heating": ["heating_time_s", "heating_energy_kWh", "heating_energy_grid_kWh",
                     "heating_energy_battery_kWh", "heating_soc_consumed_pct", "end_temperature_C",
                     "min_anode_potential_V", "plating_time_s", "max_ccd_ratio", "hold_energy_kWh",
                     "hold_min_temperature_C", "hold_max_temperature_C"],
    "trip": ["range_km", "reference_range_km", "range_loss_pct", "battery_energy_Wh_per_km",
             "grid_energy_Wh_per_km", "energy_penalty_kWh_per_100km", "co2_g_per_km", "co2_penalty_g_per_km",
             "heating_energy_grid_kWh", "heating_energy_battery_kWh", "departure_temperature_C",
             "min_anode_potential_V", "plating_time_s", "max_temperature_spread_K"],
}


def _run_columns(cases, rows) -> list[str]:
    columns = ["chemistry", "ambient_C"] + [k for k in cases[0].swept if k not in ("chemistry", "ambient_C")]
    kind = cases[0].config.scenario.kind
    if kind == "cell_heating":
        columns += [k for k in ("method", "controller") if k not in columns]
    if kind == "trip":
        columns += [k for k in ("vehicle", "cycle", "method") if k not in columns]
    metrics = [m for m in _MAIN_METRICS[kind] if any(_finite(row.get(m)) for row in rows)]
    return columns + metrics + (["status"] if any(row["status"] != "ok" for row in rows) else [])


def _finite(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        if not math.isfinite(value):
            return "-"
        return f"{value:.4g}" if abs(value) < 1e4 else f"{value:.0f}"
    return str(value)


def _table(rows: list[dict], columns: list[str]) -> str:
    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.rjust(w) for c, w in zip(columns, widths))]
    lines += ["  ".join(v.rjust(w) for v, w in zip(r, widths)) for r in cells]
    return "\n".join(lines)


# --------------------------------------------------------------------------------- show


def _json_value(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _cmd_show(args) -> int:
    from battsim.io import read_result

    result = read_result(args.result)
    cases = []
    for record in result.cases:
        entry = dict(record.params)
        entry.update(record.metrics)
        entry.update(case_id=record.case_id, status=record.status)
        if record.error:
            entry["error"] = record.error
        cases.append({k: _json_value(v) for k, v in entry.items()})
    if args.json:
        print(json.dumps({"cases": cases}))
        return EXIT_OK
    attrs = result.attrs
    print(f"{args.result}: {len(cases)} cases, battsim {attrs.get('battsim_version')}, "
          f"PyBaMM {attrs.get('pybamm_version')}, created {attrs.get('created_utc')}")
    params = list(dict.fromkeys(k for r in result.cases for k in r.params))
    metrics = list(dict.fromkeys(k for r in result.cases for k in r.metrics))
    varying = [p for p in params if len({json.dumps(c.get(p)) for c in cases}) > 1] or params[:1]
    columns = list(dict.fromkeys(["chemistry", *varying])) + [
        m for m in metrics if any(_finite(c.get(m)) for c in cases)] + ["status"]
    print(_table(cases, columns))
    units = {m: u for r in result.cases for m, u in r.metric_units.items()}
    print("\nunits: " + ", ".join(f"{m} [{units[m]}]" for m in metrics))
    return EXIT_OK


# -------------------------------------------------------------------------- chemistries


def _cmd_chemistries(args) -> int:
    from battsim.cells import chemistry_names, get_chemistry

    facts = [get_chemistry(name).facts() for name in chemistry_names()]
    if args.json:
        print(json.dumps(facts, indent=2))
        return EXIT_OK
    for f in facts:
        print(f"{f['name']}: {f['summary']}")
        print(f"  format {f['cell_format']}; {f['nominal_capacity_Ah']:g} Ah; "
              f"{f['voltage_min_V']:g}-{f['voltage_max_V']:g} V; mass {1000 * f['mass_kg']:.1f} g; "
              f"specific heat {f['specific_heat_25C_J_per_kgK']:.0f} J/(kg K) at 25 degC")
        print(f"  negative electrode: {f['negative_electrode']}; electrolyte: {f['electrolyte']}")
        print(f"  valid {f['valid_min_C']:g} to {f['valid_max_C']:g} degC")
        if "critical_current_density_25C_A_per_m2" in f:
            print(f"  critical current density {f['critical_current_density_25C_A_per_m2'] / 10:.2f} mA/cm2 "
                  f"at 25 degC, {f['critical_current_density_m20C_A_per_m2'] / 10:.3f} mA/cm2 at -20 degC")
        for ref in f["references"]:
            print(f"  source: {ref}")
        if f["notes"]:
            print(f"  notes: {f['notes']}")
        print()
    return EXIT_OK


# --------------------------------------------------------------------------------- tune


def _cmd_tune(args) -> int:
    from battsim import config as cfgmod
    from battsim.heating.tuner import tune

    _, cases = cfgmod.load(args.config, args.overrides)
    if len(cases) != 1:
        raise BattsimError(f"{args.config}: the tuner needs one case, the config has {len(cases)} (remove the lists)")
    if args.max_evaluations < 4:
        raise BattsimError(f"--max-evaluations {args.max_evaluations}: must be at least 4")
    cfg = cases[0].config
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ValidityWarning)
        result = tune(cfg, args.objective, args.energy_budget_Wh, max_evaluations=args.max_evaluations)
    front = result.pareto()
    if args.json:
        def as_dict(e):
            return None if e is None else {"settings": e.settings, "heating_time_s": _json_value(e.time_s),
                                           "heating_energy_Wh": e.energy_Wh, "feasible": e.feasible}
        print(json.dumps({"objective": args.objective, "best": as_dict(result.best),
                          "pareto": [as_dict(e) for e in front], "evaluations": len(result.evaluations)}))
        return EXIT_OK if result.best else EXIT_CASE_FAILED
    h = cfg.heating
    print(f"tuning {h.method}/{h.controller} on {cfg.cell.chemistry}, {cfg.climate.ambient_C:g} -> "
          f"{h.target_C:g} degC, objective: {args.objective}"
          + (f" (budget {args.energy_budget_Wh:g} Wh)" if args.energy_budget_Wh else ""))
    infeasible = {}
    for e in result.evaluations:
        if not e.feasible:
            infeasible[e.reason] = infeasible.get(e.reason, 0) + 1
    print(f"{len(result.evaluations)} simulations, {sum(infeasible.values())} infeasible"
          + (" (" + ", ".join(f"{n} {why}" for why, n in infeasible.items()) + ")" if infeasible else ""))
    if result.best is None:
        print("no feasible setting found within the limits")
        return EXIT_CASE_FAILED
    best = result.best
    print("optimum: " + ", ".join(f"{k} = {v:.4g}" for k, v in best.settings.items())
          + f" -> heating_time_s = {best.time_s:.1f}, heating energy = {best.energy_Wh:.4g} Wh per cell")
    print("\ntrade-off (fastest first; each point uses less energy than all faster ones):")
    rows = [dict(e.settings, heating_time_s=e.time_s, heating_energy_Wh=e.energy_Wh) for e in front]
    print(_table(rows, list(rows[0])))
    return EXIT_OK


# ------------------------------------------------------------------------------- report


def _cmd_report(args) -> int:
    from battsim.report import write_report

    summary = write_report(args.result, args.out)
    print(f"report written to {summary} ({len(list(summary.parent.glob('*.png')))} plots)")
    return EXIT_OK


# ----------------------------------------------------------------------------- validate


def _cmd_validate(args) -> int:
    from battsim.validation import report_markdown, run_validation

    results = run_validation()
    if args.json:
        print(json.dumps([r.as_dict() for r in results], indent=2))
    else:
        rows = [{"case": r.case.name, "reference": r.case.reference_id, "published": r.case.published,
                 "model": r.model_value,
                 "difference": f"{r.difference:+.3g} {r.case.absolute_unit}" if r.case.absolute
                 else f"{100 * r.difference:+.3g} %",
                 "tolerance": f"±{r.case.tolerance:g} {r.case.absolute_unit}" if r.case.absolute
                 else f"±{100 * r.case.tolerance:g} %",
                 "result": "pass" if r.passed else ("FAIL (known)" if r.case.known_failure else "FAIL")}
                for r in results]
        print(_table(rows, list(rows[0])))
        print(f"\n{sum(r.passed for r in results)} of {len(results)} validation cases pass")
        for r in results:
            if not r.passed and r.case.known_failure:
                print(f"known failure {r.case.name}: {r.case.known_failure}")
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(report_markdown(results))
    unexpected = [r for r in results if not r.passed and not r.case.known_failure]
    return EXIT_OK if not unexpected else EXIT_CASE_FAILED


if __name__ == "__main__":
    sys.exit(main())
