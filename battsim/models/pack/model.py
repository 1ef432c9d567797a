"""A pack on the road as one PyBaMM DAE: zone cells, thermal network, vehicle demand, heating.

Each thermal zone of the pack (:class:`battsim.models.pack.layout.Pack`) is represented by one
cell: a copy of the chemistry's PyBaMM model (DFN by default) with battsim's thermal
submodels, whose variables and zone-specific parameters are renamed with the zone's prefix
(``"Core "``, ``"Edge "``) so that the copies coexist in one model. The copies share:

* the **cell current** ``"Cell current [A]"``, an algebraic state set by the pack power,
  :math:`I\\,\\bar V = P_{pack}/(N_s N_p)` with :math:`\\bar V = \\sum_z f_z V_z` (PyBaMM's
  ``"Current function [A]"`` of each copy is replaced by it);
* the **coolant/plate and enclosure nodes** of the thermal network
  (:mod:`battsim.models.pack.network`);
* the **heating command** of the pack's heating controller.

The pack equations are built by functions of one physical piece each: the vehicle demand and
the regeneration limit (:mod:`~battsim.models.pack.demand`), the heating design's terms
(:mod:`~battsim.models.pack.terms`), the thermal network, the energy accounting
(:mod:`~battsim.models.pack.accounting`) and the output series (:func:`_outputs`).

**The cell-model interface.** The zone cell is any PyBaMM lithium-ion model class in
:data:`battsim.models.cell.MODELS` (``cell.model``: DFN by default, SPMe, SPM, or the calibrated
``fast`` model of :mod:`battsim.models.fast`) that

* takes battsim's submodels in the slots ``"thermal"`` (:class:`LumpedCellThermal`),
  ``"surface temperature"`` (:class:`NetworkSurface`) and ``"internal heat source"`` or
  ``"heating method"`` (internal heating);
* is driven by the parameter ``"Current function [A]"`` (replaced by the shared current);
* exposes ``"Voltage [V]"``, ``"Volume-averaged cell temperature [K]"``, ``"Discharge capacity
  [A.h]"``, ``"Total heating [W]"`` and ``"Lumped contact resistance heating [W]"`` (PyBaMM's
  heat terms), ``"Internal heat source [W]"`` (battsim's heat-source slot), and for the plating
  metrics ``"Negative electrode surface potential difference at separator interface [V]"``
  (graphite) or ``"Lithium metal total interfacial current density [A.m-2]"`` (lithium metal).

Nothing else of the cell model is read here. :class:`PackModel` implements the cell-model
protocol of :mod:`battsim.models.protocol`.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np

from battsim.errors import SimulationError, ValidityWarning
from battsim.models import fast, names
from battsim.models._pybamm import pybamm, tree_util
from battsim.models.cell import (
    MODEL_CACHE_SIZE,
    MODELS,
    check_model,
    model_parameter_values,
    model_validity,
    restarted,
    solve_phases,
    submesh_types,
)
from battsim.models.mesh import Mesh
from battsim.models.pack import accounting
from battsim.models.pack.cabin import cabin_equations
from battsim.models.pack.demand import DEMAND_INPUTS, accepted_power, vehicle_demand
from battsim.models.pack.network import NetworkSurface, SharedCommand, network_equations
from battsim.models.pack.terms import PackHeatingContext, TripHeating
from battsim.models.protocol import ChemistryLike, Phases, Solution
from battsim.models.soc import soc_capacity_Ah
from battsim.models.thermal import InternalHeatSource, LumpedCellThermal
from battsim.vehicle.cycles import load_cycle
from battsim.vehicle.heat_pump import heat_pump_cop_table_K

_SHARED_VARIABLES = (names.COOLANT_T, names.ENCLOSURE_T, names.COMMAND)
#: inputs every pack model reads besides the zone parameters
_PACK_INPUTS = frozenset({names.AMBIENT_TEMPERATURE, names.HEAT_CAPACITY_SCALE, names.SERIES_CELLS,
                          names.PARALLEL_STRINGS, names.DISTANCE_TARGET, names.MIN_SOC, names.INITIAL_SOC,
                          names.TARGET, names.LOWER})
#: parameter names each zone has its own copy of (renamed with the zone's prefix)
_ZONE_NAMES = frozenset(names.ZONE_PARAMETERS + names.ZONE_INITIAL_STATE)


def _rename(model, prefix: str):
    """Every equation and variable of ``model`` with its own variables and zone parameters
    renamed ``prefix + name``; network variables and shared parameters untouched."""
    exprs = (list(model.rhs.values()) + list(model.algebraic.values()) + list(model.initial_conditions.values())
             + list(model.variables.values()) + list(model.rhs) + list(model.algebraic)
             + [event.expression for event in model.events])
    for var, bcs in model.boundary_conditions.items():
        exprs.append(var)
        exprs += [value for value, _ in bcs.values()]
    mapping = {}
    for expression in exprs:
        for node in expression.pre_order():
            if node in mapping:
                continue
            if type(node) is pybamm.Variable and node.name not in _SHARED_VARIABLES:
                mapping[node] = pybamm.Variable(prefix + node.name, domains=node.domains, bounds=node.bounds,
                                                scale=node.scale, reference=node.reference)
            elif type(node) is pybamm.Parameter and node.name in _ZONE_NAMES:
                mapping[node] = pybamm.Parameter(prefix + node.name)
            elif type(node) is pybamm.FunctionParameter and node.name in _ZONE_NAMES:  # initial concentrations
                mapping[node] = pybamm.FunctionParameter(prefix + node.name, dict(zip(node.input_names, node.children)),
                                                         diff_variable=node.diff_variable)
    cache = {}

    def R(e):
        return tree_util.replace(e, mapping, cache)

    return {
        "rhs": {R(k): R(v) for k, v in model.rhs.items()},
        "algebraic": {R(k): R(v) for k, v in model.algebraic.items()},
        "initial_conditions": {R(k): R(v) for k, v in model.initial_conditions.items()},
        "boundary_conditions": {R(k): {side: (R(value), kind) for side, (value, kind) in bcs.items()}
                                for k, bcs in model.boundary_conditions.items()},
        "variables": {prefix + k: R(v) for k, v in model.variables.items()},
        "events": [pybamm.Event(prefix + e.name, R(e.expression), e.event_type) for e in model.events],
    }


def _merge_zone(merged, part: dict, current) -> None:
    """Add one renamed zone model to ``merged``, its current function replaced by ``current``."""
    current_parameter = pybamm.FunctionParameter(names.CURRENT_FUNCTION, {"Time [s]": pybamm.t})

    def R(e):
        return tree_util.replace(e, {current_parameter: current})

    for key in ("rhs", "algebraic", "initial_conditions"):
        getattr(merged, key).update({k: R(v) for k, v in part[key].items()})
    # a key may be an expression of the current (the SPMe's explicit electrolyte potential), so it is
    # replaced too: the equations' gradients must find their boundary conditions by the same symbol
    merged.boundary_conditions.update({R(var): {side: (R(value), kind) for side, (value, kind) in bcs.items()}
                                       for var, bcs in part["boundary_conditions"].items()})
    merged.variables.update({k: R(v) for k, v in part["variables"].items()})
    merged.events += [pybamm.Event(e.name, R(e.expression), e.event_type) for e in part["events"]]


@dataclass
class _Zones:
    """The zone cells' symbols the pack equations combine."""

    counts: dict
    V: dict
    T: dict
    V_mean: pybamm.Symbol
    T_min: pybamm.Symbol
    T_max: pybamm.Symbol
    V_max: pybamm.Symbol
    soc: pybamm.Symbol


def _zone_symbols(m, zones, capacity_Ah: float) -> _Zones:
    P = pybamm.Parameter
    prefix = {z: names.zone_prefix(z) for z in zones}
    n_cells = P(names.SERIES_CELLS) * P(names.PARALLEL_STRINGS)
    counts = {z: P(prefix[z] + names.ZONE_CELL_COUNT) for z in zones}
    V = {z: m.variables[prefix[z] + names.VOLTAGE] for z in zones}
    T = {z: m.variables[prefix[z] + names.CELL_TEMPERATURE] for z in zones}
    V_mean = sum(counts[z] / n_cells * V[z] for z in zones)
    T_min = T_max = T[zones[0]]
    V_max = V[zones[0]]
    for z in zones[1:]:
        T_min, T_max, V_max = pybamm.minimum(T_min, T[z]), pybamm.maximum(T_max, T[z]), pybamm.maximum(V_max, V[z])
    soc = P(names.INITIAL_SOC) - m.variables[prefix[zones[0]] + names.DISCHARGE_CAPACITY] / capacity_Ah
    return _Zones(counts, V, T, V_mean, T_min, T_max, V_max, soc)


class PackModel:
    """The trip DAE of one (chemistry, model, zones, drive cycle, heating design), built once.

    Everything else is an input: pack size and network, vehicle, ambient, targets, phases.

    Parameters
    ----------
    chemistry : ChemistryLike
        The cell (a :class:`battsim.cells.Chemistry`).
    zones : tuple of str
        Thermal zones (``("core",)`` or ``("core", "edge")``).
    cycle : str
        Drive cycle name (:func:`battsim.vehicle.cycles.load_cycle`).
    heating : TripHeating
        The heating design (from :mod:`battsim.heating`).
    model : {"DFN", "SPMe", "SPM"}
    massless_nodes : bool
        Coolant and enclosure without heat capacity.
    plating_margin_V : float
        Lowest negative-electrode potential against Li/Li+ the regeneration limit keeps [V].
    rtol, atol : float
        IDAKLU tolerances [-].
    mesh : Mesh or tuple of int
        The finite-volume mesh of each zone's cell (default: the chemistry's converged mesh).
    calibration : FastCalibration, optional
        The calibrated element of ``model = "fast"`` (:mod:`battsim.models.calibration`), whose
        zone cells run on the calibration's mesh.
    compile : bool
        Compile the equations to machine code (PyBaMM's ahead-of-time option, cached per machine).
    suppress_algebraic_error : bool
        Leave the algebraic variables out of the solver's local error test.
    """

    def __init__(self, chemistry: ChemistryLike, zones: tuple[str, ...], cycle: str, heating: TripHeating,
                 model: str = "DFN", massless_nodes: bool = False, plating_margin_V: float = 0.0,
                 rtol: float = 1e-6, atol: float = 1e-6, mesh: Mesh | tuple[int, ...] | None = None,
                 calibration: fast.FastCalibration | None = None, compile: bool = False,
                 suppress_algebraic_error: bool = False):
        check_model(model, calibration)
        self.calibration = calibration
        self.chemistry = chemistry
        self.zones = tuple(zones)
        self.cycle = load_cycle(cycle)
        self.heating = heating
        self.model_name = model
        self.mesh = calibration.mesh if model == "fast" else Mesh.of(mesh or chemistry.mesh)
        self.capacity_Ah = soc_capacity_Ah(chemistry)

        merged = pybamm.BaseModel(f"battsim pack ({chemistry.name}, {'+'.join(zones)})")
        template = None
        I = pybamm.Variable(names.CELL_CURRENT, scale=chemistry.nominal_capacity_Ah)
        for zone in self.zones:
            zone_model = self._zone_model()
            template = template or zone_model
            _merge_zone(merged, _rename(zone_model, names.zone_prefix(zone)), I)
        inputs = self._add_pack_equations(merged, I, massless_nodes, plating_margin_V)

        values = model_parameter_values(chemistry, calibration)
        self.input_names = tuple(sorted(inputs))
        values.update({name: "[input]" for name in self.input_names}, check_already_exists=False)
        outputs = [v for v, _ in self._series.values()] if stores_outputs(model) else None

        def solver(**options):
            return pybamm.IDAKLUSolver(rtol=rtol, atol=atol, output_variables=outputs,
                                       options={"max_num_steps": 2_000_000, "compile": compile,
                                                "suppress_algebraic_error": suppress_algebraic_error,
                                                # a failed step is restarted by _recover, or reported
                                                "silence_sundials_errors": True, **options},
                                       on_failure="ignore")

        self._drive_solver = solver(dt_max=drive_max_step_s(self.cycle))
        self._simulation = pybamm.Simulation(
            merged, parameter_values=values, geometry=template.default_geometry,
            submesh_types=submesh_types(template, self.mesh), var_pts=self.mesh.var_pts(template.default_var_pts),
            spatial_methods=template.default_spatial_methods, solver=solver())
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self._simulation.build()
        self._states = {} if outputs else _scaled_states(self._simulation.built_model, self._series)

    # ------------------------------------------------------------------------- building

    def _zone_model(self):
        chem = self.chemistry
        options = {"thermal": "lumped", "calculate discharge energy": "true", **chem.model_options}
        model = MODELS[self.model_name](options, build=False)
        param, opts = model.param, model.options
        model.submodels["thermal"] = LumpedCellThermal(param, opts)
        model.submodels["surface temperature"] = NetworkSurface(param, opts)
        if self.heating.zone_submodel is not None:
            model.submodels["heating command"] = SharedCommand(param, opts)
            model.submodels["heating method"] = self.heating.zone_submodel(param, opts, self.capacity_Ah)
        else:
            model.submodels["internal heat source"] = InternalHeatSource(param, opts)
        if self.model_name == "fast":
            fast.install(model)
        model.build_model()
        # the pack limits charging to the voltage window itself (regeneration headroom), so the
        # cells' upper-voltage events would only stop a trip that starts fully charged
        model.events = [e for e in model.events if "Maximum voltage" not in e.name]
        return model

    def _add_pack_equations(self, m, I, massless_nodes: bool, plating_margin_V: float) -> set[str]:
        """Demand, heating, acceptance, network, accounting, events and outputs; returns the inputs."""
        P = pybamm.Parameter
        zones = self.zones
        z = _zone_symbols(m, zones, self.capacity_Ah)
        n_cells = P(names.SERIES_CELLS) * P(names.PARALLEL_STRINGS)

        demand = vehicle_demand(self.cycle)
        cabin = cabin_equations(demand.speed, P(names.AMBIENT_TEMPERATURE), heat_pump_cop_table_K())
        command = self.heating.command_terms(z.T_min)
        heater = self.heating.heater_terms(PackHeatingContext(m, zones, z.counts, command.command))
        demand_pack = demand.traction + demand.aux + cabin.battery + heater.battery
        demand_cell = demand_pack / n_cells
        acceptance = accepted_power(self.chemistry, plating_margin_V, demand_cell, z.T_min, z.soc, z.V_mean, z.V_max)
        m.algebraic[I] = I * z.V_mean - acceptance.accepted_cell
        m.initial_conditions[I] = pybamm.Scalar(0)

        network = network_equations(zones, z.counts, z.T, heater.node, massless_nodes)
        for part in (network, command, cabin):
            m.rhs.update(part.rhs)
            m.algebraic.update(part.algebraic)
            m.initial_conditions.update(part.initial_conditions)

        zone_sum = PackHeatingContext(m, zones, z.counts, command.command).zone_sum
        named_flows = accounting.flows(
            battery_out=n_cells * I * z.V_mean, demand=demand, heater=heater, cabin=cabin,
            regen_not_accepted=n_cells * (acceptance.accepted_cell - demand_cell),
            electrochemical=zone_sum(names.TOTAL_HEATING) + zone_sum(names.CONTACT_HEATING),
            internal_heat=zone_sum(names.INTERNAL_HEAT_SOURCE), loss_to_ambient=network.loss_to_ambient)
        rhs, initial, cumulative = accounting.cumulative_states(named_flows)
        m.rhs.update(rhs)
        m.initial_conditions.update(initial)
        m.variables.update({var.name: var for var in rhs})
        m.variables[names.CUMULATIVE_DISTANCE] = demand.distance
        m.events += _events(z.T_min, z.soc, demand.distance)

        named = {"Pack power demand [W]": demand_pack, "Pack power accepted [W]": n_cells * acceptance.accepted_cell,
                 "Regeneration current limit [A]": acceptance.charge_limit * acceptance.headroom}
        named.update({names.CABIN_T: cabin.temperature, names.CABIN_HEATER_POWER: cabin.electric,
                      "Cabin heat [W]": cabin.heat, "Cabin heater capacity [W]": cabin.capacity,
                      "Cabin heat deficit [W]": cabin.deficit})
        self._series = _outputs(m, self.chemistry, zones, I, z, demand, heater, command.command, network, named)
        self._series.update(cumulative)
        self._series[accounting.DISTANCE_SERIES] = (names.CUMULATIVE_DISTANCE, "m")

        inputs = set(_PACK_INPUTS | DEMAND_INPUTS | network.inputs | command.inputs | heater.inputs | cabin.inputs)
        state = [name for name in names.ZONE_INITIAL_STATE
                 if name != names.INITIAL_C_NEGATIVE or self.chemistry.negative_electrode != "lithium metal"]
        inputs |= {names.zone_prefix(zone) + name for zone in zones for name in (*names.ZONE_PARAMETERS, *state)}
        if self.heating.zone_submodel is None:
            inputs.add(names.INTERNAL_HEAT_SOURCE)
        return inputs

    # ------------------------------------------------------------------------- solving

    def solve(self, inputs: dict[str, float], phases: Phases) -> Solution:
        """Run the phases (see :mod:`battsim.models.protocol`)."""
        missing = [name for name in self.input_names if name not in inputs]
        if missing:
            raise SimulationError(f"missing pack model inputs: {', '.join(missing)}")
        inputs = {name: float(inputs[name]) for name in self.input_names}
        coldest_K = min(inputs[names.zone_prefix(zone) + names.INITIAL_TEMPERATURE] for zone in self.zones)
        reasons = model_validity(self.model_name, inputs[names.AMBIENT_TEMPERATURE], coldest_K, self.calibration)
        for reason in reasons:
            warnings.warn(reason, ValidityWarning, stacklevel=2)
        solution = solve_phases(self._simulation, inputs, phases, self._package, self._recover, self._solver_for)
        solution.warnings += reasons
        return solution

    def _solver_for(self, inputs: dict[str, float]):
        """The drive's solver (its steps bounded, :func:`drive_max_step_s`) while driving, else the model's."""
        return self._drive_solver if inputs[names.DRIVING] > 0 else None

    def _recover(self, solution, end_s: float, inputs):
        """Restart IDA from the last converged state after a failure within a segment (:func:`restarted`)."""
        return restarted(self._simulation, solution, end_s, inputs, self._solver_for(inputs))

    def _package(self, solution) -> Solution:
        return Solution(_Series(solution, self._series, self._states), {n: u for n, (_, u) in self._series.items()},
                        str(solution.termination), [])


def continued(first: Solution, second: Solution) -> Solution:
    """A solve followed by another that started from the state ``first`` ended in (its time from 0,
    its energies from 0): one solution, ``second``'s time and cumulative energies carried on from
    ``first``'s last values, ``second``'s termination, both sets of warnings."""
    end_s = float(first.series["time_s"][-1])
    series = {}
    for name, values in first.series.items():
        later = np.asarray(second.series[name], dtype=float)
        if name == "time_s":
            later = later + end_s
        elif name.startswith(accounting.CUMULATIVE_PREFIX):
            later = later + values[-1]
        series[name] = np.concatenate([values, later])
    return Solution(series, dict(first.units), second.termination, list(first.warnings) + list(second.warnings))


def drive_max_step_s(cycle) -> float:
    """The solver's largest step while driving [s]: the cycle's sampling interval.

    The speed trace is known only at its samples, and the solver sees the demand only at the ends
    of its steps: a step longer than that can pass over a whole stop-start of the cycle unseen (the
    demand is the same, zero, at both ends, so its error test passes). The fast model takes steps of
    up to 7 s at the WLTC's stops without the bound; with its overpotential's error test loosened
    (tried, README "Fast trips"), 40 s steps across the low phase lost 200 m of a one-cycle drive and
    put its energy per km 1.2 % high; the DFN at rtol 1e-5 with its algebraic error suppressed also
    stepped over 1 s. A parked phase keeps unbounded steps.
    """
    return cycle.sample_interval_s


def stores_outputs(model_name: str) -> bool:
    """Whether the solver evaluates the output series at every step (``output_variables``), rather than
    storing the states and evaluating the series once, from them, when they are read.

    The fast model's states are few (about 70 for two zones) and its outputs, evaluated at every
    step, were 45 % of a drive's solve (``benchmarks/bench_fast.py``); the DFN's thousands of states
    over a trip's 10^5 steps would be gigabytes, so it keeps only its outputs.
    """
    return model_name != "fast"


def _scaled_states(built_model, table: dict[str, tuple[str, str]]) -> dict[str, tuple[int, float, float]]:
    """The series that are a state of the built model, scaled and shifted, ``a y[i] + b`` (temperatures,
    cumulative energies, the current): battsim name -> ``(i, a, b)``.

    Read from the stored states with NumPy, they skip PyBaMM's evaluation of a function at every
    step, which costs the same for a state as for a voltage (a fast trip's 44,000 steps, 8 ms a series).
    """
    found = {}
    for name, (variable, _) in table.items():
        affine = _affine_in_one_state(built_model.get_processed_variable_or_event(variable))
        if affine is not None:
            found[name] = affine
    return found


def _affine_in_one_state(symbol) -> tuple[int, float, float] | None:
    """``(i, a, b)`` when ``symbol`` is ``a y[i] + b`` with constant ``a`` and ``b``, else ``None``."""
    if isinstance(symbol, pybamm.StateVector):
        pieces = symbol.y_slices
        one = len(pieces) == 1 and pieces[0].stop - pieces[0].start == 1
        return (pieces[0].start, 1.0, 0.0) if one else None
    if not isinstance(symbol, (pybamm.Multiplication, pybamm.Addition, pybamm.Subtraction)):
        return None
    left, right = symbol.children
    constant, other = (left, right) if isinstance(left, pybamm.Scalar) else (right, left)
    inner = _affine_in_one_state(other) if isinstance(constant, pybamm.Scalar) else None
    if inner is None:
        return None
    i, a, b = inner
    c = float(constant.value)
    if isinstance(symbol, pybamm.Multiplication):
        return i, c * a, c * b
    if isinstance(symbol, pybamm.Addition):
        return i, a, b + c
    return (i, a, b - c) if constant is right else (i, -a, c - b)


class _Series(Mapping):
    """A pack solve's series under battsim's names, each evaluated on first read and kept (the phases
    read the last time and temperature at every switch; the case reads everything once, at the end);
    ``states`` (of :func:`_scaled_states`) are read straight from the stored states."""

    def __init__(self, solution, table: dict[str, tuple[str, str]], states: dict[str, tuple[int, float, float]]):
        self._solution, self._table, self._states, self._values = solution, table, states, {}

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self._values:
            if name in self._states:
                i, a, b = self._states[name]
                rows = np.concatenate([ys[i] for ys in self._solution.all_ys])
                self._values[name] = a * rows + b if (a, b) != (1.0, 0.0) else rows
            else:
                self._values[name] = np.asarray(self._solution[self._table[name][0]].entries, dtype=float)
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)


def _events(T_min, soc, distance) -> list:
    P = pybamm.Parameter
    return [
        pybamm.Event(names.EVENT_SOC_FLOOR, soc - P(names.MIN_SOC)),
        pybamm.Event(names.EVENT_DISTANCE, P(names.DISTANCE_TARGET) - distance),
        pybamm.Event(names.EVENT_TARGET, P(names.TARGET) - T_min),
        pybamm.Event(names.EVENT_LOWER, T_min - P(names.LOWER)),
    ]


def _outputs(m, chemistry, zones, I, z: _Zones, demand, heater, command, network, named: dict) -> dict:
    """Name the pack's output variables in ``m`` and return the series table
    (battsim name -> (PyBaMM variable, unit))."""
    P = pybamm.Parameter
    variables = {
        names.TIME_S: pybamm.t, names.TIME_H: pybamm.t / 3600,
        "Pack current [A]": P(names.PARALLEL_STRINGS) * I, "Pack voltage [V]": P(names.SERIES_CELLS) * z.V_mean,
        names.CELL_CURRENT: I, "Vehicle speed [m.s-1]": demand.speed, "Wheel power [W]": demand.wheel,
        "Traction battery power [W]": demand.traction, names.AUX_POWER: demand.aux,
        names.HEATER_ELECTRIC: heater.electric,
        names.HEATING_FROM_BATTERY: heater.battery, names.HEATING_FROM_GRID: heater.grid,
        names.COMMAND + " (pack)": command, "Pack minimum cell temperature [K]": z.T_min,
        "Pack temperature spread [K]": z.T_max - z.T_min, "Pack state of charge": z.soc,
        names.COOLANT_T: network.coolant, names.ENCLOSURE_T: network.enclosure,
        "Ambient temperature (pack) [K]": network.ambient, **named,
    }
    m.variables.update(variables)
    series = {
        "time_s": (names.TIME_S, "s"), "pack_current_A": ("Pack current [A]", "A"),
        "pack_voltage_V": ("Pack voltage [V]", "V"), "cell_current_A": (names.CELL_CURRENT, "A"),
        "pack_power_demand_W": ("Pack power demand [W]", "W"),
        "pack_power_accepted_W": ("Pack power accepted [W]", "W"),
        "speed_m_per_s": ("Vehicle speed [m.s-1]", "m/s"), "wheel_power_W": ("Wheel power [W]", "W"),
        "traction_battery_power_W": ("Traction battery power [W]", "W"),
        "aux_power_W": (names.AUX_POWER, "W"), "cabin_heater_power_W": (names.CABIN_HEATER_POWER, "W"),
        "heater_electrical_power_W": (names.HEATER_ELECTRIC, "W"),
        "heating_power_from_battery_W": (names.HEATING_FROM_BATTERY, "W"),
        "heating_power_from_grid_W": (names.HEATING_FROM_GRID, "W"),
        "heating_command": (names.COMMAND + " (pack)", "1"),
        "min_cell_temperature_K": ("Pack minimum cell temperature [K]", "K"),
        "temperature_spread_K": ("Pack temperature spread [K]", "delta_degC"),
        "soc": ("Pack state of charge", "1"),
        "regen_current_limit_A": ("Regeneration current limit [A]", "A"),
        "coolant_temperature_K": (names.COOLANT_T, "K"), "enclosure_temperature_K": (names.ENCLOSURE_T, "K"),
        "cabin_temperature_K": (names.CABIN_T, "K"), "cabin_heat_W": ("Cabin heat [W]", "W"),
        "cabin_heater_capacity_W": ("Cabin heater capacity [W]", "W"),
        "cabin_heat_deficit_W": ("Cabin heat deficit [W]", "W"),
    }
    for zone in zones:
        p = names.zone_prefix(zone)
        series[f"{zone}_temperature_K"] = (p + names.CELL_TEMPERATURE, "K")
        series[f"{zone}_voltage_V"] = (p + names.VOLTAGE, "V")
        if chemistry.negative_electrode != "lithium metal":
            series[f"{zone}_anode_potential_V"] = (p + names.ANODE_POTENTIAL, "V")
        else:
            series[f"{zone}_lithium_current_density_A_per_m2"] = (p + names.LITHIUM_INTERFACE_CURRENT_DENSITY,
                                                                  "A/m**2")
    return series


@functools.lru_cache(maxsize=MODEL_CACHE_SIZE)
def get_pack_model(chemistry: ChemistryLike, zones: tuple[str, ...], cycle: str, heating: TripHeating,
                   model: str = "DFN", massless_nodes: bool = False, plating_margin_V: float = 0.0,
                   rtol: float = 1e-6, atol: float = 1e-6, mesh: Mesh | tuple[int, ...] | None = None,
                   calibration: fast.FastCalibration | None = None, compile: bool = False,
                   suppress_algebraic_error: bool = False) -> PackModel:
    """The process-wide :class:`PackModel` for these settings, built on first use."""
    return PackModel(chemistry, zones, cycle, heating, model, massless_nodes, plating_margin_V, rtol, atol,
                     mesh, calibration, compile, suppress_algebraic_error)
