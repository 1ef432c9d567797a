"""The adapter between battsim and PyBaMM: build a cell model once, solve it many times.

A :class:`CellModel` is built and discretised once per (chemistry, model, external node,
heating design, tolerances, mesh); everything that varies between cases (ambient and initial
temperature, current, heat source, heat-transfer coefficient, initial state of charge,
external-node properties, heating settings) is a PyBaMM ``"[input]"`` parameter, so a sweep
over them never rebuilds. :func:`get_cell_model` keeps a bounded number of built models for
the life of the process. It implements the cell-model protocol of
:mod:`battsim.models.protocol`.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy.constants import zero_Celsius

from battsim.errors import SimulationError, ValidityWarning
from battsim.models import fast, heating_submodels, names
from battsim.models._pybamm import pybamm
from battsim.models.mesh import Mesh
from battsim.models.protocol import ChemistryLike, Phases, Solution
from battsim.models.soc import electrode_area_m2, initial_concentrations
from battsim.models.thermal import (
    ExternalNode,
    ExternalNodeHeater,
    InternalHeatSource,
    LumpedCellThermal,
)
from battsim.units import kelvin_to_celsius

MODELS = {"DFN": pybamm.lithium_ion.DFN, "SPMe": pybamm.lithium_ion.SPMe, "SPM": pybamm.lithium_ion.SPM,
          "fast": getattr(pybamm.lithium_ion, fast.BASE_MODEL)}

#: reduced-order models lose validity below this cell temperature [K]
REDUCED_MODEL_MIN_K = zero_Celsius
#: finite-volume points (across each electrode and the separator, along the negative and the
#: positive particle radius): PyBaMM's DFN default, for a chemistry that declares no converged mesh
DEFAULT_MESH = Mesh(20, 20, 20)
#: heat-transfer coefficient of a cell in a thermal chamber with forced air [W.m-2.K-1]: the
#: forced-air (top-bottom) value of Wang, C.-Y. et al., "Fast charging of energy-dense lithium-ion
#: batteries", Nature 611, 485 (2022), doi:10.1038/s41586-022-05281-0 (reference EX-14; the same
#: source gives < 20 for a single cell in natural convection and 300 for strongly aspirated air)
THERMAL_CHAMBER_H_W_PER_M2K = 140.0
#: built models kept per process
MODEL_CACHE_SIZE = 16


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
    """The physical conditions of one solve of a cell model.

    Parameters
    ----------
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
        PyBaMM input parameters the design adds.
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


@dataclass(frozen=True, eq=False)
class CurrentProfile:
    """A measured current against time, replayed as the cell's current (a lab test's profile).

    Parameters
    ----------
    key : str
        Identity of the profile (its source and scaling); models are cached per key.
    time_s : tuple of float
        Sample times [s] from 0, ascending; the current is interpolated linearly between them.
    current_A : tuple of float
        Cell current at each sample [A], positive on discharge.

    A replayed profile is run whole: the cell that was measured was charged by it, so the model's
    upper voltage limit does not stop it (the highest voltage is in the series); the lower cut-off
    ends it, as it ends the test.
    """

    key: str
    time_s: tuple[float, ...]
    current_A: tuple[float, ...]

    def __post_init__(self):
        t = np.asarray(self.time_s, float)
        if t.ndim != 1 or t.size < 2 or t.size != len(self.current_A) or np.any(np.diff(t) <= 0):
            raise SimulationError(f"current profile '{self.key}': needs at least two samples at increasing times "
                                  f"and one current per time (got {t.size} times, {len(self.current_A)} currents)")

    def __hash__(self):
        return hash(self.key)

    def __eq__(self, other):
        return isinstance(other, CurrentProfile) and other.key == self.key

    @property
    def duration_s(self) -> float:
        return float(self.time_s[-1])

    @property
    def sampling_s(self) -> float:
        """The shortest interval between samples [s] (the solver's largest step)."""
        return float(np.diff(np.asarray(self.time_s, float)).min())


#: battsim time-series name -> (PyBaMM variable, unit of the stored series)
_SERIES = {
    "time_s": (names.TIME_S, "s"),
    "voltage_V": (names.VOLTAGE, "V"),
    "current_A": (names.CURRENT, "A"),
    "discharge_capacity_Ah": (names.DISCHARGE_CAPACITY, "A*h"),
    "discharge_energy_Wh": (names.DISCHARGE_ENERGY, "W*h"),
    "temperature_K": (names.CELL_TEMPERATURE, "K"),
    "ambient_K": (names.AMBIENT_TEMPERATURE_VARIABLE, "K"),
    "electrochemical_heat_W": (names.TOTAL_HEATING, "W"),
    "internal_heat_W": (names.INTERNAL_HEAT_SOURCE, "W"),
    "heat_from_surface_W": (names.HEAT_FROM_SURFACE, "W"),
    "cumulative_electrochemical_heat_J": (names.CUMULATIVE_ELECTROCHEMICAL_HEAT, "J"),
    "cumulative_internal_heat_J": (names.CUMULATIVE_INTERNAL_HEAT, "J"),
    "cumulative_heat_from_surface_J": (names.CUMULATIVE_HEAT_FROM_SURFACE, "J"),
    "cell_heat_capacity_J_per_K": (names.CELL_HEAT_CAPACITY, "J/K"),
}
_SERIES_GRAPHITE = {"anode_potential_V": (names.ANODE_POTENTIAL, "V")}
_SERIES_LITHIUM_METAL = {
    "lithium_interface_current_density_A_per_m2": (names.LITHIUM_INTERFACE_CURRENT_DENSITY, "A/m**2"),
}
_SERIES_HEATING = {
    "heating_command": (names.COMMAND, "1"),
    "heater_electrical_power_W": (names.HEATER_ELECTRIC, "W"),
    "heating_power_from_battery_W": (names.HEATING_FROM_BATTERY, "W"),
    "heating_power_from_grid_W": (names.HEATING_FROM_GRID, "W"),
    "cumulative_heating_grid_J": (names.CUMULATIVE_HEATING_GRID, "J"),
    "cumulative_heating_battery_J": (names.CUMULATIVE_HEATING_BATTERY, "J"),
    "cumulative_heating_losses_J": (names.CUMULATIVE_HEATING_LOSSES, "J"),
    "cumulative_heat_pumped_J": (names.CUMULATIVE_HEAT_PUMPED, "J"),
}
_SERIES_NODE = {
    "node_temperature_K": (names.NODE_TEMPERATURE, "K"),
    "node_heater_W": (names.NODE_HEATER_POWER, "W"),
    "node_heat_to_ambient_W": (names.NODE_HEAT_TO_AMBIENT, "W"),
    "cumulative_node_heater_J": (names.CUMULATIVE_NODE_HEATER, "J"),
    "cumulative_node_heat_to_ambient_J": (names.CUMULATIVE_NODE_TO_AMBIENT, "J"),
}


class CellModel:
    """A PyBaMM cell model of one chemistry, built and discretised once.

    Parameters
    ----------
    chemistry : ChemistryLike
        The cell (a :class:`battsim.cells.Chemistry`).
    model : {"DFN", "SPMe", "SPM"}
        PyBaMM model; the DFN is the default and the only one valid in the cold.
    external_node : bool
        Couple the cell surface to an external thermal node instead of to ambient.
    rtol, atol : float
        IDAKLU solver tolerances [-].
    heating : HeatingDesign, optional
        Heating method and controller submodels.
    mesh : Mesh or tuple of int
        The finite-volume mesh (a :class:`~battsim.models.mesh.Mesh`, or ``(across, r_negative,
        r_positive)``, or ``(across, radial)``); default: the chemistry's converged mesh.
    calibration : FastCalibration, optional
        The calibrated element of ``model = "fast"`` (:mod:`battsim.models.calibration`), which
        runs on the calibration's mesh.
    compile : bool
        Compile the equations to machine code (PyBaMM's ahead-of-time option, cached per machine).
    suppress_algebraic_error : bool
        Leave the algebraic variables out of the solver's local error test.
    current_profile : CurrentProfile, optional
        Replay this current against time instead of a constant current (not with ``heating``);
        the solver's steps are bounded by its sampling interval.

    Examples
    --------
    >>> model = CellModel(get_chemistry("nmc811-graphite"))              # doctest: +SKIP
    >>> inputs = model.inputs(CellConditions(current_A=5.0, ambient_K=263.15,
    ...                                      initial_temperature_K=263.15))  # doctest: +SKIP
    >>> model.solve(inputs, single_phase(4500.0)).series["voltage_V"]     # doctest: +SKIP
    """

    def __init__(self, chemistry: ChemistryLike, model: str = "DFN", external_node: bool = False,
                 rtol: float = 1e-6, atol: float = 1e-6, heating: HeatingDesign | None = None,
                 mesh: Mesh | tuple[int, ...] | None = None, calibration: fast.FastCalibration | None = None,
                 compile: bool = False, suppress_algebraic_error: bool = False,
                 current_profile: CurrentProfile | None = None):
        check_model(model, calibration)
        if current_profile is not None and heating is not None:
            raise SimulationError("a current profile is replayed without a heating design")
        self.chemistry = chemistry
        self.model_name = model
        self.heating = heating
        self.current_profile = current_profile
        self.calibration = calibration
        self.mesh = calibration.mesh if model == "fast" else Mesh.of(mesh or getattr(chemistry, "mesh", DEFAULT_MESH))
        self.external_node = external_node or heating is not None
        pybamm_model = self._build(chemistry, model, heating)
        self.input_names = self._input_names()
        values = model_parameter_values(chemistry, calibration)
        values.update({name: "[input]" for name in self.input_names}, check_already_exists=False)
        options = {"compile": compile, "suppress_algebraic_error": suppress_algebraic_error}
        if current_profile is not None:
            values.update({names.CURRENT_FUNCTION: pybamm.Interpolant(
                np.asarray(current_profile.time_s, float), np.asarray(current_profile.current_A, float), pybamm.t,
                name="current_profile", interpolator="linear")})
            options["dt_max"] = current_profile.sampling_s
            options["silence_sundials_errors"] = True  # a failed step is restarted (restarted)
        self._series = self._series_table()
        solver = pybamm.IDAKLUSolver(rtol=rtol, atol=atol, output_variables=[v for v, _ in self._series.values()],
                                     options=options, on_failure="error" if current_profile is None else "ignore")
        self._simulation = pybamm.Simulation(pybamm_model, parameter_values=values, solver=solver,
                                             var_pts=self.mesh.var_pts(pybamm_model.default_var_pts),
                                             submesh_types=submesh_types(pybamm_model, self.mesh))
        self._simulation.build()
        self.electrode_area_m2 = electrode_area_m2(chemistry)

    def _build(self, chemistry, model: str, heating: HeatingDesign | None):
        """The PyBaMM model with battsim's thermal (and heating) submodels in their slots."""
        options = {"thermal": "lumped", "calculate discharge energy": "true", **chemistry.model_options}
        if heating is not None:
            options["operating mode"] = heating_submodels.heating_circuit
        pybamm_model = MODELS[model](options, build=False)
        param, opts = pybamm_model.param, pybamm_model.options
        pybamm_model.submodels["thermal"] = LumpedCellThermal(param, opts)
        if self.external_node:
            pybamm_model.submodels["surface temperature"] = ExternalNode(param, opts)
        if heating is None:
            pybamm_model.submodels["internal heat source"] = InternalHeatSource(param, opts)
            if self.external_node:
                pybamm_model.submodels["external node heater"] = ExternalNodeHeater(param, opts)
        else:
            pybamm_model.submodels["heating method"] = heating.method(param, opts)
            pybamm_model.submodels["heating controller"] = heating.controller(param, opts)
            pybamm_model.submodels["heating accounting"] = heating_submodels.HeatingAccounting(param, opts)
        if model == "fast":
            fast.install(pybamm_model)
        pybamm_model.build_model()
        if heating is not None:
            pybamm_model.events.extend(heating_submodels.heating_events(pybamm_model.variables))
            if not heating.voltage_limits:
                pybamm_model.events = [e for e in pybamm_model.events if "voltage" not in e.name.lower()]
        if self.current_profile is not None:
            pybamm_model.events = [e for e in pybamm_model.events if "Maximum voltage" not in e.name]
        return pybamm_model

    def _input_names(self) -> tuple[str, ...]:
        heating = self.heating
        inputs = [names.AMBIENT_TEMPERATURE, names.INITIAL_TEMPERATURE, names.HEAT_TRANSFER_COEFFICIENT,
                  names.INITIAL_C_POSITIVE, names.HEAT_CAPACITY_SCALE]
        if self.current_profile is None:
            inputs.append(names.CURRENT_FUNCTION if heating is None else names.CURRENT_SETPOINT)
        if heating is None:
            inputs.append(names.INTERNAL_HEAT_SOURCE)
        if not self.lithium_metal:
            inputs.append(names.INITIAL_C_NEGATIVE)
        if self.external_node:
            inputs += [names.NODE_HEAT_CAPACITY, names.NODE_CONDUCTANCE, names.NODE_INITIAL_TEMPERATURE]
            if heating is None:
                inputs.append(names.NODE_HEATER_POWER)
        if heating is not None:
            inputs += [names.TARGET, names.LOWER, *heating.inputs]
        return tuple(dict.fromkeys(inputs))

    def _series_table(self) -> dict[str, tuple[str, str]]:
        series = dict(_SERIES)
        series.update(_SERIES_LITHIUM_METAL if self.lithium_metal else _SERIES_GRAPHITE)
        if self.external_node:
            series.update(_SERIES_NODE)
        if self.heating is not None:
            series.update(_SERIES_HEATING)
            series.update(self.heating.series)
        return series

    @property
    def lithium_metal(self) -> bool:
        return self.chemistry.negative_electrode == "lithium metal"

    def inputs(self, conditions: CellConditions) -> dict[str, float]:
        """The PyBaMM input parameters for ``conditions``."""
        if (conditions.node is not None) != self.external_node:
            raise SimulationError("external node conditions must be given exactly when the model has an external node")
        c_p0, c_n0 = initial_concentrations(self.chemistry, conditions.initial_soc)
        inputs = {
            names.AMBIENT_TEMPERATURE: conditions.ambient_K,
            names.INITIAL_TEMPERATURE: conditions.initial_temperature_K,
            names.CURRENT_FUNCTION: conditions.current_A,
            names.CURRENT_SETPOINT: conditions.current_A,
            names.HEAT_TRANSFER_COEFFICIENT: conditions.h_W_per_m2K,
            names.INTERNAL_HEAT_SOURCE: conditions.internal_heat_W,
            names.INITIAL_C_POSITIVE: c_p0,
            names.HEAT_CAPACITY_SCALE: conditions.heat_capacity_scale,
            names.INITIAL_SOC: conditions.initial_soc,
        }
        if c_n0 is not None:
            inputs[names.INITIAL_C_NEGATIVE] = c_n0
        node = conditions.node
        if node is not None:
            inputs.update({names.NODE_HEAT_CAPACITY: node.heat_capacity_J_per_K,
                           names.NODE_CONDUCTANCE: node.conductance_to_ambient_W_per_K,
                           names.NODE_HEATER_POWER: node.heater_W,
                           names.NODE_INITIAL_TEMPERATURE: node.initial_temperature_K})
        inputs.update(dict(conditions.extra_inputs))
        missing = [name for name in self.input_names if name not in inputs]
        if missing:
            raise SimulationError(f"missing model inputs: {', '.join(missing)}")
        return {name: float(inputs[name]) for name in self.input_names}

    def validity_warnings(self, inputs: Mapping[str, float]) -> list[str]:
        """Reasons a solve with ``inputs`` may be outside what the model and parameters support."""
        return start_validity(self.chemistry, self.model_name, self.mesh,
                              inputs[names.AMBIENT_TEMPERATURE], inputs[names.INITIAL_TEMPERATURE],
                              self.calibration)

    def solve(self, inputs: Mapping[str, float], phases: Phases) -> Solution:
        """Solve the phases (see :mod:`battsim.models.protocol`); warns where it must.

        Raises
        ------
        SimulationError
            When the solver fails; the message is one line, PyBaMM's full text is its ``detail``.
        """
        reasons = self.validity_warnings(inputs)
        for reason in reasons:
            warnings.warn(reason, ValidityWarning, stacklevel=2)
        recover = None if self.current_profile is None else functools.partial(restarted, self._simulation)
        result = solve_phases(self._simulation, dict(inputs), phases, lambda solution: self._package(solution, reasons),
                              recover)
        result.warnings += range_warnings(self.chemistry, result.series["temperature_K"], reasons)
        return result

    def _package(self, solution, reasons) -> Solution:
        series = {name: np.asarray(solution[var].entries, dtype=float) for name, (var, _) in self._series.items()}
        return Solution(series=series, units={name: unit for name, (_, unit) in self._series.items()},
                        termination=str(solution.termination), warnings=list(reasons))


def solve_phases(simulation, inputs: dict, phases: Phases, package, recover=None, solver_for=None) -> Solution:
    """Solve ``simulation`` (a built :class:`pybamm.Simulation`) segment by segment as ``phases``
    asks (the protocol of :mod:`battsim.models.protocol`); ``package`` turns a PyBaMM solution into
    a :class:`Solution`, ``recover(solution, end_s, inputs)`` may restart a failed step,
    ``solver_for(inputs)`` may name another solver of the same model for a segment (``None``: the
    simulation's).

    Raises
    ------
    SimulationError
        When the solver fails: one line with the physical reason, PyBaMM's text as its ``detail``.
    """
    recover = recover or (lambda solution, end_s, inputs: solution)
    solver_for = solver_for or (lambda inputs: None)
    step = phases(None)
    if step is None:
        raise SimulationError("a solve needs at least one phase")
    duration, changes = step
    inputs.update(changes)
    try:
        solution = recover(simulation.solve([0.0, duration], inputs=inputs, solver=solver_for(inputs)), duration,
                           inputs)
        while (step := phases(package(solution))) is not None:
            duration, changes = step
            inputs.update(changes)
            end = float(solution.t[-1]) + duration
            # PyBaMM's step() refuses to continue a solution that ended on an event; the switch
            # is exactly what the next phase is for, so mark it as a completed step.
            solution.termination = "final time"
            solution = recover(simulation.step(duration, solver=solver_for(inputs), starting_solution=solution,
                                               inputs=inputs, save=True), end, inputs)
    except pybamm.SolverError as error:
        raise SimulationError(solver_failure_reason(error), detail=str(error)) from error
    return package(solution)


#: IDA restarts after a failed step, per segment (:func:`restarted`)
MAX_RESTARTS = 20


def restarted(simulation, solution, end_s: float, inputs, solver=None):
    """``solution`` carried on to ``end_s`` [s], IDA restarted from its last converged state after
    each failed step (the solver must be built with ``on_failure="ignore"``).

    IDA occasionally fails a step (``IDA_CONV_FAIL`` with the step shrunk to its minimum) where
    the equations are smooth, e.g. at a hard regeneration after a long soak or a charge pulse of a
    measured profile in the cold; a restart re-initialises its step-size and order history and goes
    on. A failure at the same time twice, or more than :data:`MAX_RESTARTS` of them, is an error.
    """
    restarts, last_failure = 0, None
    while solution.termination == "failure":
        t = float(solution.t[-1])
        if restarts >= MAX_RESTARTS or (last_failure is not None and t <= last_failure + 1e-6):
            raise SimulationError(f"the DAE solver could not converge at t = {t:.3f} s (after {restarts} restarts)")
        restarts, last_failure = restarts + 1, t
        solution.termination = "final time"
        solution = simulation.step(end_s - t, solver=solver, starting_solution=solution, inputs=inputs, save=True)
    return solution


def check_model(model: str, calibration: fast.FastCalibration | None) -> None:
    """A :class:`SimulationError` for an unknown model, or the fast model without its calibration."""
    if model not in MODELS:
        raise SimulationError(f"model '{model}' is not one of {', '.join(MODELS)}")
    if model == "fast" and calibration is None:
        raise SimulationError("model 'fast' needs its calibration (battsim.models.calibration.fast_calibration)")


def model_parameter_values(chemistry: ChemistryLike, calibration: fast.FastCalibration | None):
    """The chemistry's PyBaMM parameter values, with the fast model's calibrated element if given
    (and the positive electrode's concentrations at 0 and 100 % SOC, its SOC scale)."""
    values = chemistry.parameter_values()
    if calibration is not None:
        values.update(calibration.parameter_values(), check_already_exists=False)
        values.update({names.FAST_C_EMPTY: initial_concentrations(chemistry, 0.0)[0],
                       names.FAST_C_FULL: initial_concentrations(chemistry, 1.0)[0]}, check_already_exists=False)
    return values


def model_validity(model_name: str, ambient_K: float, initial_K: float,
                   calibration: fast.FastCalibration | None = None) -> list[str]:
    """A reason if the cell model is used where it is not valid: a reduced PyBaMM model below 0 degC,
    the fast model outside its calibrated temperatures."""
    coldest_K = min(ambient_K, initial_K)
    if model_name == "fast":
        return [r for T_K in (coldest_K, max(ambient_K, initial_K))
                if (r := calibration.outside(kelvin_to_celsius(T_K))) is not None][:1]
    if model_name != "DFN" and coldest_K < REDUCED_MODEL_MIN_K:
        return [f"model '{model_name}' loses validity below 0 degC (electrolyte polarisation dominates; "
                f"asked for {kelvin_to_celsius(coldest_K):.1f} degC): use model = \"DFN\""]
    return []


def start_validity(chemistry: ChemistryLike, model_name: str, mesh: Mesh, ambient_K: float,
                   initial_K: float, calibration: fast.FastCalibration | None = None) -> list[str]:
    """Reasons a run may be invalid, known before it starts: model, mesh, start temperatures."""
    reasons = model_validity(model_name, ambient_K, initial_K, calibration)
    mesh, converged = Mesh.of(mesh), Mesh.of(chemistry.mesh)
    if model_name != "fast" and mesh.coarser_than(converged):  # the fast model's is part of its calibration
        reasons.append(f"mesh {mesh.label} (across, negative, positive radial) is coarser than "
                       f"{converged.label}, the '{chemistry.name}' mesh the convergence study shows converged: "
                       "results are not shown converged")
    lo, hi = chemistry.valid_temperature_C
    for label, T_K in (("ambient", ambient_K), ("initial", initial_K)):
        T_C = kelvin_to_celsius(T_K)
        if not lo <= T_C <= hi:
            reasons.append(f"{label} temperature {T_C:.1f} degC is outside the {lo:g} to {hi:g} degC "
                           f"range the '{chemistry.name}' parameters are meant for")
    return reasons


def range_warnings(chemistry: ChemistryLike, temperatures_K, known: list[str] = ()) -> list[str]:
    """A warning if the cell temperature left the chemistry's valid range during the run."""
    lo, hi = chemistry.valid_temperature_C
    T_C = kelvin_to_celsius(np.asarray(temperatures_K, float))
    if T_C.size == 0 or (lo <= T_C.min() and T_C.max() <= hi) or any("outside the" in r for r in known):
        return []
    reason = (f"cell temperature reached {T_C.min():.1f} to {T_C.max():.1f} degC during the run, outside the "
              f"{lo:g} to {hi:g} degC range the '{chemistry.name}' parameters are meant for")
    warnings.warn(reason, ValidityWarning, stacklevel=3)
    return [reason]


def solver_failure_reason(error: Exception) -> str:
    """One line for a PyBaMM solver failure: its physical reason where it can be told."""
    text = str(error)
    if "IDA_CONV_FAIL" in text or "convergence test failed" in text.lower():
        return "the DAE solver could not converge (step size at its minimum)"
    if "IDA_TOO_MUCH_WORK" in text or "max_num_steps" in text.lower():
        return "the DAE solver took too many steps (a very stiff or fast-switching phase)"
    if "initial" in text.lower() and "consistent" in text.lower():
        return "no consistent initial state (the start conditions are outside what the cell can do)"
    return "the PyBaMM solver failed: " + text.strip().splitlines()[0][:160]


def submesh_types(model, mesh: Mesh) -> dict:
    """``model``'s default submesh types, with the particles' points clustered at their surface when
    ``mesh.particle_stretch`` is above 0 (PyBaMM's ``Exponential1DSubMesh``)."""
    submeshes = dict(model.default_submesh_types)
    if mesh.particle_stretch:
        clustered = pybamm.MeshGenerator(pybamm.Exponential1DSubMesh,
                                         submesh_params={"side": "right", "stretch": mesh.particle_stretch})
        submeshes.update({key: clustered for key in ("negative particle", "positive particle") if key in submeshes})
    return submeshes


@functools.lru_cache(maxsize=MODEL_CACHE_SIZE)
def get_cell_model(chemistry: ChemistryLike, model: str = "DFN", external_node: bool = False,
                   rtol: float = 1e-6, atol: float = 1e-6, heating: HeatingDesign | None = None,
                   mesh: Mesh | tuple[int, ...] | None = None,
                   calibration: fast.FastCalibration | None = None, compile: bool = False,
                   suppress_algebraic_error: bool = False, current_profile: CurrentProfile | None = None) -> CellModel:
    """The process-wide :class:`CellModel` for these settings, built on first use (``mesh``:
    default the chemistry's converged mesh; ``calibration``: the fast model's; ``current_profile``:
    a measured current to replay)."""
    return CellModel(chemistry, model, external_node, rtol, atol, heating,
                     Mesh.of(mesh or chemistry.mesh), calibration, compile, suppress_algebraic_error, current_profile)
