"""``ptc``: an electric coolant heater (PTC / HV coolant heater) feeding the coolant/plate node.

Electrical-to-heat efficiency ``heating.heater_efficiency`` (default 1.0: a resistive heater
turns all its input into heat; the loop's losses are the node's conductance to ambient). With
the ``rapid`` controller the heater runs at full power while the coolant node stays below
``heating.node_limit_C``.
"""

from __future__ import annotations

from battsim.heating.base import HeatingMethod, HeatingSettings, Knob, PreparedHeating
from battsim.models import heating_submodels as hs
from battsim.models import names
from battsim.models._pybamm import pybamm
from battsim.models.cell import HeatingDesign
from battsim.models.pack.terms import HeaterTerms, PackHeatingContext


class PTCHeater(HeatingMethod):
    """Electric coolant heater: heat into the node :math:`\\eta\\,P_{el}`, :math:`P_{el} = u\\,P_{max}`."""

    name = "ptc"
    summary = "electric coolant heater (PTC) feeding the coolant/plate node"
    #: (ambient temperature [K], COP [-]) of a heat pump; ``None`` for a resistive heater
    cop_table: tuple | None = None

    def cell_design(self, chemistry, settings: HeatingSettings, controller, capacity_Ah: float,
                    initial_T_K: float, initial_soc: float) -> PreparedHeating:
        cop, coolant_limit = self.cop_table, controller.rapid

        def method(param, options):
            return hs.ExternalHeater(param, options, cop_table=cop, coolant_limit=coolant_limit)

        inputs = {**controller.cell_inputs(settings), **self.base_inputs(settings),
                  names.HEATER_POWER_LIMIT: settings.heater_power_W,
                  names.HEATER_EFFICIENCY: settings.heater_efficiency}
        if coolant_limit:
            inputs[names.NODE_LIMIT] = settings.node_limit_K
        series = {"heat_pump_cop": (names.HEAT_PUMP_COP, "1")} if cop is not None else {}
        design = HeatingDesign(key=f"{chemistry.name}/{self.name}/{controller.name}", method=method,
                               controller=controller.cell_submodel(), inputs=tuple(inputs), series=series)
        return PreparedHeating(design=design, inputs=inputs)

    def heater_terms(self, context: PackHeatingContext) -> HeaterTerms:
        P = pybamm.Parameter
        electric = context.command * P(names.HEATER_POWER_LIMIT)
        battery = electric * P(names.BATTERY_SHARE)
        node = P(names.HEATER_EFFICIENCY) * electric
        return HeaterTerms(electric=electric, battery=battery, grid=electric - battery, node=node,
                           losses=electric - node, pumped=pybamm.Scalar(0),
                           inputs=frozenset({names.HEATER_POWER_LIMIT, names.BATTERY_SHARE, names.HEATER_EFFICIENCY}))

    def trip_inputs(self, settings: HeatingSettings) -> dict[str, float]:
        return {names.HEATER_POWER_LIMIT: settings.pack_heater_power_W,
                names.HEATER_EFFICIENCY: settings.heater_efficiency}

    def knobs(self, settings: HeatingSettings) -> list[Knob]:
        """The heater power, from 5 % of the configured limit to the limit (log-spaced)."""
        return [Knob("heater_power_W", 0.05 * settings.heater_power_W, settings.heater_power_W, log=True)]
