"""Vehicle layer: drive cycles, road load, presets, cabin heating (pure functions, fast)."""

import numpy as np
import pytest

from battsim.errors import ConfigError
from battsim.heating.methods.heat_pump import heat_pump_cop
from battsim.vehicle.cycles import CYCLES, load_cycle
from battsim.vehicle.road_load import air_density_kg_per_m3, battery_power_W, wheel_power_W
from battsim.vehicle.vehicle import PRESETS, cabin_heat_demand_W, cabin_heater_electric_W, get_vehicle

# published totals of the shipped traces (battsim/data/drive_cycles/README.md)
PUBLISHED = {"wltc": (1800, 23.266), "cltc-p": (1800, 14.48), "nedc": (1180, 11.007), "udds": (1369, 11.9896),
             "hwfet": (765, 16.5119), "us06": (600, 12.8908)}


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_cycles_match_their_published_duration_and_distance(name):
    cycle = load_cycle(name)
    duration, km = PUBLISHED[name]
    assert cycle.duration_s == duration
    assert cycle.distance_m / 1000 == pytest.approx(km, rel=2e-3)  # the README's largest deviation is 0.06 %


def test_every_registered_cycle_loads_and_unknown_names_are_rejected():
    for name in CYCLES:
        cycle = load_cycle(name)
        assert np.all(np.diff(cycle.time_s) == 1.0) and np.all(cycle.speed_m_per_s >= 0)
    with pytest.raises(ConfigError, match="did you mean 'wltc'"):
        load_cycle("wltp")


def test_air_density_follows_the_ideal_gas_law():
    assert air_density_kg_per_m3(288.15) == pytest.approx(1.225, rel=1e-3)  # ISO 2533 sea level
    assert air_density_kg_per_m3(253.15) / air_density_kg_per_m3(293.15) == pytest.approx(293.15 / 253.15)


def test_road_load_limits():
    # cruising at 100 km/h: drag + rolling, by hand
    v, m, crr, cda, rho = 100 / 3.6, 1626.0, 0.00777, 0.741, 1.2
    expected = (m * 9.80665 * crr + 0.5 * rho * cda * v**2) * v
    assert wheel_power_W(v, 0.0, m, crr, cda, rho) == pytest.approx(expected)
    # standing still costs nothing; braking returns power through the regeneration efficiency
    assert wheel_power_W(0.0, 0.0, m, crr, cda, rho) == 0.0
    assert battery_power_W(-1000.0, 0.85, 0.83) == pytest.approx(-830.0)
    assert battery_power_W(1000.0, 0.85, 0.83) == pytest.approx(1000 / 0.85)


def test_presets_and_overrides():
    assert set(PRESETS) == {"compact", "midsize-suv"}
    bolt = get_vehicle("compact")
    assert bolt.mass_kg == 1626.0 and bolt.cda_m2 == pytest.approx(0.741, rel=1e-3)
    heavier = get_vehicle("compact", mass_kg=2000.0, crr=None)
    assert heavier.mass_kg == 2000.0 and heavier.crr == bolt.crr
    with pytest.raises(ConfigError, match="compact"):
        get_vehicle("pickup")


def test_cabin_heating_grows_with_cold_and_a_heat_pump_uses_less():
    bolt = get_vehicle("compact")
    assert cabin_heat_demand_W(bolt, 25.0) == 0.0
    assert cabin_heat_demand_W(bolt, -20.0) > cabin_heat_demand_W(bolt, -7.0) > 0
    cop = heat_pump_cop  # COP against ambient [degC], as trips use it
    ptc = cabin_heater_electric_W(bolt, -7.0, cop)
    heat_pump = cabin_heater_electric_W(get_vehicle("compact", cabin_heater="heat_pump"), -7.0, cop)
    assert heat_pump < ptc <= bolt.cabin_heater_max_W
    # below the heat pump's range a resistive heater takes over
    assert cabin_heater_electric_W(get_vehicle("compact", cabin_heater="heat_pump"), -30.0, cop) == pytest.approx(
        min(cabin_heat_demand_W(bolt, -30.0), bolt.cabin_heater_max_W))
