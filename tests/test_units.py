"""Units a machine can read: every unit battsim writes parses with pint, and series are
converted by their unit (a heat capacity in J/K stays one)."""

import warnings

import h5py
import numpy as np
import pint
import pytest

import battsim as bs
from battsim.config import key_units
from battsim.errors import ValidityWarning
from battsim.metrics import METRIC_UNITS
from battsim.metrics.trip import energy_by_use_J
from battsim.units import for_storage

UREG = pint.UnitRegistry()


def _parses(unit: str) -> bool:
    if unit == "":
        return True  # text columns and pure numbers without a unit
    UREG.Quantity(1.0, unit) if "100" not in unit else UREG(unit)  # kW*h/(100*km) carries a scale factor
    return True


@pytest.mark.parametrize("name, unit", sorted(METRIC_UNITS.items()))
def test_metric_units_parse(name, unit):
    assert _parses(unit), name


def test_config_key_units_parse():
    for key, unit in key_units().items():
        assert _parses(unit), key


def test_conversion_is_by_unit_not_by_name():
    series = {"temperature_K": np.array([273.15]), "cell_heat_capacity_J_per_K": np.array([60.6]),
              "temperature_spread_K": np.array([2.0])}
    units = {"temperature_K": "K", "cell_heat_capacity_J_per_K": "J/K", "temperature_spread_K": "delta_degC"}
    data, out = for_storage(series, units)
    assert data["temperature_C"][0] == pytest.approx(0.0) and out["temperature_C"] == "degC"
    assert data["cell_heat_capacity_J_per_K"][0] == 60.6 and out["cell_heat_capacity_J_per_K"] == "J/K"
    assert data["temperature_spread_K"][0] == 2.0 and out["temperature_spread_K"] == "delta_degC"


def _all_units(path) -> dict[str, str]:
    found = {}

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            assert "units" in obj.attrs, f"{name} has no units attribute"
            unit = obj.attrs["units"]
            found[name] = unit.decode() if isinstance(unit, bytes) else str(unit)

    with h5py.File(path, "r") as f:
        f.visititems(visit)
    return found


@pytest.mark.slow
def test_every_dataset_of_every_kind_of_result_file_has_a_parseable_unit(tmp_path):
    from battsim.cli import main

    configs = {
        "discharge": '[climate]\nambient_C = 0\n[cell]\nchemistry = ["nmc811-graphite", "solid-state-li-metal"]\n',
        "heating": '[scenario]\nkind = "cell_heating"\n[climate]\nambient_C = -10\n[heating]\nmethod = "ac"\n'
                   'controller = "thermostat"\ntarget_C = -5\n[thermal]\nnode_heat_capacity_J_per_K = 10.0\n',
        "trip": '[scenario]\nkind = "trip"\n[climate]\nambient_C = 0\nsoak_h = 0.5\n[drive]\ndistance_km = 2.0\n'
                '[heating]\nmethod = "ptc"\nprecondition = true\ntarget_C = 5\n'
                '[solver]\nrtol = 1e-4\nelectrode_points = 10\n',
    }
    for name, text in configs.items():
        config = tmp_path / f"{name}.toml"
        config.write_text(text)
        out = tmp_path / f"{name}.h5"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ValidityWarning)
            assert main(["run", str(config), "--out", str(out), "--quiet"]) == 0
        units = _all_units(out)
        assert len(units) > 20
        for dataset, unit in units.items():
            assert _parses(unit), (name, dataset, unit)
        heat_capacity = [u for d, u in units.items() if d.endswith("cell_heat_capacity_J_per_K")]
        assert all(u == "J/K" for u in heat_capacity)
    trip = bs.open_results(tmp_path / "trip.h5")[0]
    assert trip.units["energy_penalty_kWh_per_100km"] == "kW*h/(100*km)"
    # the report's energy-by-use plot: the uses add up to the battery line (to solver tolerance)
    uses = energy_by_use_J(trip.timeseries)
    battery_out = trip.timeseries["cumulative_battery_out_J"]
    np.testing.assert_allclose(sum(uses.values()), battery_out, rtol=1e-6, atol=1e-3 * abs(battery_out[-1]))
