"""Vehicle layer: drive cycles, road load, drivetrain map, presets, cabin and heat pump (pure functions,
fast)."""

import dataclasses

import numpy as np
import pytest

from battsim.errors import ConfigError
from battsim.vehicle.cabin import air_viscosity_Pa_s, film_conductance_times_length
from battsim.vehicle.cycles import CYCLES, load_cycle
from battsim.vehicle.drivetrain import MOTOR_MAP_FRACTIONS, MOTOR_MAP_SHAPE, Drivetrain
from battsim.vehicle.heat_pump import heat_pump_capacity_W, heat_pump_cop
from battsim.vehicle.road_load import (
    CRR_PER_K,
    air_density_kg_per_m3,
    rolling_resistance_coefficient,
    wheel_power_W,
)
from battsim.vehicle.vehicle import PRESETS, get_vehicle

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
    flat = Drivetrain(motor_max_W=1e5, motor_peak_efficiency=0.95, efficiency=0.85, regen_efficiency=0.83)
    assert flat.battery_power_W(-1000.0) == pytest.approx(-830.0)
    assert flat.battery_power_W(1000.0) == pytest.approx(1000 / 0.85)


def test_rolling_resistance_is_the_iso_correction_and_rises_in_the_cold():
    assert rolling_resistance_coefficient(0.008, 25.0) == pytest.approx(0.008)
    # ISO 28580: F25 = Ft [1 + Kt (t - 25)], so at 15 degC the tyre rolls 8 % harder (Kt = 0.008)
    assert rolling_resistance_coefficient(0.008, 15.0) * (1 + CRR_PER_K * (15 - 25)) == pytest.approx(0.008)
    assert rolling_resistance_coefficient(0.008, -20.0) > rolling_resistance_coefficient(0.008, 0.0) > 0.008
    assert rolling_resistance_coefficient(0.008, -20.0, per_K=0.0) == 0.008


def test_drivetrain_map_is_fastsims_and_loses_power_both_ways():
    d = get_vehicle("compact").drivetrain
    assert max(MOTOR_MAP_SHAPE) == 1.0 and len(MOTOR_MAP_SHAPE) == len(MOTOR_MAP_FRACTIONS)
    # the Bolt's calibrated FASTSim-3 map: 0.8736 at no load, 0.9876 at 40-60 %, 0.9669 at full power
    assert d.motor_efficiency(0.0) == pytest.approx(0.87361, rel=1e-4)
    assert d.motor_efficiency(0.5 * d.motor_max_W) == pytest.approx(0.98760, rel=1e-4)
    assert d.motor_efficiency(2 * d.motor_max_W) == pytest.approx(0.96688, rel=1e-4)  # clipped at the rating
    wheel = np.array([1e3, 1e4, 5e4])
    battery = d.battery_power_W(wheel)
    chain = 0.98 * d.motor_efficiency(wheel / 0.98)
    assert np.all(battery == pytest.approx(wheel / chain))
    assert np.all(battery > wheel / 0.98)
    # braking: at most 98 % reaches the motor, through the gearbox and the motor, up to its rating
    regen = -d.battery_power_W(-wheel)
    assert np.all(regen < 0.98 * 0.98 * wheel) and np.all(regen > 0.8 * wheel)
    assert -d.battery_power_W(-10 * d.motor_max_W) == pytest.approx(d.motor_max_W * d.motor_efficiency(d.motor_max_W))
    # one number each way replaces the map, as before the map
    flat = Drivetrain(motor_max_W=1e5, motor_peak_efficiency=0.95, efficiency=0.85, regen_efficiency=0.83)
    assert flat.battery_power_W(1000.0) == pytest.approx(1000 / 0.85)
    assert flat.battery_power_W(-1000.0) == pytest.approx(-830.0)


def test_presets_and_overrides():
    assert set(PRESETS) == {"compact", "midsize-suv", "small-hatch"}
    bolt = get_vehicle("compact")
    assert bolt.mass_kg == pytest.approx(1626.129) and bolt.cda_m2 == pytest.approx(0.741, rel=1e-3)
    heavier = get_vehicle("compact", mass_kg=2000.0, crr=None, cabin={"setpoint_C": 20.0, "ptc_max_W": None})
    assert heavier.mass_kg == 2000.0 and heavier.crr == bolt.crr
    assert heavier.cabin.setpoint_C == 20.0 and heavier.cabin.ptc_max_W == bolt.cabin.ptc_max_W
    assert get_vehicle("midsize-suv").cabin.heater == "heat_pump"
    with pytest.raises(ConfigError, match="compact"):
        get_vehicle("pickup")


def test_cabin_loses_heat_through_shell_and_outside_film():
    cabin = get_vehicle("compact").cabin
    inside, outside = 295.15, 263.15
    parked = cabin.conductance_W_per_K(0.0, inside, outside)
    # parked: shell in series with FASTSim's fitted film, 10.07 m2 / (1/234.8 + 1/15.03) = 142 W/K
    assert parked == pytest.approx(cabin.area_m2 / (1 / 234.7985 + 1 / 15.029024), rel=1e-6)
    moving = [float(cabin.conductance_W_per_K(v, inside, outside)) for v in (5.0, 15.0, 30.0, 60.0)]
    assert all(a < b for a, b in zip(moving, moving[1:]))  # a faster wind takes more heat
    assert moving[-1] < cabin.area_m2 * cabin.shell_htc_W_per_m2K  # the shell bounds it
    # the flat-plate correlations meet at the critical Reynolds number (FASTSim's 871 makes them continuous)
    T = 270.0
    x_crit = 5e5 * air_viscosity_Pa_s(T) / air_density_kg_per_m3(T)
    below, above = film_conductance_times_length(x_crit * (1 - 1e-9), T), film_conductance_times_length(x_crit, T)
    assert above == pytest.approx(below, rel=0.02)
    # ventilation adds m c_p
    assert dataclasses.replace(cabin, fresh_air_kg_per_s=0.05).conductance_W_per_K(0.0, inside, outside) \
        == pytest.approx(parked + 0.05 * 1006.0)


def test_heat_pump_capacity_follows_its_sources():
    # fitted to Tang et al. (3.6 kW at -5 degC, COP 3.2); the second published point, 3.10 kW at -10 degC
    assert heat_pump_capacity_W(-5.0) == pytest.approx(3600.0)
    assert heat_pump_capacity_W(-10.0) == pytest.approx(3100.0, rel=0.03)
    assert heat_pump_capacity_W(-20.0) < heat_pump_capacity_W(-10.0)
    assert heat_pump_capacity_W(-25.0) == 0.0  # below its range: the resistive backup heats
    assert heat_pump_cop(-20.0) == pytest.approx(1.7) and heat_pump_cop(0.0) == pytest.approx(3.2)


def test_on_a_dynamometer_the_drag_is_the_rolls_and_the_tyres_are_cold():
    """On the rolls the drag is the one specified for about 20 degC (40 CFR 1066.805(c)) whatever the
    cell's temperature; the tyres roll at the cell's temperature (ISO 28580 is a drum test). On a
    road both follow the ambient."""
    from battsim import config
    from battsim.cases.trip import road_warnings, vehicle_inputs, vehicle_of
    from battsim.models import names

    def case(**drive):
        (only,) = config.from_mapping({"scenario": {"kind": "trip"}, "climate": {"ambient_C": -10.0},
                                       "drive": drive})[1]
        return only.config

    road, rolls = case(), case(dynamometer=True)
    on_road, on_rolls = (vehicle_inputs(c, vehicle_of(c)) for c in (road, rolls))
    assert on_rolls[names.AIR_DENSITY] == pytest.approx(float(air_density_kg_per_m3(293.15)))
    assert on_road[names.AIR_DENSITY] == pytest.approx(float(air_density_kg_per_m3(263.15)))
    crr_cold = vehicle_of(road).crr / (1 - 35 * CRR_PER_K)
    assert on_road[names.ROLLING_RESISTANCE] == pytest.approx(crr_cold) == on_rolls[names.ROLLING_RESISTANCE]
    assert "extrapolated to -10 degC" in road_warnings(rolls)[0]
