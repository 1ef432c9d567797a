"""Build once, solve many: battsim's quick start against the plain PyBaMM way.

The 12 quick-start cases (3 chemistries x 25, 0, -10, -20 degC, 1C discharge from full) are
run twice in one process:

* **battsim**: one model per chemistry, built and discretised once; ambient and initial
  temperature, current and initial state are PyBaMM input parameters (``battsim.scenario.run``);
* **plain PyBaMM**: what a script usually does, a new ``pybamm.Simulation`` per case with
  the values set in the parameter set (same chemistry, same thermal submodels, same solver
  and tolerances, so only the build-once difference is measured).

It prints the wall time per case of each, their ratio, and the largest difference in
delivered capacity between the two (they solve the same equations).

Run:  python benchmarks/bench_build_once.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from battsim import config, scenario, simulation  # noqa: E402
from battsim.models._pybamm import pybamm  # noqa: E402
from battsim.cells import get_chemistry  # noqa: E402
from battsim.thermal.submodels import ExternalNode, InternalHeatSource, LumpedCellThermal  # noqa: E402, F401


def plain_pybamm_case(cfg: config.Config) -> float:
    """One case the plain way: fresh model, fresh parameter values, fresh Simulation."""
    chemistry = get_chemistry(cfg.cell.chemistry)
    options = {"thermal": "lumped", "calculate discharge energy": "true", **chemistry.model_options}
    model = pybamm.lithium_ion.DFN(options, build=False)
    model.submodels["internal heat source"] = InternalHeatSource(model.param, model.options)
    model.submodels["thermal"] = LumpedCellThermal(model.param, model.options)
    model.build_model()
    values = chemistry.parameter_values()
    T = 273.15 + cfg.climate.ambient_C
    current = cfg.discharge.c_rate * chemistry.nominal_capacity_Ah
    values.update({"Ambient temperature [K]": T, "Initial temperature [K]": T,
                   "Current function [A]": current, "Internal heat source [W]": 0.0},
                  check_already_exists=False)
    solver = pybamm.IDAKLUSolver(rtol=cfg.solver.rtol, atol=cfg.solver.atol)
    sim = pybamm.Simulation(model, parameter_values=values, solver=solver)
    solution = sim.solve([0, scenario.DURATION_MARGIN * 3600 / cfg.discharge.c_rate],
                         initial_soc=cfg.cell.initial_soc)
    return float(solution["Discharge capacity [A.h]"].entries[-1])


def main() -> None:
    _, cases = config.load(REPO / "configs" / "quickstart.toml")
    n = len(cases)

    simulation.get_cell_model.cache_clear()
    start = time.perf_counter()
    results = scenario.run(cases)
    battsim_s = time.perf_counter() - start
    ours = {r.case_id: r.metrics["delivered_capacity_Ah"] for r in results}

    start = time.perf_counter()
    plain = {c.config.hash(): plain_pybamm_case(c.config) for c in cases}
    plain_s = time.perf_counter() - start

    worst = max(abs(ours[k] - plain[k]) / plain[k] for k in plain)
    print(f"quick start, {n} cases (3 chemistries x 4 ambient temperatures, 1C DFN discharge)")
    print(f"  battsim (build once per chemistry, inputs per case): {battsim_s:7.2f} s total, "
          f"{battsim_s / n:6.3f} s per case")
    print(f"  plain PyBaMM (new Simulation per case):             {plain_s:7.2f} s total, "
          f"{plain_s / n:6.3f} s per case")
    print(f"  speed-up: {plain_s / battsim_s:.2f}x")
    print(f"  largest relative difference in delivered capacity: {worst:.2e}")


if __name__ == "__main__":
    main()
