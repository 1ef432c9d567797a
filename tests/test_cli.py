"""The ``battsim`` command as a user meets it: real processes, exit codes, one-line errors."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from test_pinned_behaviour import assert_matches_pins

import battsim as bs
from battsim.results import SCHEMA_VERSION

REPO = Path(__file__).parents[1]


def battsim(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "battsim.cli", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, timeout=600)


def assert_bad_input(process, *fragments):
    assert process.returncode == 2, process.stderr
    lines = process.stderr.strip().splitlines()
    assert len(lines) == 1, process.stderr
    assert "Traceback" not in process.stderr
    assert lines[0].startswith("battsim: error: ")
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


@pytest.fixture
def config_file(tmp_path):
    def make(text):
        path = tmp_path / "case.toml"
        path.write_text(text)
        return path
    return make


def test_bad_key(config_file, tmp_path):
    assert_bad_input(battsim("run", config_file("[climate]\nambient = -10\n"), "--out", tmp_path / "r.h5"),
                     "unknown key 'ambient' in [climate]", "did you mean 'ambient_C'")


def test_bad_value(config_file, tmp_path):
    assert_bad_input(battsim("run", config_file("[climate]\nambient_C = -100\n"), "--out", tmp_path / "r.h5"),
                     "climate.ambient_C = -100", ">= -50")


def test_bad_unit_in_key_name(config_file, tmp_path):
    assert_bad_input(battsim("run", config_file("[climate]\nambient_K = 253\n"), "--out", tmp_path / "r.h5"),
                     "unknown key 'ambient_K'", "ambient_C")


def test_bad_override(config_file, tmp_path):
    assert_bad_input(battsim("run", config_file(""), "--set", "cell.chemistry=nmc", "--out", tmp_path / "r.h5"),
                     "cell.chemistry = 'nmc'", "nmc811-graphite")


def test_missing_config_file(tmp_path):
    assert_bad_input(battsim("run", tmp_path / "nope.toml"), "config file", "not found")


def test_missing_result_file(tmp_path):
    assert_bad_input(battsim("show", tmp_path / "nope.h5"), "result file", "not found")


def test_unknown_command_and_missing_argument():
    assert_bad_input(battsim("fly"), "invalid choice")
    assert_bad_input(battsim("run"), "the following arguments are required: config")


def test_chemistries_lists_the_facts():
    process = battsim("chemistries", "--json")
    assert process.returncode == 0, process.stderr
    facts = {f["name"]: f for f in json.loads(process.stdout)}
    assert set(facts) == {"nmc811-graphite", "lfp-graphite", "solid-state-li-metal", "nco-graphite-power"}
    assert facts["solid-state-li-metal"]["critical_current_density_25C_A_per_m2"] > 0
    assert facts["nmc811-graphite"]["contact_resistance_Ohm"] == pytest.approx(0.0114)  # 14.0 - 2.6 mOhm
    text = battsim("chemistries").stdout
    assert "doi:10.1016/j.xcrp.2022.101043" in text and "specific heat" in text


@pytest.mark.slow
def test_run_then_show_json(config_file, tmp_path):
    config = config_file('[cell]\nchemistry = "lfp-graphite"\n[climate]\nambient_C = [0, -10]\n')
    out = tmp_path / "out" / "r.h5"
    process = battsim("run", config, "--out", out, "--set", "discharge.c_rate=0.5")
    assert process.returncode == 0, process.stderr
    assert "delivered_capacity_Ah" in process.stdout and "2 of 2 cases ok" in process.stdout
    assert "[2/2]" in process.stderr  # progress
    shown = battsim("show", out, "--json")
    assert shown.returncode == 0, shown.stderr
    document = json.loads(shown.stdout)
    assert document["schema_version"] == SCHEMA_VERSION
    assert document["units"]["delivered_capacity_Ah"] == "A*h" and document["units"]["end_temperature_C"] == "degC"
    cases = document["cases"]
    assert [(c["chemistry"], c["ambient_C"], c["c_rate"]) for c in cases] == [
        ("lfp-graphite", 0.0, 0.5), ("lfp-graphite", -10.0, 0.5)]
    for case in cases:
        for name in ("delivered_capacity_Ah", "delivered_capacity_pct_of_25C", "delivered_energy_Wh",
                     "end_temperature_C", "min_anode_potential_V"):
            assert isinstance(case[name], float), name
    table = battsim("show", out)
    assert table.returncode == 0 and "lfp-graphite" in table.stdout


#: the LG M50 from -20 degC at 1C held in the thermal chamber on the cold study's finest mesh [A.h]
LG_M50_CHAMBER_M20C_FINEST_AH = 1.593


@pytest.mark.slow
def test_quickstart_through_the_cli(tmp_path):
    """The README's quick start: 24 cases, the cell-test metric names beside chemistry, ambient_C and
    the test condition; the table names both conditions."""
    out = tmp_path / "quickstart.h5"
    process = battsim("run", REPO / "configs" / "quickstart.toml", "--out", out)
    assert process.returncode == 0, process.stderr
    assert "still-air" in process.stdout and "thermal-chamber" in process.stdout
    cases = json.loads(battsim("show", out, "--json").stdout)["cases"]
    assert len(cases) == 24
    assert {(c["chemistry"], c["ambient_C"], c["condition"]) for c in cases} == {
        (chem, T, condition) for chem in ("nmc811-graphite", "lfp-graphite", "solid-state-li-metal")
        for T in (25.0, 0.0, -10.0, -20.0) for condition in ("still-air", "thermal-chamber")}
    for case in cases:
        assert case["status"] == "ok"
        assert {"delivered_capacity_Ah", "delivered_capacity_pct_of_25C", "delivered_energy_Wh",
                "end_temperature_C", "min_anode_potential_V"} <= set(case)
    # converged in both conditions: the LG M50 held at -20 degC in the chamber (its cold mesh) within 0.5 % of
    # the cold study's finest mesh, 60 x 320 points (validation/mesh_convergence_cold.md)
    (chamber,) = [c for c in cases if (c["chemistry"], c["ambient_C"], c["condition"]) == (
        "nmc811-graphite", -20.0, "thermal-chamber")]
    assert chamber["delivered_capacity_Ah"] == pytest.approx(LG_M50_CHAMBER_M20C_FINEST_AH, rel=0.005)
    # and every metric as pinned (tests/data/pinned/quickstart.json), read back from the file the CLI wrote
    assert_matches_pins("quickstart", bs.open_results(out))


def test_validate_quick_passes_and_writes_its_report_and_plots(tmp_path):
    """The quick validation, as a user runs it (under 3 minutes); the slow comparisons run in
    tests/studies/test_validation.py."""
    from battsim.studies.validation import comparisons

    report = tmp_path / "validation" / "report.md"
    process = battsim("validate", "--quick", "--out", report)
    assert process.returncode == 0, process.stdout + process.stderr
    assert "validation cases pass" in process.stdout
    assert not re.search(r"FAIL(?! \(known\))", process.stdout)  # a known failure says why, others fail the run
    text = report.read_text()
    assert "SS-05" in text and "--quick" in text
    quick = comparisons(quick=True)
    for comparison in quick:
        assert f"({comparison.name}.png)" in text and (report.parent / f"{comparison.name}.png").stat().st_size > 10_000
    assert f"[{len(quick)}/{len(quick)}]" in process.stderr  # progress, one line per comparison
    assert not list(report.parent.glob(".*partial"))


def test_pybamm_telemetry_prompt_never_appears(tmp_path):
    """A fresh HOME (no PyBaMM config) and no terminal: battsim must not ask or wait."""
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    process = subprocess.run([sys.executable, "-m", "battsim.cli", "chemistries"], capture_output=True,
                             text=True, env=env, stdin=subprocess.DEVNULL, timeout=120)
    assert process.returncode == 0, process.stderr
    assert "telemetry" not in (process.stdout + process.stderr).lower()
    assert not (tmp_path / "cfg" / "pybamm").exists()


@pytest.mark.slow
def test_heating_comparison_prints_a_table_and_writes_a_plot(tmp_path):
    out = tmp_path / "cmp.h5"
    process = battsim("run", REPO / "configs" / "heating_comparison.toml", "--out", out,
                      "--set", 'heating.method=["ptc", "ac", "heat_pump"]',
                      "--set", 'heating.controller=["thermostat", "rapid"]', "--set", "heating.target_C=-10")
    assert process.returncode == 0, process.stderr
    for column in ("method", "controller", "heating_time_s", "heating_energy_kWh", "plating_time_s"):
        assert column in process.stdout
    png = out.with_suffix(".png")
    assert png.is_file() and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    cases = json.loads(battsim("show", out, "--json").stdout)["cases"]
    assert {(c["method"], c["controller"]) for c in cases} == {
        (m, c) for m in ("ptc", "ac", "heat_pump") for c in ("thermostat", "rapid")}
    assert {c["binding_limit"] for c in cases if c["method"] == "ac" and c["controller"] == "rapid"} <= {
        "current_limit", "voltage_window", "plating_margin", "envelope_validity", "controller"}
    assert all(c["plating_time_s"] == 0.0 for c in cases if c["controller"] == "rapid")


@pytest.mark.parametrize("path", sorted((REPO / "configs").glob("*.toml")), ids=lambda p: p.stem)
def test_shipped_configs_are_valid(path):
    from battsim import config

    _, cases = config.load(path)
    assert cases


def test_the_envelope_config_writes_its_table_and_plot(tmp_path):
    out = tmp_path / "envelope.h5"
    process = battsim("run", REPO / "configs" / "envelope.toml", "--out", out, "--set",
                      'cell.chemistry=["lfp-graphite", "solid-state-li-metal"]', "--set", "climate.ambient_C=[25, -20]")
    assert process.returncode == 0, process.stderr
    assert "max_charge_c_rate" in process.stdout and "critical_current_density" in process.stdout
    assert out.with_suffix(".png").read_bytes()[:4] == b"\x89PNG"
    cases = json.loads(battsim("show", out, "--json").stdout)["cases"]
    lfp = {c["ambient_C"]: c for c in cases if c["chemistry"] == "lfp-graphite"}
    assert lfp[-20.0]["max_charge_c_rate"] < lfp[25.0]["max_charge_c_rate"]
    assert lfp[-20.0]["charge_limit"] == "plating_margin"


def test_tune_command_reports_optimum_and_trade_off(tmp_path):
    process = battsim("tune", REPO / "configs" / "heating_ptc_grid.toml", "--set", "heating.target_C=-15",
                      "--objective", "energy", "--max-evaluations", "6")
    assert process.returncode == 0, process.stderr
    assert "optimum: heater_power_W" in process.stdout and "trade-off" in process.stdout
    bad = battsim("tune", REPO / "configs" / "heating_comparison.toml")
    assert_bad_input(bad, "the tuner needs one case")
    assert_bad_input(battsim("tune", REPO / "configs" / "quickstart.toml"), "the tuner needs a 'cell_heating' config")


@pytest.mark.slow
def test_trip_run_prints_metrics_against_the_reference_and_report_plots_it(tmp_path):
    out = tmp_path / "trip.h5"
    process = battsim("run", REPO / "configs" / "trip.toml", "--out", out, "--set", "drive.distance_km=3",
                      "--set", "climate.soak_h=1", "--set", "climate.ambient_C=-10")
    assert process.returncode == 0, process.stderr
    for name in ("range_km", "reference (25 degC, no heating)", "co2_penalty_g_per_km", "departure_temperature_C",
                 "cabin_min_temperature_C", "cabin_heat_deficit_kWh", "range: not reported"):
        assert name in process.stdout
    cases = json.loads(battsim("show", out, "--json").stdout)["cases"]
    assert cases[0]["vehicle"] == "compact" and cases[0]["cycle"] == "wltc" and cases[0]["ambient_C"] == -10.0
    for name in ("heating_time_s", "heating_energy_kWh", "heating_energy_grid_kWh", "heating_energy_battery_kWh",
                 "departure_temperature_C", "range_km", "reference_range_km", "range_loss_pct",
                 "battery_energy_Wh_per_km", "grid_energy_Wh_per_km", "energy_penalty_kWh_per_100km",
                 "co2_g_per_km", "co2_penalty_g_per_km", "min_anode_potential_V", "plating_time_s",
                 "max_temperature_spread_K", "cabin_min_temperature_C", "cabin_heat_deficit_kWh", "range_estimated"):
        assert name in cases[0], name
    assert cases[0]["range_km"] is None and cases[0]["range_estimated"] == 0.0  # a partial drive: no range
    report = battsim("report", out, "--out", tmp_path / "report")
    assert report.returncode == 0, report.stderr
    pngs = sorted((tmp_path / "report").glob("*.png"))
    assert len(pngs) == 3 and all(p.read_bytes()[:4] == b"\x89PNG" for p in pngs)
    summary = (tmp_path / "report" / "summary.md").read_text()
    assert "range_km" in summary and "![" in summary


def test_report_of_a_cell_run(tmp_path):
    out = tmp_path / "cells.h5"
    process = battsim("run", REPO / "configs" / "quickstart.toml", "--out", out, "--set", "cell.chemistry=lfp-graphite",
                      "--set", "climate.ambient_C=[25, -10]", "--set", "thermal.condition=still-air", "--quiet")
    assert process.returncode == 0, process.stderr
    report = battsim("report", out, "--out", tmp_path / "report")
    assert report.returncode == 0, report.stderr
    assert len(list((tmp_path / "report").glob("*.png"))) == 2
    assert_bad_input(battsim("report", tmp_path / "missing.h5", "--out", tmp_path / "r"), "not found")
    from battsim.reporting.report import write_report

    summary = write_report(out, tmp_path / "big", per_case=1)  # as a report of a sweep too big to draw whole
    assert len(list((tmp_path / "big").glob("*.png"))) == 1
    assert "own plots are drawn for 1 of the 2 finished cases" in summary.read_text()


def test_a_cluster_table_without_cluster_is_said_to_be_ignored(config_file, tmp_path):
    process = battsim("run", config_file("[cluster]\nqueue = \"short\"\n[climate]\nambient = -10\n"),
                      "--out", tmp_path / "r.h5")
    assert process.returncode == 2
    assert "[cluster] table" in process.stderr and "used only with --cluster" in process.stderr


def test_validate_refuses_a_report_path_it_cannot_write_before_simulating(tmp_path):
    process = battsim("validate", "--quick", "--out", tmp_path)
    assert process.returncode == 2 and "is a directory" in process.stderr and "report.md" in process.stderr
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    process = battsim("validate", "--quick", "--out", blocker / "report.md")
    assert process.returncode == 2 and "is not a directory" in process.stderr
    assert "[1/" not in process.stderr  # refused before the first comparison ran


def test_calibrate_builds_once_prints_its_table_and_reuses_it(tmp_path):
    """`battsim calibrate` (the LFP cell: about 4 s): the table per temperature, SOC and direction, the file with its
    provenance; the second call reads it; a misspelt chemistry is one line and exit 2."""
    env = {**os.environ, "BATTSIM_CACHE_DIR": str(tmp_path)}

    def calibrate(*args):
        return subprocess.run([sys.executable, "-m", "battsim.cli", "calibrate", *args], capture_output=True,
                              text=True, env=env)

    first = calibrate("lfp-graphite")
    assert first.returncode == 0, first.stderr
    assert "calibrating the fast model of 'lfp-graphite'" in first.stderr
    rows = [line.split() for line in first.stdout.splitlines() if re.match(r"\s+-?\d+\s+\d", line)]
    temperatures = [-20, -15, -5, 5, 15, 25, 35, 45]  # the chemistry's valid range
    assert sorted({float(r[0]) for r in rows}) == temperatures and {r[1] for r in rows} == {"0.2", "0.5", "0.8", "0.95"}
    assert len(rows) == len(temperatures) * 4 * 2 and {r[2] for r in rows} == {"discharge", "charge"}
    data = json.loads((tmp_path / "calibration" / "fast-lfp-graphite.json").read_text())
    assert data["provenance"]["method_version"] and np.shape(data["residuals"]["voltage_rms_mV"]) == (8, 4, 2)
    second = calibrate("lfp-graphite", "--json")
    assert second.returncode == 0 and "calibrating" not in second.stderr
    assert json.loads(second.stdout)[0]["key"] == data["key"]
    bad = calibrate("lfp-graphit")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "unknown chemistry 'lfp-graphit'" in bad.stderr


@pytest.mark.slow
def test_validate_fidelity_quick_compares_the_fast_model_with_the_dfn(tmp_path):
    """`battsim validate --fidelity --quick`: one short LFP trip both ways, its metrics side by side,
    within the targets (the full matrix is in validation/fidelity.md)."""
    report = tmp_path / "fidelity.md"
    process = battsim("validate", "--fidelity", "--quick", "--out", report)
    assert process.returncode == 0, process.stdout + process.stderr
    assert "1 of 1 trips meet every target" in process.stdout
    assert "[1/1] lfp -10 degC us06 none, 5 km: meets the targets" in process.stderr
    text = report.read_text()
    assert "battsim validate --fidelity --quick" in text and "min_anode_potential_V [V]" in text


def test_report_of_an_envelope_run_draws_the_envelope(tmp_path):
    out = tmp_path / "envelope.h5"
    process = battsim("run", REPO / "configs" / "envelope.toml", "--out", out, "--set", "cell.chemistry=lfp-graphite",
                      "--set", "climate.ambient_C=[-10, 25]", "--quiet")
    assert process.returncode == 0, process.stderr
    report = battsim("report", out, "--out", tmp_path / "report")
    assert report.returncode == 0, report.stderr
    assert [p.name for p in (tmp_path / "report").glob("*.png")] == ["operating_envelope.png"]
    assert "max_discharge_c_rate" in (tmp_path / "report" / "summary.md").read_text()
    assert_bad_input(battsim("report", out, "--out", out), "is a file: a report is a folder")
    assert_bad_input(battsim("merge", out, "--out", out), "cannot be joined into itself")
    assert out.stat().st_size > 0


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs a folder where no file can be created")
def test_an_output_folder_where_no_file_can_be_created_is_bad_input(tmp_path):
    assert_bad_input(battsim("run", REPO / "configs" / "quickstart.toml", "--out", "/proc/result.h5"),
                     "cannot create a file in '/proc'")
