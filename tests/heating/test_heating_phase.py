"""Heating phases: energy conservation, the rapid controller against the thermostat, methods."""

import numpy as np
import pytest
from scipy import integrate

from battsim import config
from battsim.cases import run_case
from battsim.cases.heating import run_heating_phase
from battsim.cells import get_chemistry
from battsim.errors import ValidityWarning
from battsim.vehicle.heat_pump import HEAT_PUMP_COP

BASE = """
[scenario]
kind = "cell_heating"
[cell]
chemistry = "nmc811-graphite"
initial_soc = 0.8
[climate]
ambient_C = -20
[thermal]
h_W_per_m2K = 10.0
node_heat_capacity_J_per_K = 20.0
node_to_ambient_W_per_K = 0.005
[heating]
target_C = 0
max_duration_s = 1800
"""


def heating_config(tmp_path, *overrides):
    path = tmp_path / "heating.toml"
    path.write_text(BASE)
    return config.load(path, list(overrides))[1][0].config


@pytest.mark.parametrize("method", ["ptc", "heat_pump", "ac", "pulse", "self_heating"])
@pytest.mark.parametrize("source", ["grid", "battery"])
def test_energy_balance_closes(tmp_path, method, source):
    """E_grid + E_battery + E_pumped + E_electrochemical = dH_cell + dH_node + E_ambient + E_losses."""
    cfg = heating_config(tmp_path, f"heating.method={method}", f"heating.power_source={source}",
                         "heating.max_duration_s=600")
    s = run_heating_phase(cfg).solution.series
    chemistry = get_chemistry(cfg.cell.chemistry)
    T = s["temperature_K"]
    stored_cell = integrate.quad(chemistry.heat_capacity_J_per_K, T[0], T[-1])[0]
    stored_node = cfg.thermal.node_heat_capacity_J_per_K * (s["node_temperature_K"][-1] - s["node_temperature_K"][0])
    supplied = (s["cumulative_heating_grid_J"][-1] + s["cumulative_heating_battery_J"][-1]
                + s["cumulative_heat_pumped_J"][-1] + s["cumulative_electrochemical_heat_J"][-1])
    spent = (stored_cell + stored_node + s["cumulative_node_heat_to_ambient_J"][-1]
             + s["cumulative_heating_losses_J"][-1])
    assert supplied > 100.0  # a real heating took place
    assert spent == pytest.approx(supplied, rel=1e-2)
    # who pays is kept apart
    if source == "grid" and method not in ("self_heating",):
        assert s["cumulative_heating_battery_J"][-1] == pytest.approx(0.0, abs=1e-9)
    else:
        assert s["cumulative_heating_grid_J"][-1] == pytest.approx(0.0, abs=1e-9)


@pytest.mark.slow
@pytest.mark.parametrize("method", ["ac", "pulse"])
def test_rapid_controller_is_faster_than_thermostat_and_never_plates(tmp_path, method):
    """Same current limit, plating margin and voltage window: the rapid controller re-chooses
    amplitude and frequency as the cell warms; the thermostat keeps the setting that was safe
    at the start."""
    results = {}
    for controller in ("thermostat", "rapid"):
        cfg = heating_config(tmp_path, f"heating.method={method}", f"heating.controller={controller}",
                             "heating.target_C=-5")
        results[controller] = run_case(config.Case(swept={}, config=cfg))
    rapid, thermostat = results["rapid"].metrics, results["thermostat"].metrics
    assert rapid["heating_target_reached"] == 1.0
    if thermostat["heating_target_reached"] == 1.0:
        assert rapid["heating_time_s"] < thermostat["heating_time_s"]
    else:  # the thermostat never got there in the time allowed
        assert rapid["heating_time_s"] < 1800.0
    assert rapid["plating_time_s"] == 0.0
    assert rapid["min_anode_potential_V"] >= 0.0
    ts = results["rapid"].timeseries
    chemistry = get_chemistry("nmc811-graphite")
    assert np.all(ts["ac_voltage_max_V"] <= chemistry.voltage_window_V[1] + 1e-9)
    assert np.all(ts["ac_voltage_min_V"] >= chemistry.voltage_window_V[0] - 1e-9)
    peak = ts["ac_amplitude_A"] * (1.0 if method == "ac" else 0.55 / 0.45)
    assert np.all(peak <= 3.0 * chemistry.nominal_capacity_Ah * (1 + 1e-9))


def test_ptc_from_the_grid_charges_the_grid_not_the_battery(tmp_path):
    cfg = heating_config(tmp_path, "heating.method=ptc", "heating.power_source=grid")
    result = run_case(config.Case(swept={}, config=cfg))
    m = result.metrics
    assert m["heating_target_reached"] == 1.0
    assert m["heating_energy_battery_kWh"] == 0.0 and m["heating_energy_grid_kWh"] > 0
    assert m["heating_soc_consumed_pct"] == pytest.approx(0.0, abs=1e-6)
    # a 1.8 W heater at full power: energy = power x time
    assert m["heating_energy_kWh"] * 3.6e6 == pytest.approx(1.8 * m["heating_time_s"], rel=1e-3)


def test_heat_pump_beats_ptc_where_its_cop_exceeds_one(tmp_path):
    times = {}
    for method in ("ptc", "heat_pump"):
        cfg = heating_config(tmp_path, f"heating.method={method}", "climate.ambient_C=-10",
                             "cell.initial_temperature_C=-10")
        result = run_case(config.Case(swept={}, config=cfg))
        times[method] = result.metrics["heating_time_s"]
    assert times["heat_pump"] < times["ptc"]


def test_heat_pump_cop_follows_its_sources():
    T, cop = zip(*HEAT_PUMP_COP)
    assert np.interp(-20.0, T, cop) == pytest.approx(1.7)   # Qin et al. 2014
    assert np.interp(-5.0, T, cop) == pytest.approx(3.2)    # Tang et al. 2020
    assert np.interp(-25.0, T, cop) == 0.0                  # below the lowest shown operation
    assert np.all(np.diff(cop) >= 0)


def test_pi_controller_approaches_its_set_point_without_windup(tmp_path):
    """A PTC under PI never exceeds its set point by more than 1 K (anti-windup) and reaches the target."""
    cfg = heating_config(tmp_path, "heating.method=ptc", "heating.controller=pi", "heating.target_C=0",
                         "heating.pi_offset_K=2")
    result = run_case(config.Case(swept={}, config=cfg))
    assert result.metrics["heating_target_reached"] == 1.0
    command = result.timeseries["heating_command"]
    assert np.all((command >= 0) & (command <= 1))


def test_rapid_controller_caps_the_warming_rate(tmp_path):
    cfg = heating_config(tmp_path, "heating.method=ac", "heating.controller=rapid",
                         "heating.max_warming_rate_K_per_min=0.5", "heating.target_C=-15")
    result = run_case(config.Case(swept={}, config=cfg))
    t, T = result.timeseries["time_s"], result.timeseries["temperature_C"]
    assert result.metrics["heating_target_reached"] == 1.0
    assert np.max(np.diff(T) / np.diff(t)) * 60 <= 0.5 * (1 + 1e-3)
    assert result.metrics["heating_time_s"] >= 5 / 0.5 * 60 * (1 - 1e-3)  # 5 K at 0.5 K/min


def test_internal_heating_of_a_cell_without_an_impedance_is_refused_by_name():
    """Ecker 2015 gives no double-layer capacitance: no impedance, so no AC or pulse heating; the
    error names the key, the value and what is allowed."""
    from battsim.cells import get_chemistry
    from battsim.errors import ConfigError
    from battsim.heating.methods.ac import ACHeating

    with pytest.raises(ConfigError, match=r"heating.method = 'ac'.*'nco-graphite-power'.*choose ptc, heat_pump"):
        ACHeating()._check_impedance_available(get_chemistry("nco-graphite-power"))
    ACHeating()._check_impedance_available(get_chemistry("nmc811-graphite"))  # has both capacitances


def test_a_heat_pump_below_its_lowest_ambient_is_off_and_says_so(tmp_path):
    cfg = heating_config(tmp_path, "heating.method=heat_pump", "climate.ambient_C=-30",
                         "cell.initial_temperature_C=-30", "heating.max_duration_s=600")
    with pytest.warns(ValidityWarning, match="outside the -20 to 60 degC range"):  # the cell, colder than its data
        result = run_case(config.Case(swept={}, config=cfg))
    series = result.timeseries
    assert result.metrics["heating_energy_kWh"] == 0.0  # no compressor work drawn ...
    assert series["cumulative_heat_pumped_J"][-1] == 0.0  # ... and none pumped out of the pack
    assert any("'heat_pump' is off at -30 degC" in w and "'ptc'" in w for w in result.warnings)
