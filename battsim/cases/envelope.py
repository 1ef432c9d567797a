"""``cell_envelope``: the operating envelope of a cell at one ambient temperature.

The largest constant C-rate the cell sustains, in discharge and in charge, for a pulse of
``envelope.pulse_s`` from ``envelope.soc``, starting at ambient, without leaving:

* its voltage window (the pulse is cut short by a voltage limit);
* for a graphite cell on charge, the plating margin: the negative electrode's potential against
  Li/Li+ at the separator stays at or above ``envelope.plating_margin_V``;
* for a lithium-metal cell, its critical current density: the lithium-interface current density
  stays at or below :math:`CCD(T)` (a current-density limit, known without a solve).

The rate is found by bisection on full DFN solves of the pulse (each within
``envelope.resolution_c_rate`` or 1 %). The limit that stops a higher rate is reported as a
label (``discharge_limit``, ``charge_limit``): one of :data:`LIMITS`.
"""

from __future__ import annotations

import dataclasses
import math
import warnings

import numpy as np

from battsim.cases.outcome import Outcome
from battsim.cases.resolve import cell_conditions, chemistry_of, model_settings
from battsim.config import Config
from battsim.errors import SimulationError, ValidityWarning
from battsim.models.cell import CellConditions, CellModel, get_cell_model
from battsim.models.protocol import single_phase
from battsim.models.soc import electrode_area_m2

#: what stops a higher rate
LIMITS = ("voltage_window", "plating_margin", "critical_current_density", "rate_cap", "no_solution")


def ccd_c_rate(chemistry, T_K: float) -> float:
    """The C-rate at which a lithium-metal cell's interface current density reaches its critical
    current density at ``T_K`` [1/h] (``inf`` without a lithium-metal electrode)."""
    if chemistry.critical_current_density_A_per_m2 is None:
        return math.inf
    return chemistry.critical_current_density_A_per_m2(T_K) * electrode_area_m2(chemistry) \
        / chemistry.nominal_capacity_Ah


def pulse_limit(model: CellModel, conditions: CellConditions, current_A: float, pulse_s: float,
                plating_margin_V: float) -> str | None:
    """The limit a constant-current pulse crosses (``None`` if it stays inside them all).

    ``current_A`` is positive on discharge, negative on charge.
    """
    inputs = model.inputs(dataclasses.replace(conditions, current_A=current_A))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ValidityWarning)  # reported once, for the case
            series = model.solve(inputs, single_phase(pulse_s)).series
    except SimulationError:
        return "no_solution"
    if series["time_s"][-1] < pulse_s * (1 - 1e-6):
        return "voltage_window"
    if current_A < 0 and "anode_potential_V" in series and np.min(series["anode_potential_V"]) < plating_margin_V:
        return "plating_margin"
    return None


def largest_rate(model: CellModel, conditions: CellConditions, sign: int, cfg: Config) -> tuple[float, str]:
    """Largest C-rate [1/h] inside the limits in one direction (``sign`` +1 discharge, -1 charge), and
    the limit that stops a higher one."""
    env, chemistry = cfg.envelope, model.chemistry
    capacity = chemistry.nominal_capacity_Ah
    ccd = ccd_c_rate(chemistry, conditions.ambient_K)
    high = min(env.max_c_rate, ccd)
    ceiling = "critical_current_density" if ccd <= env.max_c_rate else "rate_cap"

    def crossed(rate):
        return pulse_limit(model, conditions, sign * rate * capacity, env.pulse_s, env.plating_margin_V)

    limit = crossed(high)
    if limit is None:
        return high, ceiling
    low = 0.0
    while high - low > max(env.resolution_c_rate, 0.01 * low):
        middle = 0.5 * (low + high)
        found = crossed(middle)
        if found is None:
            low = middle
        else:
            high, limit = middle, found
    return low, limit


def run_envelope(cfg: Config) -> Outcome:
    """Metrics and labels of one ``cell_envelope`` case."""
    chemistry = chemistry_of(cfg)
    model = get_cell_model(chemistry, cfg.cell.model, False,
                           mesh=cfg.solver.mesh(chemistry.mesh), **model_settings(cfg, chemistry))
    conditions = dataclasses.replace(cell_conditions(cfg, chemistry, external_node=False),
                                     initial_soc=cfg.envelope.soc)
    metrics, labels = {}, {}
    for direction, sign in (("discharge", 1), ("charge", -1)):
        rate, limit = largest_rate(model, conditions, sign, cfg)
        metrics[f"max_{direction}_c_rate"] = rate
        labels[f"{direction}_limit"] = limit
    ccd = ccd_c_rate(chemistry, conditions.ambient_K)
    metrics["ccd_c_rate"] = ccd if math.isfinite(ccd) else float("nan")  # no lithium-metal electrode
    reasons = model.validity_warnings(model.inputs(conditions))
    for reason in reasons:
        warnings.warn(reason, ValidityWarning, stacklevel=2)
    return Outcome(metrics, warnings=reasons, labels=labels)
