"""PyBaMM submodels that add battsim's heat sources and thermal seams to a cell model.

They are swapped into a PyBaMM battery model through its submodel dictionary, the way
PyBaMM's own thermal options are::

    model = pybamm.lithium_ion.DFN({"thermal": "lumped"}, build=False)
    model.submodels["internal heat source"] = InternalHeatSource(model.param, model.options)
    model.submodels["thermal"] = LumpedCellThermal(model.param, model.options)
    model.submodels["surface temperature"] = ExternalNode(model.param, model.options)
    model.build_model()

Every quantity they introduce is a PyBaMM parameter, so it can be set to ``"[input]"`` and
one built model serves many cases. The chemistries' parameter sets do not define them: a
plain-PyBaMM user of these submodels sets ``"Cell heat capacity scale"`` (1 for the bare cell),
``"Internal heat source [W]"`` and, with a node, the ``"External node ..."`` parameters
(``battsim.models.names``) or marks them ``"[input]"``, as :class:`battsim.models.cell.CellModel` does.

Heat balances (lumped cell of heat capacity :math:`C(T)`, external node of heat capacity
:math:`C_n`):

.. math::

    C(T)\\,\\frac{dT}{dt} = Q_{gen} + Q_{src} - hA\\,(T - T_s)

    C_n\\,\\frac{dT_n}{dt} = hA\\,(T - T_n) + P_{heater} - G\\,(T_n - T_{amb})

with :math:`T_s = T_{amb}` without an external node and :math:`T_s = T_n` with one.
:math:`Q_{gen}` is PyBaMM's electrochemical heat (Ohmic, reaction, reversible) and
:math:`Q_{src}` an extra heat released inside the cell (a heater, AC excitation ...).
Each term is also integrated by the solver into a cumulative energy [J], so energy
conservation can be checked to solver tolerance rather than to output resolution.

References
----------
Lumped thermal model: Timms, R. et al. "Asymptotic reduction of a lithium-ion pouch cell
model." SIAM J. Appl. Math. 81(3), 765-788 (2021), doi:10.1137/20M1336898; the cell
submodel here extends PyBaMM's ``thermal.Lumped``.
"""

from scipy.constants import zero_Celsius

from battsim.models import names as n
from battsim.models._pybamm import pybamm
from battsim.models.names import (
    CELL_HEAT_CAPACITY,
    HEAT_CAPACITY_SCALE,
    INTERNAL_HEAT_SOURCE,
    NODE_CONDUCTANCE,
    NODE_HEAT_CAPACITY,
    NODE_HEATER_POWER,
    NODE_INITIAL_TEMPERATURE,
)

_ENERGY_SCALE_J = 1e3


def _energy_state(name):
    return pybamm.Variable(name, scale=_ENERGY_SCALE_J)


class InternalHeatSource(pybamm.BaseSubModel):
    """An extra heat released uniformly inside the cell [W].

    The default takes its value from the parameter ``"Internal heat source [W]"``;
    heating methods whose heat depends on the cell state replace this submodel with one
    that defines the same variable.
    """

    def __init__(self, param, options=None):
        super().__init__(param, options=options)

    def get_fundamental_variables(self):
        Q_src = pybamm.Parameter(INTERNAL_HEAT_SOURCE)
        return {INTERNAL_HEAT_SOURCE: Q_src}


class ExternalNodeHeater(pybamm.BaseSubModel):
    """Heater power into the external node [W] from the parameter of the same name.

    Heating methods that feed the node replace this submodel with one defining the same
    variable.
    """

    def __init__(self, param, options=None):
        super().__init__(param, options=options)

    def get_fundamental_variables(self):
        return {NODE_HEATER_POWER: pybamm.Parameter(NODE_HEATER_POWER)}


class LumpedCellThermal(pybamm.thermal.Lumped):
    """PyBaMM's lumped cell thermal model with a whole-cell heat capacity and a heat source.

    Differences from ``pybamm.thermal.Lumped``:

    * the heat capacity is the whole cell's, ``"Cell heat capacity [J.K-1]"`` as a
      function of temperature [J.K-1], so that a chemistry states the measured
      :math:`m\\,c_p` of its cell (can, tabs and all) rather than only the electrode stack,
      times ``"Cell heat capacity scale"`` (1 for the bare cell);
    * the variable ``"Internal heat source [W]"`` (from :class:`InternalHeatSource` or a
      replacement) is added to the heat balance;
    * the cumulative heat generated, added and exchanged are states [J].
    """

    def get_fundamental_variables(self):
        variables = super().get_fundamental_variables()
        variables.update(
            {
                n.CUMULATIVE_ELECTROCHEMICAL_HEAT: _energy_state(
                    n.CUMULATIVE_ELECTROCHEMICAL_HEAT
                ),
                n.CUMULATIVE_INTERNAL_HEAT: _energy_state(
                    n.CUMULATIVE_INTERNAL_HEAT
                ),
                n.CUMULATIVE_HEAT_FROM_SURFACE: _energy_state(
                    n.CUMULATIVE_HEAT_FROM_SURFACE
                ),
            }
        )
        return variables

    def get_coupled_variables(self, variables):
        variables = super().get_coupled_variables(variables)
        T_vol_av = variables[n.CELL_TEMPERATURE]
        C_cell = pybamm.Parameter(HEAT_CAPACITY_SCALE) * pybamm.FunctionParameter(
            CELL_HEAT_CAPACITY, {n.FUNCTION_TEMPERATURE: T_vol_av})
        V = variables[n.CELL_THERMAL_VOLUME]
        variables.update(
            {
                CELL_HEAT_CAPACITY: C_cell,
                n.EFFECTIVE_HEAT_CAPACITY: C_cell / V,
                # positive when heat leaves the cell through its surface
                n.HEAT_FROM_SURFACE: -variables[n.SURFACE_COOLING],
            }
        )
        return variables

    def set_rhs(self, variables):
        T_vol_av = variables[n.CELL_TEMPERATURE]
        Q_gen = variables[n.TOTAL_HEATING] + variables[n.CONTACT_HEATING]
        Q_src = variables[INTERNAL_HEAT_SOURCE]
        Q_out = variables[n.HEAT_FROM_SURFACE]
        C_cell = variables[CELL_HEAT_CAPACITY]
        self.rhs = {
            T_vol_av: (Q_gen + Q_src - Q_out) / C_cell,
            variables[n.CUMULATIVE_ELECTROCHEMICAL_HEAT]: Q_gen,
            variables[n.CUMULATIVE_INTERNAL_HEAT]: Q_src,
            variables[n.CUMULATIVE_HEAT_FROM_SURFACE]: Q_out,
        }

    def set_initial_conditions(self, variables):
        super().set_initial_conditions(variables)
        zero = pybamm.Scalar(0)
        self.initial_conditions.update(
            {
                variables[n.CUMULATIVE_ELECTROCHEMICAL_HEAT]: zero,
                variables[n.CUMULATIVE_INTERNAL_HEAT]: zero,
                variables[n.CUMULATIVE_HEAT_FROM_SURFACE]: zero,
            }
        )


class ExternalNode(pybamm.BaseSubModel):
    """A lumped external thermal node (plate, coolant, fixture) as the cell's surroundings.

    The node's temperature is a state of the model; it receives the heat leaving the cell
    surface, the heater power ``"External node heater power [W]"`` (defined by
    :class:`ExternalNodeHeater` or a heating method) and loses heat to ambient
    through ``"External node to ambient conductance [W.K-1]"``. It takes the place of the
    ``"surface temperature"`` submodel, so the cell exchanges heat with the node instead of
    with ambient; a pack thermal network connects here.
    """

    def __init__(self, param, options=None):
        super().__init__(param, options=options)

    def get_fundamental_variables(self):
        T_node = pybamm.Variable(n.NODE_TEMPERATURE, scale=self.param.T_ref)
        return {
            n.NODE_TEMPERATURE: T_node,
            n.NODE_TEMPERATURE_C: T_node - zero_Celsius,
            n.SURFACE_TEMPERATURE: T_node,
            n.SURFACE_TEMPERATURE_AVERAGE: T_node,
            n.CUMULATIVE_NODE_HEATER: _energy_state(
                n.CUMULATIVE_NODE_HEATER
            ),
            n.CUMULATIVE_NODE_TO_AMBIENT: _energy_state(
                n.CUMULATIVE_NODE_TO_AMBIENT
            ),
        }

    def get_coupled_variables(self, variables):
        T_node = variables[n.NODE_TEMPERATURE]
        T_amb = variables[n.AMBIENT_TEMPERATURE_VARIABLE]
        G = pybamm.Parameter(NODE_CONDUCTANCE)
        Q_amb = G * (T_node - T_amb)
        variables.update(
            {
                n.NODE_HEAT_TO_AMBIENT: Q_amb,
                n.ENVIRONMENT_COOLING: -Q_amb,
            }
        )
        return variables

    def set_rhs(self, variables):
        T_node = variables[n.NODE_TEMPERATURE]
        Q_from_cell = variables[n.HEAT_FROM_SURFACE]
        P_heater = variables[NODE_HEATER_POWER]
        Q_amb = variables[n.NODE_HEAT_TO_AMBIENT]
        C_node = pybamm.Parameter(NODE_HEAT_CAPACITY)
        self.rhs = {
            T_node: (Q_from_cell + P_heater - Q_amb) / C_node,
            variables[n.CUMULATIVE_NODE_HEATER]: P_heater,
            variables[n.CUMULATIVE_NODE_TO_AMBIENT]: Q_amb,
        }

    def set_initial_conditions(self, variables):
        zero = pybamm.Scalar(0)
        self.initial_conditions = {
            variables[n.NODE_TEMPERATURE]: pybamm.Parameter(
                NODE_INITIAL_TEMPERATURE
            ),
            variables[n.CUMULATIVE_NODE_HEATER]: zero,
            variables[n.CUMULATIVE_NODE_TO_AMBIENT]: zero,
        }
