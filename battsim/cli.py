"""The ``battsim`` command.

``battsim run CONFIG.toml [--out RESULT.h5] [--set section.key=value ...] [--max-cases N] [--workers N]
[--scheduler ADDRESS | --cluster slurm|pbs] [--shard I/N] [--timeseries MODE] [--retry-failed] [--overwrite]``
``battsim merge A.h5 B.h5 ... --out ALL.h5``
``battsim export fleet RESULT.h5 --out TABLE.csv [--grid-gco2-per-kWh LIST]``
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
import os
import signal
import sys
import time
import warnings
from pathlib import Path

from battsim import __version__, api
from battsim import config as cfgmod
from battsim.cachedir import write_text_whole
from battsim.errors import BattsimError, ConfigError, ValidityWarning
from battsim.reporting.plots import heating_comparison, heating_temperatures, operating_envelope, validation_plot
from battsim.reporting.report import write_report
from battsim.reporting.tables import finite, range_counts, range_footer, run_columns, table, trip_summary
from battsim.results import (
    SCHEMA_VERSION,
    ResultWriter,
    check_output_path,
    iter_summary,
    read_result,
    read_table,
    writable_folder,
)
from battsim.results.fleet import check_fleet_path, fleet_table, write_fleet_table
from battsim.studies.tuner import tune
from battsim.studies.validation import comparisons, report_markdown, run_validation
from battsim.sweep import get_executor, run_cases
from battsim.sweep.merge import merge_files, parse_shard, shard_hash, shard_indices

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
    run.add_argument("--max-cases", type=int, default=cfgmod.MAX_CASES,
                     help=f"refuse configs that expand to more cases (default {cfgmod.MAX_CASES})")
    run.add_argument("--overwrite", action="store_true",
                     help="replace an existing result file of another config (when this run completes)")
    run.add_argument("--retry-failed", action="store_true",
                     help="when resuming, run again the cases the file holds as failed")
    run.add_argument("--workers", type=int, metavar="N",
                     help="local worker processes (default: 1 for a single case, else the number of cores)")
    run.add_argument("--timeseries", choices=("full", "decimated", "none"),
                     help="time series kept per case (default: full for up to 20 cases, else decimated to 10 s)")
    run.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                     help="run the cases on this Dask scheduler's workers (pip install 'battsim[cluster]')")
    run.add_argument("--cluster", choices=("slurm", "pbs"),
                     help="start Dask workers as Slurm or PBS jobs (dask-jobqueue), with the [cluster] table of "
                          "the config and the flags below")
    for option, helptext in (("queue", "batch queue (partition)"), ("account", "account to charge"),
                             ("cores", "cores per job (one single-threaded worker each)"),
                             ("memory", "memory per job, e.g. 8GB"), ("walltime", "time limit per job, HH:MM:SS"),
                             ("jobs", "jobs to start")):
        run.add_argument(f"--{option}", type=int if option in ("cores", "jobs") else str,
                         help=f"--cluster: {helptext}")
    run.add_argument("--shard", metavar="I/N",
                     help="run only the I-th of N deterministic slices of the cases (job arrays; join with merge)")
    run.add_argument("--quiet", action="store_true", help="no progress lines")

    merge = commands.add_parser("merge", help="join result files of one run (shards) into one")
    merge.add_argument("results", nargs="+", help="HDF5 result files of the same config")
    merge.add_argument("--out", required=True, help="the joined result file")
    merge.add_argument("--overwrite", action="store_true", help="replace an --out of another run (once complete)")

    export = commands.add_parser("export", help="export a table for another tool (the fleet table)")
    export.add_argument("table", choices=["fleet"], help="which table: fleet (one row per trip, for a fleet "
                                                         "carbon calculator)")
    export.add_argument("result", help="HDF5 result file of trips")
    export.add_argument("--out", required=True, help="the table: TABLE.csv (with TABLE.units.csv) or TABLE.h5")
    export.add_argument("--grid-gco2-per-kWh", dest="grid", metavar="LIST",
                        help="recompute the carbon columns for these grid intensities [gCO2/kWh] or reference "
                             "ids, e.g. 100,367,537 or GR-01 (one copy of every row each; no simulation)")

    show = commands.add_parser("show", help="print the metrics of a result file")
    show.add_argument("result", help="HDF5 result file")
    show.add_argument("--json", action="store_true", help='one JSON object: {"schema_version": ..., "cases": [...]}')

    chem = commands.add_parser("chemistries", help="list the cell chemistries and their facts")
    chem.add_argument("--json", action="store_true", help="as a JSON list")

    calibrate = commands.add_parser("calibrate", help="build (or show) the fast model's calibration from the DFN")
    calibrate.add_argument("chemistries", nargs="+", metavar="CHEMISTRY", help="registered chemistry names")
    calibrate.add_argument("--refresh", action="store_true", help="rebuild even if the cached one is current")
    calibrate.add_argument("--json", action="store_true", help="the calibration files' content as a JSON list")

    tune_cmd = commands.add_parser("tune", help="optimise a heating controller's settings (cell_heating configs)")
    tune_cmd.add_argument("config", help="TOML config of one cell_heating case")
    tune_cmd.add_argument("--set", dest="overrides", action="append", default=[], metavar="SECTION.KEY=VALUE",
                          help="override a config key (repeatable)")
    tune_cmd.add_argument("--objective", default="time", choices=["time", "energy", "time_with_budget"],
                          help="what to minimise (default: time)")
    tune_cmd.add_argument("--energy-budget-Wh", type=float, help="energy budget per cell for time_with_budget [Wh]")
    tune_cmd.add_argument("--max-evaluations", type=int, default=60, help="simulations to spend (default 60)")
    tune_cmd.add_argument("--json", action="store_true", help="print the result as JSON")

    report = commands.add_parser("report", help="PNG plots and a Markdown summary of a result file")
    report.add_argument("result", help="HDF5 result file")
    report.add_argument("--out", required=True, help="directory for the plots and summary.md")

    validate = commands.add_parser("validate", help="compare the model with published values, pass/fail")
    validate.add_argument("--json", action="store_true", help="as a JSON list")
    validate.add_argument("--out", help="also write a Markdown report and each comparison's plot (PNG) next to it, "
                                        "e.g. validation/report.md")
    validate.add_argument("--quick", action="store_true",
                          help="only the comparisons that take seconds (under 3 minutes in all; the test suite's set)")
    validate.add_argument("--fidelity", action="store_true",
                          help="instead: the fast model against the converged DFN on the same trips, against its "
                               "targets (with --quick: two short trips)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``battsim`` console script; returns the exit status."""
    try:
        args = _parser().parse_args(argv)
        commands = {"run": _cmd_run, "merge": _cmd_merge, "export": _cmd_export, "show": _cmd_show,
                    "chemistries": _cmd_chemistries, "validate": _cmd_validate, "tune": _cmd_tune,
                    "report": _cmd_report, "calibrate": _cmd_calibrate}
        with warnings.catch_warnings():
            warnings.simplefilter("default")  # a warning is printed once, as one line
            warnings.showwarning = _show_warning
            return commands[args.command](args)
    except BattsimError as error:
        print(f"battsim: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # `battsim show ... | head -1`: the reader has gone; say nothing more
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        print("battsim: interrupted", file=sys.stderr)
        return 130


def _show_warning(message, category, filename, lineno, file=None, line=None):
    if category is not ValidityWarning:  # validity warnings are printed with their case
        print(f"battsim: warning: {message}", file=sys.stderr)


# ---------------------------------------------------------------------------------- run


def _cmd_run(args) -> int:
    if args.max_cases < 1:
        raise BattsimError(f"--max-cases {args.max_cases}: must be at least 1")
    file = cfgmod.read_toml(args.config)
    cluster_options = file.pop("cluster", {})  # where the run goes, not what it computes
    if cluster_options and not args.cluster:
        print(f"battsim: warning: the [cluster] table of {args.config} is used only with --cluster slurm|pbs; "
              "ignored", file=sys.stderr)
    raw = cfgmod.apply_overrides(file, args.overrides)
    cases, run_hash, run_total = _run_slice(args, cfgmod.expand(raw, args.max_cases))
    out = check_output_path(Path(args.out) if args.out else Path("results") / f"{Path(args.config).stem}.h5")
    ids = [c.config.hash() for c in cases]
    timeseries = args.timeseries or ("full" if len(cases) <= 20 else "decimated")
    executor = _executor(args, len(cases), cluster_options)  # a bad option fails before the file is touched
    with ResultWriter(out, _resolved_run_toml(raw, cases), run_hash, cfgmod.key_units(), args.overwrite,
                      args.retry_failed, ids, timeseries, run_total) as writer:
        finished = writer.finished()
        skip = frozenset(i for i, case_id in enumerate(ids) if case_id in finished)
        if skip and not args.quiet:
            print(f"battsim: resuming {out}: {len(skip)} of {len(cases)} cases already finished", file=sys.stderr)
        _run_into(writer, cases, skip, executor, args.quiet)
    if len(cases) > SHOWN_ROWS and cases[0].config.scenario.kind in ("cell_discharge", "trip"):
        failures = _print_big_run_summary(out, cases)  # read a chunk at a time: a sweep of any size
        return EXIT_CASE_FAILED if failures else EXIT_OK
    results = read_result(out, timeseries=len(cases) <= 20)  # the plots of small runs draw the series
    _print_run_summary(list(results), cases, out)
    return EXIT_CASE_FAILED if any(not r.ok for r in results) else EXIT_OK


def _run_slice(args, cases: list) -> tuple[list, str, int]:
    """The cases this run computes (all, or the slice of ``--shard``), the hash its file carries
    and the number of cases of the whole run."""
    run_hash = cfgmod.config_hash({"cases": [c.config.to_dict() for c in cases]})
    if not args.shard:
        return cases, run_hash, len(cases)
    part, total = parse_shard(args.shard)
    mine = [cases[i] for i in shard_indices(len(cases), part, total)]
    if not mine:
        raise BattsimError(f"--shard {args.shard}: this slice holds no case (the config has fewer than {part})")
    return mine, shard_hash(run_hash, part, total), len(cases)


def _executor(args, pending: int, cluster_options: dict):
    """Where the cases run: a Dask scheduler (``--scheduler``), Slurm/PBS jobs (``--cluster``),
    ``--workers N`` local processes (default: one per core for more than one case); this
    process for one."""
    if args.scheduler or args.cluster:
        if args.workers is not None:
            raise BattsimError("--workers is for local processes; with --scheduler or --cluster the workers are "
                               "the cluster's")
        flags = {k: getattr(args, k) for k in ("queue", "account", "cores", "memory", "walltime", "jobs")
                 if getattr(args, k) is not None}
        if not isinstance(cluster_options, dict):
            raise ConfigError(f"[cluster] must be a table of keys, got {cluster_options!r}")
        return get_executor("dask", scheduler=args.scheduler, cluster=args.cluster,
                            cluster_options={**cluster_options, **flags} if args.cluster else None)
    workers = args.workers if args.workers is not None else (1 if pending <= 1 else os.cpu_count() or 1)
    if workers < 1:
        raise BattsimError(f"--workers {workers}: must be at least 1")
    return get_executor("serial") if workers == 1 else get_executor("processes", workers=workers)


def _run_into(writer, cases, skip, executor, quiet: bool) -> None:
    """Run the cases not in ``skip``, writing each as it finishes; Ctrl-C stops after the
    running case (the finished ones are kept)."""
    started = time.perf_counter()
    failures = 0

    def progress(done, total, result):
        nonlocal failures
        writer.write_case(result)
        failures += not result.ok
        if not quiet:
            _print_progress(done, total, result, cases, time.perf_counter() - started, failures)
        for message in result.warnings:
            print(f"battsim: warning: {message}", file=sys.stderr)
        if interrupt.requested and done < total:
            raise KeyboardInterrupt  # the finished cases are written; the file keeps them

    interrupt = _Interrupt()
    previous = signal.signal(signal.SIGINT, interrupt)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ValidityWarning)  # printed by progress() instead
            run_cases(cases, progress, executor=executor, skip=skip, keep_timeseries=False, keep_results=False)
    finally:
        signal.signal(signal.SIGINT, previous)


def _cmd_merge(args) -> int:
    out = check_output_path(args.out)
    if any(Path(p).resolve() == out.resolve() for p in args.results):
        raise BattsimError(f"--out '{out}' is also one of the files to join: a file cannot be joined into itself")
    written = merge_files([Path(p) for p in args.results], out, args.overwrite)
    results = read_result(out, timeseries=False)
    total = results.attrs.get("run_cases_total") or results.attrs.get("cases_total") or len(results)
    print(f"{written} cases joined; {out} holds {len(results)} of the run's {total} cases")
    return EXIT_OK


def _cmd_export(args) -> int:
    check_fleet_path(args.out)
    table = fleet_table(args.result, grid=args.grid)
    written = write_fleet_table(table, args.out)
    print(f"{len(table)} rows x {len(table.columns)} columns written to {', '.join(str(p) for p in written)}")
    return EXIT_OK


class _Interrupt:
    """SIGINT during a run: stop after the running case (PyBaMM's solver swallows a KeyboardInterrupt
    raised inside its C code, so the request is kept here and acted on between cases); a second
    Ctrl-C stops at once."""

    def __init__(self):
        self.requested = False

    def __call__(self, signum, frame):
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True
        print("battsim: interrupt: stopping after the running case (Ctrl-C again to stop now)", file=sys.stderr,
              flush=True)


def _print_progress(done, total, result, cases, elapsed: float, failures: int = 0) -> None:
    left = elapsed / done * (total - done)
    label = ", ".join(f"{k}={v}" for k, v in _label_params(result.params, cases).items())
    outcome = "ok" if result.ok else f"FAILED: {result.error}"
    failed = f", {failures} failed" if failures else ""
    print(f"[{done:>{len(str(total))}}/{total}] {label}: {outcome} in {result.wall_time_s:.1f} s "
          f"(elapsed {elapsed:.0f} s, {60 * done / max(elapsed, 1e-9):.1f} cases/min{failed}, "
          f"about {left:.0f} s left)", file=sys.stderr, flush=True)


def _print_if(line: str | None) -> None:
    if line:
        print(line)


#: rows of the table printed at the end of a run (every row: ``battsim show``)
SHOWN_ROWS = 60


def _print_big_run_summary(out: Path, cases) -> int:
    """The end of a run of more than :data:`SHOWN_ROWS` cases, read from the file's summary a
    chunk at a time: the first rows, the range note, the counts and the failures; returns the
    number of failed cases."""
    shown, total, failed, trips, missing = [], 0, 0, 0, 0
    for chunk in iter_summary(out):
        rows = [r.row() for r in chunk]
        shown += rows[:SHOWN_ROWS - len(shown)]
        counts = range_counts(rows)
        total, trips, missing = total + len(rows), trips + counts[0], missing + counts[1]
        for r in chunk:
            if not r.ok:
                failed += 1
                if failed <= SHOWN_ROWS:
                    print(f"failed: {_label_params(r.params, cases)}: {r.error}", file=sys.stderr)
    _print_rows(shown, total, run_columns(cases[0].config.scenario.kind, cases[0].swept, shown),
                range_footer(counts=(trips, missing)), out)
    _print_counts(total, failed, out, f" (the first {SHOWN_ROWS} listed above)" if failed > SHOWN_ROWS else "")
    return failed


def _print_rows(shown: list[dict], total: int, columns: list[str], footer: str, out: Path) -> None:
    """The first rows of a run's table, how many more the file holds, and the range note."""
    print(table(shown, columns))
    if total > len(shown):
        print(f"... and {total - len(shown)} more cases: battsim show {out}")
    _print_if(footer)


def _print_counts(total: int, failed: int, out: Path, note: str = "") -> None:
    print(f"\n{total - failed} of {total} cases ok{note}; results written to {out}")


def _print_run_summary(results, cases, out: Path) -> None:
    kind = cases[0].config.scenario.kind
    rows = [r.row() for r in results]
    if kind == "trip" and len(results) == 1 and results[0].ok:
        print(trip_summary(results[0]))
    else:
        _print_rows(rows[:SHOWN_ROWS], len(rows), run_columns(kind, cases[0].swept, rows), range_footer(rows), out)
    failed = [r for r in results if not r.ok]
    _print_counts(len(results), len(failed), out)
    if kind == "cell_heating" and len(results) > 1:
        cfg = cases[0].config
        for row, case in zip(rows, cases):
            row["max_duration_s"] = case.config.heating.max_duration_s
        title = (f"{cfg.cell.chemistry}: {cfg.climate.ambient_C:g} -> {cfg.heating.target_C:g} degC "
                 "(hollow: limit crossed or target missed)")
        plot = heating_comparison([r for r in rows if r["status"] == "ok"], out.with_suffix(".png"), title)
        print(f"plot of heating time against energy written to {plot}")
        if any(r.ok and r.timeseries for r in results):  # runs of more than 20 cases: `battsim report`
            overlay = heating_temperatures([r for r in results if r.ok and r.timeseries],
                                           out.with_name(f"{out.stem}_temperatures.png"),
                                           title.replace("(hollow: limit crossed or target missed)", "").strip())
            print(f"plot of temperature against time written to {overlay}")
    if kind == "cell_envelope" and len(results) > 1:
        env = cases[0].config.envelope
        plot = operating_envelope([r for r in rows if r["status"] == "ok"], out.with_suffix(".png"),
                                  f"operating envelope: {env.pulse_s:g} s pulses from {100 * env.soc:g} % SOC")
        print(f"plot of the operating envelope written to {plot}")
    for r in failed:
        print(f"failed: {_label_params(r.params, cases)}: {r.error}", file=sys.stderr)


def _resolved_run_toml(raw: dict, cases) -> str:
    """The run's config with defaults filled in and lists kept (one file, many cases)."""
    data = cases[0].config.to_dict()
    for section, keys in raw.items():
        if section == "sweep":  # how the lists expand (zip, samples) is part of the run
            data[section] = dict(keys)
            continue
        for key, value in keys.items():
            if isinstance(value, list):
                data[section][key] = value
    return cfgmod.dumps_toml(data)


def _label_params(params: dict, cases) -> dict:
    shown = ["chemistry", "ambient_C"] + [k for k in cases[0].swept if k not in ("chemistry", "ambient_C")]
    return {k: params[k] for k in shown if k in params}


# --------------------------------------------------------------------------------- show


def _json_value(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _cmd_show(args) -> int:
    spec, cases, attrs = read_table(args.result)
    units = {name: unit for name, unit, _, _ in spec}
    if args.json:
        print(json.dumps({"schema_version": SCHEMA_VERSION, "file_schema_version": attrs.get("schema_version"),
                          "battsim_version": attrs.get("battsim_version"), "cases": [
                              {k: _json_value(v) for k, v in row.items()} for row in cases],
                          "units": units}))
        return EXIT_OK
    total = attrs.get("cases_total") or len(cases)
    unfinished = f" (of {total}: an unfinished run; `battsim run` again finishes it)" if len(cases) < total else ""
    print(f"{args.result}: {len(cases)} cases{unfinished}, battsim {attrs.get('battsim_version')}, "
          f"PyBaMM {attrs.get('pybamm_version')}, created {attrs.get('created_utc')}")
    present = [(name, role) for name, _, _, role in spec if any(c.get(name) not in (None, "") for c in cases)]
    params = [n for n, role in present if role == "param"]
    metrics = [n for n, role in present if role == "metric" and any(finite(c.get(n)) for c in cases)]
    varying = [p for p in params if len({json.dumps(c.get(p)) for c in cases}) > 1] or params[:1]
    labels = [n for n, role in present if role == "label"]
    print(table(cases, list(dict.fromkeys(["chemistry", *varying])) + metrics + labels + ["status"]))
    _print_if(range_footer(cases))
    print("\nunits: " + ", ".join(f"{m} [{units[m]}]" for m in metrics))
    return EXIT_OK


# -------------------------------------------------------------------------- chemistries


def _down_to(limits: dict) -> str:
    """``"converged down to -30 degC in still-air, -10 degC in thermal-chamber"``."""
    return "converged down to " + ", ".join(f"{T:g} degC in {condition}" for condition, T in limits.items())


def _cmd_chemistries(args) -> int:
    facts = api.chemistries()
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
        print(f"  mesh {f['mesh_points']}: {_down_to(f['mesh_converged_down_to_C'])}")
        if "cold_mesh_points" in f:
            print(f"  cold mesh {f['cold_mesh_points']}, for cell tests colder than that: "
                  f"{_down_to(f['cold_mesh_converged_down_to_C'])}")
        if f["contact_resistance_Ohm"] > 0:
            print(f"  contact resistance {1000 * f['contact_resistance_Ohm']:.1f} mOhm (beyond the DFN's own)")
        if "critical_current_density_25C_A_per_m2" in f:
            print(f"  critical current density {f['critical_current_density_25C_A_per_m2'] / 10:.2f} mA/cm2 "
                  f"at 25 degC, {f['critical_current_density_m20C_A_per_m2'] / 10:.3f} mA/cm2 at -20 degC")
        for ref in f["references"]:
            print(f"  source: {ref}")
        if f["notes"]:
            print(f"  notes: {f['notes']}")
        print()
    return EXIT_OK


# ---------------------------------------------------------------------------- calibrate


def _cmd_calibrate(args) -> int:
    from battsim.cells import get_chemistry

    for name in args.chemistries:
        get_chemistry(name)  # an unknown name fails before any calibration runs
    calibrations = [api.calibrate(name, refresh=args.refresh) for name in args.chemistries]
    if args.json:
        print(json.dumps(calibrations, indent=1))
        return EXIT_OK
    for c in calibrations:
        p, r = c["provenance"], c["residuals"]
        print(f"{c['chemistry']}: fast model = {p['base_model']} + calibrated element; {c['path']}")
        meshes = "; ".join(dict.fromkeys(label for row in p["dfn_mesh"] for label in row))
        print(f"  from the DFN on {meshes} ({p['seconds']:g} s to build; battsim {p['battsim_version']}, "
              f"PyBaMM {p['pybamm_version']}, {p['created']})")
        print("    T [degC]   SOC  direction  R0 [mOhm]  R1 [mOhm]  tau [s]  anode share  pulse   "
              "fit rms [mV] (voltage, anode)")
        for k, T in enumerate(c["temperatures_C"]):
            for j, soc in enumerate(c["socs"]):
                for d, direction in enumerate(c["directions"]):
                    rate = p[f"c_rate_{direction}"][k][j]
                    r0, r1 = 1e3 * c["series_resistance_Ohm"][k][j][d], 1e3 * c["diffusion_resistance_Ohm"][k][j][d]
                    print(f"    {T:8g}  {soc:4g}  {direction:>9}  {r0:9.2f}  {r1:9.2f}  "
                          f"{c['diffusion_time_constant_s'][k][j][d]:7.1f}  {c['anode_share'][k][j][d]:11.3f}  "
                          f"{f'{rate:g}C' if rate else 'none*':>5}  {r['voltage_rms_mV'][k][j][d]:6.2f}, "
                          f"{r['anode_rms_mV'][k][j][d]:.2f}")
        print("    * no charge pulse held within the voltage window: the discharge values are used")
    return EXIT_OK


# --------------------------------------------------------------------------------- tune


def _cmd_tune(args) -> int:
    _, cases = cfgmod.load(args.config, args.overrides)
    kind = cases[0].config.scenario.kind
    if kind != "cell_heating":  # said first: removing the lists would not help
        raise BattsimError(f"scenario.kind = '{kind}': the tuner needs a 'cell_heating' config")
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
    print(table(rows, list(rows[0])))
    return EXIT_OK


# ------------------------------------------------------------------------------- report


def _cmd_report(args) -> int:
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise BattsimError(f"--out '{out}' is a file: a report is a folder (summary.md and its plots); "
                           "give a folder name")
    writable_folder(out / "summary.md")
    summary = write_report(args.result, out)
    print(f"report written to {summary} ({len(list(summary.parent.glob('*.png')))} plots)")
    return EXIT_OK


# ----------------------------------------------------------------------------- validate


def _cmd_validate(args) -> int:
    if args.out:
        _check_report_path(Path(args.out))
    if args.fidelity:
        return _validate_fidelity(args)
    sections, started = [], time.perf_counter()
    chosen = comparisons(quick=args.quick)
    for number, comparison in enumerate(chosen, 1):
        results = run_validation(comparison.cases)
        plot_file = None
        if args.out:
            path = Path(args.out).parent / f"{comparison.name}.png"
            plot_file = validation_plot(comparison.plot(), path).name
        sections.append((comparison, results, plot_file))
        print(f"[{number}/{len(chosen)}] {comparison.name}: {sum(r.passed for r in results)} of {len(results)} "
              f"pass ({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)
    results = [r for _, rs, _ in sections for r in rs]
    if args.json:
        print(json.dumps([r.as_dict() for r in results], indent=2))
    else:
        _print_validation(results)
    if args.out:
        write_text_whole(Path(args.out), report_markdown(sections, quick=args.quick))
    unexpected = [r for r in results if not r.passed and not r.case.known_failure]
    return EXIT_OK if not unexpected else EXIT_CASE_FAILED


def _validate_fidelity(args) -> int:
    from battsim.studies.fidelity import fidelity_cases, fidelity_markdown, run_fidelity

    started = time.perf_counter()

    def progress(done, total, row):
        misses = row.misses()
        print(f"[{done}/{total}] {row.label}: " + (f"misses {', '.join(misses)}" if misses else "meets the targets")
              + (f"; {row.error}" if row.error else "") + f" ({time.perf_counter() - started:.0f} s)",
              file=sys.stderr, flush=True)

    rows = run_fidelity(fidelity_cases(quick=args.quick), progress)
    text = fidelity_markdown(rows)
    if args.json:
        print(json.dumps([{"trip": r.label, "dfn": {k: _json_value(v) for k, v in r.dfn.items()},
                           "fast": {k: _json_value(v) for k, v in r.fast.items()}, "seconds": r.seconds,
                           "misses": r.misses(), "error": r.error} for r in rows], indent=2, allow_nan=False))
    else:
        print(text)
    if args.out:
        command = "battsim validate --fidelity" + (" --quick" if args.quick else "")
        write_text_whole(Path(args.out), f"# Fidelity of the fast model\n\n`{command}`\n\n{text}")
    return EXIT_CASE_FAILED if any(r.misses() or r.error for r in rows) else EXIT_OK


def _print_validation(results) -> None:
    rows = [{"case": r.case.name, "reference": r.case.reference_id, "published": r.case.published,
             "model": r.model_value, "difference": r.difference_text, "tolerance": r.tolerance_text,
             "result": "pass" if r.passed else ("FAIL (known)" if r.case.known_failure else "FAIL")}
            for r in results]
    print(table(rows, list(rows[0])))
    print(f"\n{sum(r.passed for r in results)} of {len(results)} validation cases pass")
    for r in results:
        if not r.passed and r.case.known_failure:
            print(f"known failure {r.case.name}: {r.case.known_failure}")


def _check_report_path(path: Path) -> None:
    """Refuse, before minutes of simulation, a report path that cannot be written."""
    if path.is_dir():
        raise ConfigError(f"--out '{path}' is a directory; give the report's file name, e.g. '{path / 'report.md'}'")
    folder = path.parent if str(path.parent) else Path(".")
    if folder.exists() and not folder.is_dir():
        raise ConfigError(f"--out '{path}': '{folder}' is not a directory")
    if folder.is_dir() and not os.access(folder, os.W_OK):
        raise ConfigError(f"--out '{path}': cannot write into '{folder}'")


if __name__ == "__main__":
    sys.exit(main())
