"""A pack on the road as one PyBaMM DAE: zone cells, thermal network, vehicle demand, heating.

Each thermal zone of the pack (:class:`battsim.thermal.pack.Pack`) is represented by one cell:
a copy of the chemistry's PyBaMM model (DFN by default) with battsim's thermal submodels, whose
variables and zone-specific parameters are renamed with the zone's prefix (``"Core "``,
``"Edge "``) so that the copies coexist in one model. The copies share:

* the **cell current** ``"Cell current [A]"``, an algebraic state set by the pack power,
  :math:`I\\,\\bar V = P_{pack}/(N_s N_p)` with :math:`\\bar V = \\sum_z f_z V_z` (PyBaMM's
  ``"Current function [A]"`` of each copy is replaced by it);
* the **coolant/plate and enclosure nodes** of the thermal network, which every cell's
  surface sees (``NetworkSurface``) and whose heat balances are added here;
* the **heating command** of the pack's heating controller.

The vehicle's demand is built into the model as cubic interpolants of three shapes of the
drive cycle (:func:`battsim.vehicle.road_load.wheel_power_components_W`), repeated by a modulo
of time, weighted by inputs (mass, rolling resistance, drag area, air density): one built model
serves every vehicle, ambient, pack size and trip length of a (chemistry, cycle, heating)
design. Cubic rather than linear interpolation keeps the demand smooth, so the solver does not
restart at every second of the cycle (five times faster for the same energies).

Regeneration is limited at low temperature so the negative electrode stays above the plating
margin: the largest charge current per cell is :math:`(\\phi_{an} - \\phi_{margin})/|Z_{an}|`
from the impedance table at its lowest frequency (0.1 Hz, a braking event's time scale), at the
coldest zone's temperature, and zero at the upper voltage limit.

**The cell-model interface.** The zone cell is any PyBaMM lithium-ion model class in
:data:`battsim.simulation.MODELS` (``cell.model``: DFN by default, SPMe, SPM; a faster
calibrated model joins by being registered there) that

* takes battsim's submodels in the slots ``"thermal"`` (:class:`LumpedCellThermal`),
  ``"surface temperature"`` (:class:`NetworkSurface`) and ``"internal heat source"`` or
  ``"heating method"`` (AC / pulse);
* is driven by the parameter ``"Current function [A]"`` (replaced by the shared current);
* exposes ``"Voltage [V]"``, ``"Volume-averaged cell temperature [K]"``, ``"Discharge capacity
  [A.h]"``, ``"Total heating [W]"`` and ``"Lumped contact resistance heating [W]"`` (PyBaMM's
  heat terms), ``"Internal heat source [W]"`` (battsim's heat-source slot), and for the plating metrics
  ``"Negative electrode surface potential difference at separator interface [V]"`` (graphite)
  or ``"Lithium metal total interfacial current density [A.m-2]"`` (lithium metal).

Nothing else of the cell model is read here.
"""

from __future__ import annotations

import dataclasses
import functools
import warnings
from dataclasses import dataclass, field

import numpy as np
from pybamm.expression_tree import tree_util

from battsim._pybamm import pybamm
from battsim.cells import get_chemistry
from battsim.errors import SimulationError, ValidityWarning
from battsim.heating import submodels as hs
from battsim.simulation import DEFAULT_MESH_POINTS, MODELS, initial_concentrations, mesh, soc_capacity_Ah
from battsim.thermal.submodels import InternalHeatSource, LumpedCellThermal
from battsim.vehicle.cycles import load_cycle
from battsim.vehicle.road_load import G_M_PER_S2, wheel_power_components_W

COOLANT_T = "Pack coolant temperature [K]"
ENCLOSURE_T = "Pack enclosure temperature [K]"
CELL_CURRENT = "Cell current [A]"
_SHARED_VARIABLES = (COOLANT_T, ENCLOSURE_T, hs.COMMAND)
_ZONE_PARAMETERS = ("Total heat transfer coefficient [W.m-2.K-1]", "Cell to coolant conductance [W.K-1]",
                    "Cell to enclosure conductance [W.K-1]", "Zone cell count")
_INACTIVE = 1e6  # a threshold input that never triggers its event
_MAX_RESTARTS = 20  # IDA restarts after a failed step, per segment


def _shared_variable(name: str) -> pybamm.Variable:
    """A network variable; the same arguments give the same PyBaMM id in every zone copy."""
    return pybamm.Variable(name, scale=1.0 if name == hs.COMMAND else 298.15)


class NetworkSurface(pybamm.BaseSubModel):
    """The cell surface sees the network: a conductance-weighted mean of the coolant/plate and
    enclosure temperatures, :math:`T_s = (G_c T_c + G_e T_e)/(G_c + G_e)`, through
    :math:`hA = G_c + G_e` (the zone's ``"Total heat transfer coefficient"`` input), which is
    exactly :math:`G_c (T - T_c) + G_e (T - T_e)` leaving the cell."""

    def __init__(self, param, options=None):
        super().__init__(param, options=options)

    def get_fundamental_variables(self):
        T_c, T_e = _shared_variable(COOLANT_T), _shared_variable(ENCLOSURE_T)
        G_c = pybamm.Parameter("Cell to coolant conductance [W.K-1]")
        G_e = pybamm.Parameter("Cell to enclosure conductance [W.K-1]")
        T_s = (G_c * T_c + G_e * T_e) / (G_c + G_e)
        return {"Surface temperature [K]": T_s, "Volume-averaged surface temperature [K]": T_s}

    def get_coupled_variables(self, variables):
        variables["Environment total cooling [W]"] = pybamm.Scalar(0)
        return variables


class _SharedCommand(pybamm.BaseSubModel):
    def __init__(self, param, options=None):
        super().__init__(param, options=options)

    def get_fundamental_variables(self):
        return {hs.COMMAND: _shared_variable(hs.COMMAND)}


@dataclass(frozen=True)
class TripHeating:
    """How the pack is heated on a trip.

    Parameters
    ----------
    method : {"none", "ptc", "heat_pump", "ac", "pulse"}
    controller : {"thermostat", "pi"}
    heat_map : tuple, optional
        AC/pulse: (T axis, SOC axis, candidate heat maps) from :mod:`battsim.heating.ac`.
    key : str
        Identity of the maps.
    """

    method: str = "none"
    controller: str = "thermostat"
    heat_map: tuple | None = field(default=None, repr=False, compare=False)
    key: str = ""


@dataclass
class TripSolution:
    series: dict[str, np.ndarray]
    units: dict[str, str]
    termination: str
    warnings: list[str]


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
            elif type(node) is pybamm.Parameter and node.name in _ZONE_PARAMETERS:
                mapping[node] = pybamm.Parameter(prefix + node.name)
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


def _cubic(x, y, child, name):
    return pybamm.Interpolant(x, y, child, name=name, interpolator="cubic")


def _regen_limit_map(chemistry: str, margin_V: float):
    """Largest plating-free charge current per cell [A] on the impedance table's (T, SOC) grid."""
    from battsim.heating.impedance import impedance_table

    chem = get_chemistry(chemistry)
    table = impedance_table(chemistry)
    if table.anode_Ohm is not None:
        z_an = np.abs(table.anode_Ohm[..., 0])  # lowest frequency of the table
        limit = np.maximum(table.anode_potential_V - margin_V, 0.0) / z_an
    else:  # lithium metal: the critical current density
        values = chem.parameter_values()
        area = float(values["Electrode height [m]"] * values["Electrode width [m]"]
                     * values["Number of electrodes connected in parallel to make a cell"])
        ccd = np.array([chem.critical_current_density_A_per_m2(T) for T in table.temperatures_K])
        limit = np.repeat((ccd * area)[:, None], len(table.socs), axis=1)
    return table.temperatures_K, table.socs, np.minimum(limit, 10 * chem.nominal_capacity_Ah)


class PackModel:
    """The trip DAE of one (chemistry, model, zones, drive cycle, heating design), built once.

    Everything else is an input: pack size and network, vehicle, ambient, targets, phases.
    """

    def __init__(self, chemistry: str, zones: tuple[str, ...], cycle: str, heating: TripHeating,
                 model: str = "DFN", massless_nodes: bool = False, plating_margin_V: float = 0.0,
                 rtol: float = 1e-6, atol: float = 1e-6,
                 mesh_points: tuple[int, int] = DEFAULT_MESH_POINTS):
        self.chemistry = get_chemistry(chemistry)
        self.zones = zones
        self.cycle = load_cycle(cycle)
        self.heating = heating
        self.model_name = model
        chem = self.chemistry
        self.capacity_Ah = soc_capacity_Ah(chem.name)

        merged = pybamm.BaseModel(f"battsim pack ({chem.name}, {'+'.join(zones)})")
        parts = {}
        template = None
        for zone in zones:
            zone_model = self._zone_model()
            template = template or zone_model
            parts[zone] = _rename(zone_model, zone.capitalize() + " ")
        I = pybamm.Variable(CELL_CURRENT, scale=chem.nominal_capacity_Ah)
        current_parameter = pybamm.FunctionParameter("Current function [A]", {"Time [s]": pybamm.t})
        for part in parts.values():
            for key in ("rhs", "algebraic", "initial_conditions"):
                getattr(merged, key).update({k: tree_util.replace(v, {current_parameter: I})
                                             for k, v in part[key].items()})
            merged.boundary_conditions.update({
                var: {side: (tree_util.replace(value, {current_parameter: I}), kind) for side, (value, kind) in bcs.items()}
                for var, bcs in part["boundary_conditions"].items()})
            merged.variables.update({k: tree_util.replace(v, {current_parameter: I})
                                     for k, v in part["variables"].items()})
            merged.events += [pybamm.Event(e.name, tree_util.replace(e.expression, {current_parameter: I}),
                                           e.event_type) for e in part["events"]]
        self._add_pack_equations(merged, I, massless_nodes, plating_margin_V)

        values = chem.parameter_values()
        self.input_names = tuple(sorted(self._inputs))
        values.update({name: "[input]" for name in self.input_names}, check_already_exists=False)
        self._values = values
        outputs = [var for var, _ in self._series.values()]
        solver = pybamm.IDAKLUSolver(rtol=rtol, atol=atol, output_variables=outputs,
                                     options={"max_num_steps": 2_000_000}, on_failure="ignore")
        self._simulation = pybamm.Simulation(
            merged, parameter_values=values, geometry=template.default_geometry,
            submesh_types=template.default_submesh_types, var_pts=mesh(template, mesh_points),
            spatial_methods=template.default_spatial_methods, solver=solver)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self._simulation.build()

    # ------------------------------------------------------------------------- building

    def _zone_model(self):
        chem = self.chemistry
        options = {"thermal": "lumped", "calculate discharge energy": "true", **chem.model_options}
        model = MODELS[self.model_name](options, build=False)
        param, opts = model.param, model.options
        model.submodels["thermal"] = LumpedCellThermal(param, opts)
        model.submodels["surface temperature"] = NetworkSurface(param, opts)
        if self.heating.method in ("ac", "pulse"):
            model.submodels["heating command"] = _SharedCommand(param, opts)
            heat_map = self.heating.heat_map

            def method(param, options):
                return hs.TabulatedInternalHeater(param, options, heat_map=heat_map,
                                                  capacity_Ah=self.capacity_Ah)

            model.submodels["heating method"] = method(param, opts)
        else:
            model.submodels["internal heat source"] = InternalHeatSource(param, opts)
        model.build_model()
        # the pack limits charging to the voltage window itself (regeneration headroom), so the
        # cells' upper-voltage events would only stop a trip that starts fully charged
        model.events = [e for e in model.events if "Maximum voltage" not in e.name]
        return model

    def _add_pack_equations(self, m, I, massless_nodes, plating_margin_V):
        P = pybamm.Parameter
        inputs = {
            "Ambient temperature [K]", "Initial temperature [K]", "Cell heat capacity scale",
            "Initial concentration in positive electrode [mol.m-3]", "Series cells", "Parallel strings",
            "Coolant heat capacity [J.K-1]", "Enclosure heat capacity [J.K-1]",
            "Plate to enclosure conductance [W.K-1]", "Insulation conductance [W.K-1]",
            "Vehicle mass [kg]", "Rolling resistance coefficient", "Drag area [m2]", "Air density [kg.m-3]",
            "Drivetrain efficiency", "Regeneration efficiency", "Auxiliary power [W]", "Cabin heater power [W]",
            "Driving", "Drive start time [s]", "Distance target [m]", "Minimum state of charge",
            "Initial state of charge", "Heating target temperature [K]", "Heating lower threshold [K]",
        }
        if self.chemistry.negative_electrode != "lithium metal":
            inputs.add("Initial concentration in negative electrode [mol.m-3]")
        zones = self.zones
        prefix = {z: z.capitalize() + " " for z in zones}
        for z in zones:
            inputs |= {prefix[z] + name for name in _ZONE_PARAMETERS}
        if self.heating.method not in ("ac", "pulse"):
            inputs.add("Internal heat source [W]")
        series = {}

        N_s, N_p = P("Series cells"), P("Parallel strings")
        n_cells = N_s * N_p
        counts = {z: P(prefix[z] + "Zone cell count") for z in zones}
        fractions = {z: counts[z] / n_cells for z in zones}
        V = {z: m.variables[prefix[z] + "Voltage [V]"] for z in zones}
        T = {z: m.variables[prefix[z] + "Volume-averaged cell temperature [K]"] for z in zones}
        V_mean = sum(fractions[z] * V[z] for z in zones)
        T_min = T[zones[0]]
        T_max = T[zones[0]]
        for z in zones[1:]:
            T_min, T_max = pybamm.minimum(T_min, T[z]), pybamm.maximum(T_max, T[z])
        soc = P("Initial state of charge") - m.variables[prefix[zones[0]] + "Discharge capacity [A.h]"] / self.capacity_Ah

        # vehicle demand: wheel power from three cycle shapes, repeated by a modulo of time
        cyc = self.cycle
        period = cyc.duration_s
        X1, X2, X3 = wheel_power_components_W(cyc.speed_m_per_s, cyc.acceleration_m_per_s2())
        driving = P("Driving")
        t_cycle = pybamm.Modulo(pybamm.maximum(pybamm.t - P("Drive start time [s]"), 0), period)
        shapes = [_cubic(cyc.time_s, X, t_cycle, f"cycle_shape_{k}") for k, X in enumerate((X1, X2, X3))]
        speed = driving * pybamm.maximum(_cubic(cyc.time_s, cyc.speed_m_per_s, t_cycle, "cycle_speed"), 0)
        mass = P("Vehicle mass [kg]")
        wheel = driving * (mass * shapes[0] + mass * G_M_PER_S2 * P("Rolling resistance coefficient") * shapes[1]
                           + 0.5 * P("Air density [kg.m-3]") * P("Drag area [m2]") * shapes[2])
        traction = pybamm.maximum(wheel, 0) / P("Drivetrain efficiency") + pybamm.minimum(wheel, 0) * P("Regeneration efficiency")
        aux = driving * P("Auxiliary power [W]")
        cabin = driving * P("Cabin heater power [W]")

        # heating: command, heater powers
        command, controller_eqs = self._controller(T_min)
        heater = self._heater(m, command, counts)
        demand_pack = traction + aux + cabin + heater["battery"]
        demand_cell = demand_pack / n_cells

        # regeneration (charging) limit: plating-free current at the coldest zone, none at V_max
        T_axis, soc_axis, limit = _regen_limit_map(self.chemistry.name, plating_margin_V)
        T_c = pybamm.minimum(pybamm.maximum(T_min, float(T_axis[0])), float(T_axis[-1]))
        soc_c = pybamm.minimum(pybamm.maximum(soc, float(soc_axis[0])), float(soc_axis[-1]))
        charge_limit = pybamm.Interpolant((T_axis, soc_axis), limit, (T_c, soc_c), name="regen_limit",
                                          interpolator="linear")
        V_max = self.chemistry.voltage_window_V[1]
        V_zone_max = V[zones[0]]
        for z in zones[1:]:
            V_zone_max = pybamm.maximum(V_zone_max, V[z])
        # smooth transitions (a 10 mV ramp to the voltage limit, a 10 mW corner at the charge
        # limit): a hard corner makes Newton's method stall when a full battery meets braking
        headroom = 0.5 * (1 + pybamm.tanh((V_max - 0.01 - V_zone_max) / 0.005))
        accepted_cell = pybamm.smooth_max(demand_cell, -charge_limit * headroom * V_mean, 100.0)
        m.algebraic[I] = I * V_mean - accepted_cell
        m.initial_conditions[I] = pybamm.Scalar(0)

        # thermal network
        T_cool, T_encl = _shared_variable(COOLANT_T), _shared_variable(ENCLOSURE_T)
        T_amb = P("Ambient temperature [K]")
        G_pe, G_ins = P("Plate to enclosure conductance [W.K-1]"), P("Insulation conductance [W.K-1]")
        to_coolant = sum(counts[z] * P(prefix[z] + "Cell to coolant conductance [W.K-1]") * (T[z] - T_cool) for z in zones)
        to_enclosure = sum(counts[z] * P(prefix[z] + "Cell to enclosure conductance [W.K-1]") * (T[z] - T_encl) for z in zones)
        coolant_balance = to_coolant + heater["node"] - G_pe * (T_cool - T_encl)
        loss_to_ambient = G_ins * (T_encl - T_amb)
        enclosure_balance = to_enclosure + G_pe * (T_cool - T_encl) - loss_to_ambient
        T0 = P("Initial temperature [K]")
        if massless_nodes:
            m.algebraic[T_cool] = coolant_balance
            m.algebraic[T_encl] = enclosure_balance
        else:
            m.rhs[T_cool] = coolant_balance / P("Coolant heat capacity [J.K-1]")
            m.rhs[T_encl] = enclosure_balance / P("Enclosure heat capacity [J.K-1]")
        m.initial_conditions[T_cool] = T0
        m.initial_conditions[T_encl] = T0
        for var, eq in controller_eqs.get("rhs", {}).items():
            m.rhs[var] = eq
        for var, eq in controller_eqs.get("algebraic", {}).items():
            m.algebraic[var] = eq
        m.initial_conditions.update(controller_eqs.get("initial_conditions", {}))
        inputs |= controller_eqs.get("inputs", set())
        inputs |= heater.get("inputs", set())

        # accounting (solver-integrated energies [J]) and distance [m]
        battery_out = n_cells * I * V_mean
        electrochemical = sum(counts[z] * (m.variables[prefix[z] + "Total heating [W]"]
                                           + m.variables[prefix[z] + "Lumped contact resistance heating [W]"])
                              for z in zones)
        internal_heat = sum(counts[z] * m.variables[prefix[z] + "Internal heat source [W]"] for z in zones)
        flows = {
            "battery_out": battery_out,
            "traction_wheel": pybamm.maximum(wheel, 0),
            "braking_wheel": -pybamm.minimum(wheel, 0),
            "traction_battery": traction,
            "drivetrain_losses": pybamm.maximum(wheel, 0) * (1 / P("Drivetrain efficiency") - 1)
            + (-pybamm.minimum(wheel, 0)) * (1 - P("Regeneration efficiency")),
            "aux": aux,
            "cabin": cabin,
            "heating_battery": heater["battery"],
            "heating_grid": heater["grid"],
            "heating_losses": heater["losses"],
            "heat_pumped": heater["pumped"],
            "heater_to_node": heater["node"],
            "heat_in_cells": internal_heat,
            "regen_not_accepted": n_cells * (accepted_cell - demand_cell),
            "electrochemical_heat": electrochemical,
            "to_ambient": loss_to_ambient,
            "distance": speed,
        }
        states = {}
        for name, flow in flows.items():
            unit = "m" if name == "distance" else "J"
            var = pybamm.Variable(f"Cumulative {name} [{unit}]", scale=1e4 if unit == "m" else 1e5)
            m.rhs[var] = flow
            m.initial_conditions[var] = pybamm.Scalar(0)
            states[name] = var
            series[f"cumulative_{name}_{unit}"] = (var.name, unit)
        m.variables.update({var.name: var for var in states.values()})

        # events
        m.events += [
            pybamm.Event("State of charge floor", soc - P("Minimum state of charge")),
            pybamm.Event("Distance reached", P("Distance target [m]") - states["distance"]),
            pybamm.Event("Heating target reached", P("Heating target temperature [K]") - T_min),
            pybamm.Event("Heating lower threshold reached", T_min - P("Heating lower threshold [K]")),
        ]

        # time series
        named = {
            "Time [s]": pybamm.t, "Time [h]": pybamm.t / 3600,
            "Pack current [A]": N_p * I, "Pack voltage [V]": N_s * V_mean, CELL_CURRENT: I,
            "Pack power demand [W]": demand_pack, "Pack power accepted [W]": n_cells * accepted_cell,
            "Vehicle speed [m.s-1]": speed, "Wheel power [W]": wheel, "Traction battery power [W]": traction,
            "Auxiliary power [W]": aux, "Cabin heater power [W]": cabin,
            "Heater electrical power [W]": heater["electric"], "Heating power from battery [W]": heater["battery"],
            "Heating power from grid [W]": heater["grid"], hs.COMMAND + " (pack)": command,
            "Pack minimum cell temperature [K]": T_min, "Pack temperature spread [K]": T_max - T_min,
            "Pack state of charge": soc, "Regeneration current limit [A]": charge_limit * headroom,
            COOLANT_T: T_cool, ENCLOSURE_T: T_encl, "Ambient temperature (pack) [K]": T_amb,
        }
        m.variables.update(named)
        series.update({
            "time_s": ("Time [s]", "s"), "pack_current_A": ("Pack current [A]", "A"),
            "pack_voltage_V": ("Pack voltage [V]", "V"), "cell_current_A": (CELL_CURRENT, "A"),
            "pack_power_demand_W": ("Pack power demand [W]", "W"),
            "pack_power_accepted_W": ("Pack power accepted [W]", "W"),
            "speed_m_per_s": ("Vehicle speed [m.s-1]", "m.s-1"), "wheel_power_W": ("Wheel power [W]", "W"),
            "traction_battery_power_W": ("Traction battery power [W]", "W"),
            "aux_power_W": ("Auxiliary power [W]", "W"), "cabin_heater_power_W": ("Cabin heater power [W]", "W"),
            "heater_electrical_power_W": ("Heater electrical power [W]", "W"),
            "heating_power_from_battery_W": ("Heating power from battery [W]", "W"),
            "heating_power_from_grid_W": ("Heating power from grid [W]", "W"),
            "heating_command": (hs.COMMAND + " (pack)", "1"),
            "min_cell_temperature_K": ("Pack minimum cell temperature [K]", "K"),
            "temperature_spread_K": ("Pack temperature spread [K]", "K"),
            "soc": ("Pack state of charge", "1"),
            "regen_current_limit_A": ("Regeneration current limit [A]", "A"),
            "coolant_temperature_K": (COOLANT_T, "K"), "enclosure_temperature_K": (ENCLOSURE_T, "K"),
        })
        for z in zones:
            p = prefix[z]
            series[f"{z}_temperature_K"] = (p + "Volume-averaged cell temperature [K]", "K")
            series[f"{z}_voltage_V"] = (p + "Voltage [V]", "V")
            if self.chemistry.negative_electrode != "lithium metal":
                series[f"{z}_anode_potential_V"] = (
                    p + "Negative electrode surface potential difference at separator interface [V]", "V")
            else:
                series[f"{z}_lithium_current_density_A_per_m2"] = (
                    p + "Lithium metal total interfacial current density [A.m-2]", "A.m-2")
        self._series = series
        self._inputs = inputs

    def _controller(self, T_min):
        P = pybamm.Parameter
        u = _shared_variable(hs.COMMAND)
        if self.heating.controller == "pi":
            x = pybamm.Variable("Pack PI integral state [K.s]", scale=100.0)
            Kp, Ki = P("PI gain [K-1]"), P("PI integral gain [K-1.s-1]")
            error = P("PI setpoint [K]") - T_min
            u_raw = Kp * error + Ki * x
            u_sat = pybamm.minimum(pybamm.maximum(u_raw, 0), 1) * P("Heater enabled")
            return u, {"rhs": {x: error + (u_sat - u_raw) / Kp},
                       "algebraic": {u: u - u_sat},
                       "initial_conditions": {x: pybamm.Scalar(0), u: pybamm.Scalar(0)},
                       "inputs": {"PI gain [K-1]", "PI integral gain [K-1.s-1]", "PI setpoint [K]", "Heater enabled"}}
        return u, {"algebraic": {u: u - P(hs.COMMAND)}, "initial_conditions": {u: pybamm.Scalar(0)},
                   "inputs": {hs.COMMAND}}

    def _heater(self, m, command, counts):
        P = pybamm.Parameter
        zero = pybamm.Scalar(0)
        method = self.heating.method
        if method in ("ptc", "heat_pump"):
            electric = command * P("Heater power limit [W]")
            from_battery = P("Heating from battery")
            inputs = {"Heater power limit [W]", "Heating from battery"}
            if method == "ptc":
                node = P("Heater efficiency") * electric
                inputs.add("Heater efficiency")
                losses, pumped = electric - node, zero
            else:
                from battsim.heating.methods import heat_pump_cop_table_K

                COP = pybamm.Interpolant(*heat_pump_cop_table_K(), P("Ambient temperature [K]"),
                                         name="heat_pump_COP", interpolator="linear")
                node, losses, pumped = COP * electric, zero, (COP - 1) * electric
            return {"electric": electric, "battery": electric * from_battery, "grid": electric * (1 - from_battery),
                    "node": node, "losses": losses, "pumped": pumped, "inputs": inputs}
        if method in ("ac", "pulse"):
            prefix = {z: z.capitalize() + " " for z in self.zones}
            electric = sum(counts[z] * m.variables[prefix[z] + "Heater electrical power [W]"] for z in self.zones)
            battery = sum(counts[z] * m.variables[prefix[z] + "Heating power from battery [W]"] for z in self.zones)
            losses = sum(counts[z] * m.variables[prefix[z] + "Heating losses [W]"] for z in self.zones)
            return {"electric": electric, "battery": battery, "grid": electric - battery, "node": zero,
                    "losses": losses, "pumped": zero,
                    "inputs": {"Inverter efficiency", "AC amplitude scale", "Heating from battery",
                               "Maximum warming rate [K.s-1]"}}
        return {"electric": zero, "battery": zero, "grid": zero, "node": zero, "losses": zero, "pumped": zero}

    # ------------------------------------------------------------------------- solving

    def solve(self, inputs: dict[str, float], phases) -> TripSolution:
        """Run the phases: ``phases(solution_so_far)`` returns ``(duration_s, {input: value})``
        for the next segment or ``None``; the first call receives ``None``."""
        missing = [name for name in self.input_names if name not in inputs]
        if missing:
            raise SimulationError(f"missing pack model inputs: {', '.join(missing)}")
        inputs = {name: float(inputs[name]) for name in self.input_names}
        step = phases(None)
        if step is None:
            raise SimulationError("a trip needs at least one phase")
        duration, changes = step
        inputs.update(changes)
        try:
            solution = self._simulation.solve([0.0, duration], inputs=inputs)
            solution = self._recover(solution, duration, inputs)
            while True:
                result = self._package(solution)
                step = phases(result)
                if step is None:
                    break
                duration, changes = step
                inputs.update(changes)
                end = float(solution.t[-1]) + duration
                solution.termination = "final time"  # continue past the event that ended the segment
                solution = self._simulation.step(duration, starting_solution=solution, inputs=inputs, save=True)
                solution = self._recover(solution, end, inputs)
        except pybamm.SolverError as error:
            raise SimulationError(f"PyBaMM solver failed: {error}") from error
        return self._package(solution)

    def _recover(self, solution, end_s: float, inputs):
        """Restart IDA from the last converged state after a failure within a segment.

        IDA occasionally fails a step (``IDA_CONV_FAIL`` with the step shrunk to its minimum)
        where the equations are smooth, e.g. at a hard regeneration after a long soak; a
        restart re-initialises its step-size and order history and goes on. A failure at
        the same time twice, or more than ``_MAX_RESTARTS`` of them, is an error.
        """
        restarts, last_failure = 0, None
        while solution.termination == "failure":
            t = float(solution.t[-1])
            if restarts >= _MAX_RESTARTS or (last_failure is not None and t <= last_failure + 1e-6):
                raise SimulationError(f"PyBaMM's IDA solver failed at t = {t:.3f} s (after {restarts} restarts)")
            restarts, last_failure = restarts + 1, t
            solution.termination = "final time"
            solution = self._simulation.step(end_s - t, starting_solution=solution, inputs=inputs, save=True)
        return solution

    def _package(self, solution) -> TripSolution:
        series = {name: np.asarray(solution[var].entries, dtype=float) for name, (var, _) in self._series.items()}
        return TripSolution(series, {n: u for n, (_, u) in self._series.items()}, str(solution.termination), [])


@functools.lru_cache(maxsize=None)
def get_pack_model(chemistry: str, zones: tuple[str, ...], cycle: str, heating: TripHeating,
                   model: str = "DFN", massless_nodes: bool = False, plating_margin_V: float = 0.0,
                   rtol: float = 1e-6, atol: float = 1e-6,
                   mesh_points: tuple[int, int] = DEFAULT_MESH_POINTS) -> PackModel:
    """The process-wide :class:`PackModel` for these settings, built on first use."""
    return PackModel(chemistry, zones, cycle, heating, model, massless_nodes, plating_margin_V, rtol, atol,
                     mesh_points)
