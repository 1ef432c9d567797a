"""Running cases: references, metrics, failures recorded, models built once per chemistry."""

import math
from pathlib import Path

import pytest

from battsim import config
from battsim.cases import REFERENCES, discharge, run_case
from battsim.metrics import METRIC_UNITS
from battsim.models import cell
from battsim.sweep import run_cases


def cases_from(tmp_path, text):
    path = tmp_path / "c.toml"
    path.write_text(text)
    return config.load(path)[1]


def test_reference_case_is_computed_when_not_in_the_set(tmp_path):
    cases = cases_from(tmp_path, '[cell]\nchemistry = "lfp-graphite"\n[climate]\nambient_C = -10\n')
    REFERENCES.clear()  # the 25 degC reference is not in the set, nor cached: it must be computed
    (result,) = run_cases(cases)
    assert result.status == "ok", result.error
    m = result.metrics
    assert set(m) <= set(METRIC_UNITS)
    assert result.units == {name: METRIC_UNITS[name] for name in m}
    assert m["delivered_capacity_pct_of_25C"] == pytest.approx(
        100 * m["delivered_capacity_Ah"] / m["reference_capacity_25C_Ah"])
    assert 0 < m["delivered_capacity_pct_of_25C"] < 100
    assert m["reference_capacity_25C_Ah"] == pytest.approx(2.0, rel=0.05)  # BPX nominal 2 Ah
    assert result.params["chemistry"] == "lfp-graphite" and result.params["ambient_C"] == -10.0
    assert result.timeseries_units["temperature_C"] == "degC"
    assert math.isnan(m["max_ccd_ratio"])


def test_failed_case_is_recorded_and_the_others_still_run(tmp_path, monkeypatch):
    cases = cases_from(tmp_path, '[cell]\nchemistry = "lfp-graphite"\n[climate]\nambient_C = [0, -10]\n')
    real_solve = discharge.solve_discharge

    def flaky(cfg):
        if cfg.climate.ambient_C == 0.0:
            raise RuntimeError("solver exploded")
        return real_solve(cfg)

    monkeypatch.setattr(discharge, "solve_discharge", flaky)
    results = run_cases(cases)
    assert [r.status for r in results] == ["failed", "ok"]
    assert "solver exploded" in results[0].error
    # one case alone raises: recording failures is the sweep's job
    with pytest.raises(RuntimeError, match="solver exploded"):
        run_case(cases[0])


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::battsim.errors.ValidityWarning")  # the solid-state cell exceeds its CCD
def test_quickstart_builds_one_model_per_chemistry_and_mesh(monkeypatch):
    """The quick-start cases reuse one built model per chemistry and mesh: no rebuild per case (here
    down to -10 degC, all on the default meshes; the -20 degC chamber case's cold mesh is run by the
    quick-start tests in tests/test_cli.py and tests/test_pinned_behaviour.py)."""
    cell.get_cell_model.cache_clear()
    built = []
    original = cell.CellModel.__init__

    def counting(self, *args, **kwargs):
        built.append(args[0].name)
        original(self, *args, **kwargs)

    monkeypatch.setattr(cell.CellModel, "__init__", counting)
    _, cases = config.load(Path(__file__).parents[2] / "configs" / "quickstart.toml",
                           ["climate.ambient_C=[25, 0, -10]"])
    assert len(cases) == 18
    results = run_cases(cases)
    assert all(r.status == "ok" for r in results), [r.error for r in results]
    assert sorted(built) == ["lfp-graphite", "nmc811-graphite", "solid-state-li-metal"]
    by_key = {(r.params["chemistry"], r.params["ambient_C"], r.params["condition"]): r.metrics for r in results}
    for chemistry in ("nmc811-graphite", "lfp-graphite", "solid-state-li-metal"):
        for condition in ("still-air", "thermal-chamber"):
            assert by_key[(chemistry, 25.0, condition)]["delivered_capacity_pct_of_25C"] == pytest.approx(100.0)
    cell.get_cell_model.cache_clear()
