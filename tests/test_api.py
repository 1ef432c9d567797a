"""The public Python API (README, first section): bs.run, Results, Result, open_results, chemistries."""

import math

import numpy as np
import pytest

import battsim as bs
from battsim import cases
from battsim.errors import BattsimError, ConfigError, SimulationError

DISCHARGE = {"scenario": {"kind": "cell_discharge"}, "cell": {"chemistry": "nmc811-graphite"},
             "climate": {"ambient_C": 25.0}, "discharge": {"c_rate": 2.0}, "thermal": {"condition": "thermal-chamber"}}


@pytest.fixture(scope="module")
def two_temperatures():
    return bs.run(DISCHARGE, set={"climate.ambient_C": [25, 0]})


def test_run_returns_results_with_a_summary(two_temperatures):
    res = two_temperatures
    assert len(res) == 2 and all(r.status == "ok" for r in res)
    summary = res.summary
    assert list(summary["ambient_C"]) == [25.0, 0.0]
    assert set(summary["chemistry"]) == {"nmc811-graphite"}
    assert {"delivered_capacity_Ah", "delivered_capacity_pct_of_25C", "status", "case_id"} <= set(summary.columns)
    assert summary.attrs["units"]["delivered_capacity_Ah"] == "A*h"
    assert summary.attrs["units"]["ambient_C"] == "degC" and summary.attrs["units"]["chemistry"] == ""
    # physics: colder delivers less
    assert summary["delivered_capacity_Ah"][1] < summary["delivered_capacity_Ah"][0]


def test_result_metrics_units_and_timeseries(two_temperatures):
    r = two_temperatures[0]
    assert r.units["end_temperature_C"] == "degC"
    assert set(r.units) == set(r.metrics)
    df = r.to_dataframe()
    assert {"time_s", "voltage_V", "temperature_C", "cell_heat_capacity_J_per_K"} <= set(df.columns)
    assert df.attrs["units"]["temperature_C"] == "degC"
    # a heat capacity is a heat capacity (J/K), not a temperature: about 60 J/K for the LG M50
    assert df.attrs["units"]["cell_heat_capacity_J_per_K"] == "J/K"
    assert 50 < df["cell_heat_capacity_J_per_K"].iloc[0] < 75


def test_to_xarray_has_a_case_dimension(two_temperatures):
    ds = two_temperatures.to_xarray()
    assert ds.sizes["case"] == 2
    assert ds["delivered_capacity_Ah"].attrs["units"] == "A*h"
    assert list(ds["ambient_C"].values) == [25.0, 0.0]


def test_open_results_reads_what_the_cli_wrote(tmp_path):
    from battsim.cli import main

    config = tmp_path / "c.toml"
    config.write_text('[scenario]\nkind = "cell_discharge"\n[climate]\nambient_C = 25\n[discharge]\nc_rate = 2.0\n'
                      '[thermal]\ncondition = "thermal-chamber"\n')
    out = tmp_path / "r.h5"
    assert main(["run", str(config), "--out", str(out), "--quiet"]) == 0
    res = bs.open_results(out)
    assert len(res) == 1 and res[0].metrics["delivered_capacity_pct_of_25C"] == pytest.approx(100.0)
    assert res.summary.loc[0, "chemistry"] == "nmc811-graphite"
    assert res.summary.attrs["units"]["ambient_C"] == "degC"


def test_numpy_scalars_are_accepted():
    raw = {"scenario": {"kind": "cell_discharge"}, "climate": {"ambient_C": np.float32(25.0)},
           "discharge": {"c_rate": np.int64(2)}, "solver": {"electrode_points": np.int64(20)}}
    _, (case,) = bs.api.cases_of(raw)
    assert case.config.discharge.c_rate == 2.0 and type(case.config.discharge.c_rate) is float
    assert type(case.config.solver.electrode_points) is int


def test_bad_input_raises_a_battsim_error():
    with pytest.raises(ConfigError, match="climate.ambient_C = -100"):
        bs.run(DISCHARGE, set={"climate.ambient_C": -100})
    with pytest.raises(BattsimError, match="did you mean 'ambient_C'"):
        bs.run(DISCHARGE, set={"climate.ambient": 0})
    with pytest.raises(ConfigError, match="errors"):
        bs.run(DISCHARGE, errors="ignore")
    with pytest.raises(ConfigError, match="path to a TOML file or a dict"):
        bs.run(42)


def test_a_failed_case_raises_or_is_recorded(monkeypatch):
    def failing(cfg):
        raise SimulationError("drive phase: the DAE solver could not converge", detail="IDA_CONV_FAIL at t = 1 s")

    monkeypatch.setitem(cases.KINDS, "cell_discharge", failing)
    with pytest.raises(SimulationError, match="could not converge"):
        bs.run(DISCHARGE)
    (failed,) = bs.run(DISCHARGE, errors="record")
    assert failed.status == "failed" and "could not converge" in failed.error
    assert failed.error_detail == "IDA_CONV_FAIL at t = 1 s"
    assert failed.metrics == {} and failed.params["chemistry"] == "nmc811-graphite"


def test_chemistries_lists_the_registry():
    facts = bs.chemistries()
    names = [f["name"] for f in facts]
    assert names[:3] == ["nmc811-graphite", "lfp-graphite", "solid-state-li-metal"]
    assert all(f["references"] for f in facts)
    assert all(math.isfinite(f["specific_heat_25C_J_per_kgK"]) for f in facts)


def test_public_functions_are_documented_with_an_example():
    for function in (bs.run, bs.open_results, bs.chemistries):
        assert "Examples" in function.__doc__, function.__name__
        assert function.__annotations__, function.__name__
