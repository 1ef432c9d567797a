"""Shared fixtures. PyBaMM models are built once per test session (battsim caches them)."""

import pytest

from battsim.cells import chemistry_names


@pytest.fixture(params=chemistry_names())
def chemistry_name(request):
    """Each registered chemistry in turn."""
    return request.param


def pytest_sessionfinish(session, exitstatus):
    """Never let a run that collected nothing pass for a test run (pytest's exit status 5)."""
    if session.testscollected == 0:
        session.exitstatus = 1
