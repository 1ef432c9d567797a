"""The fleet table: columns with units that pint reads, CSV and HDF5 round trips, CO2 at other
grid intensities without simulating, clear refusals, and a failed write that leaves the old
table whole.

The result files here are written without simulating: the cases come from the real config
(``new_result``: id, parameters, resolved config) and their metrics from the real
:func:`battsim.metrics.trip.trip_metrics` applied to small synthetic series of a compact car
(140 Wh/km at 25 degC, more in the cold, 2 kWh of grid preconditioning), so the CO2 stored is
computed exactly as a run computes it.
"""

import math
import types

import h5py
import numpy as np
import pandas as pd
import pint
import pytest

import battsim as bs
from battsim import config
from battsim.cases import new_result
from battsim.cases.resolve import case_parameters
from battsim.errors import ConfigError, ResultFileError
from battsim.metrics import METRIC_UNITS
from battsim.metrics.trip import TripAssumptions, trip_metrics
from battsim.results import Result, ResultWriter, fleet_table, read_fleet_table, write_fleet_table
from battsim.results.fleet import (
    DEFAULT_GRID_GCO2_PER_KWH,
    DEFAULT_GRID_SOURCE,
    FLEET_COLUMNS,
    FLEET_SCHEMA_VERSION,
    TRIP_METRICS,
    grid_references,
    units_path,
)

UREG = pint.UnitRegistry()
KM = 23.27  # one WLTC
J_PER_KWH = 3.6e6

TRIPS = {"scenario": {"kind": "trip"}, "cell": {"chemistry": "nmc811-graphite", "initial_soc": 0.9},
         "vehicle": {"preset": "compact"}, "climate": {"ambient_C": [25.0, -10.0, -20.0]},
         "heating": {"method": "ptc", "controller": "thermostat", "precondition": [False, True]},
         "drive": {"cycle": "wltc", "distance_km": KM}}


def synthetic_series(ambient_C: float, grid_heat_kWh: float) -> dict:
    """A trip in five samples: soak to 36,000 s, preconditioning to 39,600 s, a 30 min drive of
    one WLTC; the battery gives 140 Wh/km at 25 degC and 3 Wh/km more per K colder (cabin heat)."""
    t = np.array([0.0, 36000.0, 39600.0, 40500.0, 41400.0])
    drive = np.array([0.0, 0.0, 0.0, 0.5, 1.0])
    battery_J = drive * (140.0 + 3.0 * (25.0 - ambient_C)) * KM * 3600.0
    cold = 273.15 + ambient_C
    departure = cold + (35.0 if grid_heat_kWh else 0.0)
    return {
        "time_s": t, "cumulative_distance_m": drive * KM * 1000, "cumulative_battery_out_J": battery_J,
        "cumulative_heating_grid_J": np.array([0.0, 0.0, 1.0, 1.0, 1.0]) * grid_heat_kWh * J_PER_KWH,
        "cumulative_heating_battery_J": np.zeros(5), "cumulative_cabin_grid_J": np.zeros(5),
        "soc": 0.9 - 0.06 * drive, "cumulative_traction_battery_J": 0.62 * battery_J,
        "cumulative_drivetrain_losses_J": 0.1 * battery_J, "cumulative_aux_J": 0.05 * battery_J,
        "cumulative_cabin_J": 0.23 * battery_J, "cumulative_regen_not_accepted_J": 0.01 * battery_J,
        "cumulative_electrochemical_heat_J": 0.03 * battery_J,
        "core_anode_potential_V": np.array([0.1, 0.1, 0.1, 0.02, 0.05]),
        "edge_anode_potential_V": np.array([0.1, 0.1, 0.1, 0.03, 0.06]),
        "min_cell_temperature_K": np.array([298.15, cold, departure, departure + 1, departure + 2]),
        "temperature_spread_K": np.array([0.0, 0.5, 3.0, 2.0, 1.5]),
        "cabin_temperature_K": np.array([298.15, cold, cold, 293.15, 295.15]),
        "cumulative_cabin_deficit_J": drive * 0.3 * J_PER_KWH, "cumulative_cabin_heat_J": drive * 1.2 * J_PER_KWH,
    }


MARKS = types.SimpleNamespace(drive_start_s=39600.0, precondition_start_s=36000.0,
                              end_reason="Distance reached: drive.distance_km")


def assumptions(cfg) -> TripAssumptions:
    return TripAssumptions(soc_min=cfg.drive.soc_min, plating_margin_V=0.0,
                           charging_efficiency=cfg.carbon.charging_efficiency,
                           grid_gco2_per_kWh=cfg.carbon.grid_gco2_per_kWh, heating_target_K=283.15,
                           heated=cfg.heating.precondition, preconditioned=cfg.heating.precondition)


def synthetic_trip(case, series_cells=96, parallel=46) -> Result:
    """What running ``case`` would give, without simulating (metrics of synthetic series)."""
    result = new_result(case)
    cfg = case.config
    own = cfg.climate.ambient_C == 25.0 and not cfg.heating.precondition
    reference = None if own else trip_metrics(synthetic_series(25.0, 0.0), MARKS, assumptions(cfg), None)
    heat = 2.0 if cfg.heating.precondition else 0.0
    result.metrics = trip_metrics(synthetic_series(cfg.climate.ambient_C, heat), MARKS, assumptions(cfg), reference)
    result.units = {name: METRIC_UNITS[name] for name in result.metrics}
    result.params.update(series=series_cells, parallel=parallel)
    return result


def write_file(path, results, raw=TRIPS):
    with ResultWriter(path, repr(raw), "fleet-test", config.key_units()) as writer:
        for result in results:
            writer.write_case(result)
    return path


def trips(overrides=None, raw=TRIPS):
    return [synthetic_trip(case) for case in config.from_mapping(raw, overrides or {})[1]]


@pytest.fixture
def trip_file(tmp_path):
    """Six trips (25, -10, -20 degC x preconditioned or not) and one failed trip."""
    results = trips()
    failed = new_result(config.from_mapping(TRIPS, {"climate.ambient_C": -30.0, "heating.precondition": False})[1][0])
    failed.status, failed.error = "failed", "SimulationError: the solver failed at -30 degC"
    return write_file(tmp_path / "trips.h5", results + [failed])


# ------------------------------------------------------------------------- what a trip carries


def test_trip_parameters_carry_the_carbon_assumptions():
    (case,) = config.from_mapping(TRIPS, {"climate.ambient_C": -10.0, "heating.precondition": True,
                                          "carbon.grid_gco2_per_kWh": 100.0})[1]
    params = case_parameters(case)
    assert params["grid_gco2_per_kWh"] == 100.0 and params["charging_efficiency"] == 0.884


def test_the_default_grid_source_is_the_configs():
    """fleet.py cannot import the config (layers): its copy of the default is pinned here."""
    from battsim.config.schema import CarbonConfig

    field = next(f for f in CarbonConfig.__dataclass_fields__.values() if f.name == "grid_gco2_per_kWh")
    assert CarbonConfig().grid_gco2_per_kWh == DEFAULT_GRID_GCO2_PER_KWH
    assert DEFAULT_GRID_SOURCE in field.metadata["doc"]
    # the default is GR-10's 0.81 lb/kWh rounded to 367 g/kWh: within 0.15 %
    assert grid_references()[DEFAULT_GRID_SOURCE] == pytest.approx(DEFAULT_GRID_GCO2_PER_KWH, rel=1.5e-3)


def test_the_trip_metrics_are_the_ones_trips_compute():
    assert set(TRIP_METRICS) == set(trips()[0].metrics)


# ------------------------------------------------------------------------- the table


def test_columns_units_and_meanings(trip_file):
    df = fleet_table(trip_file)
    assert len(df) == 7
    assert list(df.columns) == list(FLEET_COLUMNS)  # nothing beyond the fixed columns was swept
    units = df.attrs["units"]
    for name in df.columns:
        unit, meaning = FLEET_COLUMNS[name]
        assert units[name] == unit and meaning, name
        UREG.Unit(unit)  # "" is a dimensionless text column
        assert str(df[name].dtype) == ("str" if unit == "" else "float64"), name
    assert df.attrs["schema_version"] == FLEET_SCHEMA_VERSION
    assert df.attrs["result_schema_version"] == bs.results.SCHEMA_VERSION
    assert units["energy_penalty_kWh_per_100km"] == "W*h/hm"
    assert UREG.Quantity(1.0, "W*h/hm").to("kW*h/km").magnitude == pytest.approx(0.01)  # = 1 kWh per 100 km
    for name in ("case_id", "vehicle", "chemistry", "method", "controller", "precondition", "on_road",
                 "cabin_heating", "ambient_C", "soak_h", "cycle", "model", "grid_gco2_per_kWh", "grid_source",
                 "charging_efficiency", "range_estimated", "status", "error", "battsim_version", "schema_version",
                 "result_schema_version", "co2_g_per_km", "co2_penalty_g_per_km", "range_loss_pct"):
        assert name in df.columns, name


def test_values_of_a_row(trip_file):
    df = fleet_table(trip_file)
    stored = {r.case_id: r for r in bs.open_results(trip_file)}
    row = df[(df.ambient_C == -10) & (df.precondition == 1)].iloc[0]
    metrics = stored[row.case_id].metrics
    assert (row.vehicle, row.chemistry, row.method, row.controller, row.cycle, row.model) == (
        "compact", "nmc811-graphite", "ptc", "thermostat", "wltc", "DFN")
    assert (row.precondition, row.on_road, row.cabin_heating, row.soak_h, row.series) == (1.0, 0.0, 1.0, 10.0, 96.0)
    assert (row.grid_gco2_per_kWh, row.grid_source, row.charging_efficiency) == (367.0, "GR-10", 0.884)
    assert (row.status, row.error, row.battsim_version) == ("ok", "", bs.__version__)
    for name in TRIP_METRICS:
        np.testing.assert_equal(row[name], metrics[name])  # NaN equals NaN here
    # the preconditioning's 2 kWh from the grid are in the grid energy, battery energy over the charger
    assert row.grid_energy_Wh_per_km == pytest.approx(row.battery_energy_Wh_per_km / 0.884 + 2000 / KM, rel=1e-12)
    assert row.co2_penalty_g_per_km > 0 and math.isnan(row.range_km)  # a partial drive reports no range
    failed = df[df.status == "failed"].iloc[0]
    assert failed.error.startswith("SimulationError") and failed.ambient_C == -30.0
    assert math.isnan(failed.co2_g_per_km) and math.isnan(failed.series) and failed.grid_source == "GR-10"
    unheated = df[(df.ambient_C == -20) & (df.precondition == 0)].iloc[0]
    assert unheated.method == "none"


def test_files_written_before_trips_carried_their_carbon_read_it_from_the_case_config(tmp_path):
    results = trips({"carbon.grid_gco2_per_kWh": 450.0, "carbon.charging_efficiency": 0.9})
    for result in results:
        del result.params["grid_gco2_per_kWh"], result.params["charging_efficiency"]
    df = fleet_table(write_file(tmp_path / "old.h5", results))
    assert set(df.grid_gco2_per_kWh) == {450.0} and set(df.charging_efficiency) == {0.9}
    assert set(df.grid_source) == {"config"}  # not battsim's default
    assert np.array_equal(df.co2_g_per_km, df.grid_energy_Wh_per_km / 1000 * 450.0)


def test_results_read_or_run_give_the_same_table(trip_file):
    from_file = bs.open_results(trip_file).fleet_table()
    pd.testing.assert_frame_equal(from_file, fleet_table(trip_file))
    in_memory = bs.results.Results(list(bs.open_results(trip_file)))  # as bs.run returns: no file attrs
    pd.testing.assert_frame_equal(in_memory.fleet_table(), from_file)


def test_the_trips_of_a_killed_run_are_read_from_its_journal(trip_file, tmp_path):
    """Without a whole file the table comes through read_result (file and journal), the same."""
    path = tmp_path / "killed.h5"
    writer = ResultWriter(path, repr(TRIPS), "fleet-test", config.key_units())
    for result in bs.open_results(trip_file):
        writer.write_case(result)
    writer._lock.unlink()  # the process is gone: its lock would be stale
    assert not path.exists()
    killed = fleet_table(path).sort_values("case_id", ignore_index=True)
    pd.testing.assert_frame_equal(killed, fleet_table(trip_file).sort_values("case_id", ignore_index=True))


def test_a_swept_key_outside_the_fixed_columns_gets_its_column(tmp_path):
    raw = {**TRIPS, "climate": {"ambient_C": -10.0}, "heating": {**TRIPS["heating"], "precondition": True,
                                                                  "target_C": [5.0, 15.0]}}
    df = fleet_table(write_file(tmp_path / "swept.h5", trips(raw=raw), raw))
    assert list(df.target_C) == [5.0, 15.0] and df.attrs["units"]["target_C"] == "degC"
    assert list(df.columns).index("target_C") == list(df.columns).index("parallel") + 1


# ------------------------------------------------------------------------- other grid intensities


def test_other_grid_intensities_match_a_hand_computation(trip_file):
    base = fleet_table(trip_file)
    df = fleet_table(trip_file, grid=[100, "GR-01", "gr-05:southwest", "250.5"])
    assert len(df) == 4 * len(base)
    expected = [(100.0, "user"), (536.6, "GR-01"), (226.8, "GR-05:Southwest"), (250.5, "user")]
    for block, (g, source) in enumerate(expected):
        part = df.iloc[block * len(base):(block + 1) * len(base)].reset_index(drop=True)
        assert set(part.grid_gco2_per_kWh) == {g} and set(part.grid_source) == {source}
        ok = part.status == "ok"
        by_hand = base.grid_energy_Wh_per_km[ok] * g / 1000
        np.testing.assert_allclose(part.co2_g_per_km[ok], by_hand, rtol=1e-14)  # float rounding only
        np.testing.assert_allclose(part.co2_penalty_g_per_km[ok], (base.grid_energy_Wh_per_km[ok]
                                   - base.reference_grid_energy_Wh_per_km[ok]) * g / 1000, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(part.reference_co2_g_per_km[ok], base.reference_grid_energy_Wh_per_km[ok] * g / 1000,
                                   rtol=1e-14)
        same = [c for c in base.columns if c not in ("co2_g_per_km", "co2_penalty_g_per_km", "reference_co2_g_per_km",
                                                      "grid_gco2_per_kWh", "grid_source")]
        pd.testing.assert_frame_equal(part[same], base[same])
    assert grid_references()["GR-10"] == pytest.approx(0.81 * 453.59237)  # lb CO2/kWh converted


def test_the_files_own_intensity_gives_the_stored_co2_to_the_last_bit(trip_file, tmp_path):
    base = fleet_table(trip_file)
    again = fleet_table(trip_file, grid=[DEFAULT_GRID_GCO2_PER_KWH])
    pd.testing.assert_frame_equal(again.drop(columns="grid_source"), base.drop(columns="grid_source"),
                                  check_exact=True)
    other = write_file(tmp_path / "other.h5", trips({"carbon.grid_gco2_per_kWh": 123.4}))
    pd.testing.assert_frame_equal(fleet_table(other, grid=123.4).drop(columns="grid_source"),
                                  fleet_table(other).drop(columns="grid_source"), check_exact=True)


@pytest.mark.parametrize("bad", [0, -5.0, float("nan"), 2500, "GR-99", "GR-14", "GR-05", "GR-05:Atlantis", "coal",
                                 True, [], [100, 100]])
def test_bad_grid_values_are_refused_in_one_line(trip_file, bad):
    with pytest.raises(ConfigError) as error:
        fleet_table(trip_file, grid=bad)
    message = str(error.value)
    assert "\n" not in message and "grid intensit" in message
    if bad not in ([], [100, 100]) and not isinstance(bad, bool):
        assert repr(bad) in message or str(bad) in message
    if bad in ("GR-99", "coal", 0):
        assert "GR-01" in message and "GR-05:{" in message  # the known ids are listed
    if bad == "GR-05":
        assert "GR-05:Southwest" in message


def test_a_file_of_cell_tests_is_refused(tmp_path):
    raw = {"cell": {"chemistry": "lfp-graphite"}, "climate": {"ambient_C": [25.0, -10.0]}}
    results = [new_result(case) for case in config.from_mapping(raw)[1]]
    for result in results:
        result.metrics, result.units = {"delivered_capacity_Ah": 2.1}, {"delivered_capacity_Ah": "A*h"}
    path = write_file(tmp_path / "cells.h5", results, raw)
    with pytest.raises(ResultFileError, match="holds no trips .*2 cell_discharge.*the fleet table is made of trips"):
        fleet_table(path)


def test_a_file_with_trips_and_cell_tests_keeps_the_trips_and_says_so(tmp_path):
    cell = new_result(config.from_mapping({"climate": {"ambient_C": 0.0}})[1][0])
    path = write_file(tmp_path / "mixed.h5", trips()[:2] + [cell])
    with pytest.warns(UserWarning, match="1 of 3 cases are not trips"):
        assert len(fleet_table(path)) == 2


# ------------------------------------------------------------------------- files


def test_csv_round_trip_with_plain_pandas(trip_file, tmp_path):
    df = fleet_table(trip_file, grid=[100, "GR-01"])
    out = tmp_path / "out" / "fleet.csv"
    assert write_fleet_table(df, out) == [out, tmp_path / "out" / "fleet.units.csv"]
    units = pd.read_csv(units_path(out), keep_default_na=False)
    assert list(units.columns) == ["column", "unit", "meaning"] and list(units.column) == list(df.columns)
    for unit in units.unit:
        UREG.Unit(unit)
    assert dict(zip(units.column, units.unit)) == df.attrs["units"]
    # the recipe of the README and of read_fleet_table's docstring
    text = {c: "str" for c, u in zip(units.column, units.unit) if u == ""}
    back = pd.read_csv(out, dtype=text, keep_default_na=False, na_values=["NaN"])
    pd.testing.assert_frame_equal(back, df, check_exact=True)
    pd.testing.assert_frame_equal(read_fleet_table(out), df, check_exact=True)
    assert read_fleet_table(out).attrs["units"] == df.attrs["units"]


def test_hdf5_round_trip(trip_file, tmp_path):
    df = fleet_table(trip_file)
    out = tmp_path / "fleet.h5"
    write_fleet_table(df, out)
    back = read_fleet_table(out)
    pd.testing.assert_frame_equal(back, df, check_exact=True)
    assert {k: back.attrs[k] for k in ("schema_version", "result_schema_version", "battsim_version")} == {
        k: df.attrs[k] for k in ("schema_version", "result_schema_version", "battsim_version")}
    with h5py.File(out, "r") as f:
        assert f.attrs["file_kind"] == "battsim-fleet-table" and f.attrs["schema_version"] == FLEET_SCHEMA_VERSION
        for name in df.columns:
            assert f[name].attrs["units"] == FLEET_COLUMNS[name][0] and f[name].attrs["meaning"]
        assert h5py.check_string_dtype(f["chemistry"].dtype).encoding == "utf-8"
        assert f["co2_g_per_km"].dtype == np.float64


def test_other_suffixes_and_unwritable_places_are_refused_in_one_line(trip_file, tmp_path):
    df = fleet_table(trip_file)
    for path, why in ((tmp_path / "fleet.parquet", "written as .csv"), (tmp_path / "fleet", "no suffix"),
                      (tmp_path, "written as .csv")):
        with pytest.raises(ResultFileError, match=why) as error:
            write_fleet_table(df, path)
        assert "\n" not in str(error.value)
    (tmp_path / "afile").write_text("x")
    with pytest.raises(ResultFileError, match="exists and is not a directory"):
        write_fleet_table(df, tmp_path / "afile" / "fleet.csv")
    with pytest.raises(ResultFileError, match="not a fleet table"):
        write_fleet_table(df, trip_file)  # never over the result file it was made from
    assert len(bs.open_results(trip_file)) == 7


@pytest.mark.parametrize("suffix", [".csv", ".h5"])
def test_a_failed_write_leaves_the_existing_table_whole(trip_file, tmp_path, monkeypatch, suffix):
    df = fleet_table(trip_file)
    out = tmp_path / f"fleet{suffix}"
    write_fleet_table(df, out)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("fleet")}

    def disk_full(*args, **kwargs):
        handle = args[1] if len(args) > 1 else None
        if hasattr(handle, "write"):
            handle.write("case_id,vehi")  # half a table, then the disk is full
        raise OSError(28, "No space left on device")

    if suffix == ".csv":
        monkeypatch.setattr(pd.DataFrame, "to_csv", disk_full)
    else:
        monkeypatch.setattr(h5py.Group, "create_dataset", disk_full)
    with pytest.raises(ResultFileError, match="No space left on device"):
        write_fleet_table(df.iloc[:2], out)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("fleet")} == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # no temporary left behind
    monkeypatch.undo()
    pd.testing.assert_frame_equal(read_fleet_table(out), df)


# ------------------------------------------------------------------------- a real trip


@pytest.mark.slow
def test_a_simulated_trip_gives_its_stored_co2(tmp_path):
    """A real short trip (5 km, pack parked cold at -10 degC and preconditioned from the grid),
    written and exported."""
    raw = {"scenario": {"kind": "trip"}, "cell": {"chemistry": "nmc811-graphite", "initial_soc": 0.9},
           "climate": {"ambient_C": -10.0, "soak_h": 1.0, "start_temperature_C": -10.0},
           "heating": {"method": "ptc", "precondition": True},
           "drive": {"distance_km": 5.0}, "carbon": {"grid_gco2_per_kWh": 250.0},
           "solver": {"rtol": 1e-4, "electrode_points": 10}}
    res = bs.run(raw)
    path = write_file(tmp_path / "trip.h5", list(res), raw)
    (row,) = fleet_table(path).itertuples()
    stored = bs.open_results(path)[0].metrics
    assert row.co2_g_per_km == stored["co2_g_per_km"] and row.co2_penalty_g_per_km == stored["co2_penalty_g_per_km"]
    assert (row.grid_gco2_per_kWh, row.grid_source, row.charging_efficiency) == (250.0, "config", 0.884)
    assert row.heating_energy_grid_kWh > 0 and row.co2_penalty_g_per_km > 0
    (again,) = fleet_table(path, grid=250.0).itertuples()
    assert (again.co2_g_per_km, again.co2_penalty_g_per_km) == (row.co2_g_per_km, row.co2_penalty_g_per_km)
    (coal,) = fleet_table(path, grid=1000.0).itertuples()
    assert coal.co2_g_per_km == pytest.approx(4 * row.co2_g_per_km, rel=1e-12)
