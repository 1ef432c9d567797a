"""``self_heating``: a cell that discharges through an embedded nickel foil until it is warm.

Wang, C.-Y., Zhang, G., Ge, S., Xu, T., Ji, Y., Yang, X.-G., Leng, Y. "Lithium-ion battery
structure that self-heats at low temperatures." Nature 529, 515-518 (2016),
doi:10.1038/nature16502. The foil design (:data:`FOIL_DESIGN_OHM_AH`) is calibrated against
their -20 -> 0 degC heating time (reference SH-01) by :mod:`battsim.studies.self_heating`.
"""

from __future__ import annotations

from battsim.heating.base import HeatingMethod, HeatingSettings, Knob, PreparedHeating
from battsim.models import heating_submodels as hs
from battsim.models import names
from battsim.models.cell import HeatingDesign

#: calibrated foil resistance per unit capacity [Ohm.A.h] (``battsim.studies.self_heating.calibrate``; tested)
FOIL_DESIGN_OHM_AH = 0.398


class SelfHeating(HeatingMethod):
    """Embedded foil: :math:`I_{foil} = u\\,V/R_{foil}` out of the cell, its Joule heat inside it."""

    name = "self_heating"
    summary = "embedded nickel foil the cell discharges through (Wang et al. 2016)"
    in_trips = False

    def cell_design(self, chemistry, settings: HeatingSettings, controller, capacity_Ah: float,
                    initial_T_K: float, initial_soc: float) -> PreparedHeating:
        inputs = {**controller.cell_inputs(settings), **self.base_inputs(settings),
                  names.FOIL_RESISTANCE: settings.foil_resistance_Ohm}
        design = HeatingDesign(key=f"{chemistry.name}/{self.name}/{controller.name}", method=hs.FoilHeater,
                               controller=controller.cell_submodel(), inputs=tuple(inputs),
                               series={"foil_current_A": (names.FOIL_CURRENT, "A")}, voltage_limits=False)
        return PreparedHeating(design=design, inputs=inputs)

    def knobs(self, settings: HeatingSettings) -> list[Knob]:
        """The foil resistance, 0.02 to 2 Ohm (log-spaced)."""
        return [Knob("foil_resistance_Ohm", 0.02, 2.0, log=True)]

    @staticmethod
    def default_foil_resistance_Ohm(nominal_capacity_Ah: float) -> float:
        """The calibrated foil design scaled to a cell's capacity [Ohm]."""
        return FOIL_DESIGN_OHM_AH / nominal_capacity_Ah
