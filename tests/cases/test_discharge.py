"""Running cases: references, metrics, failures recorded, models built once per chemistry."""

import math
from pathlib import Path

import pytest

from battsim import config, scenario, simulation
from battsim.metrics import METRIC_UNITS


def cases_from(tmp_path, text):
    path = tmp_path / "c.toml"
    path.write_text(text)
    return config.load(path)[1]


def test_reference_case_is_computed_when_not_in_the_set(tmp_path):
    cases = cases_from(tmp_path, '[cell]\nchemistry = "lfp-graphite"\n[climate]\nambient_C = -10\n')
    (result,) = scenario.run(cases)
    assert result.status == "ok", result.error
    m = result.metrics
    assert set(m) <= set(METRIC_UNITS)
    assert m["delivered_capacity_pct_of_25C"] == pytest.approx(
        100 * m["delivered_capacity_Ah"] / m["reference_capacity_25C_Ah"])
    assert 0 < m["delivered_capacity_pct_of_25C"] < 100
    assert m["reference_capacity_25C_Ah"] == pytest.approx(2.0, rel=0.05)  # BPX nominal 2 Ah
    assert result.params["chemistry"] == "lfp-graphite" and result.params["ambient_C"] == -10.0
    assert result.timeseries_units["temperature_C"] == "degC"
    assert math.isnan(m["max_ccd_ratio"])


def test_failed_case_is_recorded_and_the_others_still_run(tmp_path, monkeypatch):
    cases = cases_from(tmp_path, '[cell]\nchemistry = "lfp-graphite"\n[climate]\nambient_C = [0, -10]\n')
    real_solve = scenario._solve

    def flaky(cfg):
        if cfg.climate.ambient_C == 0.0:
            raise RuntimeError("solver exploded")
        return real_solve(cfg)

    monkeypatch.setattr(scenario, "_solve", flaky)
    results = scenario.run(cases)
    assert [r.status for r in results] == ["failed", "ok"]
    assert "solver exploded" in results[0].error


@pytest.mark.slow
def test_quickstart_builds_one_model_per_chemistry(monkeypatch):
    """The 12 quick-start cases reuse 3 built models: no rebuild per case."""
    simulation.get_cell_model.cache_clear()
    built = []
    original = simulation.CellModel.__init__

    def counting(self, *args, **kwargs):
        built.append(args[0].name)
        original(self, *args, **kwargs)

    monkeypatch.setattr(simulation.CellModel, "__init__", counting)
    _, cases = config.load(Path(__file__).parents[1] / "configs" / "quickstart.toml")
    assert len(cases) == 12
    results = scenario.run(cases)
    assert all(r.status == "ok" for r in results), [r.error for r in results]
    assert sorted(built) == ["lfp-graphite", "nmc811-graphite", "solid-state-li-metal"]
    by_key = {(r.params["chemistry"], r.params["ambient_C"]): r.metrics for r in results}
    for chemistry in ("nmc811-graphite", "lfp-graphite", "solid-state-li-metal"):
        assert by_key[(chemistry, 25.0)]["delivered_capacity_pct_of_25C"] == pytest.approx(100.0)
    simulation.get_cell_model.cache_clear()
