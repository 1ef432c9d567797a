"""Warm consumption of each preset against its EPA label (BS-14, BS-15, BS-18): the drivetrain map
and road load at 25 degC.

The label is the energy from the wall per distance after EPA's adjustment; for battery EVs the
adjusted value is the unadjusted dynamometer result divided by 0.7 (FASTSim's label code,
``max_epa_adj = 0.3``), city from the UDDS and highway from the HWFET. battsim drives one
cycle at 25 degC and divides the battery's energy per km by FASTSim's charging efficiency
(0.86, ``chg_eff``) and by 0.7. EPA tests a car at its loaded weight, the curb weight plus
300 lb (136 kg; 40 CFR 86.1803-01, "loaded vehicle weight"), so the preset's (curb) mass is
raised by that much.
"""

from __future__ import annotations

import functools

from battsim.studies.validation.base import (
    Comparison,
    PlotSpec,
    Series,
    ValidationCase,
    published_value,
    vehicle_drive,
)
from battsim.vehicle.vehicle import get_vehicle

EPA_ADJUSTMENT = 0.7
CHARGING_EFFICIENCY = 0.86
TOLERANCE = 0.12
LOAD_KG = 136.0  # 300 lb
LABELS = {"compact": "BS-14", "midsize-suv": "BS-15", "small-hatch": "BS-18"}
CYCLES = {"city": "udds", "highway": "hwfet"}


@functools.cache
def label_kWh_per_100km(preset: str, cycle: str) -> float:
    """The preset's label-equivalent consumption on one warm ``cycle`` [kW.h/(100 km)]."""
    loaded = {"preset": preset, "cabin_heating": False, "mass_kg": get_vehicle(preset).mass_kg + LOAD_KG}
    metrics = vehicle_drive(loaded, cycle, 1, 25.0, 1, carbon={"charging_efficiency": CHARGING_EFFICIENCY})
    return float(metrics["grid_energy_Wh_per_km"]) / EPA_ADJUSTMENT / 10


def _case(preset: str, kind: str) -> ValidationCase:
    ref = LABELS[preset]
    return ValidationCase(
        name=f"label-{preset}-{kind}", quantity=f"{preset} {kind} label consumption at 25 degC [kWh/100 km]",
        reference_id=ref, reference_key=kind, published=published_value(ref, kind),
        model=lambda: label_kWh_per_100km(preset, CYCLES[kind]), tolerance=TOLERANCE,
        why="0.7 is EPA's largest adjustment (a car's own 5-cycle factor may be smaller), the charging efficiency "
            "of a real charger is 0.84-0.90, and battsim's pack is LG M50 cells rather than the car's: +-12 %")


def plot() -> PlotSpec:
    keys = [(p, k) for p in LABELS for k in CYCLES]
    x = tuple(float(i) for i in range(len(keys)))
    published = tuple(published_value(LABELS[p], k) for p, k in keys)
    return PlotSpec(
        "Consumption at 25 degC against the EPA label", "", "label consumption [kWh/100 km]",
        (Series("battsim: one cycle, wall energy / 0.7", x, tuple(label_kWh_per_100km(p, CYCLES[k]) for p, k in keys)),
         Series("EPA label (NRCan table) +-12 %", x, published, low=tuple(v * (1 - TOLERANCE) for v in published),
                high=tuple(v * (1 + TOLERANCE) for v in published), published=True)),
        xticklabels=tuple(f"{p}\n{k}" for p, k in keys))


COMPARISON = Comparison(
    name="vehicle_label",
    title="consumption at 25 degC against the EPA label (2020 Bolt EV, 2023 Model Y RWD, 2016 Leaf)",
    cases=tuple(_case(p, k) for p in LABELS for k in CYCLES),
    plot=plot,
    quick=False,
)
