"""Plots a user can read: the trip's energy by use adds up to the battery line; heating plots
draw every case."""

import numpy as np

from battsim.metrics.trip import energy_by_use_J
from battsim.reporting.plots import heating_temperatures
from battsim.results import Result


def test_energy_by_use_adds_up_to_the_battery_line():
    t = np.linspace(0, 100, 11)
    series = {
        "cumulative_traction_wheel_J": 10 * t, "cumulative_drivetrain_losses_J": 2 * t,
        "cumulative_aux_J": 0.5 * t, "cumulative_cabin_J": 3 * t, "cumulative_heating_battery_J": 1 * t,
        "cumulative_regen_not_accepted_J": 0.2 * t, "cumulative_braking_wheel_J": 4 * t,
    }
    battery_out = 10 * t + 2 * t + 0.5 * t + 3 * t + 1 * t + 0.2 * t - 4 * t  # the pack model's balance
    uses = energy_by_use_J(series)
    np.testing.assert_allclose(sum(uses.values()), battery_out)
    assert uses["braking energy at the wheels (returned)"][-1] < 0
    assert all(values[-1] >= 0 for label, values in uses.items() if "returned" not in label)


def test_heating_overlay_draws_every_case(tmp_path):
    cases = []
    for method, controller in (("ptc", "thermostat"), ("ac", "rapid")):
        r = Result(case_id=method, params={"method": method, "controller": controller, "target_C": 10.0})
        r.timeseries = {"time_s": np.linspace(0, 600, 7), "temperature_C": np.linspace(-20, 10, 7)}
        cases.append(r)
    path = heating_temperatures(cases, tmp_path / "overlay.png")
    assert path.stat().st_size > 10_000
