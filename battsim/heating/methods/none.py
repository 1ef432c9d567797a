"""``none``: no heating (trips only; the 25 degC reference trip runs with it)."""

from __future__ import annotations

from battsim.errors import ConfigError
from battsim.heating.base import HeatingMethod
from battsim.models.pack.terms import HeaterTerms, PackHeatingContext


class NoHeating(HeatingMethod):
    """No heater: every heating power is zero."""

    name = "none"
    summary = "no heating (trips only)"
    heats = False

    def cell_design(self, chemistry, settings, controller, capacity_Ah, initial_T_K, initial_soc):
        raise ConfigError("heating.method = 'none': a cell_heating case needs a heating method; allowed: "
                          "'ptc', 'heat_pump', 'ac', 'pulse', 'self_heating'")

    def heater_terms(self, context: PackHeatingContext) -> HeaterTerms:
        return HeaterTerms.off()
