"""A full cold-climate trip: wall time, simulated hours per wall second, and the plain PyBaMM way.

1. battsim, the full trip of ``configs/trip.toml``: 10 h soak at -20 degC, grid preconditioning
   of the pack to 10 degC, WLTC repeated until the pack is empty, DFN, two thermal zones, the
   25 degC reference trip included (it is part of every trip's result); then the same with
   PyBaMM's default mesh (20 points across the electrodes instead of the config's 10).
2. The same drive the plain PyBaMM way, for four WLTC cycles (two hours) so that it finishes in
   minutes: a new ``pybamm.Simulation`` with an ``Experiment`` of steps (a 10 h rest, then the
   per-cell power of the drive cycle as a power step with a voltage limit) built for the run,
   one DFN cell with PyBaMM's lumped thermal model, the config's mesh and tolerances,
   PyBaMM's default (linear) drive-cycle interpolation. battsim drives the same four cycles for
   the comparison, once with one thermal zone (the plain way's single cell) and once with its
   default two.

The plain way has no heater, no pack thermal network and no regeneration limit; the rows say
what each includes. Ratios are of wall time per simulated hour, measured in this one run.

``--quick`` runs the same two parts, small: in part 1 a short trip (1 h soak of a pack already
at -20 degC, grid preconditioning to 10 degC, 1 km of WLTC, with its reference; both meshes), in
part 2 the first 430 s of WLTC (2.8 km) after a 1 h rest, the same three ways. Well under a minute.

Run:  python benchmarks/bench_trip.py [--quick]     (full: about 20 minutes on two cores)
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from battsim import config  # noqa: E402
from battsim.cases.trip import TripSetup, trip_setup  # noqa: E402
from battsim.models import names  # noqa: E402
from battsim.models._pybamm import pybamm  # noqa: E402
from battsim.models.soc import initial_concentrations  # noqa: E402
from battsim.sweep import run_cases  # noqa: E402
from battsim.units import SECONDS_PER_HOUR, celsius_to_kelvin  # noqa: E402
from battsim.vehicle.cycles import load_cycle  # noqa: E402
from battsim.vehicle.road_load import (  # noqa: E402
    air_density_kg_per_m3,
    rolling_resistance_coefficient,
    wheel_power_W,
)

CONFIG = REPO / "configs" / "trip.toml"
CYCLES = 4
#: --quick: part 1 is a short trip of a pack soaked at ambient, part 2 the start of one cycle after a short rest
QUICK_SOAK_H = 1.0
QUICK_TRIP_KM = 1.0
QUICK_DRIVE_S = 430.0  # WLTC: 2.8 km, ending while moving (a drive ending in a stop waits for the next move)


def repeated(cycle, drive_s: float):
    """``tiled(x)``: a per-second series ``x`` of ``cycle`` repeated over ``drive_s`` seconds."""
    repeats = int(np.ceil(drive_s / cycle.duration_s))

    def tiled(x):
        return np.append(np.tile(x[:-1], repeats), x[-1])[: int(drive_s) + 1]

    return tiled


def battsim_trip(cfg: config.Config):
    """One battsim trip case (with its reference unless cached): wall time, simulated hours, result."""
    start = time.perf_counter()
    (result,) = run_cases([config.Case(swept={}, config=cfg)])
    wall = time.perf_counter() - start
    if result.status != "ok":
        raise SystemExit(f"battsim trip failed: {result.error}")
    hours = result.timeseries["time_s"][-1] / SECONDS_PER_HOUR
    return wall, hours, result


def steady_cabin_heater_W(cfg: config.Config, vehicle, ambient_K: float) -> float:
    """The plain way's cabin: the resistive power that holds the parked cabin at its set point."""
    if not cfg.vehicle.cabin_heating:
        return 0.0
    cabin = vehicle.cabin
    setpoint_K = celsius_to_kelvin(cabin.setpoint_C)
    hold = float(cabin.conductance_W_per_K(0.0, setpoint_K, ambient_K)) * max(setpoint_K - ambient_K, 0.0)
    return min(hold, cabin.ptc_max_W)


def plain_pybamm_drive(cfg: config.Config, setup: TripSetup, drive_s: float):
    """A new Simulation with an Experiment: rest for the soak, then the drive's per-cell power."""
    vehicle, pack, chemistry = setup.vehicle, setup.pack, setup.chemistry
    cycle = load_cycle(cfg.drive.cycle)
    T = celsius_to_kelvin(cfg.climate.ambient_C)
    crr = rolling_resistance_coefficient(vehicle.crr, cfg.climate.ambient_C, cfg.vehicle.crr_per_K)
    wheel = wheel_power_W(cycle.speed_m_per_s, cycle.acceleration_m_per_s2(), vehicle.mass_kg, crr,
                          vehicle.cda_m2, air_density_kg_per_m3(T))
    battery = vehicle.drivetrain.battery_power_W(wheel) + vehicle.aux_W + steady_cabin_heater_W(cfg, vehicle, T)
    per_cell = battery / pack.n_cells
    tiled = repeated(cycle, drive_s)
    t = np.arange(int(drive_s) + 1, dtype=float)
    profile = np.column_stack([t, tiled(per_cell)])
    start = time.perf_counter()
    values = chemistry.parameter_values()
    c_p0, c_n0 = initial_concentrations(chemistry, cfg.cell.initial_soc)
    values.update({names.AMBIENT_TEMPERATURE: T, names.INITIAL_TEMPERATURE: T,
                   names.INITIAL_C_POSITIVE: c_p0, names.INITIAL_C_NEGATIVE: c_n0})
    experiment = pybamm.Experiment([
        f"Rest for {cfg.climate.soak_h:g} hours",
        pybamm.step.power(profile, termination=f"< {chemistry.voltage_window_V[0]} V"),
    ])
    model = pybamm.lithium_ion.DFN({"thermal": "lumped"})
    solver = pybamm.IDAKLUSolver(rtol=cfg.solver.relative_tolerance(cfg.cell.model), atol=cfg.solver.atol,
                                 options={"max_num_steps": 2_000_000})
    sim = pybamm.Simulation(model, parameter_values=values, experiment=experiment,
                            var_pts=cfg.solver.mesh(chemistry.mesh).var_pts(model.default_var_pts), solver=solver)
    solution = sim.solve()
    wall = time.perf_counter() - start
    return wall, solution[names.TIME_S].entries[-1] / SECONDS_PER_HOUR


def driven(m: dict) -> str:
    """The trip's headline: its range if driven to empty, else its energy per km."""
    if np.isfinite(m["range_km"]):
        return (f"range {m['range_km']:.1f} km (reference {m['reference_range_km']:.1f} km, "
                f"loss {m['range_loss_pct']:.2f} %)")
    return (f"{m['battery_energy_Wh_per_km']:.1f} Wh/km from the battery "
            f"(reference {m['reference_battery_energy_Wh_per_km']:.1f} Wh/km)")


def part_one_trip(full: config.Config, quick: bool) -> tuple[str, config.Config]:
    """The trip of part 1 and its description."""
    if not quick:
        return ("full trip (configs/trip.toml: 10 h soak at -20 degC, grid preconditioning, WLTC to empty, DFN, "
                "2 zones, with its 25 degC reference)"), full
    climate = dataclasses.replace(full.climate, soak_h=QUICK_SOAK_H, start_temperature_C=full.climate.ambient_C)
    short = dataclasses.replace(full, climate=climate, drive=dataclasses.replace(full.drive, distance_km=QUICK_TRIP_KM))
    return (f"short trip (--quick: {QUICK_SOAK_H:g} h soak at {full.climate.ambient_C:g} degC of a pack already "
            f"there, grid preconditioning, {QUICK_TRIP_KM:g} km of {full.drive.cycle.upper()}, DFN, 2 zones, with its "
            "25 degC reference)"), short


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help=f"a {QUICK_TRIP_KM:g} km trip and the first {QUICK_DRIVE_S:g} s of the cycle after a "
                             f"{QUICK_SOAK_H:g} h rest, instead of the full trip and {CYCLES} cycles after the "
                             "config's soak (well under a minute)")
    args = parser.parse_args(argv)
    _, (case,) = config.load(CONFIG)
    full = case.config
    cycle = load_cycle(full.drive.cycle)

    header, trip = part_one_trip(full, args.quick)
    print(header)
    default_mesh = dataclasses.replace(trip, solver=dataclasses.replace(trip.solver, electrode_points=20))
    for label, cfg in ((f"{trip.solver.electrode_points} points across", trip), ("20 points across", default_mesh)):
        wall, hours, result = battsim_trip(cfg)
        m = result.metrics
        print(f"  battsim, {label:17s} {wall:7.1f} s wall for {hours:5.2f} h simulated (+ the reference trip) -> "
              f"{hours / wall:6.3f} simulated h per wall s; {driven(m)}", flush=True)

    if args.quick:
        drive_s, climate = QUICK_DRIVE_S, dataclasses.replace(full.climate, soak_h=QUICK_SOAK_H)
        drive_label = f"the first {drive_s:g} s of {full.drive.cycle.upper()}"
    else:
        drive_s, climate = CYCLES * cycle.duration_s, full.climate
        drive_label = f"{CYCLES} {full.drive.cycle.upper()} cycles"
    tiled = repeated(cycle, drive_s)
    distance_m = float(np.trapezoid(tiled(cycle.speed_m_per_s), np.arange(int(drive_s) + 1, dtype=float)))
    drive_only = dataclasses.replace(
        full, heating=dataclasses.replace(full.heating, precondition=False),
        drive=dataclasses.replace(full.drive, distance_km=distance_m / 1000),
        climate=dataclasses.replace(climate, start_temperature_C=climate.ambient_C))
    one_zone = dataclasses.replace(drive_only, pack=dataclasses.replace(drive_only.pack, edge_fraction=0.0))
    battsim_trip(one_zone)  # build the models and warm the reference cache: compare drives only
    battsim_trip(drive_only)
    rows = []
    for label, cfg in (("battsim, 1 zone", one_zone), ("battsim, 2 zones + network", drive_only)):
        wall, hours, _ = battsim_trip(cfg)
        rows.append((label, wall, hours))
    setup = trip_setup(one_zone)
    wall, hours = plain_pybamm_drive(one_zone, setup, drive_s)
    rows.append(("plain PyBaMM (Simulation + Experiment per run, 1 cell)", wall, hours))
    plain_rate = rows[-1][1] / rows[-1][2]
    print(f"\n{drive_label} after a {climate.soak_h:g} h rest at {full.climate.ambient_C:g} degC, "
          "same vehicle demand per cell")
    for label, wall, hours in rows:
        rate = wall / hours
        print(f"  {label:55s} {wall:7.1f} s wall, {hours:5.2f} h simulated, {hours / wall:6.3f} h per s, "
              f"plain / this = {plain_rate / rate:5.2f}x")


if __name__ == "__main__":
    main()
