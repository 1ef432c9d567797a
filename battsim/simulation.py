"""The adapter between battsim and PyBaMM: build a cell model once, solve it many times.

A :class:`CellModel` is built and discretised once per (chemistry, model, external node);
everything that varies between cases (ambient and initial temperature, current, heat source,
heat-transfer coefficient, initial state of charge, external-node properties) is a PyBaMM
``"[input]"`` parameter, so a sweep over them never rebuilds. :func:`get_cell_model` keeps
one instance per key for the life of the process.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from battsim._pybamm import pybamm
from battsim.cells import Chemistry, get_chemistry
from battsim.errors import SimulationError, ValidityWarning
from battsim.thermal.submodels import (
    HEAT_CAPACITY_SCALE,
    INTERNAL_HEAT_SOURCE,
    NODE_CONDUCTANCE,
    NODE_HEAT_CAPACITY,
    NODE_HEATER_POWER,
    NODE_INITIAL_TEMPERATURE,
    ExternalNode,
    ExternalNodeHeater,
    InternalHeatSource,
    LumpedCellThermal,
)
from battsim.units import kelvin_to_celsius

MODELS = {"DFN": pybamm.lithium_ion.DFN, "SPMe": pybamm.lithium_ion.SPMe, "SPM": pybamm.lithium_ion.SPM}

#: reduced-order models lose validity below this cell temperature [K]
REDUCED_MODEL_MIN_K = 273.15
#: finite-volume points (across each electrode and the separator, along each particle radius):
#: PyBaMM's DFN default
DEFAULT_MESH_POINTS = (20, 20)

_AMBIENT = "Ambient temperature [K]"
_INITIAL_T = "Initial temperature [K]"
_CURRENT = "Current function [A]"
_H = "Total heat transfer coefficient [W.m-2.K-1]"
_C_N0 = "Initial concentration in negative electrode [mol.m-3]"
_C_P0 = "Initial concentration in positive electrode [mol.m-3]"


@dataclass(frozen=True)
class ExternalNodeConditions:
    """An external thermal node around the cell.

    Parameters
    ----------
    heat_capacity_J_per_K : float
        Node heat capacity [J.K-1].
    conductance_to_ambient_W_per_K : float
        Thermal conductance from the node to ambient [W.K-1].
    heater_W : float
        Heater power delivered into the node [W].
    initial_temperature_K : float
        Node temperature at t = 0 [K].
    """

    heat_capacity_J_per_K: float
    conductance_to_ambient_W_per_K: float
    heater_W: float
    initial_temperature_K: float


@dataclass(frozen=True)
class CellConditions:
    """What one solve of a cell model is asked to do.

    Parameters
    ----------
    duration_s : float
        Longest simulated time [s]; the solve stops earlier at a voltage or state limit.
    current_A : float
        Constant cell current [A], positive on discharge; 0 for rest.
    ambient_K : float
        Ambient temperature [K].
    initial_temperature_K : float
        Cell temperature at t = 0 [K].
    initial_soc : float
        State of charge at t = 0 [-], 0 to 1.
    h_W_per_m2K : float
        Heat-transfer coefficient from the cell surface [W.m-2.K-1].
    internal_heat_W : float
        Extra heat released inside the cell [W].
    node : ExternalNodeConditions, optional
        Required exactly when the model was built with an external node.
    heat_capacity_scale : float
        Multiplier on the chemistry's cell heat capacity [-].
    extra_inputs : tuple of (name, value)
        Inputs of a heating design.
    """

    duration_s: float
    current_A: float
    ambient_K: float
    initial_temperature_K: float
    initial_soc: float = 1.0
    h_W_per_m2K: float = 10.0
    internal_heat_W: float = 0.0
    node: ExternalNodeConditions | None = None
    heat_capacity_scale: float = 1.0
    extra_inputs: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True, eq=False)
class HeatingDesign:
    """What a heating method and its controller build into a cell model.

    Parameters
    ----------
    key : str
        Identity of the design (method, controller, and a hash of any tables); models
        are cached per key.
    method : callable
        ``method(param, options)`` -> the PyBaMM submodel defining the heating powers.
    controller : callable
        ``controller(param, options)`` -> the PyBaMM submodel defining the heating command.
    inputs : tuple of str
        PyBaMM input parameters the design adds (set per case through
        ``CellConditions.extra_inputs``).
    series : dict
        Extra time series: battsim name -> (PyBaMM variable, unit).
    voltage_limits : bool
        Whether the voltage window ends the solve; a cell discharging through its own
        heating foil is a resistor load and runs below it (reported, not stopped).
    """

    key: str
    method: Callable
    controller: Callable
    inputs: tuple[str, ...]
    series: dict = field(default_factory=dict)
    voltage_limits: bool = True

    def __hash__(self):
        return hash(self.key)

    def __eq__(self, other):
        return isinstance(other, HeatingDesign) and other.key == self.key


@dataclass
class CellSolution:
    """Time series of one solve, SI units, plus how it ended.

    ``series`` maps battsim time-series names (see :data:`TIMESERIES_UNITS`) to arrays.
    """

    series: dict[str, np.ndarray]
    termination: str
    warnings: list[str]
    units: dict[str, str] = field(default_factory=dict)


#: battsim time-series name -> (PyBaMM variable, units of the stored series)
_SERIES = {
    "time_s": ("Time [s]", "s"),
    "voltage_V": ("Voltage [V]", "V"),
    "current_A": ("Current [A]", "A"),
    "discharge_capacity_Ah": ("Discharge capacity [A.h]", "A.h"),
    "discharge_energy_Wh": ("Discharge energy [W.h]", "W.h"),
    "temperature_K": ("Volume-averaged cell temperature [K]", "K"),
    "ambient_K": ("Volume-averaged ambient temperature [K]", "K"),
    "electrochemical_heat_W": ("Total heating [W]", "W"),
    "internal_heat_W": (INTERNAL_HEAT_SOURCE, "W"),
    "heat_from_surface_W": ("Heat from cell surface [W]", "W"),
    "cumulative_electrochemical_heat_J": ("Cumulative electrochemical heat [J]", "J"),
    "cumulative_internal_heat_J": ("Cumulative internal heat source [J]", "J"),
    "cumulative_heat_from_surface_J": ("Cumulative heat from cell surface [J]", "J"),
    "cell_heat_capacity_J_per_K": ("Cell heat capacity [J.K-1]", "J.K-1"),
}
_SERIES_GRAPHITE = {
    "anode_potential_V": ("Negative electrode surface potential difference at separator interface [V]", "V"),
}
_SERIES_LITHIUM_METAL = {
    "lithium_interface_current_density_A_per_m2": ("Lithium metal total interfacial current density [A.m-2]", "A.m-2"),
}
_SERIES_HEATING = {
    "heating_command": ("Heating command", "1"),
    "heater_electrical_power_W": ("Heater electrical power [W]", "W"),
    "heating_power_from_battery_W": ("Heating power from battery [W]", "W"),
    "heating_power_from_grid_W": ("Heating power from grid [W]", "W"),
    "cumulative_heating_grid_J": ("Cumulative heating energy from grid [J]", "J"),
    "cumulative_heating_battery_J": ("Cumulative heating energy from battery [J]", "J"),
    "cumulative_heating_losses_J": ("Cumulative heating losses [J]", "J"),
    "cumulative_heat_pumped_J": ("Cumulative heat pumped from ambient [J]", "J"),
}
_SERIES_NODE = {
    "node_temperature_K": ("External node temperature [K]", "K"),
    "node_heater_W": ("External node heater power [W]", "W"),
    "node_heat_to_ambient_W": ("External node heat to ambient [W]", "W"),
    "cumulative_node_heater_J": ("Cumulative external node heater energy [J]", "J"),
    "cumulative_node_heat_to_ambient_J": ("Cumulative external node heat to ambient [J]", "J"),
}

#: units of every time series a :class:`CellSolution` can hold
TIMESERIES_UNITS = {
    name: unit
    for table in (_SERIES, _SERIES_GRAPHITE, _SERIES_LITHIUM_METAL, _SERIES_NODE, _SERIES_HEATING)
    for name, (_, unit) in table.items()
}


class CellModel:
    """A PyBaMM cell model of one chemistry, built and discretised once.

    Parameters
    ----------
    chemistry : Chemistry
        The cell.
    model : {"DFN", "SPMe", "SPM"}
        PyBaMM model; the DFN is the default and the only one valid in the cold.
    external_node : bool
        Couple the cell surface to an external thermal node instead of to ambient.
    rtol, atol : float
        IDAKLU solver tolerances.
    mesh_points : (int, int)
        Finite-volume points across each electrode and the separator, and along each particle radius.
    """

    def __init__(self, chemistry: Chemistry, model: str = "DFN", external_node: bool = False,
                 rtol: float = 1e-6, atol: float = 1e-6, heating: HeatingDesign | None = None,
                 mesh_points: tuple[int, int] = DEFAULT_MESH_POINTS):
        if model not in MODELS:
            raise SimulationError(f"model '{model}' is not one of {', '.join(MODELS)}")
        from battsim.heating import submodels as heating_submodels

        self.chemistry = chemistry
        self.model_name = model
        self.heating = heating
        self.external_node = external_node = external_node or heating is not None
        options = {"thermal": "lumped", "calculate discharge energy": "true", **chemistry.model_options}
        if heating is not None:
            options["operating mode"] = heating_submodels.heating_circuit
        pybamm_model = MODELS[model](options, build=False)
        param, opts = pybamm_model.param, pybamm_model.options
        pybamm_model.submodels["thermal"] = LumpedCellThermal(param, opts)
        if external_node:
            pybamm_model.submodels["surface temperature"] = ExternalNode(param, opts)
        if heating is None:
            pybamm_model.submodels["internal heat source"] = InternalHeatSource(param, opts)
            if external_node:
                pybamm_model.submodels["external node heater"] = ExternalNodeHeater(param, opts)
        else:
            pybamm_model.submodels["heating method"] = heating.method(param, opts)
            pybamm_model.submodels["heating controller"] = heating.controller(param, opts)
            pybamm_model.submodels["heating accounting"] = heating_submodels.HeatingAccounting(param, opts)
        pybamm_model.build_model()
        if heating is not None:
            pybamm_model.events.extend(heating_submodels.heating_events(pybamm_model.variables))
            if not heating.voltage_limits:
                pybamm_model.events = [e for e in pybamm_model.events if "voltage" not in e.name.lower()]

        self._values = chemistry.parameter_values()
        inputs = [_AMBIENT, _INITIAL_T, _H, _C_P0, HEAT_CAPACITY_SCALE]
        inputs.append(_CURRENT if heating is None else heating_submodels.I_SET)
        if heating is None:
            inputs.append(INTERNAL_HEAT_SOURCE)
        if not self.lithium_metal:
            inputs.append(_C_N0)
        if external_node:
            inputs += [NODE_HEAT_CAPACITY, NODE_CONDUCTANCE, NODE_INITIAL_TEMPERATURE]
            if heating is None:
                inputs.append(NODE_HEATER_POWER)
        if heating is not None:
            inputs += [heating_submodels.TARGET, heating_submodels.LOWER, *heating.inputs]
        self.input_names = tuple(inputs)
        values = self._values.copy()
        values.update({name: "[input]" for name in inputs}, check_already_exists=False)

        self._series = dict(_SERIES)
        self._series.update(_SERIES_LITHIUM_METAL if self.lithium_metal else _SERIES_GRAPHITE)
        if external_node:
            self._series.update(_SERIES_NODE)
        if heating is not None:
            self._series.update(_SERIES_HEATING)
            self._series.update(heating.series)
        solver = pybamm.IDAKLUSolver(
            rtol=rtol, atol=atol, output_variables=[var for var, _ in self._series.values()]
        )
        self._simulation = pybamm.Simulation(pybamm_model, parameter_values=values, solver=solver,
                                             var_pts=mesh(pybamm_model, mesh_points))
        self._simulation.build()
        self.electrode_area_m2 = float(
            self._values["Electrode height [m]"] * self._values["Electrode width [m]"]
            * self._values["Number of electrodes connected in parallel to make a cell"]
        )

    @property
    def lithium_metal(self) -> bool:
        return self.chemistry.negative_electrode == "lithium metal"

    def initial_concentrations(self, soc: float) -> tuple[float, float | None]:
        """Initial (positive, negative) particle concentrations [mol.m-3] at ``soc`` [-]."""
        return initial_concentrations(self.chemistry.name, soc)

    def inputs(self, conditions: CellConditions) -> dict[str, float]:
        """The PyBaMM input parameters for ``conditions``."""
        if (conditions.node is not None) != self.external_node:
            raise SimulationError(
                "external node conditions must be given exactly when the model has an external node"
            )
        c_p0, c_n0 = self.initial_concentrations(conditions.initial_soc)
        inputs = {
            _AMBIENT: conditions.ambient_K,
            _INITIAL_T: conditions.initial_temperature_K,
            _CURRENT: conditions.current_A,
            "Cell current setpoint [A]": conditions.current_A,
            _H: conditions.h_W_per_m2K,
            INTERNAL_HEAT_SOURCE: conditions.internal_heat_W,
            _C_P0: c_p0,
            HEAT_CAPACITY_SCALE: conditions.heat_capacity_scale,
            "Initial state of charge": conditions.initial_soc,
        }
        if c_n0 is not None:
            inputs[_C_N0] = c_n0
        node = conditions.node
        if node is not None:
            inputs.update(
                {
                    NODE_HEAT_CAPACITY: node.heat_capacity_J_per_K,
                    NODE_CONDUCTANCE: node.conductance_to_ambient_W_per_K,
                    NODE_HEATER_POWER: node.heater_W,
                    NODE_INITIAL_TEMPERATURE: node.initial_temperature_K,
                }
            )
        inputs.update(dict(conditions.extra_inputs))
        missing = [name for name in self.input_names if name not in inputs]
        if missing:
            raise SimulationError(f"missing model inputs: {', '.join(missing)}")
        return {name: inputs[name] for name in self.input_names}

    def validity_warnings(self, conditions: CellConditions) -> list[str]:
        """Reasons the result may be outside what the model and parameters support."""
        reasons = []
        coldest_K = min(conditions.ambient_K, conditions.initial_temperature_K)
        if self.model_name != "DFN" and coldest_K < REDUCED_MODEL_MIN_K:
            reasons.append(
                f"model '{self.model_name}' loses validity below 0 degC (electrolyte "
                f"polarisation dominates; asked for {kelvin_to_celsius(coldest_K):.1f} degC): "
                "use model = \"DFN\""
            )
        lo, hi = self.chemistry.valid_temperature_C
        for label, T_K in (("ambient", conditions.ambient_K), ("initial", conditions.initial_temperature_K)):
            T_C = kelvin_to_celsius(T_K)
            if not lo <= T_C <= hi:
                reasons.append(
                    f"{label} temperature {T_C:.1f} degC is outside the {lo:g} to {hi:g} degC "
                    f"range the '{self.chemistry.name}' parameters are meant for"
                )
        return reasons

    def solve(self, conditions: CellConditions, segments=None) -> CellSolution:
        """Solve the model for ``conditions``; warns (:class:`ValidityWarning`) where it must.

        Parameters
        ----------
        conditions : CellConditions
        segments : iterable, optional
            Continuations after the first solve: each item is called with the solution so
            far (a :class:`CellSolution`) and returns ``(duration_s, {input: value})`` for the
            next segment, or ``None`` to stop. A segment ends at its duration or at a model
            event. This is how a thermostat switches.

        Raises
        ------
        SimulationError
            When the solver fails; the message carries PyBaMM's reason.
        """
        reasons = self.validity_warnings(conditions)
        for reason in reasons:
            warnings.warn(reason, ValidityWarning, stacklevel=2)
        inputs = self.inputs(conditions)
        try:
            solution = self._simulation.solve([0.0, conditions.duration_s], inputs=inputs)
            result = self._package(solution, reasons)
            while segments is not None:
                step = segments(result)
                if step is None:
                    break
                duration, changes = step
                inputs = {**inputs, **changes}
                # PyBaMM's step() refuses to continue a solution that ended on an event; the
                # switch is exactly what the segment is for, so mark it as a completed step.
                solution.termination = "final time"
                solution = self._simulation.step(duration, starting_solution=solution, inputs=inputs, save=True)
                result = self._package(solution, reasons)
        except pybamm.SolverError as error:
            raise SimulationError(f"PyBaMM solver failed: {error}") from error
        return result

    def _package(self, solution, reasons) -> CellSolution:
        series = {name: np.asarray(solution[var].entries, dtype=float)
                  for name, (var, _) in self._series.items()}
        return CellSolution(series=series, termination=str(solution.termination), warnings=list(reasons),
                            units={name: unit for name, (_, unit) in self._series.items()})


@functools.lru_cache(maxsize=None)
def initial_concentrations(chemistry: str, soc: float) -> tuple[float, float | None]:
    """Initial (positive, negative) particle concentrations [mol.m-3] at state of charge ``soc`` [-].

    From PyBaMM's electrode state-of-health model on the open-circuit voltage window of the
    chemistry (``None`` for the negative of a lithium-metal cell); cached per value.
    """
    chem = get_chemistry(chemistry)
    values = chem.parameter_values()
    c_p_max = values["Maximum concentration in positive electrode [mol.m-3]"]
    if chem.negative_electrode == "lithium metal":
        y = pybamm.lithium_ion.get_initial_stoichiometry_half_cell(float(soc), values, options=chem.model_options)
        return float(y["x"]) * c_p_max, None
    x, y = pybamm.lithium_ion.get_initial_stoichiometries(float(soc), values)
    c_n_max = values["Maximum concentration in negative electrode [mol.m-3]"]
    return float(y) * c_p_max, float(x) * c_n_max


@functools.lru_cache(maxsize=None)
def soc_capacity_Ah(chemistry: str) -> float:
    """Charge between 0 and 100 % state of charge at rest [A.h] (the SOC scale of battsim)."""
    chem = get_chemistry(chemistry)
    values = chem.parameter_values()
    c_empty, _ = initial_concentrations(chemistry, 0.0)
    c_full, _ = initial_concentrations(chemistry, 1.0)
    area = (values["Electrode height [m]"] * values["Electrode width [m]"]
            * values["Number of electrodes connected in parallel to make a cell"])
    solid = values["Positive electrode active material volume fraction"] * values["Positive electrode thickness [m]"]
    return float((c_empty - c_full) * solid * area * 96485.33212 / 3600)


def mesh(model: pybamm.BaseModel, points: tuple[int, int]) -> dict:
    """``model``'s default ``var_pts`` with ``points = (across, radial)``: points across each
    electrode and the separator, and along each particle radius (other dimensions keep theirs)."""
    across, radial = points
    var_pts = dict(model.default_var_pts)
    var_pts.update({key: across for key in ("x_n", "x_s", "x_p") if key in var_pts})
    var_pts.update({key: radial for key in ("r_n", "r_p") if key in var_pts})
    return var_pts


@functools.lru_cache(maxsize=None)
def get_cell_model(chemistry: str, model: str = "DFN", external_node: bool = False,
                   rtol: float = 1e-6, atol: float = 1e-6, heating: HeatingDesign | None = None,
                   mesh_points: tuple[int, int] = DEFAULT_MESH_POINTS) -> CellModel:
    """The process-wide :class:`CellModel` for these settings, built on first use."""
    return CellModel(get_chemistry(chemistry), model, external_node, rtol, atol, heating, mesh_points)
