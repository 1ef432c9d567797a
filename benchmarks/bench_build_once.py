"""Build once, solve many: battsim's quick start against the plain PyBaMM way.

The 24 quick-start cases (3 chemistries x 25, 0, -10, -20 degC x still air and thermal chamber,
1C discharge from full, each chemistry on its converged mesh) are run twice in one process:

* **battsim**: one model per chemistry, built and discretised once; ambient and initial
  temperature, current and initial state are PyBaMM input parameters (``battsim.run``);
* **plain PyBaMM**: what a script usually does, a new ``pybamm.Simulation`` per case with
  the values set in the parameter set (same chemistry, same thermal submodels, same mesh, solver
  and tolerances, so only the build-once difference is measured).

It prints the wall time per case of each, their ratio, and the largest difference in
delivered capacity between the two (they solve the same equations).

``--quick`` runs the same comparison on 2 cases (``nmc811-graphite`` at 25 and -10 degC: one
model built once and solved twice against two fresh Simulations), in a few seconds.

Run:  python benchmarks/bench_build_once.py [--quick]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import battsim as bs  # noqa: E402
from battsim import config  # noqa: E402
from battsim.cases.discharge import DURATION_MARGIN, case_mesh  # noqa: E402
from battsim.cases.resolve import cell_conditions  # noqa: E402
from battsim.cells import get_chemistry  # noqa: E402
from battsim.models import names  # noqa: E402
from battsim.models._pybamm import pybamm  # noqa: E402
from battsim.models.cell import get_cell_model, submesh_types  # noqa: E402
from battsim.models.thermal import InternalHeatSource, LumpedCellThermal  # noqa: E402
from battsim.units import SECONDS_PER_HOUR, celsius_to_kelvin  # noqa: E402

CONFIG = REPO / "configs" / "quickstart.toml"
#: --quick: one chemistry, two temperatures (one model built, two solves)
QUICK_SET = {"cell.chemistry": "nmc811-graphite", "climate.ambient_C": [25, -10], "thermal.condition": "still-air"}


def plain_pybamm_case(cfg: config.Config) -> float:
    """One case the plain way: fresh model, fresh parameter values, fresh Simulation."""
    chemistry = get_chemistry(cfg.cell.chemistry)
    options = {"thermal": "lumped", "calculate discharge energy": "true", **chemistry.model_options}
    model = pybamm.lithium_ion.DFN(options, build=False)
    model.submodels["internal heat source"] = InternalHeatSource(model.param, model.options)
    model.submodels["thermal"] = LumpedCellThermal(model.param, model.options)
    model.build_model()
    values = chemistry.parameter_values()
    current = cfg.discharge.c_rate * chemistry.nominal_capacity_Ah
    values.update({names.AMBIENT_TEMPERATURE: celsius_to_kelvin(cfg.climate.ambient_C),
                   names.INITIAL_TEMPERATURE: celsius_to_kelvin(cfg.cell.initial_temperature_C),
                   names.CURRENT_FUNCTION: current, names.INTERNAL_HEAT_SOURCE: 0.0,
                   # LumpedCellThermal multiplies the cell heat capacity by this (1: the bare cell)
                   names.HEAT_CAPACITY_SCALE: 1.0},
                  check_already_exists=False)
    values[names.HEAT_TRANSFER_COEFFICIENT] = cell_conditions(cfg, chemistry).h_W_per_m2K  # the test condition's
    solver = pybamm.IDAKLUSolver(rtol=cfg.solver.relative_tolerance(cfg.cell.model), atol=cfg.solver.atol)
    grid = case_mesh(cfg, chemistry)  # the case's mesh, as battsim uses
    sim = pybamm.Simulation(model, parameter_values=values, solver=solver, var_pts=grid.var_pts(model.default_var_pts),
                            submesh_types=submesh_types(model, grid))
    solution = sim.solve([0, DURATION_MARGIN * SECONDS_PER_HOUR / cfg.discharge.c_rate],
                         initial_soc=cfg.cell.initial_soc)
    return float(solution[names.DISCHARGE_CAPACITY].entries[-1])


def describe(cases: list[config.Case]) -> str:
    """``"3 chemistries x 4 ambient temperatures x 2 conditions"`` of the cases."""
    chemistries = {c.config.cell.chemistry for c in cases}
    ambients = {c.config.climate.ambient_C for c in cases}
    conditions = {c.config.thermal.condition for c in cases}
    plural = lambda n, word, words: f"{n} {word if n == 1 else words}"
    return (f"{plural(len(chemistries), 'chemistry', 'chemistries')} x "
            f"{plural(len(ambients), 'ambient temperature', 'ambient temperatures')} x "
            f"{plural(len(conditions), 'condition', 'conditions')}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="2 cases (one chemistry at 25 and -10 degC) instead of the 24 of the quick start")
    args = parser.parse_args(argv)
    overrides = QUICK_SET if args.quick else {}
    _, cases = config.load(CONFIG, overrides)
    n = len(cases)

    get_cell_model.cache_clear()
    start = time.perf_counter()
    results = bs.run(CONFIG, set=overrides)
    battsim_s = time.perf_counter() - start
    ours = {r.case_id: r.metrics["delivered_capacity_Ah"] for r in results}

    start = time.perf_counter()
    plain = {c.config.hash(): plain_pybamm_case(c.config) for c in cases}
    plain_s = time.perf_counter() - start

    if set(ours) != set(plain):
        raise SystemExit("battsim and the plain way ran different cases")
    worst = max(abs(ours[k] - plain[k]) / plain[k] for k in plain)
    label = "quick start (--quick)" if args.quick else "quick start"
    print(f"{label}, {n} cases ({describe(cases)}, 1C DFN discharge)")
    print(f"  battsim (build once per chemistry, inputs per case): {battsim_s:7.2f} s total, "
          f"{battsim_s / n:6.3f} s per case")
    print(f"  plain PyBaMM (new Simulation per case):             {plain_s:7.2f} s total, "
          f"{plain_s / n:6.3f} s per case")
    print(f"  speed-up: {plain_s / battsim_s:.2f}x")
    print(f"  largest relative difference in delivered capacity: {worst:.2e}")


if __name__ == "__main__":
    main()
