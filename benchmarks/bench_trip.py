"""A full cold-climate trip: wall time, simulated hours per wall second, and the plain PyBaMM way.

1. battsim, the full trip of ``configs/trip.toml``: 10 h soak at -20 degC, grid preconditioning
   of the pack to 10 degC, WLTC repeated until the pack is empty, DFN, two thermal zones, the
   25 degC reference trip included (it is part of every trip's result); then the same with
   PyBaMM's default mesh (20 points across the electrodes instead of the config's 10).
2. The same drive the plain PyBaMM way, for four WLTC cycles (two hours) so that it finishes in
   minutes: a new ``pybamm.Simulation`` with an ``Experiment`` of steps (a 10 h rest, then the
   per-cell power of the drive cycle as a power step with a voltage limit) built for the run,
   one DFN cell with PyBaMM's lumped thermal model, the config's mesh and tolerances,
   PyBaMM's default (linear) drive-cycle interpolation. battsim drives the same four cycles for the comparison, once with one
   thermal zone (the plain way's single cell) and once with its default two.

The plain way has no heater, no pack thermal network and no regeneration limit; the rows say
what each includes. Ratios are of wall time per simulated hour, measured in this one run.

Run:  python benchmarks/bench_trip.py            (about 20 minutes on two cores)
"""

from __future__ import annotations

import dataclasses
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from battsim import config, scenario  # noqa: E402
from battsim.models._pybamm import pybamm  # noqa: E402
from battsim.cells import get_chemistry  # noqa: E402
from battsim.simulation import initial_concentrations, mesh  # noqa: E402
from battsim.vehicle.cycles import load_cycle  # noqa: E402
from battsim.vehicle.road_load import air_density_kg_per_m3, battery_power_W, wheel_power_W  # noqa: E402

CYCLES = 4


def battsim_trip(cfg):
    start = time.perf_counter()
    (result,) = scenario.run([config.Case(swept={}, config=cfg)])
    wall = time.perf_counter() - start
    if result.status != "ok":
        raise SystemExit(f"battsim trip failed: {result.error}")
    hours = result.timeseries["time_s"][-1] / 3600
    return wall, hours, result


def plain_pybamm_drive(cfg, setup):
    """A new Simulation with an Experiment: rest for the soak, then the drive's per-cell power."""
    vehicle, pack = setup.vehicle, setup.pack
    cycle = load_cycle(cfg.drive.cycle)
    T = cfg.climate.ambient_C + 273.15
    wheel = wheel_power_W(cycle.speed_m_per_s, cycle.acceleration_m_per_s2(), vehicle.mass_kg, vehicle.crr,
                          vehicle.cda_m2, air_density_kg_per_m3(T))
    battery = battery_power_W(wheel, vehicle.drivetrain_efficiency, vehicle.regen_efficiency)
    battery = battery + vehicle.aux_W + setup.inputs["Cabin heater power [W]"]
    per_cell = battery / pack.n_cells
    t = np.arange(CYCLES * (len(cycle.time_s) - 1) + 1, dtype=float)
    profile = np.column_stack([t, np.append(np.tile(per_cell[:-1], CYCLES), per_cell[-1])])
    chemistry = get_chemistry(cfg.cell.chemistry)
    start = time.perf_counter()
    values = chemistry.parameter_values()
    c_p0, c_n0 = initial_concentrations(chemistry.name, cfg.cell.initial_soc)
    values.update({"Ambient temperature [K]": T, "Initial temperature [K]": T,
                   "Initial concentration in positive electrode [mol.m-3]": c_p0,
                   "Initial concentration in negative electrode [mol.m-3]": c_n0})
    experiment = pybamm.Experiment([
        "Rest for 10 hours",
        pybamm.step.power(profile, termination=f"< {chemistry.voltage_window_V[0]} V"),
    ])
    model = pybamm.lithium_ion.DFN({"thermal": "lumped"})
    sim = pybamm.Simulation(model, parameter_values=values, experiment=experiment,
                            var_pts=mesh(model, cfg.solver.mesh_points()),
                            solver=pybamm.IDAKLUSolver(rtol=cfg.solver.rtol, atol=cfg.solver.atol,
                                                       options={"max_num_steps": 2_000_000}))
    solution = sim.solve()
    wall = time.perf_counter() - start
    return wall, solution["Time [s]"].entries[-1] / 3600


def main() -> None:
    _, (case,) = config.load(REPO / "configs" / "trip.toml")
    full = case.config

    print("full trip (configs/trip.toml: 10 h soak at -20 degC, grid preconditioning, WLTC to empty, DFN, "
          "2 zones, with its 25 degC reference)")
    default_mesh = dataclasses.replace(full, solver=dataclasses.replace(full.solver, electrode_points=20))
    for label, cfg in ((f"{full.solver.electrode_points} points across", full), ("20 points across", default_mesh)):
        wall, hours, result = battsim_trip(cfg)
        m = result.metrics
        print(f"  battsim, {label:17s} {wall:7.1f} s wall for {hours:5.2f} h simulated (+ the reference trip) -> "
              f"{hours / wall:6.3f} simulated h per wall s; range {m['range_km']:.1f} km "
              f"(reference {m['reference_range_km']:.1f} km, loss {m['range_loss_pct']:.2f} %)", flush=True)

    drive_only = dataclasses.replace(
        full, heating=dataclasses.replace(full.heating, precondition=False),
        drive=dataclasses.replace(full.drive, distance_km=CYCLES * load_cycle(full.drive.cycle).distance_m / 1000),
        climate=dataclasses.replace(full.climate, start_temperature_C=full.climate.ambient_C))
    one_zone = dataclasses.replace(drive_only, pack=dataclasses.replace(drive_only.pack, edge_fraction=0.0))
    scenario.run([config.Case(swept={}, config=one_zone)])  # warm the reference cache: compare drives only
    scenario.run([config.Case(swept={}, config=drive_only)])
    rows = []
    for label, cfg in (("battsim, 1 zone", one_zone), ("battsim, 2 zones + network", drive_only)):
        wall, hours, _ = battsim_trip(cfg)
        rows.append((label, wall, hours))
    setup = scenario.trip_setup(one_zone)
    wall, hours = plain_pybamm_drive(one_zone, setup)
    rows.append(("plain PyBaMM (Simulation + Experiment per run, 1 cell)", wall, hours))
    plain_rate = rows[-1][1] / rows[-1][2]
    print(f"\n{CYCLES} WLTC cycles after a 10 h rest at {full.climate.ambient_C:g} degC, same vehicle demand per cell")
    for label, wall, hours in rows:
        rate = wall / hours
        print(f"  {label:55s} {wall:7.1f} s wall, {hours:5.2f} h simulated, {hours / wall:6.3f} h per s, "
              f"plain / this = {plain_rate / rate:5.2f}x")


if __name__ == "__main__":
    main()
