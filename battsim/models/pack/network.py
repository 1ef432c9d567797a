"""The pack's thermal network: zone cells, coolant/plate node, enclosure, ambient.

::

    core cells --G_cp--+
                       +-- coolant/plate node (heater) --G_pe-- enclosure --G_ins-- ambient
    edge cells --G_cp--+                                          |
         \\-----------------------------G_ee----------------------+

The cells see the network through :class:`NetworkSurface`; :func:`network_equations`
returns the heat balances of the two nodes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from battsim.models import names
from battsim.models._pybamm import pybamm
from battsim.models.pack.terms import shared_variable


class NetworkSurface(pybamm.BaseSubModel):
    """The cell surface sees the network: a conductance-weighted mean of the coolant/plate and
    enclosure temperatures, :math:`T_s = (G_c T_c + G_e T_e)/(G_c + G_e)`, through
    :math:`hA = G_c + G_e` (the zone's ``"Total heat transfer coefficient"`` input), which is
    exactly :math:`G_c (T - T_c) + G_e (T - T_e)` leaving the cell."""

    def __init__(self, param, options=None):
        super().__init__(param, options=options)

    def get_fundamental_variables(self):
        T_c, T_e = shared_variable(names.COOLANT_T), shared_variable(names.ENCLOSURE_T)
        G_c = pybamm.Parameter(names.CELL_TO_COOLANT)
        G_e = pybamm.Parameter(names.CELL_TO_ENCLOSURE)
        T_s = (G_c * T_c + G_e * T_e) / (G_c + G_e)
        return {names.SURFACE_TEMPERATURE: T_s, names.SURFACE_TEMPERATURE_AVERAGE: T_s}

    def get_coupled_variables(self, variables):
        variables[names.ENVIRONMENT_COOLING] = pybamm.Scalar(0)
        return variables


class SharedCommand(pybamm.BaseSubModel):
    """The zone cells read the pack's heating command (a pack-level variable)."""

    def __init__(self, param, options=None):
        super().__init__(param, options=options)

    def get_fundamental_variables(self):
        return {names.COMMAND: shared_variable(names.COMMAND)}


@dataclass
class Network:
    """The network's states, equations and the heat it loses to ambient [W]."""

    coolant: pybamm.Variable
    enclosure: pybamm.Variable
    ambient: pybamm.Symbol
    loss_to_ambient: pybamm.Symbol
    rhs: dict = field(default_factory=dict)
    algebraic: dict = field(default_factory=dict)
    initial_conditions: dict = field(default_factory=dict)
    inputs: frozenset = frozenset()


def network_equations(zones, counts: dict, T: dict, heater_to_node, massless_nodes: bool) -> Network:
    """Heat balances of the coolant/plate and enclosure nodes.

    Parameters
    ----------
    zones : tuple of str
    counts : dict
        Zone -> cells in the zone.
    T : dict
        Zone -> cell temperature [K].
    heater_to_node : pybamm.Symbol
        Heat the pack heater puts into the coolant node [W].
    massless_nodes : bool
        Nodes without heat capacity (algebraic balances).

    Notes
    -----
    .. math::

        C_c \\dot T_c = \\sum_z N_z G_{c,z} (T_z - T_c) + Q_{heater} - G_{pe} (T_c - T_e)

        C_e \\dot T_e = \\sum_z N_z G_{e,z} (T_z - T_e) + G_{pe} (T_c - T_e) - G_{ins} (T_e - T_{amb})
    """
    P = pybamm.Parameter
    T_cool, T_encl = shared_variable(names.COOLANT_T), shared_variable(names.ENCLOSURE_T)
    T_amb = P(names.AMBIENT_TEMPERATURE)
    G_pe, G_ins = P(names.PLATE_TO_ENCLOSURE), P(names.INSULATION)
    prefix = {z: names.zone_prefix(z) for z in zones}
    to_coolant = sum(counts[z] * P(prefix[z] + names.CELL_TO_COOLANT) * (T[z] - T_cool) for z in zones)
    to_enclosure = sum(counts[z] * P(prefix[z] + names.CELL_TO_ENCLOSURE) * (T[z] - T_encl) for z in zones)
    coolant_balance = to_coolant + heater_to_node - G_pe * (T_cool - T_encl)
    loss_to_ambient = G_ins * (T_encl - T_amb)
    enclosure_balance = to_enclosure + G_pe * (T_cool - T_encl) - loss_to_ambient
    network = Network(T_cool, T_encl, T_amb, loss_to_ambient,
                      inputs=frozenset({names.PLATE_TO_ENCLOSURE, names.INSULATION, names.COOLANT_HEAT_CAPACITY,
                                        names.ENCLOSURE_HEAT_CAPACITY, names.INITIAL_COOLANT_TEMPERATURE,
                                        names.INITIAL_ENCLOSURE_TEMPERATURE}))
    if massless_nodes:
        network.algebraic = {T_cool: coolant_balance, T_encl: enclosure_balance}
    else:
        network.rhs = {T_cool: coolant_balance / P(names.COOLANT_HEAT_CAPACITY),
                       T_encl: enclosure_balance / P(names.ENCLOSURE_HEAT_CAPACITY)}
    network.initial_conditions = {T_cool: P(names.INITIAL_COOLANT_TEMPERATURE),
                                  T_encl: P(names.INITIAL_ENCLOSURE_TEMPERATURE)}
    return network
