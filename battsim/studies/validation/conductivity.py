"""Solid-electrolyte conductivity against temperature: the solid-state cell's Li6PS5Cl.

The model is the Arrhenius law of the cell's own source (Singh et al. 2022: 1.95 mS/cm at
25 degC, 0.37 eV; :mod:`battsim.cells.solid_state`); it is compared with an independent
cold-pressed pellet (SS-05) and with the spread argyrodites show with synthesis (SS-06).
"""

from __future__ import annotations

import numpy as np

from battsim.cells import get_chemistry
from battsim.studies.validation.base import Comparison, PlotSpec, Series, ValidationCase

CHEMISTRY = "solid-state-li-metal"


def conductivity_mS_per_cm(T_C: float) -> float:
    """The solid-state cell's electrolyte conductivity at ``T_C`` [mS/cm]."""
    return 10 * float(get_chemistry(CHEMISTRY).solid_electrolyte.conductivity_S_per_m(T_C + 273.15))


def plot() -> PlotSpec:
    T = tuple(float(t) for t in np.linspace(-40.0, 60.0, 26))
    return PlotSpec(
        "Li6PS5Cl ionic conductivity against temperature", "temperature [degC]", "conductivity [mS/cm]",
        (Series("battsim: Arrhenius law, 1.95 mS/cm at 25 degC, 0.37 eV (Singh et al. 2022)", T,
                tuple(conductivity_mS_per_cm(t) for t in T)),
         Series("SS-05: cold-pressed pellet, Li et al. JACS 2023", (25.0,), (2.19,), published=True),
         Series("SS-06: solid-state-synthesised argyrodites, Zhou et al. Acc. Chem. Res. 2021", (23.0,), (1.52,),
                low=(0.46,), high=(5.0,), published=True)),
        logy=True,
        note="SS-06's range is drawn at 23 degC (room temperature) around its geometric mean.")


COMPARISON = Comparison(
    name="conductivity",
    title="solid-electrolyte conductivity against temperature (Li6PS5Cl)",
    cases=(ValidationCase(
        name="li6ps5cl-conductivity-25C",
        quantity="Li6PS5Cl ionic conductivity at 25 degC [mS/cm]",
        reference_id="SS-05", published=2.19, model=lambda: conductivity_mS_per_cm(25.0), tolerance=0.20,
        why="independent cold-pressed pellet; argyrodite conductivity spans 0.46-5 mS/cm with "
            "synthesis (SS-06), so agreement within 20 % is agreement within the material's spread"),),
    plot=plot,
)
