"""Cell specific heat: the layer-weighted heat capacity of each chemistry over its mass,
against the generic published values for its cathode family (EX-08..EX-10)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from battsim.cells import chemistry_names, get_chemistry
from battsim.studies.validation.base import Comparison, PlotSpec, Series, ValidationCase

#: published generic values at 30-40 degC [J/(kg K)] and the range EX-08 quotes
PUBLISHED = {"EX-08": ("NCA cell", 830.0), "EX-09": ("NMC cell", 1040.0), "EX-10": ("LFP cell", 1130.0)}
PUBLISHED_RANGE_J_PER_KGK = (800.0, 1100.0)


def _specific_heat(name: str) -> Callable[[], float]:
    def model() -> float:
        return get_chemistry(name).specific_heat_J_per_kgK(35.0)

    return model


def plot() -> PlotSpec:
    T = tuple(float(t) for t in np.linspace(-30.0, 45.0, 16))
    series = [Series(f"battsim: {name}", T, tuple(get_chemistry(name).specific_heat_J_per_kgK(t) for t in T))
              for name in chemistry_names()]
    for reference_id, (cell, value) in PUBLISHED.items():
        series.append(Series(f"{reference_id}: generic {cell} (30-40 degC)", (35.0,), (value,), published=True))
    low, high = PUBLISHED_RANGE_J_PER_KGK
    series.append(Series("published range of cell values (EX-08)", (37.0,), ((low + high) / 2,), low=(low,),
                         high=(high,), published=True))
    return PlotSpec("Cell specific heat against temperature", "temperature [degC]", "specific heat [J/(kg K)]",
                    tuple(series), note=f"published cell values span {low:g}-{high:g} J/(kg K) (EX-08 notes)")


COMPARISON = Comparison(
    name="thermal_properties",
    title="cell specific heat against the published values for each cathode family",
    cases=(
        ValidationCase(
            name="lfp-cell-specific-heat", quantity="LFP cell specific heat at 35 degC [J/(kg K)]",
            reference_id="EX-10", published=1130.0, model=_specific_heat("lfp-graphite"), tolerance=0.15,
            why="generic LFP-cell value at 30-40 degC; published cell values span 800-1100+ J/(kg K) "
                "(EX-08 notes), about +-15 % around it"),
        ValidationCase(
            name="nmc-cell-specific-heat", quantity="NMC cell specific heat at 35 degC [J/(kg K)]",
            reference_id="EX-09", published=1040.0, model=_specific_heat("nmc811-graphite"), tolerance=0.20,
            why="generic NMC-cell value at 30-40 degC; the LG M50's steel can and SiOx-graphite differ "
                "from the cells behind the generic value; published range 800-1100 J/(kg K) (EX-08)"),
    ),
    plot=plot,
)
