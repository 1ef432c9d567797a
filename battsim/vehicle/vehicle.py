"""Vehicles: road load, drivetrain, cabin, auxiliary load, and cited presets.

Presets take every number from NREL's FASTSim vehicle files (https://github.com/NREL/fastsim),
fitted to the EPA road-load coefficients and, for the Bolt, calibrated against Argonne
dynamometer tests including -6.7 degC runs:

* ``compact``: 2020 Chevrolet Bolt EV, FASTSim-3 ``cal_and_val/thermal/f3-vehicles/2020
  Chevrolet Bolt EV.yaml`` (commit ff5f8ce): 1626 kg, Cd 0.309 x 2.397 m2, Crr 0.00777,
  66 kWh, auxiliary 250 W, motor 149.1 kW with peak efficiency 0.9876 (its ``eff_interp_achieved``),
  gearbox 0.98; ``LumpedCabin``: 74.4 kJ/K, shell 15.03 W/(m2 K), parked film 234.8 W/(m2 K),
  5.703 x 1.765 m; resistive cabin heater of up to 5 kW (``pwr_aux_for_hvac_cab_max``),
  controller gain 881.6 W/K.
* ``midsize-suv``: 2022 Tesla Model Y RWD, FASTSim-2 ``python/fastsim/resources/vehdb/
  2022_Tesla_Model_Y_RWD.csv`` (commit 518ac78): 1909 kg, Cd 0.23 x 2.45 m2, Crr 0.006,
  62 kWh, auxiliary 200 W, motor 255 kW with peak efficiency 0.95, gearbox 0.98, ``maxRegen``
  0.98. FASTSim-2 files have no cabin: the cabin is FASTSim-3's Model 3 (:data:`MODEL_3_CABIN`),
  heated by a heat pump with a resistive backup.

* ``small-hatch``: 2016 Nissan Leaf 24 kWh, FASTSim-2 ``FASTSim_py_veh_db.csv`` (selection 19,
  commit bd9111b; mass 1612.9 kg from its FASTSim-3 conversion ``cal_and_val/f3-vehicles/2016 Leaf
  24 kWh.yaml``): Cd 0.315 x 2.755 m2, Crr 0.008, 24 kWh, auxiliary 250 W, motor 80 kW with
  FASTSim's default map (peak 0.95), gearbox 0.98; the cabin of FASTSim-3's 2016 Leaf 30 kWh
  (:data:`LEAF_CABIN`). The preset for Argonne's Leaf tests (EV-09).

All: up to 98 % of braking power reaches the motor (FASTSim ``max_regen``); cabin set point
22 degC (FASTSim's ``te_set_cab``; AAA tested at 72 degF).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from battsim.errors import ConfigError
from battsim.vehicle.cabin import Cabin
from battsim.vehicle.drivetrain import Drivetrain
from battsim.vehicle.heat_pump import HEAT_PUMP_ELECTRIC_MAX_W


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
        Rolling-resistance coefficient at 25 degC [-].
    aux_W : float
        Auxiliary (low-voltage) load [W].
    battery_energy_kWh : float
        Battery energy the pack is sized to [kW.h].
    drivetrain : Drivetrain
    cabin : Cabin
    source : str
    """

    name: str
    mass_kg: float
    cda_m2: float
    crr: float
    aux_W: float
    battery_energy_kWh: float
    drivetrain: Drivetrain
    cabin: Cabin
    source: str = ""


_FASTSIM = "NREL FASTSim vehicle files, https://github.com/NREL/fastsim"
#: the 2020 Bolt's calibrated cabin (FASTSim-3, see the module docstring)
BOLT_CABIN = Cabin(heat_capacity_J_per_K=74366.53, shell_htc_W_per_m2K=15.029024, stopped_htc_W_per_m2K=234.7985,
                   length_m=5.703381, width_m=1.765, heater="ptc", ptc_max_W=5000.0, gain_W_per_K=881.63)
#: FASTSim-3's 2022 Tesla Model 3 RWD cabin (``fastsim-core/resources/vehicles/2022 Tesla Model 3
#: RWD thrml.yaml``, commit 31b8d6b: the Bolt's calibration scaled to the Model 3's size), with the
#: heat pump of :mod:`battsim.vehicle.heat_pump` and a resistive backup as large as the Bolt's
MODEL_3_CABIN = Cabin(heat_capacity_J_per_K=80122.9, shell_htc_W_per_m2K=17.406, stopped_htc_W_per_m2K=271.93,
                      length_m=6.6054, width_m=1.849, heater="heat_pump", ptc_max_W=5000.0,
                      heat_pump_max_W=HEAT_PUMP_ELECTRIC_MAX_W, gain_W_per_K=949.88)
#: FASTSim-3's 2016 Nissan Leaf 30 kWh cabin (``fastsim-core/resources/vehicles/2016 Nissan Leaf 30 kWh
#: thrml.yaml``, commit 31b8d6b, the Bolt's calibration scaled) with a 5 kW resistive heater (the
#: 2011/12 Leaf's, as Argonne reported it: AnandTech 2013 on Lohse-Busch et al., EV-09)
LEAF_CABIN = Cabin(heat_capacity_J_per_K=74819.3, shell_htc_W_per_m2K=15.069, stopped_htc_W_per_m2K=235.43,
                   length_m=5.7187, width_m=1.77, heater="ptc", ptc_max_W=5000.0, gain_W_per_K=887.0)

PRESETS = {
    "compact": Vehicle(
        name="compact (2020 Chevrolet Bolt EV)", mass_kg=1626.129, cda_m2=0.309 * 2.396898, crr=0.007767205,
        aux_W=250.0, battery_energy_kWh=66.0,
        drivetrain=Drivetrain(motor_max_W=149139.974, motor_peak_efficiency=0.9876006),
        cabin=BOLT_CABIN, source=_FASTSIM + " (FASTSim-3 2020 Chevrolet Bolt EV.yaml)"),
    "midsize-suv": Vehicle(
        name="mid-size SUV (2022 Tesla Model Y RWD)", mass_kg=1909.0, cda_m2=0.23 * 2.45, crr=0.006,
        aux_W=200.0, battery_energy_kWh=62.0,
        drivetrain=Drivetrain(motor_max_W=255000.0, motor_peak_efficiency=0.95),
        cabin=MODEL_3_CABIN, source=_FASTSIM + " (FASTSim-2 2022_Tesla_Model_Y_RWD.csv)"),
    "small-hatch": Vehicle(
        name="small hatchback (2016 Nissan Leaf 24 kWh)", mass_kg=1612.897, cda_m2=0.315 * 2.755, crr=0.008,
        aux_W=250.0, battery_energy_kWh=24.0,
        drivetrain=Drivetrain(motor_max_W=80000.0, motor_peak_efficiency=0.95),
        cabin=LEAF_CABIN, source=_FASTSIM + " (FASTSim-2 FASTSim_py_veh_db.csv, 2016 Leaf 24 kWh)"),
}


#: cabin heater kind -> the heat pump's compressor power it has [W] (None: the cabin's own, or the default)
_HEAT_PUMP_OF_HEATER = {"ptc": 0.0, "heat_pump": None}


def get_vehicle(preset: str, *, drivetrain: dict | None = None, cabin: dict | None = None,
                cabin_heater: str | None = None, **overrides) -> Vehicle:
    """A preset with any field overridden (``None`` values are ignored); ``drivetrain`` and
    ``cabin`` override fields of those parts; ``cabin_heater`` (``"ptc"`` or ``"heat_pump"``)
    replaces the preset's cabin heater (a heat pump keeps a resistive backup)."""
    if preset not in PRESETS:
        raise ConfigError(f"vehicle.preset = '{preset}': unknown; allowed: {', '.join(PRESETS)}")
    vehicle = PRESETS[preset]
    if cabin_heater is not None:
        if cabin_heater not in _HEAT_PUMP_OF_HEATER:
            raise ConfigError(f"vehicle.cabin_heater = '{cabin_heater}': unknown; allowed: "
                              f"{', '.join(_HEAT_PUMP_OF_HEATER)}")
        heat_pump = _HEAT_PUMP_OF_HEATER[cabin_heater]
        heat_pump = heat_pump if heat_pump is not None else (vehicle.cabin.heat_pump_max_W or HEAT_PUMP_ELECTRIC_MAX_W)
        vehicle = dataclasses.replace(vehicle, cabin=dataclasses.replace(vehicle.cabin, heater=cabin_heater,
                                                                         heat_pump_max_W=heat_pump))
    changes = {k: v for k, v in overrides.items() if v is not None}
    for part, given in (("drivetrain", drivetrain), ("cabin", cabin)):
        given = {k: v for k, v in (given or {}).items() if v is not None}
        if given:
            changes[part] = dataclasses.replace(getattr(vehicle, part), **given)
    return dataclasses.replace(vehicle, **changes)
