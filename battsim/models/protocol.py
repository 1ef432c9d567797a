"""The seams of the model layer: what a model needs of a chemistry, and the cell-model protocol.

**Chemistry.** Models receive the chemistry *object* (resolved once, at the boundary, from
its registry name) and read only what :class:`ChemistryLike` lists; the model layer never
looks a chemistry up by name.

**Cell-model protocol.** A cell model (the DFN and SPMe through :class:`battsim.models.cell.CellModel`,
the pack of zone cells through :class:`battsim.models.pack.PackModel`, and any faster model
that joins them) is built and discretised once, then solved many times:

.. code-block:: python

    model.input_names               # the PyBaMM input parameters a solve needs
    solution = model.solve(inputs, phases)

``phases(solution_so_far)`` is called first with ``None`` and then after each segment; it
returns ``(duration_s, {input: value})`` for the next segment, or ``None`` to stop. A segment
ends at its duration or at a model event (a thermostat threshold, a voltage limit). The
:class:`Solution` holds every series under battsim's names, in SI units, with its unit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from battsim.models.mesh import Mesh


class ChemistryLike(Protocol):
    """What the model layer reads of a chemistry (:class:`battsim.cells.Chemistry` is one)."""

    name: str
    nominal_capacity_Ah: float
    voltage_window_V: tuple[float, float]
    valid_temperature_C: tuple[float, float]
    negative_electrode: str
    critical_current_density_A_per_m2: Callable[[float], float] | None
    cold_plate_contact_m2: float
    mass_kg: float
    mesh: Mesh

    @property
    def model_options(self) -> dict: ...

    def parameter_values(self): ...

    def heat_capacity_J_per_K(self, T_K): ...


@dataclass
class Solution:
    """Time series of one solve (battsim names, SI units), their units, and how it ended.

    Attributes
    ----------
    series : mapping of str to ndarray
        ``time_s`` and every output series of the model.
    units : dict of str
        Unit of each series (pint-readable: ``"A*h"``, ``"W"`` ...).
    termination : str
        PyBaMM's reason the last segment ended (``"final time"``, ``"event: ..."``).
    warnings : list of str
        Reasons the result may be outside what the model and parameters support.
    """

    series: Mapping[str, np.ndarray]
    units: dict[str, str]
    termination: str
    warnings: list[str] = field(default_factory=list)


#: ``phases(solution_so_far)`` -> ``(duration_s, {input: value})`` of the next segment, or ``None``
Phases = Callable[[Solution | None], tuple[float, Mapping[str, float]] | None]


class CellModelProtocol(Protocol):
    """A model built once and solved many times with input parameters (see the module doc)."""

    input_names: tuple[str, ...]

    def solve(self, inputs: Mapping[str, float], phases: Phases) -> Solution: ...


def single_phase(duration_s: float) -> Phases:
    """Phases of one segment of ``duration_s`` [s] with the inputs as given."""

    def phases(solution):
        return (duration_s, {}) if solution is None else None

    return phases
