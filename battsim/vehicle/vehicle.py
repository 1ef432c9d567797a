"""Vehicles: road-load parameters, loads besides traction, and cited presets.

Presets take their road load and masses from NREL's FASTSim vehicle files, which are fitted
to the EPA road-load coefficients and (for the Bolt) calibrated against Argonne dynamometer
tests including -6.7 degC runs (NREL, FASTSim, https://github.com/NREL/fastsim):

* ``compact``: 2020 Chevrolet Bolt EV (FASTSim-3 ``2020 Chevrolet Bolt EV.yaml``): 1626 kg,
  Cd 0.309 x 2.397 m2, Crr 0.00777, 66 kWh, auxiliary 250 W, lumped cabin of 15.03 W/(m2 K)
  over 10.07 m2 = 151 W/K, HVAC electric power up to 5 kW (resistive cabin heater).
* ``midsize-suv``: 2022 Tesla Model Y RWD (FASTSim ``2022_Tesla_Model_Y_RWD.csv``): 1909 kg,
  CdA 0.678 m2, Crr 0.00775, 62 kWh, auxiliary 100 W, heat-pump cabin heating; cabin 213 W/K
  (FASTSim's Model 3 file, 17.41 W/(m2 K) over 12.21 m2, scaled from the Bolt).

Common defaults: battery-to-wheel efficiency 0.85 (between the 0.78 city and 0.83 highway
implied by the US DOE/EPA energy flows, fueleconomy.gov "Where the energy goes: electric cars",
and FASTSim's 0.89 component chain); up to 98 % of braking energy regenerated (FASTSim
``max_regen``) through the same drivetrain (0.98 x 0.85 = 0.83); cabin set point 22 degC
(FASTSim; AAA tested at 72 degF).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Literal

import numpy as np

from battsim.errors import ConfigError


@dataclass(frozen=True)
class Vehicle:
    """A battery electric vehicle.

    Parameters
    ----------
    name : str
    mass_kg : float
        Test mass [kg].
    cda_m2 : float
        Drag area [m2].
    crr : float
        Rolling-resistance coefficient [-].
    drivetrain_efficiency : float
        Battery-to-wheel efficiency in traction [-].
    regen_efficiency : float
        Share of braking power returned to the battery [-].
    aux_W : float
        Auxiliary (low-voltage) load [W].
    cabin_ua_W_per_K : float
        Heat loss of the cabin per kelvin of inside-outside difference [W.K-1].
    cabin_setpoint_C : float
        Cabin temperature held when heating [degC].
    cabin_heater : {"ptc", "heat_pump"}
    cabin_heater_max_W : float
        Largest electric power of the cabin heater [W].
    battery_energy_kWh : float
        Battery energy the pack is sized to [kW.h].
    source : str
    """

    name: str
    mass_kg: float
    cda_m2: float
    crr: float
    drivetrain_efficiency: float
    regen_efficiency: float
    aux_W: float
    cabin_ua_W_per_K: float
    cabin_setpoint_C: float
    cabin_heater: Literal["ptc", "heat_pump"]
    cabin_heater_max_W: float
    battery_energy_kWh: float
    source: str = ""


_FASTSIM = "NREL FASTSim vehicle files, https://github.com/NREL/fastsim"

PRESETS = {
    "compact": Vehicle(
        name="compact (2020 Chevrolet Bolt EV)", mass_kg=1626.0, cda_m2=0.309 * 2.397, crr=0.00777,
        drivetrain_efficiency=0.85, regen_efficiency=0.98 * 0.85, aux_W=250.0,
        cabin_ua_W_per_K=15.03 * 10.07, cabin_setpoint_C=22.0, cabin_heater="ptc",
        cabin_heater_max_W=5000.0, battery_energy_kWh=66.0, source=_FASTSIM + " (2020 Chevrolet Bolt EV.yaml)"),
    "midsize-suv": Vehicle(
        name="mid-size SUV (2022 Tesla Model Y RWD)", mass_kg=1909.0, cda_m2=0.678, crr=0.00775,
        drivetrain_efficiency=0.85, regen_efficiency=0.98 * 0.85, aux_W=100.0,
        cabin_ua_W_per_K=17.41 * 12.21, cabin_setpoint_C=22.0, cabin_heater="heat_pump",
        cabin_heater_max_W=5000.0, battery_energy_kWh=62.0, source=_FASTSIM + " (2022_Tesla_Model_Y_RWD.csv)"),
}


def get_vehicle(preset: str, **overrides) -> Vehicle:
    """A preset with any field overridden (``None`` values are ignored)."""
    if preset not in PRESETS:
        raise ConfigError(f"vehicle.preset = '{preset}': unknown; allowed: {', '.join(PRESETS)}")
    changes = {k: v for k, v in overrides.items() if v is not None}
    return dataclasses.replace(PRESETS[preset], **changes)


def cabin_heat_demand_W(vehicle: Vehicle, ambient_C) -> np.ndarray:
    """Heat that holds the cabin at its set point, quasi-steady [W]: ``UA (T_set - T_amb)``, >= 0."""
    return np.maximum(vehicle.cabin_ua_W_per_K * (vehicle.cabin_setpoint_C - np.asarray(ambient_C, float)), 0.0)


def cabin_heater_electric_W(vehicle: Vehicle, ambient_C, heat_pump_cop) -> float:
    """Electric power of the cabin heater [W], capped at its maximum.

    A resistive (PTC) heater turns its power into heat; a heat pump delivers ``COP`` times it,
    ``heat_pump_cop(ambient_C)``; where the heat pump gives nothing (COP 0, below its operating
    range) a resistive heater takes over.
    """
    heat = float(cabin_heat_demand_W(vehicle, ambient_C))
    if vehicle.cabin_heater == "heat_pump":
        cop = float(heat_pump_cop(ambient_C))
        if cop >= 1.0:
            return min(heat / cop, vehicle.cabin_heater_max_W)
    return min(heat, vehicle.cabin_heater_max_W)
