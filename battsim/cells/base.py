"""What battsim knows about a cell chemistry: its parameter set, its facts and its limits."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from battsim.models._pybamm import pybamm
from battsim.models.cell import DEFAULT_MESH
from battsim.models.mesh import Mesh
from battsim.models.names import CELL_HEAT_CAPACITY
from battsim.units import GAS_CONSTANT_J_PER_MOLK, celsius_to_kelvin

GAS_CONSTANT = GAS_CONSTANT_J_PER_MOLK  # [J.mol-1.K-1]


@dataclass(frozen=True)
class Reference:
    """A source: what it gives and where to find it (DOI or URL)."""

    what: str
    doi_or_url: str


@dataclass(frozen=True)
class SolidElectrolyte:
    """An Arrhenius solid electrolyte: :math:`\\sigma(T) = \\sigma_{25}\\exp(-E_a/R\\,(1/T - 1/T_{25}))`.

    Parameters
    ----------
    material : str
        Name of the material.
    conductivity_25C_S_per_m : float
        Ionic conductivity at 25 degC [S.m-1].
    activation_energy_J_per_mol : float
        Activation energy of ionic conduction [J.mol-1].
    """

    material: str
    conductivity_25C_S_per_m: float
    activation_energy_J_per_mol: float

    def conductivity_S_per_m(self, T_K):
        """Ionic conductivity [S.m-1] at temperature ``T_K`` [K] (numbers or PyBaMM symbols)."""
        return self.conductivity_25C_S_per_m * np.exp(
            -self.activation_energy_J_per_mol / GAS_CONSTANT * (1 / T_K - 1 / 298.15)
        )


@dataclass(frozen=True)
class Chemistry:
    """A cell chemistry: a PyBaMM parameter set plus the facts an engineer asks for.

    Parameters
    ----------
    name : str
        Registry name, e.g. ``"nmc811-graphite"``.
    summary : str
        One line: cell and parameter source.
    cell_format : str
        Format of the cell, e.g. ``"cylindrical 21700"``.
    nominal_capacity_Ah : float
        Nominal capacity [A.h]; the 1C current is this value in amperes.
    voltage_window_V : tuple of float
        Lower and upper voltage limits [V].
    mass_kg : float
        Cell mass [kg].
    valid_temperature_C : tuple of float
        Temperature range the parameter set is meant for [degC]; outside it battsim warns.
    negative_electrode : {"graphite", "lithium metal"}
        Lithium-metal cells are modelled with PyBaMM's half-cell DFN.
    electrolyte : str
        Electrolyte description.
    parameter_values : callable
        Returns a fresh :class:`pybamm.ParameterValues` (callers may change it).
    references : tuple of Reference
        Where every value that is not PyBaMM's own comes from.
    notes : str
        Derivations and caveats.
    solid_electrolyte : SolidElectrolyte, optional
        The Arrhenius law of a solid electrolyte, for solid-state cells.
    critical_current_density_A_per_m2 : callable, optional
        Critical current density [A.m-2] as a function of temperature [K]: the lithium
        dendrite limit of a lithium-metal cell.
    cold_plate_contact_m2 : float
        Area of the cell that rests on a pack's cooling plate [m2]: the end face of a
        cylindrical cell, one face of a pouch (from the cell dimensions).
    contact_resistance_Ohm : float
        Series resistance the electrochemical model lacks [Ohm] (current collectors, tabs,
        welds, can): the cell's measured high-frequency resistance less the DFN's own. Above
        zero it switches on PyBaMM's ``"contact resistance"`` option (its Joule heat is in
        the lumped heat balance and in the impedance behind AC heating) and sets
        ``"Contact resistance [Ohm]"``.
    mesh : Mesh
        The default finite-volume mesh (across each electrode and the separator, along the
        negative and the positive particle radius): the cheapest one the convergence study
        (``python -m battsim.studies.convergence``, ``validation/mesh_convergence.md``) shows
        within 0.5 % of a much finer mesh over the chemistry's valid range; a coarser mesh
        carries a validity warning.
    mesh_converged_down_to_C : tuple of (str, float)
        Per cell-test condition (``thermal.condition``), the coldest start temperature [degC] at
        which the study shows ``mesh`` converged.
    cold_mesh : Mesh, optional
        The finer mesh a cell test colder than that uses (``mesh_for``): what the cold study
        (``--cold``, ``validation/mesh_convergence_cold.md``) shows converged there.
    cold_mesh_converged_down_to_C : tuple of (str, float)
        Per condition, the coldest start temperature [degC] at which ``cold_mesh`` is shown
        converged; a colder cell test warns.
    cold_mesh_above_c_rate : float
        The cold mesh serves only discharges faster than this [1/h]: slower ones are shown
        converged on the default mesh (their gradients are gentler) down to the cold mesh's limit.
    """

    name: str
    summary: str
    cell_format: str
    nominal_capacity_Ah: float
    voltage_window_V: tuple[float, float]
    mass_kg: float
    valid_temperature_C: tuple[float, float]
    negative_electrode: Literal["graphite", "lithium metal"]
    electrolyte: str
    parameter_values: Callable[[], pybamm.ParameterValues] = field(repr=False)
    references: tuple[Reference, ...] = ()
    notes: str = ""
    solid_electrolyte: SolidElectrolyte | None = None
    critical_current_density_A_per_m2: Callable[[float], float] | None = field(
        default=None, repr=False
    )
    cold_plate_contact_m2: float = 0.0
    contact_resistance_Ohm: float = 0.0
    mesh: Mesh = DEFAULT_MESH
    mesh_converged_down_to_C: tuple[tuple[str, float], ...] = ()
    cold_mesh: Mesh | None = None
    cold_mesh_converged_down_to_C: tuple[tuple[str, float], ...] = ()
    cold_mesh_above_c_rate: float = 0.0

    def _uses_cold_mesh(self, condition: str, T_C: float, c_rate: float) -> bool:
        limit = dict(self.mesh_converged_down_to_C).get(condition)
        return (self.cold_mesh is not None and limit is not None and T_C < limit
                and c_rate > self.cold_mesh_above_c_rate and condition in dict(self.cold_mesh_converged_down_to_C))

    def mesh_for(self, condition: str, T_C: float, c_rate: float = math.inf) -> Mesh:
        """The mesh of a cell test in ``condition`` starting at ``T_C`` [degC] at ``c_rate`` [1/h]: the
        default, or the cold mesh where the default is not shown converged and the cold one is declared."""
        return self.cold_mesh if self._uses_cold_mesh(condition, T_C, c_rate) else self.mesh

    def mesh_converged_below(self, condition: str, T_C: float, c_rate: float = math.inf) -> str | None:
        """A reason if a cell test in ``condition`` starting at ``T_C`` [degC] is colder than where its
        mesh (``mesh_for``) is shown converged (``None`` if it is not)."""
        cold_limits = dict(self.cold_mesh_converged_down_to_C)
        # the cold study covers the cold mesh and, as far down, a discharge slow enough for the default
        covered = self._uses_cold_mesh(condition, T_C, c_rate) or c_rate <= self.cold_mesh_above_c_rate
        limit = cold_limits[condition] if condition in cold_limits and covered else \
            dict(self.mesh_converged_down_to_C).get(condition)
        if limit is None or T_C >= limit:
            return None
        mesh = self.mesh_for(condition, T_C, c_rate)
        return (f"the '{self.name}' mesh {mesh.label} is shown converged in the {condition} "
                f"condition only down to {limit:g} degC, not at {T_C:g} degC (validation/mesh_convergence.md): "
                "treat the numbers as indicative, or refine the mesh with the [solver] settings")

    @property
    def model_options(self) -> dict:
        """PyBaMM model options this chemistry needs (a lithium-metal cell is a half-cell; a
        contact resistance switches on PyBaMM's option of that name)."""
        options = {}
        if self.negative_electrode == "lithium metal":
            options["working electrode"] = "positive"
        if self.contact_resistance_Ohm > 0:
            options["contact resistance"] = "true"
        return options

    def heat_capacity_J_per_K(self, T_K):
        """Whole-cell heat capacity :math:`m\\,c_p` [J.K-1] at temperature ``T_K`` [K].

        Evaluates the chemistry's ``"Cell heat capacity [J.K-1]"`` exactly as the model
        does; accepts a number or an array.
        """
        T = np.asarray(T_K, dtype=float)
        values = np.array([float(self._heat_capacity_symbol.evaluate(inputs={"T": Ti}))
                           for Ti in T.ravel()]).reshape(T.shape)
        return float(values) if values.ndim == 0 else values

    @functools.cached_property
    def _heat_capacity_symbol(self):
        symbol = pybamm.FunctionParameter(CELL_HEAT_CAPACITY, {"Temperature [K]": pybamm.InputParameter("T")})
        return self.parameter_values().process_symbol(symbol)

    def specific_heat_J_per_kgK(self, T_C: float = 25.0) -> float:
        """Mass-specific heat capacity [J.kg-1.K-1] at ``T_C`` [degC]."""
        return self.heat_capacity_J_per_K(celsius_to_kelvin(T_C)) / self.mass_kg

    def facts(self) -> dict:
        """The documented facts, for ``battsim chemistries`` and the README."""
        facts = {
            "name": self.name,
            "summary": self.summary,
            "cell_format": self.cell_format,
            "nominal_capacity_Ah": self.nominal_capacity_Ah,
            "voltage_min_V": self.voltage_window_V[0],
            "voltage_max_V": self.voltage_window_V[1],
            "mass_kg": self.mass_kg,
            "specific_heat_25C_J_per_kgK": self.specific_heat_J_per_kgK(25.0),
            "valid_min_C": self.valid_temperature_C[0],
            "valid_max_C": self.valid_temperature_C[1],
            "negative_electrode": self.negative_electrode,
            "electrolyte": self.electrolyte,
            "references": [f"{r.what} ({r.doi_or_url})" for r in self.references],
            "notes": self.notes,
            "mesh_points": self.mesh.label,
            "mesh_converged_down_to_C": dict(self.mesh_converged_down_to_C),
            "contact_resistance_Ohm": self.contact_resistance_Ohm,
        }
        if self.cold_mesh is not None:
            facts["cold_mesh_points"] = self.cold_mesh.label
            facts["cold_mesh_converged_down_to_C"] = dict(self.cold_mesh_converged_down_to_C)
        if self.critical_current_density_A_per_m2 is not None:
            facts["critical_current_density_25C_A_per_m2"] = self.critical_current_density_A_per_m2(298.15)
            facts["critical_current_density_m20C_A_per_m2"] = self.critical_current_density_A_per_m2(253.15)
        return facts
