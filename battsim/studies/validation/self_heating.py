"""Self-heating cell (nickel foil after Wang et al., Nature 2016): the heating time the foil
design is calibrated on (SH-01) and the capacity it consumes, which is a prediction (SH-03);
the plot adds the predicted time from -30 and -10 degC. The calibration itself:
:mod:`battsim.studies.self_heating` and ``validation/self_heating.md``."""

from __future__ import annotations

import functools

from battsim.studies import self_heating
from battsim.studies.validation.base import Comparison, PlotSpec, Series, ValidationCase, quietly

START_TEMPERATURES_C = (-30.0, -20.0, -10.0)


@functools.cache
def heating_to_0C(start_C: float = -20.0) -> tuple[float, float]:
    """Time [s] and capacity consumed [%] heating the self-heating cell from ``start_C`` to 0 degC."""
    return quietly(self_heating.simulate, self_heating.acb_config(start_C=start_C))


def plot() -> PlotSpec:
    runs = [heating_to_0C(T) for T in START_TEMPERATURES_C]
    published = self_heating.PUBLISHED_TIME_S
    return PlotSpec(
        "Self-heating cell heated to 0 degC by its foil", "start temperature [degC]", "heating time [s]",
        (Series("battsim: foil design calibrated at -20 degC", START_TEMPERATURES_C, tuple(r[0] for r in runs)),
         Series("SH-01: Wang et al. Nature 2016, -20 -> 0 degC (+-15 %)", (-20.0,), (published,),
                low=(0.85 * published,), high=(1.15 * published,), published=True)),
        note="capacity consumed: " + ", ".join(f"{T:g} degC {r[1]:.2f} %" for T, r in zip(START_TEMPERATURES_C, runs))
             + f"; SH-03 published {self_heating.PUBLISHED_CAPACITY_PCT:g} % from -20 degC")


COMPARISON = Comparison(
    name="self_heating",
    title="self-heating cell: heating time and capacity consumed from -20 degC",
    cases=(
        ValidationCase(
            name="self-heating-time-minus20C",
            quantity="self-heating time from -20 to 0 degC [s] (foil design calibrated on it)",
            reference_id="SH-01", published=self_heating.PUBLISHED_TIME_S, model=lambda: heating_to_0C()[0],
            tolerance=0.15, why="the calibration target of the foil design (battsim.studies.self_heating)"),
        ValidationCase(
            name="self-heating-capacity-minus20C",
            quantity="capacity consumed by self-heating from -20 to 0 degC [%]",
            reference_id="SH-03", published=self_heating.PUBLISHED_CAPACITY_PCT, model=lambda: heating_to_0C()[1],
            tolerance=0.15,
            why="a prediction (only the foil resistance is calibrated, on SH-01): it checks the power cell's "
                "heat capacity per A.h and the DFN's heat; 15 % as the issue asks"),
    ),
    plot=plot,
)
