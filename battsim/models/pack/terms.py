"""What a heating design contributes to the pack DAE, and what it is given to build it.

The pack model (:mod:`battsim.models.pack.model`) does not know heating methods by name: a
:class:`TripHeating` design carries functions that build the method's power terms and the
controller's command from a :class:`PackHeatingContext`. The heating layer
(:mod:`battsim.heating`) makes the designs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from battsim.models import names
from battsim.models._pybamm import pybamm


def shared_variable(name: str) -> pybamm.Variable:
    """A pack-level variable; the same arguments give the same PyBaMM id in every zone copy."""
    return pybamm.Variable(name, scale=1.0 if name == names.COMMAND else 298.15)


@dataclass
class PackHeatingContext:
    """The pack's symbols a heating design builds on.

    Attributes
    ----------
    model : pybamm.BaseModel
        The merged pack model (zone variables carry the zone prefix).
    zones : tuple of str
    counts : dict
        Zone -> number of cells in it (a PyBaMM parameter).
    command : pybamm.Symbol
        The heating command [-], 0 to 1.
    """

    model: pybamm.BaseModel
    zones: tuple[str, ...]
    counts: dict
    command: pybamm.Symbol

    def zone_sum(self, variable: str) -> pybamm.Symbol:
        """``sum over zones of (cells in zone x the zone cell's variable)``: a pack total."""
        return sum(self.counts[z] * self.model.variables[names.zone_prefix(z) + variable] for z in self.zones)


@dataclass
class HeaterTerms:
    """A heating method's pack power terms [W] and the inputs they read."""

    electric: pybamm.Symbol
    battery: pybamm.Symbol
    grid: pybamm.Symbol
    node: pybamm.Symbol
    losses: pybamm.Symbol
    pumped: pybamm.Symbol
    inputs: frozenset = frozenset()

    @classmethod
    def off(cls) -> "HeaterTerms":
        zero = pybamm.Scalar(0)
        return cls(zero, zero, zero, zero, zero, zero)


@dataclass
class CommandTerms:
    """A controller's pack command and the equations and inputs that define it."""

    command: pybamm.Symbol
    rhs: dict = field(default_factory=dict)
    algebraic: dict = field(default_factory=dict)
    initial_conditions: dict = field(default_factory=dict)
    inputs: frozenset = frozenset()


@dataclass(frozen=True, eq=False)
class TripHeating:
    """How the pack is heated on a trip (built into the pack model once).

    Parameters
    ----------
    key : str
        Identity of the design (method, controller, tables); pack models are cached per key.
    method, controller : str
        Registry names, for messages and results.
    heater_terms : callable
        ``heater_terms(context)`` -> :class:`HeaterTerms`.
    command_terms : callable
        ``command_terms(T_min)`` -> :class:`CommandTerms` (``T_min``: the coldest zone [K]).
    zone_submodel : callable, optional
        ``zone_submodel(param, options, capacity_Ah)`` -> the PyBaMM submodel that puts the
        method's heat inside each zone cell (internal heating); ``None`` for heaters outside
        the cells.
    """

    key: str
    method: str
    controller: str
    heater_terms: Callable
    command_terms: Callable
    zone_submodel: Callable | None = None

    def __hash__(self):
        return hash(self.key)

    def __eq__(self, other):
        return isinstance(other, TripHeating) and other.key == self.key
