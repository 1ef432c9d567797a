"""Each chemistry's default mesh is converged where cold matters: within 1 % of a mesh with four
times the points along both particle radii, 1C from -20 degC (validation/mesh_convergence.md
has the whole study, -30 to 25 degC and 0.2C to 3C)."""

import warnings

import pytest

import battsim as bs
from battsim.cells import chemistry_names, get_chemistry
from battsim.errors import ValidityWarning


def _discharge(chemistry: str, mesh: tuple[int, int, int]) -> dict:
    config = {"scenario": {"kind": "cell_discharge"}, "cell": {"chemistry": chemistry},
              "climate": {"ambient_C": -20.0}, "discharge": {"c_rate": 1.0},
              "solver": dict(zip(("electrode_points", "negative_particle_points", "positive_particle_points"), mesh))}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ValidityWarning)
        (result,) = bs.run(config)
    return result.metrics


@pytest.mark.slow
@pytest.mark.parametrize("chemistry", chemistry_names())
def test_default_mesh_is_within_one_percent_of_four_times_the_radial_points(chemistry):
    across, r_n, r_p = get_chemistry(chemistry).mesh_points
    default = _discharge(chemistry, (across, r_n, r_p))
    fine = _discharge(chemistry, (across, 4 * r_n, 4 * r_p))
    assert default["delivered_capacity_Ah"] == pytest.approx(fine["delivered_capacity_Ah"], rel=0.01)
    assert default["end_temperature_C"] + 273.15 == pytest.approx(fine["end_temperature_C"] + 273.15, rel=0.01)


def test_the_lg_m50_default_is_finer_than_pybamms():
    """PyBaMM's 20 points along the graphite radius give 3.35 instead of 4.42 Ah at -20 degC and 1C."""
    across, r_n, r_p = get_chemistry("nmc811-graphite").mesh_points
    assert r_n >= 120 and r_p >= 40
