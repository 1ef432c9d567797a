"""A model used where it loses validity says so, in the result: during the run (not only at its
start) and for a mesh coarser than the chemistry's converged one."""

import warnings

import pytest

import battsim as bs
from battsim.cases.resolve import chemistry_of
from battsim.config import expand
from battsim.errors import ValidityWarning
from battsim.models.cell import start_validity

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
    assert any("coarser" in w and "mesh 5/40/40 " in w and "'lfp-graphite'" in w for w in result.warnings)


def test_the_mesh_warning_is_against_the_chemistrys_converged_mesh():
    """40 points along each radius are converged for the LFP cell, not for the LG M50 (which needs 120
    along its graphite radius at -20 degC: validation/mesh_convergence.md)."""
    lfp, _ = _run(**{"solver.particle_points": 40})
    assert not any("coarser" in w for w in lfp.warnings)
    (case,) = expand({**BASE, "cell": {"chemistry": "nmc811-graphite"}, "solver": {"particle_points": 40}})
    chemistry = chemistry_of(case.config)
    reasons = start_validity(chemistry, "DFN", case.config.solver.mesh(chemistry.mesh), 298.15, 298.15)
    assert any("coarser than 10/120/40," in r for r in reasons)


@pytest.mark.parametrize("model", ["SPMe", "SPM"])
def test_reduced_models_warn_in_the_cold(model):
    result, _ = _run(**{"cell.model": model, "climate.ambient_C": -5.0, "cell.chemistry": "nmc811-graphite"})
    assert any("loses validity below 0 degC" in w for w in result.warnings)


def test_a_cell_test_colder_than_its_mesh_is_shown_converged_warns():
    """The LFP cell's mesh is shown converged in the thermal chamber down to -20 degC: at -30 it warns,
    in still air it does not (validation/mesh_convergence.md)."""
    chamber, _ = _run(**{"climate.ambient_C": -30.0, "thermal.condition": "thermal-chamber", "discharge.c_rate": 1.0})
    assert any("shown converged in the thermal-chamber condition only down to -20 degC" in w for w in chamber.warnings)
    air, _ = _run(**{"climate.ambient_C": -20.0, "discharge.c_rate": 1.0})
    assert not any("shown converged" in w for w in air.warnings)
