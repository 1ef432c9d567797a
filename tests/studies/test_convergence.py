"""The mesh-convergence study: its verdict logic, and the cold numerics it exists to expose."""

import math

import pytest

from battsim.models.mesh import Mesh
from battsim.studies import convergence
from battsim.studies.convergence import Row, converged_mesh, markdown


def _rows(capacities):
    meshes = [(10, 20 * 2**k, 20 * 2**k) for k in range(len(capacities))]
    finest = capacities[-1]
    return [Row("nmc811-graphite", -20.0, 1.0, m, {"delivered_capacity_Ah": q, "end_temperature_C": 0.0,
                                     "min_anode_potential_V": 0.1},
                abs(q - finest) / finest) for m, q in zip(meshes, capacities)]


def test_the_converged_mesh_is_the_first_within_tolerance_of_the_finest():
    assert converged_mesh(_rows([3.35, 4.21, 4.40, 4.42, 4.423])) == Mesh(10, 160, 160)
    assert converged_mesh(_rows([3.35, 4.21])) is None  # only the finest: nothing shown converged
    assert converged_mesh(_rows([4.0, 4.0, 4.0])) == Mesh(10, 20, 20)


def test_the_report_names_the_converged_mesh():
    text = markdown([_rows([3.35, 4.40, 4.42])])
    assert "| nmc811-graphite | still-air | -20 | 1 | 3.35 | 4.4 | 4.42 | 10/40/40 |" in text


@pytest.mark.slow
def test_refining_the_particles_raises_the_cold_capacity_of_the_lg_m50():
    """At -20 degC the LG M50's graphite lithiation front needs fine particle meshes: the
    delivered capacity rises with the radial points and settles (3.2 -> 4.2 -> 4.4 Ah)."""
    rows = convergence.run_condition("nmc811-graphite", -20.0, 1.0, ((10, 20, 20), (10, 40, 40), (10, 80, 80)))
    capacities = [r.values["delivered_capacity_Ah"] for r in rows]
    assert capacities[0] < capacities[1] < capacities[2]
    assert capacities[2] - capacities[1] < 0.5 * (capacities[1] - capacities[0])  # converging
    assert all(math.isfinite(r.change) for r in rows) and rows[-1].change == 0.0
