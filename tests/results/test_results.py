"""Result files: write -> reopen -> compare, units on every dataset, clear errors."""

import json

import h5py
import numpy as np
import pytest

from battsim.errors import ResultFileError
from battsim.results import SCHEMA_VERSION, Result, Results, ResultWriter, read_result


def make_record(case_id, ambient, status="ok"):
    t = np.linspace(0.0, 100.0, 11)
    return Result(
        case_id=case_id,
        params={"chemistry": "lfp-graphite", "ambient_C": ambient, "model": "DFN"},
        status=status,
        error="" if status == "ok" else "SimulationError: it broke",
        error_detail="" if status == "ok" else "IDA_CONV_FAIL: the full solver message\nover lines",
        termination="event: Minimum voltage [V]",
        labels={} if status != "ok" else {"binding_limit": "plating_margin"},
        warnings=["a warning"],
        config_toml=f"[climate]\nambient_C = {ambient!r}\n",
        wall_time_s=1.5,
        metrics={} if status != "ok" else {"delivered_capacity_Ah": 1.9, "min_anode_potential_V": float("nan")},
        units={} if status != "ok" else {"delivered_capacity_Ah": "A*h", "min_anode_potential_V": "V"},
        timeseries={} if status != "ok" else {"time_s": t, "voltage_V": 3.3 - 0.001 * t},
        timeseries_units={} if status != "ok" else {"time_s": "s", "voltage_V": "V"},
    )


def write(path, records):
    with ResultWriter(path, "[climate]\nambient_C = [25, 0]\n", "abc123", {"ambient_C": "degC"}) as writer:
        for record in records:
            writer.write_case(record)


def test_round_trip(tmp_path):
    path = tmp_path / "r.h5"
    records = [make_record("aaaa", 25.0), make_record("bbbb", 0.0), make_record("cccc", -20.0, "failed")]
    write(path, records)
    result = read_result(path)
    assert isinstance(result, Results)
    assert result.attrs["schema_version"] == SCHEMA_VERSION
    assert result.attrs["config_hash"] == "abc123"
    assert result.attrs["config_toml"].startswith("[climate]")
    for key in ("battsim_version", "pybamm_version", "created_utc"):
        assert result.attrs[key]
    assert [c.case_id for c in result] == ["aaaa", "bbbb", "cccc"]
    for written, read in zip(records, result):
        assert read.params == written.params
        assert (read.status, read.error, read.error_detail, read.termination) == (
            written.status, written.error, written.error_detail, written.termination)
        assert read.warnings == written.warnings and read.config_toml == written.config_toml
        assert read.labels == written.labels
        assert read.wall_time_s == written.wall_time_s
        assert read.units == written.units and read.timeseries_units == written.timeseries_units
        assert read.metrics.keys() == written.metrics.keys()
        for name, value in written.metrics.items():
            np.testing.assert_equal(read.metrics[name], value)  # nan == nan here
        for name, values in written.timeseries.items():
            np.testing.assert_array_equal(read.timeseries[name], values)
            assert read.timeseries[name].dtype == np.float64
    summary = result.summary
    assert list(summary["binding_limit"][:2]) == ["plating_margin"] * 2
    with h5py.File(path) as f:
        assert f["summary/binding_limit"].attrs["units"] == ""


def test_every_dataset_has_units_and_the_summary_is_a_table(tmp_path):
    path = tmp_path / "r.h5"
    write(path, [make_record("aaaa", 25.0), make_record("cccc", -20.0, "failed")])
    missing = []
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: missing.append(name)
                     if isinstance(obj, h5py.Dataset) and "units" not in obj.attrs else None)
        summary = f["summary"]
        columns = json.loads(summary.attrs["columns"])
        assert columns[:3] == ["case_id", "status", "error"]
        assert {"ambient_C", "delivered_capacity_Ah"} <= set(columns)
        assert summary["ambient_C"].attrs["units"] == "degC"
        assert list(summary["status"].asstr()[()]) == ["ok", "failed"]
        assert np.isnan(summary["delivered_capacity_Ah"][1])  # a failed case has no metrics
    assert missing == []


def test_a_case_is_replaced_whole_and_no_temporary_group_remains(tmp_path):
    path = tmp_path / "r.h5"
    write(path, [make_record("aaaa", 25.0), make_record("aaaa", 25.0)])
    with h5py.File(path, "r") as f:
        assert list(f["cases"]) == ["aaaa"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.h5"]  # no partial file left behind


def test_an_unfinished_run_of_another_config_never_replaces_the_existing_file(tmp_path):
    """With --overwrite the old file goes only when the new run completes; meanwhile its finished
    cases wait in the journal, and a rerun of the new config picks them up."""
    path = tmp_path / "r.h5"
    write(path, [make_record("aaaa", 25.0)])
    with pytest.raises(KeyboardInterrupt):
        with ResultWriter(path, "[climate]\nambient_C = 0\n", "def456", {"ambient_C": "degC"},
                          overwrite=True) as writer:
            writer.write_case(make_record("bbbb", 0.0))
            assert [c.case_id for c in read_result(path)] == ["aaaa"]  # the target is untouched meanwhile
            raise KeyboardInterrupt
    assert [c.case_id for c in read_result(path)] == ["aaaa"]
    with ResultWriter(path, "[climate]\nambient_C = 0\n", "def456", {"ambient_C": "degC"}, overwrite=True) as writer:
        assert writer.finished() == {"bbbb"}  # the interrupted run's case is kept
    assert [c.case_id for c in read_result(path)] == ["bbbb"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.h5"]


def test_a_rerun_of_the_same_config_resumes_and_retries_failed_cases_on_request(tmp_path):
    path = tmp_path / "r.h5"
    write(path, [make_record("aaaa", 25.0), make_record("cccc", -20.0, "failed")])
    with ResultWriter(path, "", "abc123", {}, case_ids=["aaaa", "bbbb", "cccc"]) as writer:
        assert writer.finished() == {"aaaa", "cccc"}
        writer.write_case(make_record("bbbb", 0.0))
    assert [c.case_id for c in read_result(path)] == ["aaaa", "bbbb", "cccc"]  # the config's order
    with ResultWriter(path, "", "abc123", {}, retry_failed=True) as writer:
        assert writer.finished() == {"aaaa", "bbbb"}
        writer.write_case(make_record("cccc", -20.0))
    assert [c.status for c in read_result(path)] == ["ok", "ok", "ok"]
    np.testing.assert_array_equal(read_result(path)[0].timeseries["time_s"], np.linspace(0.0, 100.0, 11))


def test_after_a_kill_the_journal_holds_every_finished_case(tmp_path):
    """A writer that never closes (SIGKILL) leaves its cases in the journal, readable, and the
    next run of the config joins them into the file."""
    path = tmp_path / "r.h5"
    writer = ResultWriter(path, "", "abc123", {})
    writer.write_case(make_record("aaaa", 25.0))
    writer.write_case(make_record("bbbb", 0.0))
    writer._lock.unlink()  # the process is gone: its lock would be stale
    assert not path.exists()
    assert [c.case_id for c in read_result(path)] == ["aaaa", "bbbb"]
    with ResultWriter(path, "", "abc123", {}) as again:
        assert again.finished() == {"aaaa", "bbbb"}
    assert [c.case_id for c in read_result(path)] == ["aaaa", "bbbb"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.h5"]


def test_decimated_and_no_time_series(tmp_path):
    record = make_record("aaaa", 25.0)
    record.timeseries = {"time_s": np.arange(0.0, 100.5, 0.5), "voltage_V": np.linspace(4.0, 3.0, 201)}
    record.timeseries_units = {"time_s": "s", "voltage_V": "V"}
    for mode, expected in (("full", 201), ("decimated", 11), ("none", 0)):
        path = tmp_path / f"{mode}.h5"
        with ResultWriter(path, "", "abc", {}, timeseries=mode) as writer:
            writer.write_case(record)
        series = read_result(path)[0].timeseries
        assert len(series.get("time_s", [])) == expected
    decimated = read_result(tmp_path / "decimated.h5")[0].timeseries
    assert decimated["time_s"][0] == 0.0 and decimated["time_s"][-1] == 100.0
    with pytest.raises(ResultFileError, match="--timeseries 'some'"):
        ResultWriter(tmp_path / "x.h5", "", "abc", {}, timeseries="some")


def test_the_summary_has_the_fixed_schema_and_a_named_case_dimension(tmp_path):
    from battsim.metrics import METRIC_UNITS
    from battsim.results.schema import LABEL_COLUMNS, PARAMETER_COLUMNS

    path = tmp_path / "r.h5"
    record = make_record("aaaa", 25.0)
    record.params.update(precondition=True, series=96, custom_key=1.5)
    write(path, [record, make_record("cccc", -20.0, "failed")])
    with h5py.File(path, "r") as f:
        columns = json.loads(f["summary"].attrs["columns"])
        assert set(METRIC_UNITS) | set(PARAMETER_COLUMNS) | set(LABEL_COLUMNS) | {"custom_key"} <= set(columns)
        assert f["summary/precondition"].attrs["kind"] == "bool" and f["summary/series"].attrs["kind"] == "int"
        assert np.isnan(f["summary/range_km"][0])  # a metric that does not apply
    xr = pytest.importorskip("xarray")
    pytest.importorskip("h5netcdf")
    ds = xr.open_dataset(path, group="summary", engine="h5netcdf")
    assert ds["ambient_C"].dims == ("case",) and list(ds["case"].values) == ["aaaa", "cccc"]
    assert ds["ambient_C"].attrs["units"] == "degC"
    ds.close()
    summary = read_result(path).summary
    assert summary["precondition"].dtype == "boolean" and summary["series"].dtype == "Int64"
    assert summary["precondition"][0] and summary["series"][0] == 96 and summary.loc[1, "series"] is pd_na()


def pd_na():
    import pandas as pd

    return pd.NA


def test_unreadable_files_give_clear_errors(tmp_path):
    with pytest.raises(ResultFileError, match="not found"):
        read_result(tmp_path / "missing.h5")
    text = tmp_path / "text.h5"
    text.write_text("not hdf5")
    with pytest.raises(ResultFileError, match="not an HDF5 file"):
        read_result(text)
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as f:
        f["x"] = 1
    with pytest.raises(ResultFileError, match="not a battsim result file"):
        read_result(other)
    newer = tmp_path / "newer.h5"
    write(newer, [make_record("aaaa", 25.0)])
    with h5py.File(newer, "a") as f:
        f.attrs["schema_version"] = SCHEMA_VERSION + 1
    with pytest.raises(ResultFileError, match="schema_version"):
        read_result(newer)


def test_metric_names_never_collide_with_case_parameters():
    from battsim import config
    from battsim.metrics import METRIC_UNITS

    parameter_names = {f.name for _, f in config.keys()} | {"vehicle", "cycle", "series", "parallel", "method",
                                                             "controller", "chemistry", "model"}
    assert not parameter_names & set(METRIC_UNITS)
