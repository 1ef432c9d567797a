"""A ``cell_discharge`` case: one cell at a constant C-rate from its initial state of charge to
its lower voltage limit, against the same test at 25 degC."""

from __future__ import annotations

import warnings

from battsim.cases.outcome import Outcome
from battsim.cases.reference import REFERENCES, discharge_reference
from battsim.cases.resolve import cell_conditions, chemistry_of, model_settings
from battsim.config import Config
from battsim.errors import ValidityWarning
from battsim.metrics import cell_discharge_metrics
from battsim.models.cell import get_cell_model
from battsim.models.mesh import Mesh
from battsim.models.protocol import Solution, single_phase
from battsim.units import SECONDS_PER_HOUR

#: a discharge is given this many times its nominal duration before it is cut [-]
DURATION_MARGIN = 1.25


def solve_discharge(cfg: Config) -> Solution:
    """Solve the discharge of a ``cell_discharge`` config."""
    chemistry = chemistry_of(cfg)
    model = get_cell_model(chemistry, cfg.cell.model, cfg.thermal.external_node,
                           mesh=case_mesh(cfg, chemistry), **model_settings(cfg, chemistry))
    duration_s = DURATION_MARGIN * SECONDS_PER_HOUR / cfg.discharge.c_rate
    return model.solve(model.inputs(cell_conditions(cfg, chemistry)), single_phase(duration_s))


def run_discharge(cfg: Config) -> Outcome:
    """Metrics and series of a discharge (the 25 degC reference from the process cache)."""
    solution = solve_discharge(cfg)
    reference = discharge_reference(cfg)

    def reference_capacity():
        ref = solution if reference == cfg else solve_discharge(reference)
        return {"capacity_Ah": float(ref.series["discharge_capacity_Ah"][-1])}

    capacity_25C = REFERENCES.get(reference, reference_capacity)["capacity_Ah"]
    chemistry = chemistry_of(cfg)
    metrics = cell_discharge_metrics(solution.series, capacity_25C, chemistry.critical_current_density_A_per_m2)
    outcome = Outcome(metrics, termination=solution.termination, warnings=list(solution.warnings)).store(solution)
    outcome.warnings += mesh_warnings(cfg, chemistry)
    return outcome


def case_mesh(cfg: Config, chemistry) -> Mesh:
    """The mesh of a cell test: the chemistry's for its condition and start temperature
    (``Chemistry.mesh_for``), with the config's ``[solver]`` settings over it."""
    return cfg.solver.mesh(chemistry.mesh_for(*_test_condition(cfg)))


def _test_condition(cfg: Config) -> tuple[str, float, float]:
    """(condition, start temperature [degC], C-rate [1/h]): what a cell test's mesh depends on."""
    return cfg.thermal.condition, cfg.cell.initial_temperature_C, cfg.discharge.c_rate


def mesh_warnings(cfg: Config, chemistry) -> list[str]:
    """A validity warning for a cell test colder than where its mesh is shown converged (a mesh finer
    than the chemistry's in every direction is the user's own study: no warning)."""
    converged = chemistry.mesh_for(*_test_condition(cfg))
    if case_mesh(cfg, chemistry).finer_everywhere(converged):
        return []
    reason = chemistry.mesh_converged_below(*_test_condition(cfg))
    if reason is None:
        return []
    warnings.warn(reason, ValidityWarning, stacklevel=2)
    return [reason]
