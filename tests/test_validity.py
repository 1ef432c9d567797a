"""A model used where it loses validity says so, in the result: during the run (not only at its
start) and for a mesh coarser than the one battsim's tests pin."""

import warnings

import pytest

import battsim as bs
from battsim.errors import ValidityWarning

BASE = {"scenario": {"kind": "cell_discharge"}, "cell": {"chemistry": "lfp-graphite"},
        "climate": {"ambient_C": 25.0}, "discharge": {"c_rate": 2.0}}


def _run(**sets):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ValidityWarning)
        (result,) = bs.run(BASE, set=sets)
    return result, [str(w.message) for w in caught if issubclass(w.category, ValidityWarning)]


def test_a_cell_that_heats_out_of_its_range_during_the_run_warns():
    # 25 degC is inside the LFP set's -20..45 degC; a 20 W heat source inside the cell takes it past 45
    result, caught = _run(**{"thermal.internal_heat_W": 20.0})
    assert result.metrics["max_temperature_C"] > 45
    assert any("during the run" in w and "lfp-graphite" in w for w in result.warnings)
    assert any("during the run" in w for w in caught)


def test_a_run_inside_its_range_does_not_warn():
    result, caught = _run()
    assert result.metrics["max_temperature_C"] < 45
    assert result.warnings == [] and caught == []


def test_a_coarse_mesh_warns():
    result, _ = _run(**{"solver.electrode_points": 5})
    assert any("coarser" in w and "(5, 20, 20)" in w for w in result.warnings)


@pytest.mark.parametrize("model", ["SPMe", "SPM"])
def test_reduced_models_warn_in_the_cold(model):
    result, _ = _run(**{"cell.model": model, "climate.ambient_C": -5.0, "cell.chemistry": "nmc811-graphite"})
    assert any("loses validity below 0 degC" in w for w in result.warnings)
