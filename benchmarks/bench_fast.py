"""The fast cell model against the converged DFN on a trip: speed, one-off costs, what a sweep costs.

1. **One-off costs**, with an empty disk cache: the LG M50's calibration from the DFN
   (``battsim calibrate``), and the fast trip's first run in a fresh process (model build, the
   machine-code compile of its equations, the 25 degC reference) against its repeat.
2. **The trip** of ``configs/trip.toml`` (10 h soak at -20 degC, grid preconditioning, WLTC until
   the pack is empty, two zones) with ``cell.model = "fast"`` at its defaults, the DFN at its defaults
   (rtol 1e-6) and the DFN at the cheapest setting shown converged on every metric of the fidelity
   matrix (rtol 1e-6 with the algebraic error suppressed, ``validation/fidelity.md``): each one's first
   run in this process (model build and the 25 degC reference included), then repeated (the trip
   alone, as in a sweep); the ratios against the goal, and the results side by side (the fidelity of
   this one case).
3. **Break-even**: how many trips pay the one-off costs back.
4. **A sweep**: trips at evenly spaced ambient temperatures through ``battsim run --workers 2``
   with the fast model (workers' start-up included), and the time per trip extrapolated to
   1,000 trips.
5. **Solver settings**: the fast trip repeated with the algebraic variables in the solver's error
   test and without (``[solver] suppress_algebraic_error``, on by default for ``fast``), each
   against the same trip at ``rtol`` 1e-6 and ``atol`` 1e-10 with the full error test (the converged
   reference); in the full run also the DFN with the same switch at rtol 1e-6 (the cheapest DFN
   setting converged on every metric) against the DFN's default, and the largest difference of each
   metric over the fast model's trips of ``battsim validate --fidelity``.

``--quick`` runs the same four parts, small: the LFP cell (its calibration takes seconds), 5 km of US06
after a 10 h soak at -10 degC without heating, and a sweep of 2 trips.

Run:  python benchmarks/bench_fast.py [--quick] [--trips N] [--solvers]      (full: about 45 minutes on two cores;
      --solvers: part 5 alone, about 20 minutes)

PyBaMM keeps compiled equations in ``$PYBAMM_CASADI_AOT_CACHE`` (default: a folder in the system's
temporary directory), so "first run" includes the compile only on a machine that never ran them.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import battsim as bs  # noqa: E402
from battsim.cli import main as battsim_main  # noqa: E402
from battsim.errors import ValidityWarning  # noqa: E402

CONFIG = REPO / "configs" / "trip.toml"
#: --quick: the trip of ``battsim validate --fidelity --quick`` (the two share the machine's compiled model)
QUICK = {"cell.chemistry": "lfp-graphite", "climate.ambient_C": -10.0, "drive.cycle": "us06", "heating.method": "none",
         "drive.distance_km": 5.0}
UNIT_OF = {"departure_temperature_C": "K", "end_temperature_C": "K", "min_anode_potential_V": "V"}
METRICS = (("range_km", "km"), ("battery_energy_Wh_per_km", "Wh/km"), ("heating_energy_kWh", "kWh"),
           ("departure_temperature_C", "degC"), ("min_anode_potential_V", "V"), ("regen_not_accepted_kWh", "kWh"))


def trip(model: str, overrides: dict):
    """Wall time [s] and result of one trip."""
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ValidityWarning)
        (result,) = bs.run(CONFIG, set={**overrides, "cell.model": model})
    if result.status != "ok":
        raise SystemExit(f"{model} trip failed: {result.error}")
    return time.perf_counter() - start, result


def one_off(overrides: dict) -> tuple[float, float, float]:
    """Calibration time, and the first and repeated fast trip in a fresh process [s] (the first compiles
    the model's equations unless this machine's compile cache has them)."""
    start = time.perf_counter()
    bs.calibrate(overrides.get("cell.chemistry", "nmc811-graphite"))
    calibration_s = time.perf_counter() - start
    first, _ = trip("fast", overrides)
    again, _ = trip("fast", overrides)
    return calibration_s, first, again


def sweep(folder: Path, n: int, overrides: dict) -> float:
    """Wall time [s] of ``n`` fast trips (ambient -20 to +10 degC) on 2 workers through ``battsim run``."""
    ambients = [round(10.0 - 30.0 * i / max(n - 1, 1), 3) for i in range(n)]
    fixed = {key: value for key, value in overrides.items() if key != "climate.ambient_C"}  # the sweep's axis
    sets = [f"{key}={value}" for key, value in {**fixed, "cell.model": "fast"}.items()]
    start = time.perf_counter()
    status = battsim_main(["run", str(CONFIG), "--out", str(folder / "sweep.h5"), "--quiet", "--workers", "2",
                           "--set", f"climate.ambient_C={ambients}", *[a for s in sets for a in ("--set", s)]])
    if status != 0:
        raise SystemExit(f"battsim run exited with {status}")
    return time.perf_counter() - start


SOLVER_ROWS = (("fast, rtol 1e-4, algebraic error suppressed (default)", "fast", {}),
               ("fast, rtol 1e-4, full error test", "fast", {"solver.suppress_algebraic_error": False}))
#: tight on every state: atol 1e-10 holds the element's overpotential (scaled by 100 V) to 1e-8 V
REFERENCE_ROW = ("fast, rtol 1e-6, atol 1e-10, full error test", "fast",
                 {"solver.rtol": 1e-6, "solver.atol": 1e-10, "solver.suppress_algebraic_error": False})
#: the cheapest DFN setting converged on every metric of the fidelity matrix, refused regeneration included
#: (validation/fidelity.md, third section: since the distance became the trace's integral, rtol 1e-6 with the
#: switch as well as 1e-7 with it; at rtol 1e-5 with it the solid-state trip refuses 1.2 % less braking)
DFN_ROW = ("DFN, rtol 1e-6, algebraic error suppressed", "DFN",
           {"solver.rtol": 1e-6, "solver.suppress_algebraic_error": True})


def solver_study(overrides: dict, dfn_s: float, dfn, full: bool, cheapest=None) -> None:
    """Part 5: each setting's repeated trip time and its metrics against its reference (``cheapest``: the
    DFN_ROW's repeated ``(seconds, result)`` if part 2 ran it)."""
    results = {}
    for label, model, settings in (REFERENCE_ROW, *SOLVER_ROWS, *((DFN_ROW,) if full else ())):
        if label == DFN_ROW[0] and cheapest is not None:
            results[label] = cheapest
            continue
        trip(model, {**overrides, **settings})  # build
        results[label] = trip(model, {**overrides, **settings})
    reference_s, reference = results[REFERENCE_ROW[0]]
    print(f"5. solver settings (repeated trip; differences against the reference, {REFERENCE_ROW[0]}: "
          f"{reference_s:.2f} s):")
    for label, (seconds, result) in results.items():
        base, base_label = (dfn, "the DFN at rtol 1e-6") if label == DFN_ROW[0] else (reference, "the reference")
        if label == REFERENCE_ROW[0]:
            continue
        worst = []
        for key, unit in METRICS:
            a, b = base.metrics.get(key), result.metrics.get(key)
            if a is None or b is None or a != a:
                continue
            worst.append(f"{key} {100 * (b / a - 1):+.3f} %" if a else f"{key} {b - a:+.2g} {unit}")
        fast_default_s = results[SOLVER_ROWS[0][0]][0]
        ratio = (f"; DFN at rtol 1e-6 / this = {dfn_s / seconds:.1f}x; this / the fast default = "
                 f"{seconds / fast_default_s:.1f}x" if label == DFN_ROW[0] else "")
        print(f"   {label}: {seconds:.2f} s{ratio}; against {base_label}: {', '.join(worst)}")
    if full:
        solver_matrix()


def solver_matrix() -> None:
    """Each fast solver setting against the reference on every trip of the fidelity matrix: the largest
    difference of each metric (relative where the target is, regeneration refused in Wh)."""
    from battsim.studies.fidelity import TARGETS, _metrics, fidelity_cases

    rows = {label: {name: _metrics(trip(model, {**overrides, **settings})[1])
                    for name, model, settings in (REFERENCE_ROW, *SOLVER_ROWS)}
            for label, overrides in fidelity_cases()}
    print(f"   over the {len(rows)} trips of battsim validate --fidelity, largest difference against the reference:")
    reference = REFERENCE_ROW[0]
    for name, _, _ in SOLVER_ROWS:
        worst = []
        for key, (kind, _, _) in TARGETS.items():
            diffs = [(d, label) for label, m in rows.items()
                     if (d := _difference(key, kind, m[name].get(key), m[reference].get(key))) is not None]
            if diffs:
                d, label = max(diffs)
                unit = "Wh" if key.startswith("regen") else "%" if kind == "rel" else UNIT_OF[key]
                worst.append(f"{key} {d:.3g} {unit} ({label})")
        print(f"   {name}:\n      " + "\n      ".join(worst))


def _difference(key: str, kind: str, value, reference) -> float | None:
    """|value - reference|: in % where the target is relative, in Wh for the regeneration refused."""
    if value is None or reference is None or reference != reference or reference == 0:
        return None
    if key.startswith("regen"):
        return 1000 * abs(value - reference)
    return abs(value - reference) * (100 / abs(reference) if kind == "rel" else 1)


def the_trip(quick: bool, fast: tuple, dfn: tuple, cheapest: tuple) -> None:
    """Part 2: each side's ``(first run [s], repeated [s], repeated result)``; the ratios, the goal, the metrics."""
    what = "LFP, 5 km of US06 from -10 degC" if quick else "configs/trip.toml, WLTC until the pack is empty"
    print(f"2. one trip ({what}): fast at its defaults (rtol 1e-4), the DFN at its defaults (rtol 1e-6) and "
          f"as {DFN_ROW[0][5:]} (the cheapest DFN setting converged on every metric):")
    for label, k in (("first run (build, 25 degC reference, trip)", 0),
                     ("repeated (the trip alone, as in a sweep)", 1)):
        print(f"   {label}: fast {fast[k]:.2f} s; DFN {dfn[k]:.2f} s ({dfn[k] / fast[k]:.1f}x); "
              f"DFN {DFN_ROW[2]['solver.rtol']:g}, suppressed {cheapest[k]:.2f} s ({cheapest[k] / fast[k]:.1f}x)")
    ratio = min(dfn[1], cheapest[1]) / fast[1]
    met = "met" if ratio >= 100 and fast[1] < 3 else "NOT met"
    print(f"   goal: the repeated fast trip >= 100x faster than the cheapest converged DFN and under 3 s: {met} "
          f"({ratio:.1f}x, {fast[1]:.2f} s)")
    print("   metric                         DFN          DFN suppr.   fast         fast - DFN")
    for key, unit in METRICS:
        dfn_v, cheap_v, fast_v = (side[2].metrics.get(key) for side in (dfn, cheapest, fast))
        if None in (dfn_v, cheap_v, fast_v) or dfn_v != dfn_v:
            continue
        rel = f"({100 * (fast_v / dfn_v - 1):+.2f} %)" if dfn_v else ""
        print(f"   {key:28s} {dfn_v:11.4f}  {cheap_v:11.4f}  {fast_v:11.4f}  {fast_v - dfn_v:+10.4f} {unit} {rel}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="LFP, 5 km of US06 from a -10 degC soak; a sweep of 2")
    parser.add_argument("--trips", type=int, metavar="N", help="trips in the sweep (default 50, or 2 with --quick)")
    parser.add_argument("--solvers", action="store_true",
                        help="part 5 alone (with the DFN at its defaults it is compared with; about 20 minutes)")
    args = parser.parse_args(argv)
    overrides = QUICK if args.quick else {}
    n = args.trips or (2 if args.quick else 50)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["BATTSIM_CACHE_DIR"] = str(Path(tmp) / "cache")
        if args.solvers:
            trip("DFN", overrides)  # build, 25 degC reference
            converged_s, converged = trip("DFN", overrides)
            print(f"the DFN at its defaults (rtol 1e-6), repeated: {converged_s:.2f} s")
            solver_study(overrides, converged_s, converged, full=not args.quick)
            return
        calibration_s, first_s, fast_once_s = one_off(overrides)
        converged_first_s, _ = trip("DFN", overrides)
        converged_s, converged = trip("DFN", overrides)
        cheapest_first_s, _ = trip(DFN_ROW[1], {**overrides, **DFN_ROW[2]})
        cheapest_s, cheapest = trip(DFN_ROW[1], {**overrides, **DFN_ROW[2]})
        fast_s, fast = trip("fast", overrides)
        print(f"1. one-off costs ({'LFP' if args.quick else 'LG M50'}, empty cache): calibration from the DFN "
              f"{calibration_s:.1f} s; first fast trip in this process {first_s:.1f} s (build, compile, 25 degC "
              f"reference) against {fast_once_s:.1f} s repeated")
        the_trip(args.quick, (first_s, fast_s, fast), (converged_first_s, converged_s, converged),
                 (cheapest_first_s, cheapest_s, cheapest))
        extra = calibration_s + first_s - fast_once_s
        print(f"3. break-even: the one-off {extra:.1f} s (calibration, build, compile, reference) is paid back after "
              f"{extra / max(converged_s - fast_s, 1e-9):.2f} trips (each saving the repeated converged DFN's time "
              "less the fast's)")
        wall = sweep(Path(tmp), n, overrides)
        print(f"4. {n} fast trips on 2 workers (start-up included): {wall:.1f} s, {wall / n:.2f} s per trip; "
              f"1,000 trips extrapolated: {1000 * wall / n / 60:.1f} min (the converged DFN at its time per trip "
              f"above, two at a time: {1000 * converged_s / 2 / 60:.1f} min)")
        solver_study(overrides, converged_s, converged, full=not args.quick, cheapest=(cheapest_s, cheapest))


if __name__ == "__main__":
    main()
