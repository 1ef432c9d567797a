"""Shared fixtures. PyBaMM models are built once per test session (battsim caches them)."""

import pytest

from battsim.cells import chemistry_names


@pytest.fixture(params=chemistry_names())
def chemistry_name(request):
    """Each registered chemistry in turn."""
    return request.param


@pytest.fixture
def assert_energy_accounting_closes():
    """Checks that a trip's battery energy out = traction (battery side) + auxiliaries + cabin +
    battery heating + braking energy the cold battery could not take back, within 1 %."""

    def check(metrics):
        parts = (metrics["traction_energy_kWh"] + metrics["aux_energy_kWh"] + metrics["cabin_energy_kWh"]
                 + metrics["heating_energy_battery_kWh"] + metrics["regen_not_accepted_kWh"])
        assert parts == pytest.approx(metrics["drive_battery_energy_kWh"], rel=1e-2)

    return check


def pytest_sessionfinish(session, exitstatus):
    """Never let a run that collected nothing pass for a test run (pytest's exit status 5)."""
    if session.testscollected == 0:
        session.exitstatus = 1
