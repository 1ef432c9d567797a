"""Each chemistry's default mesh is converged where cold matters: within 1 % of a mesh with four
times the points along both particle radii, 1C from -20 degC (validation/mesh_convergence.md
has the whole study, -30 to 25 degC and 0.2C to 3C), and so is a cold mesh where a chemistry
declares one (validation/mesh_convergence_cold.md; the LG M50's is pinned against the study's
finest mesh in tests/test_cli.py's quick start)."""

import dataclasses
import warnings

import pytest

import battsim as bs
from battsim.cells import chemistry_names, get_chemistry
from battsim.errors import ValidityWarning
from battsim.models.mesh import Mesh


def _discharge(chemistry: str, mesh, extra: dict | None = None) -> dict:
    """1C from -20 degC on ``mesh`` (a Mesh, a point triple, or None: the case's own mesh)."""
    solver = {} if mesh is None else Mesh.of(mesh).solver_settings()
    config = {"scenario": {"kind": "cell_discharge"}, "cell": {"chemistry": chemistry},
              "climate": {"ambient_C": -20.0}, "discharge": {"c_rate": 1.0}, "solver": solver, **(extra or {})}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ValidityWarning)
        (result,) = bs.run(config)
    return result.metrics


@pytest.mark.slow
@pytest.mark.parametrize("chemistry", chemistry_names())
def test_default_mesh_is_within_one_percent_of_four_times_the_radial_points(chemistry):
    mesh = get_chemistry(chemistry).mesh
    across, r_n, r_p = mesh.across, mesh.r_negative, mesh.r_positive
    default = _discharge(chemistry, (across, r_n, r_p))
    fine = _discharge(chemistry, (across, 4 * r_n, 4 * r_p))
    assert default["delivered_capacity_Ah"] == pytest.approx(fine["delivered_capacity_Ah"], rel=0.01)
    assert default["end_temperature_C"] + 273.15 == pytest.approx(fine["end_temperature_C"] + 273.15, rel=0.01)


def test_the_lg_m50_default_is_finer_than_pybamms():
    """PyBaMM's 20 points along the graphite radius give 3.35 instead of 4.42 Ah at -20 degC and 1C."""
    mesh = get_chemistry("nmc811-graphite").mesh
    assert mesh.r_negative >= 120 and mesh.r_positive >= 40


@pytest.mark.slow
def test_the_power_cells_cold_mesh_is_within_one_percent_of_four_times_its_points():
    """Held at -20 degC in the chamber, 1C: the cold mesh (60 points clustered at the particle surface)
    against four times its points along both radii and across (validation/mesh_convergence_cold.md)."""
    cold = get_chemistry("nco-graphite-power").cold_mesh
    fine = dataclasses.replace(cold, across=4 * cold.across, r_negative=4 * cold.r_negative,
                               r_positive=4 * cold.r_positive)
    chamber = {"thermal": {"condition": "thermal-chamber"}}
    default = _discharge("nco-graphite-power", None, chamber)
    refined = _discharge("nco-graphite-power", fine, chamber)
    assert default["delivered_capacity_Ah"] == pytest.approx(refined["delivered_capacity_Ah"], rel=0.01)
    assert default["end_temperature_C"] + 273.15 == pytest.approx(refined["end_temperature_C"] + 273.15, rel=0.01)
