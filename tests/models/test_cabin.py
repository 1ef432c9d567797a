"""The cabin node of the trip DAE: the parked cabin against its analytic cooling, its heat balance,
a heater that cannot keep up, a heat pump against a resistive heater, and preheating from the grid.

Short drives (5 km of WLTC) of a one-zone pack: the cabin does not depend on the cell's detail.
"""

import functools
import tempfile
from pathlib import Path

import numpy as np
import pytest

from battsim import config
from battsim.cases.trip import chemistry_of, run_trip, trip_assumptions
from battsim.metrics.trip import cabin_metrics, trip_metrics

# every test here reads the one set of drives: one worker computes it (pytest-xdist --dist loadgroup)
pytestmark = pytest.mark.xdist_group("cabin")

TRIP = """
[scenario]
kind = "trip"
[cell]
chemistry = "nmc811-graphite"
initial_soc = 0.9
[climate]
soak_h = 1
start_temperature_C = 20
[pack]
edge_fraction = 0
[heating]
method = "none"
[drive]
cycle = "wltc"
distance_km = 5
[solver]
rtol = 1e-4
electrode_points = 10
"""


def drive(tmp_path, ambient_C, *overrides):
    path = tmp_path / "trip.toml"
    path.write_text(TRIP)
    cfg = config.load(path, [f"climate.ambient_C={ambient_C}", *overrides])[1][0].config
    solution, marks, setup = run_trip(cfg)
    metrics = trip_metrics(solution.series, marks, trip_assumptions(cfg, chemistry_of(cfg)), None)
    return solution.series, marks, setup, metrics


@pytest.fixture
def drives():
    return _drives()


@functools.cache
def _drives():
    """Computed once per worker process: a module-scoped fixture is rebuilt whenever pytest-xdist
    interleaves another module's tests on the same worker."""
    tmp = Path(tempfile.mkdtemp(prefix="battsim-cabin-"))
    return {
        "cold": drive(tmp, -10),
        "frozen": drive(tmp, -35),
        "mild": drive(tmp, 0),
        # a resistive heater as large as the heat pump (3.6 kW at -5 degC) and its 5 kW backup together
        "ptc": drive(tmp, -5, "vehicle.preset=midsize-suv", "vehicle.cabin_heater=ptc",
                     "vehicle.cabin_heater_max_W=8600"),
        "heat_pump": drive(tmp, -5, "vehicle.preset=midsize-suv"),
        "preheated": drive(tmp, -10, "vehicle.cabin_precondition_s=1800"),
    }


@pytest.mark.slow
def test_parked_cabin_cools_with_its_time_constant(drives):
    """Parked, heater off: T - T_amb = (T0 - T_amb) exp(-t / tau), tau = C / UA_parked, within
    0.1 K of the 30 K start (the trip's rtol of 1e-4 on about 290 K allows 0.03 K per step)."""
    series, marks, setup, _ = drives["cold"]
    cabin = setup.vehicle.cabin
    soak = series["time_s"] <= marks.soak_end_s
    t, T = series["time_s"][soak], series["cabin_temperature_K"][soak]
    tau = cabin.heat_capacity_J_per_K / cabin.conductance_W_per_K(0.0, 290.0, 263.15)
    assert 400 < tau < 700  # FASTSim's Bolt: 74 kJ/K over 142 W/K, about 9 minutes
    analytic = 263.15 + 30.0 * np.exp(-t / tau)
    assert np.max(np.abs(T - analytic)) < 0.1
    assert T[-1] - 263.15 < 0.1  # after 1 h (7 tau) the cabin is at ambient


@pytest.mark.slow
@pytest.mark.parametrize("name", ["cold", "frozen", "mild", "heat_pump", "preheated"])
def test_cabin_heat_balance_closes(drives, name):
    """C (T_end - T_0) = heat from the heater - heat lost (no sun), to solver tolerance."""
    series, _, setup, _ = drives[name]
    C = setup.vehicle.cabin.heat_capacity_J_per_K
    stored = C * (series["cabin_temperature_K"][-1] - series["cabin_temperature_K"][0])
    balance = series["cumulative_cabin_heat_J"][-1] - series["cumulative_cabin_loss_J"][-1]
    assert stored == pytest.approx(balance, abs=1e-3 * series["cumulative_cabin_loss_J"][-1])


@pytest.mark.slow
def test_a_heater_that_cannot_keep_up_reports_its_deficit(drives):
    mild, frozen = drives["mild"][3], drives["frozen"][3]
    # at 0 degC the 5 kW heater holds the set point after warming the cabin: no deficit
    assert mild["cabin_heat_deficit_kWh"] < 1e-3
    assert drives["mild"][0]["cabin_temperature_K"][-1] == pytest.approx(295.15, abs=0.3)
    # at -35 degC the cabin needs more than 5 kW to stay at 22 degC: it stays cold and says so
    assert frozen["cabin_heat_deficit_kWh"] > 0.1
    assert frozen["cabin_time_below_comfort_s"] > 0.5 * 3600 * frozen["drive_time_h"]
    assert frozen["cabin_min_temperature_C"] == pytest.approx(-35.0, abs=0.1)  # it starts at ambient
    assert drives["frozen"][0]["cabin_heater_power_W"].max() == pytest.approx(5000.0, rel=1e-2)


@pytest.mark.slow
def test_a_heat_pump_delivers_the_same_heat_for_less_electricity(drives):
    ptc, heat_pump = drives["ptc"][3], drives["heat_pump"][3]
    assert heat_pump["cabin_heat_kWh"] == pytest.approx(ptc["cabin_heat_kWh"], rel=0.02)
    # COP 3.2 at -5 degC, but the warm-up asks more than its 3.6 kW of heat: the backup covers the rest
    assert ptc["cabin_energy_kWh"] / 3.2 < heat_pump["cabin_energy_kWh"] < 0.8 * ptc["cabin_energy_kWh"]


@pytest.mark.slow
def test_a_cabin_preheated_from_the_grid_leaves_warm_and_charges_the_grid(drives):
    cold, pre = drives["cold"], drives["preheated"]
    start = np.searchsorted(pre[0]["time_s"], pre[1].drive_start_s)
    assert pre[0]["cabin_temperature_K"][start] == pytest.approx(295.15, abs=1.0)
    assert pre[3]["cabin_precondition_grid_kWh"] > 0.3  # warm-up and 30 min of holding at -10 degC
    assert pre[3]["cabin_energy_kWh"] < cold[3]["cabin_energy_kWh"]
    assert pre[3]["cabin_time_below_comfort_s"] == 0.0 < cold[3]["cabin_time_below_comfort_s"]
    # the grid energy of the preheating is charged to the kilometres driven
    assert pre[3]["grid_energy_Wh_per_km"] > pre[3]["battery_energy_Wh_per_km"] / 0.884


def test_time_below_the_comfort_band_counts_only_the_drive():
    from battsim.metrics.trip import TripAssumptions

    a = TripAssumptions(0.02, 0.0, 0.9, 300.0, 283.15, False, False, cabin_setpoint_K=295.15, comfort_band_K=2.0)
    t = np.arange(0.0, 10.0)
    series = {"time_s": t, "cabin_temperature_K": np.array([280.0] * 3 + [290.0] * 3 + [295.0] * 4),
              "cumulative_cabin_deficit_J": np.zeros(10), "cumulative_cabin_heat_J": np.linspace(0, 3.6e6, 10)}
    m = cabin_metrics(series, 2, a)  # the drive starts at t = 2 s
    assert m["cabin_time_below_comfort_s"] == 3.0  # t = 2 ... 5
    assert m["cabin_min_temperature_C"] == pytest.approx(280.0 - 273.15)
    assert m["cabin_heat_kWh"] == pytest.approx(7 / 9)  # from t = 2 to 9 of a steady 1 kWh per 9 s
