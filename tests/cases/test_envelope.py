"""The operating envelope (``cell_envelope``): the largest pulse rates inside a cell's limits."""

import dataclasses
import warnings

import pytest

import battsim as bs
from battsim.cases.envelope import ccd_c_rate, pulse_limit
from battsim.cases.resolve import cell_conditions
from battsim.cells import get_chemistry
from battsim.config import expand
from battsim.errors import ConfigError, ValidityWarning
from battsim.models.cell import get_cell_model

BASE = {"scenario": {"kind": "cell_envelope"}, "climate": {"ambient_C": [25.0, -20.0]}}


def _run(chemistry):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ValidityWarning)
        return {r.params["ambient_C"]: r for r in bs.run({**BASE, "cell": {"chemistry": chemistry}})}


def test_a_lithium_metal_cell_is_held_to_its_critical_current_density():
    """The solid-state cell's rates are its CCD rate: 0.4 mA/cm2 at 25 degC over 5.4 mA*h/cm2 of
    cathode is 0.075C; the CCD's 33.9 kJ/mol takes it ten times lower at -20 degC."""
    chemistry = get_chemistry("solid-state-li-metal")
    results = _run(chemistry.name)
    for T, r in results.items():
        assert r.metrics["max_discharge_c_rate"] == pytest.approx(ccd_c_rate(chemistry, T + 273.15))
        assert r.labels == {"discharge_limit": "critical_current_density", "charge_limit": "critical_current_density"}
    assert results[25.0].metrics["ccd_c_rate"] == pytest.approx(0.0746, rel=0.02)
    assert results[-20.0].metrics["ccd_c_rate"] < 0.1 * results[25.0].metrics["ccd_c_rate"]


@pytest.mark.slow
def test_a_graphite_cell_charges_slower_in_the_cold_and_the_rate_found_is_the_edge():
    results = _run("nmc811-graphite")
    warm, cold = results[25.0], results[-20.0]
    assert cold.metrics["max_charge_c_rate"] < 0.5 * warm.metrics["max_charge_c_rate"]
    assert cold.metrics["max_discharge_c_rate"] < warm.metrics["max_discharge_c_rate"]
    assert cold.labels["charge_limit"] == "plating_margin"
    # the bisection's answer is the edge: a pulse 3 % slower stays inside, 3 % faster plates
    (case,) = expand({**BASE, "cell": {"chemistry": "nmc811-graphite"}, "climate": {"ambient_C": -20.0}})
    cfg, chemistry = case.config, get_chemistry("nmc811-graphite")
    model = get_cell_model(chemistry)
    conditions = dataclasses.replace(cell_conditions(cfg, chemistry), initial_soc=0.5)
    rate = cold.metrics["max_charge_c_rate"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ValidityWarning)
        assert pulse_limit(model, conditions, -0.97 * rate * chemistry.nominal_capacity_Ah, 10.0, 0.0) is None
        assert pulse_limit(model, conditions, -1.03 * rate * chemistry.nominal_capacity_Ah, 10.0, 0.0) == \
            "plating_margin"


def test_envelope_inputs_are_checked():
    with pytest.raises(ConfigError, match="envelope.soc = 1"):
        bs.run({**BASE, "envelope": {"soc": 1.0}})
    with pytest.raises(ConfigError, match="envelope.pulse_s"):
        bs.run({**BASE, "envelope": {"pulse_s": 0}})
