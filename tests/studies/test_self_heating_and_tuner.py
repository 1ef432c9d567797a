"""Self-heating calibration against Wang et al. 2016, and the controller tuner."""

import pytest
from scipy import integrate

from battsim import config
from battsim.cells import get_chemistry
from battsim.errors import ConfigError
from battsim.heating.methods.self_heating import FOIL_DESIGN_OHM_AH
from battsim.studies import self_heating, tuner


@pytest.mark.slow
def test_foil_design_is_the_calibrated_one_and_reproduces_SH01_and_SH03():
    """Calibrated at -20 degC on SH-01's 20 s, the shipped foil design reproduces it, and the
    predicted capacity consumed matches SH-03's 3.8 %, both within 15 %."""
    calibration = self_heating.calibrate()
    assert calibration["foil_ohm_ah"] == pytest.approx(FOIL_DESIGN_OHM_AH, rel=0.02)
    time_s, capacity_pct = self_heating.simulate(self_heating.acb_config())
    assert time_s == pytest.approx(self_heating.PUBLISHED_TIME_S, rel=0.15)          # SH-01
    assert capacity_pct == pytest.approx(self_heating.PUBLISHED_CAPACITY_PCT, rel=0.15)  # SH-03


def test_capacity_consumed_is_fixed_by_energy_conservation():
    """All the charge drawn becomes heat in the cell, so the fraction consumed is
    integral C dT / (U Q), whatever the foil."""
    chemistry = get_chemistry(self_heating.CHEMISTRY)
    heat_J = integrate.quad(chemistry.heat_capacity_J_per_K, 253.15, 273.15)[0]
    _, pct = self_heating.simulate(self_heating.acb_config())
    ocv_V = 3.7  # the cell's open-circuit voltage near 50 % SOC
    expected_pct = 100 * heat_J / (ocv_V * chemistry.nominal_capacity_Ah * 3600)
    assert pct == pytest.approx(expected_pct, rel=0.08)  # 8 %: the OCV varies a little over the heating
    # and the same arithmetic with SH-03 gives the 2016 cell's thermal mass per A.h
    assert self_heating.heat_capacity_per_Ah_implied() == pytest.approx(25.3, rel=0.01)


def test_colder_starts_cost_more_time_and_charge():
    rows = self_heating.predictions((-20.0, -10.0))
    assert rows[0]["time_s"] > rows[1]["time_s"] and rows[0]["capacity_pct"] > rows[1]["capacity_pct"]


TUNE_BASE = """
[scenario]
kind = "cell_heating"
[cell]
chemistry = "nmc811-graphite"
initial_soc = 0.8
[climate]
ambient_C = -20
[thermal]
h_W_per_m2K = 10.0
node_heat_capacity_J_per_K = 10.0
node_to_ambient_W_per_K = 0.005
[heating]
target_C = -10
max_duration_s = 3600
"""


def tune_config(tmp_path, *overrides):
    path = tmp_path / "tune.toml"
    path.write_text(TUNE_BASE)
    return config.load(path, list(overrides))[1][0].config


@pytest.mark.slow
def test_tuner_finds_a_feasible_ac_setting_and_its_trade_off(tmp_path):
    cfg = tune_config(tmp_path, "heating.method=ac", "heating.controller=thermostat")
    result = tuner.tune(cfg, "time", max_evaluations=21)
    assert result.best is not None and result.best.feasible
    # the optimum is the fastest feasible setting seen, and it respects the limits by construction
    feasible = [e for e in result.evaluations if e.feasible]
    assert result.best.time_s == min(e.time_s for e in feasible)
    front = result.pareto()
    assert front[0].time_s == result.best.time_s
    assert all(a.energy_Wh > b.energy_Wh for a, b in zip(front, front[1:]))
    # plating or voltage violations are infeasible, never the optimum
    assert all(e.reason in ("", "target not reached", "plating margin crossed", "voltage window left")
               for e in result.evaluations)


def test_tuner_on_ptc_uses_full_power_for_time_and_respects_a_budget(tmp_path):
    cfg = tune_config(tmp_path, "heating.method=ptc")
    fastest = tuner.tune(cfg, "time", max_evaluations=8)
    assert fastest.best.settings["heater_power_W"] == pytest.approx(cfg.heating.heater_power_W, rel=0.02)
    budget = 1.05 * fastest.best.energy_Wh
    budgeted = tuner.tune(cfg, "time_with_budget", budget_Wh=budget, max_evaluations=8)
    assert budgeted.best.energy_Wh <= budget


def test_tuner_rejects_bad_requests(tmp_path):
    cfg = tune_config(tmp_path, "heating.method=ptc")
    with pytest.raises(ConfigError, match="budget"):
        tuner.tune(cfg, "time_with_budget")
    with pytest.raises(ConfigError, match="objective 'fast'"):
        tuner.tune(cfg, "fast")
