"""The finite-volume mesh: its settings, its PyBaMM form, and which mesh a cell test gets."""

import warnings

import pytest

from battsim import config
from battsim.cases.discharge import case_mesh
from battsim.cells import get_chemistry
from battsim.errors import ConfigError, ValidityWarning
from battsim.models._pybamm import pybamm
from battsim.models.cell import CellConditions, CellModel, submesh_types
from battsim.models.mesh import Mesh
from battsim.models.protocol import single_phase

COLD = Mesh(10, 240, 40, negative_across=40, particle_stretch=2.0)


def test_a_mesh_from_points_and_its_label():
    assert Mesh.of((10, 120, 40)) == Mesh(10, 120, 40)
    assert Mesh.of((10, 40)) == Mesh(10, 40, 40)
    assert Mesh.of(COLD) is COLD
    assert COLD.counts == (40, 10, 240, 40)
    assert COLD.label == "10/240/40, 40 across the negative electrode, particles stretched 2"


def test_coarser_means_fewer_points_somewhere_or_dropping_the_surface_clustering():
    assert Mesh(10, 60, 40).coarser_than(Mesh(10, 120, 40))
    assert not COLD.coarser_than(Mesh(10, 120, 40))  # clustering added, no fewer points
    assert Mesh(40, 240, 40).coarser_than(COLD)  # the same points, spaced evenly
    assert Mesh(10, 240, 40, 20, 2.0).coarser_than(COLD)
    assert Mesh(20, 480, 80, 80, 2.0).finer_everywhere(COLD) and not COLD.finer_everywhere(COLD)


def test_var_pts_and_the_clustered_particle_submesh():
    model = pybamm.lithium_ion.DFN({"thermal": "lumped"})
    var_pts = COLD.var_pts(model.default_var_pts)
    assert (var_pts["x_n"], var_pts["x_s"], var_pts["x_p"], var_pts["r_n"], var_pts["r_p"]) == (40, 10, 10, 240, 40)
    submeshes = submesh_types(model, COLD)
    assert submeshes["negative particle"].submesh_type is pybamm.Exponential1DSubMesh
    assert submeshes["negative particle"].submesh_params == {"side": "right", "stretch": 2.0}
    assert submesh_types(model, Mesh(10, 40, 40)) == dict(model.default_submesh_types)


def test_a_lithium_metal_half_cell_builds_on_a_clustered_mesh():
    """It has no negative particle: the clustered submesh applies to the positive one only."""
    solid = get_chemistry("solid-state-li-metal")
    model = CellModel(solid, mesh=Mesh(5, 10, 10, particle_stretch=2.0))
    conditions = CellConditions(current_A=solid.nominal_capacity_Ah, ambient_K=298.15, initial_temperature_K=298.15)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ValidityWarning)  # a coarse mesh on purpose: the test is that it builds
        solution = model.solve(model.inputs(conditions), single_phase(60.0))
    assert solution.series["voltage_V"][-1] > 3.0


def test_the_cold_mesh_is_used_only_where_the_default_is_not_shown_converged():
    lg = get_chemistry("nmc811-graphite")
    assert lg.mesh_for("thermal-chamber", -20.0) == lg.cold_mesh
    assert lg.mesh_for("thermal-chamber", -10.0) == lg.mesh
    assert lg.mesh_for("still-air", -20.0) == lg.mesh
    assert lg.mesh_for("thermal-chamber", -20.0, 0.3) == lg.mesh  # slow enough for the default (4.564 / 4.566 Ah)
    assert lg.mesh_for("thermal-chamber", -20.0, 1.0) == lg.cold_mesh
    assert lg.mesh_converged_below("thermal-chamber", -20.0) is None
    assert "only down to -20 degC" in lg.mesh_converged_below("thermal-chamber", -25.0)
    assert lg.mesh_converged_below("thermal-chamber", -20.0, 0.3) is None  # the default, shown converged at 0.3C
    assert "only down to -20 degC" in lg.mesh_converged_below("thermal-chamber", -25.0, 0.3)
    assert "only down to -20 degC" in get_chemistry("lfp-graphite").mesh_converged_below("thermal-chamber", -30.0)
    lfp = get_chemistry("lfp-graphite")
    assert lfp.cold_mesh is None and lfp.mesh_for("thermal-chamber", -30.0) == lfp.mesh


def _case(**solver) -> config.Config:
    (case,) = config.expand({"scenario": {"kind": "cell_discharge"}, "cell": {"chemistry": "nmc811-graphite"},
                             "climate": {"ambient_C": -20.0}, "thermal": {"condition": "thermal-chamber"},
                             "solver": solver})
    return case.config


def test_solver_settings_override_the_cases_mesh():
    lg = get_chemistry("nmc811-graphite")
    assert case_mesh(_case(), lg) == lg.cold_mesh
    # electrode_points alone sets every region across
    assert case_mesh(_case(electrode_points=20), lg) == Mesh(20, 240, 40, particle_stretch=2.0)
    assert case_mesh(_case(negative_electrode_points=60, particle_stretch=0), lg) == Mesh(10, 240, 40, 60)
    assert case_mesh(_case(**COLD.solver_settings()), lg) == COLD


def test_a_bad_stretch_is_a_clear_error():
    with pytest.raises(ConfigError, match=r"solver.particle_stretch.*-1.*>= 0"):
        _case(particle_stretch=-1)
