"""State of charge: initial particle concentrations and the charge between 0 and 100 %."""

from __future__ import annotations

import functools

from battsim.models import names
from battsim.models._pybamm import pybamm
from battsim.models.protocol import ChemistryLike
from battsim.units import FARADAY_C_PER_MOL, SECONDS_PER_HOUR


@functools.lru_cache(maxsize=4096)
def initial_concentrations(chemistry: ChemistryLike, soc: float) -> tuple[float, float | None]:
    """Initial (positive, negative) particle concentrations [mol.m-3] at state of charge ``soc`` [-].

    From PyBaMM's electrode state-of-health model on the open-circuit voltage window of the
    chemistry (``None`` for the negative of a lithium-metal cell); cached per value.
    """
    values = chemistry.parameter_values()
    c_p_max = values[names.MAX_C_POSITIVE]
    if chemistry.negative_electrode == "lithium metal":
        y = pybamm.lithium_ion.get_initial_stoichiometry_half_cell(float(soc), values,
                                                                  options=chemistry.model_options)
        return float(y["x"]) * c_p_max, None
    x, y = pybamm.lithium_ion.get_initial_stoichiometries(float(soc), values)
    return float(y) * c_p_max, float(x) * values[names.MAX_C_NEGATIVE]


@functools.lru_cache(maxsize=64)
def soc_capacity_Ah(chemistry: ChemistryLike) -> float:
    """Charge between 0 and 100 % state of charge at rest [A.h] (the SOC scale of battsim)."""
    values = chemistry.parameter_values()
    c_empty, _ = initial_concentrations(chemistry, 0.0)
    c_full, _ = initial_concentrations(chemistry, 1.0)
    solid = values[names.POSITIVE_ACTIVE_FRACTION] * values[names.POSITIVE_THICKNESS]
    return float((c_empty - c_full) * solid * electrode_area_m2(chemistry) * FARADAY_C_PER_MOL / SECONDS_PER_HOUR)


def electrode_area_m2(chemistry: ChemistryLike) -> float:
    """Total electrode area of the cell [m2] (height x width x electrodes in parallel)."""
    values = chemistry.parameter_values()
    return float(values[names.ELECTRODE_HEIGHT] * values[names.ELECTRODE_WIDTH] * values[names.ELECTRODES_IN_PARALLEL])
