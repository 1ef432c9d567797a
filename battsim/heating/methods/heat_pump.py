"""``heat_pump``: the coolant/plate node fed by a heat pump whose COP falls with ambient temperature
(:mod:`battsim.vehicle.heat_pump`)."""

from __future__ import annotations

from battsim.heating.methods.ptc import PTCHeater
from battsim.models import names
from battsim.models._pybamm import pybamm
from battsim.models.pack.terms import HeaterTerms, PackHeatingContext
from battsim.vehicle.heat_pump import HEAT_PUMP_MIN_C, heat_pump_cop, heat_pump_cop_table_K


class HeatPump(PTCHeater):
    """Heat pump: heat into the node :math:`\\mathrm{COP}(T_{amb})\\,P_{el}`, of which
    :math:`(\\mathrm{COP} - 1)\\,P_{el}` is pumped from ambient."""

    name = "heat_pump"
    summary = "heat pump feeding the coolant/plate node, COP falling with ambient temperature"
    cop_table = heat_pump_cop_table_K()

    def heater_terms(self, context: PackHeatingContext) -> HeaterTerms:
        P = pybamm.Parameter
        electric = context.command * P(names.HEATER_POWER_LIMIT)
        cop = pybamm.Interpolant(*self.cop_table, P(names.AMBIENT_TEMPERATURE), name="heat_pump_COP",
                                 interpolator="linear")
        electric = electric * (cop > 0)  # off where it cannot pump: no compressor work lost
        battery = electric * P(names.BATTERY_SHARE)
        zero = pybamm.Scalar(0)
        return HeaterTerms(electric=electric, battery=battery, grid=electric - battery, node=cop * electric,
                           losses=zero, pumped=(cop - 1) * electric,
                           inputs=frozenset({names.HEATER_POWER_LIMIT, names.BATTERY_SHARE}))

    def unavailable(self, ambient_C: float) -> str | None:
        if heat_pump_cop(ambient_C) > 0:
            return None
        return (f"heating.method 'heat_pump' is off at {ambient_C:g} degC: below {HEAT_PUMP_MIN_C:g} degC, the lowest "
                "ambient an EV heat pump was shown to work at, it delivers no heat and draws no power, so the pack "
                "is not heated (use 'ptc', a resistive heater)")

    def trip_inputs(self, settings) -> dict[str, float]:
        return {names.HEATER_POWER_LIMIT: settings.pack_heater_power_W}
