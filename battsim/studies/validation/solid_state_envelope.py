"""The solid-state cell's operating envelope against the rates a built cell sustained.

battsim's ``solid-state-li-metal`` cell takes its design from Samsung's argyrodite pouch (Lee
et al. 2020) but its lithium interface from bare lithium on Li6PS5Cl without stack pressure
(critical current density 0.4 mA/cm2 at 25 degC, Singh et al. 2022, with Spencer-Jolly et
al.'s temperature dependence). Lee's cell, which plates lithium under a silver-carbon layer at
2 MPa, discharged at 2C (13.6 mA/cm2) at 60 degC and cycled 1000 times at 0.5C (BS-13). The
envelope (largest 10 s pulse from 50 % SOC, :mod:`battsim.cases.envelope`) is compared with
those rates: it is far below them, a known failure that says the cell modelled is not the cell
that was built. The plot draws the envelope from -30 to 60 degC with Lee's rates at 60 degC.
"""

from __future__ import annotations

import functools

from battsim.studies.validation.base import Comparison, PlotSpec, Series, ValidationCase, published_value, run_config

CHEMISTRY = "solid-state-li-metal"
TEMPERATURES_C = (-30.0, -20.0, -10.0, 0.0, 25.0, 45.0, 60.0)
LEE_DISCHARGE_C = published_value("BS-13", "discharge_c_rate")  # at 60 degC
LEE_CHARGE_C = published_value("BS-13", "charge_c_rate_cycled")


@functools.cache
def envelope(ambient_C: float) -> dict:
    """Largest discharge and charge C-rates of a 10 s pulse from 50 % SOC at ``ambient_C``, and their limits."""
    result = run_config({"scenario": {"kind": "cell_envelope"}, "cell": {"chemistry": CHEMISTRY},
                         "climate": {"ambient_C": ambient_C}, "envelope": {"soc": 0.5, "pulse_s": 10.0}})
    return {**result.metrics, **result.labels}


def plot() -> PlotSpec:
    T = TEMPERATURES_C
    return PlotSpec(
        "Solid-state cell: largest 10 s pulse rate against temperature, and what Lee et al.'s cell sustained",
        "ambient temperature [degC]", "C-rate [1/h]",
        (Series("battsim envelope, discharge", T, tuple(envelope(t)["max_discharge_c_rate"] for t in T)),
         Series("battsim envelope, charge", T, tuple(envelope(t)["max_charge_c_rate"] for t in T), linestyle="--"),
         Series("Lee 2020, 60 degC: discharged at 2C (BS-13, a lower bound)", (60.0,), (LEE_DISCHARGE_C,),
                published=True),
         Series("Lee 2020, 60 degC: cycled 1000x at 0.5C (BS-13, a lower bound)", (60.0,), (LEE_CHARGE_C,),
                published=True)),
        logy=True,
        note="battsim's envelope is set by bare lithium's critical current density (0.4 mA/cm2 at 25 degC); Lee's "
             "cell plates lithium under a silver-carbon layer at 2 MPa, whose limit is not published.")


def _lee_rate_case(direction: str, key: str, published: float, what: str) -> ValidationCase:
    return ValidationCase(
        name=f"solid-state-{direction}-rate-60C", reference_id="BS-13", reference_key=key,
        quantity=f"largest {direction} C-rate at 60 degC (at least)", published=published,
        model=lambda: envelope(60.0)[f"max_{direction}_c_rate"], tolerance=0.0, at_least=True, absolute=True,
        absolute_unit="C", why=f"a rate the built cell {what} is a lower bound on its envelope",
        known_failure="battsim's lithium interface is bare lithium without stack pressure, held to its critical "
                      "current density (0.31C at 60 degC); Lee's Ag-C anode at 2 MPa is not modelled and its "
                      "critical current density is not published")


COMPARISON = Comparison(
    name="solid_state_envelope",
    title="solid-state operating envelope against a built argyrodite cell's rates",
    cases=(_lee_rate_case("discharge", "discharge_c_rate", LEE_DISCHARGE_C, "discharged at (2C, more than 80 % used)"),
           _lee_rate_case("charge", "charge_c_rate_cycled", LEE_CHARGE_C, "was cycled at 1000 times")),
    plot=plot,
)
