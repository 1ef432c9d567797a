"""The fast cell model (SPM + an element calibrated from the converged DFN) and its calibration.

The calibration runs here on two or three temperatures (seconds); the full grid runs once per
session through ``battsim calibrate`` and the trip test, sharing the session's cache.
"""

import json
import warnings
from pathlib import Path

import numpy as np
import pytest

from battsim.cells import get_chemistry
from battsim.errors import SimulationError, ValidityWarning
from battsim.models import calibration as cal
from battsim.models.cell import THERMAL_CHAMBER_H_W_PER_M2K, CellConditions, CellModel, get_cell_model
from battsim.models.fast import FAST_MESH, fit_element
from battsim.models.protocol import single_phase


def LG_M50_CALIBRATION(test):
    """Marks a slow test that calibrates the LG M50's fast model (about a minute, then cached): it runs
    on the worker of tests/cases/test_trip.py's trips, which need the same calibration."""
    return pytest.mark.slow(pytest.mark.xdist_group("trips")(test))


@pytest.fixture(scope="module")
def nmc():
    return get_chemistry("nmc811-graphite")


@pytest.fixture(scope="module")
def small_calibration(nmc):
    """The LG M50's element at -10, 5 and 25 degC, at 50 and 95 % SOC."""
    return cal.calibrate(nmc, (-10.0, 5.0, 25.0), socs=(0.5, 0.95))


def test_fit_recovers_a_known_element():
    """R0 + R1 (1 - exp(-t/tau)) sampled like a pulse, with 0.1 % noise: the fit returns its values."""
    rng = np.random.default_rng(0)
    t = np.geomspace(0.5, 120.0, 80)
    truth = (0.004, 0.012, 25.0)
    pulses = []
    for _ in range(2):
        d = truth[0] + truth[1] * (1 - np.exp(-t / truth[2]))
        pulses.append((t, d * (1 + 1e-3 * rng.standard_normal(t.size))))
    R0, R1, tau, rms = fit_element(pulses)
    assert (R0, R1, tau) == pytest.approx(truth, rel=0.02)
    assert rms < 1e-4


def test_calibration_is_physical_and_fits_the_dfn(small_calibration):
    """Colder -> a larger series and a larger total resistance at every SOC and in each direction
    (Arrhenius transport and kinetics); about half of the missing polarisation on the negative
    electrode; each direction's fit within 10 mV (rms) of the DFN's voltage, 12 mV of its anode potential.
    Near full charge the DFN holds only a slow charge pulse (the voltage window), and says so."""
    c = small_calibration
    R0, R1 = np.array(c.series_resistance_Ohm), np.array(c.diffusion_resistance_Ohm)  # [T][soc][direction]
    assert R0.shape == (3, 2, 2)
    assert (np.diff(R0, axis=0) < 0).all() and (np.diff(R0 + R1, axis=0) < 0).all()
    assert ((0.3 < np.array(c.anode_share)) & (np.array(c.anode_share) < 0.7)).all()
    assert np.max(c.residuals["voltage_rms_mV"]) < 10.0 and np.max(c.residuals["anode_rms_mV"]) < 12.0
    assert [row[1] for row in c.provenance["c_rate_charge"]] == [0.2, 0.2, 0.5]  # at 95 % SOC
    assert c.provenance["dfn_mesh"][0][0] == "10/120/40" and c.provenance["fast_model_mesh"] == FAST_MESH.label


def test_the_calibrated_element_brings_the_spm_to_the_dfn(nmc, small_calibration):
    """A 1C pulse at -10 degC, held at temperature: the plain SPM misses tens of mV that the DFN
    loses; the fast model is within 20 mV of the DFN over the pulse (the fidelity target of the
    negative electrode's potential), a third of the SPM's error at most."""
    T_K = 263.15
    conditions = CellConditions(current_A=nmc.nominal_capacity_Ah, ambient_K=T_K, initial_temperature_K=T_K,
                                initial_soc=0.5, h_W_per_m2K=0.0, heat_capacity_scale=cal.ISOTHERMAL_SCALE)
    voltage = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ValidityWarning)  # the plain SPM in the cold, on purpose
        for name, model in (("DFN", get_cell_model(nmc)), ("SPM", get_cell_model(nmc, "SPM", mesh=FAST_MESH)),
                            ("fast", CellModel(nmc, "fast", calibration=small_calibration))):
            series = model.solve(model.inputs(conditions), single_phase(60.0)).series
            voltage[name] = np.interp(np.linspace(1, 60, 60), series["time_s"], series["voltage_V"])
    spm_error = np.abs(voltage["SPM"] - voltage["DFN"]).max()
    fast_error = np.abs(voltage["fast"] - voltage["DFN"]).max()
    assert spm_error > 0.03
    assert fast_error < min(0.020, spm_error / 3)


def test_near_full_charge_a_regenerative_pulse_meets_the_dfn(nmc, small_calibration):
    """A 0.2C charge (braking) pulse at 95 % SOC and 5 degC, the voltage window's regime that sets how
    much regeneration a full pack accepts: the charge side of the element, at that SOC, brings the
    fast model to within 1 mV of the DFN over 20 s; the plain SPM is ten times further off at least,
    and the element calibrated at 50 % SOC alone is further off too (0.6 mV when written)."""
    T_K = 278.15
    conditions = CellConditions(current_A=-0.2 * nmc.nominal_capacity_Ah, ambient_K=T_K, initial_temperature_K=T_K,
                                initial_soc=0.95, h_W_per_m2K=0.0, heat_capacity_scale=cal.ISOTHERMAL_SCALE)
    mid_soc_only = cal.calibrate(nmc, (5.0,), socs=(0.5,))
    voltage = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ValidityWarning)
        for name, model in (("DFN", get_cell_model(nmc)), ("SPM", get_cell_model(nmc, "SPM", mesh=FAST_MESH)),
                            ("fast", CellModel(nmc, "fast", calibration=small_calibration)),
                            ("50 %", CellModel(nmc, "fast", calibration=mid_soc_only))):
            series = model.solve(model.inputs(conditions), single_phase(20.0)).series
            voltage[name] = np.interp(np.linspace(1, 20, 20), series["time_s"], series["voltage_V"])
    error = {name: np.abs(v - voltage["DFN"]).max() for name, v in voltage.items()}
    assert error["fast"] < min(0.001, error["SPM"] / 10, error["50 %"])


def test_the_element_heat_is_counted(nmc, small_calibration):
    """Energy conservation with the element: adiabatic, the cell's temperature rise is its heat
    capacity times the cumulative generated heat, which includes I * eta of the element."""
    model = CellModel(nmc, "fast", calibration=small_calibration)
    T_K = 268.15
    series = model.solve(model.inputs(CellConditions(current_A=5.0, ambient_K=T_K, initial_temperature_K=T_K,
                                                     initial_soc=0.9, h_W_per_m2K=0.0)), single_phase(600.0)).series
    from scipy import integrate

    stored = integrate.quad(nmc.heat_capacity_J_per_K, T_K, series["temperature_K"][-1])[0]
    assert stored == pytest.approx(series["cumulative_electrochemical_heat_J"][-1], rel=2e-3)
    # the element's share is most of it in the cold: the plain SPM would generate far less
    assert series["cumulative_electrochemical_heat_J"][-1] > 300.0


def test_outside_the_calibrated_range_it_warns(nmc, small_calibration):
    model = CellModel(nmc, "fast", calibration=small_calibration)
    with pytest.warns(ValidityWarning, match="calibrated for 'nmc811-graphite' from -10 to 25 degC only"):
        model.solve(model.inputs(CellConditions(current_A=5.0, ambient_K=253.15, initial_temperature_K=253.15,
                                                h_W_per_m2K=THERMAL_CHAMBER_H_W_PER_M2K)), single_phase(10.0))


def test_fast_needs_its_calibration(nmc):
    with pytest.raises(SimulationError, match="model 'fast' needs its calibration"):
        CellModel(nmc, "fast")


def test_cached_once_rebuilt_when_stale_and_never_silently(nmc, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BATTSIM_CACHE_DIR", str(tmp_path))
    first = cal.fast_calibration(nmc, (25.0,), socs=(0.5,))
    assert "calibrating the fast model of 'nmc811-graphite'" in capsys.readouterr().err
    path = cal.calibration_path(nmc)
    data = json.loads(path.read_text())
    assert data["units"]["series_resistance_Ohm"] == "ohm" and data["provenance"]["pybamm_version"]
    read = cal.fast_calibration(nmc, (25.0,), socs=(0.5,))
    assert read == first and capsys.readouterr().err == ""  # read
    # the file brings back the mesh the element was calibrated on, spacing included (the fast model
    # runs on it; a file that kept only the point counts ran it on an even mesh)
    assert read.mesh == first.mesh == cal.FAST_MESH and read.mesh.particle_stretch > 0
    legacy = {**data, "mesh": [10, 10, 10]}
    path.write_text(json.dumps(legacy))
    assert cal.fast_calibration(nmc, (25.0,), socs=(0.5,)).mesh == cal.FAST_MESH
    assert "none cached in this format" in capsys.readouterr().err
    data["key"] = "another-version"
    path.write_text(json.dumps(data))
    assert cal.fast_calibration(nmc, (25.0,), socs=(0.5,)) == first
    assert "the cached one is for another battsim" in capsys.readouterr().err
    assert not list(tmp_path.rglob("*.tmp*"))  # written whole, through a rename


@LG_M50_CALIBRATION
def test_a_fast_trip_agrees_with_the_dfn():
    """The pinned one-WLTC trip from -20 degC with grid preconditioning (tests/data/pinned, the
    converged DFN's numbers, checked by tests/test_pinned_behaviour.py) run with the fast model: the
    issue's fidelity targets (energy within 2 %, heating energy within 5 %, temperatures within 1 K,
    minimum negative-electrode potential within 20 mV)."""
    import battsim as bs

    pinned = json.loads((Path(__file__).parents[1] / "data" / "pinned" / "trip_one_wltc.json").read_text())
    (dfn,) = [case["metrics"] for case in pinned["cases"]]
    (fast,) = bs.run(Path(__file__).parents[2] / pinned["config"], set={**pinned["set"], "cell.model": "fast"})
    m = fast.metrics
    assert m["battery_energy_Wh_per_km"] == pytest.approx(dfn["battery_energy_Wh_per_km"], rel=0.02)
    assert m["heating_energy_kWh"] == pytest.approx(dfn["heating_energy_kWh"], rel=0.05)
    assert m["departure_temperature_C"] == pytest.approx(dfn["departure_temperature_C"], abs=1.0)
    assert m["min_anode_potential_V"] == pytest.approx(dfn["min_anode_potential_V"], abs=0.020)
    assert fast.params["model"] == "fast"


@LG_M50_CALIBRATION
def test_a_trip_preconditioned_on_the_dfn_drives_on_with_the_fast_model(assert_energy_accounting_closes):
    """``heating.model = "DFN"`` with ``cell.model = "fast"`` on the pinned trip: the soak and the
    preconditioning are the DFN's (heating energy and time within 0.1 % of the pinned all-DFN trip),
    the drive is the fast model's from the state the DFN left (within the fidelity targets of the
    all-DFN trip); time, temperatures and energies run on through departure, the accounting closes
    over both models, and the result says which model ran which phase."""
    import battsim as bs

    pinned = json.loads((Path(__file__).parents[1] / "data" / "pinned" / "trip_one_wltc.json").read_text())
    (dfn,) = [case["metrics"] for case in pinned["cases"]]
    config = Path(__file__).parents[2] / pinned["config"]
    (mixed,) = bs.run(config, set={**pinned["set"], "cell.model": "fast", "heating.model": "DFN"})
    m, series = mixed.metrics, mixed.timeseries
    assert (mixed.params["model"], mixed.params["parked_model"]) == ("fast", "DFN")
    assert m["heating_energy_kWh"] == pytest.approx(dfn["heating_energy_kWh"], rel=1e-3)
    assert m["heating_time_s"] == pytest.approx(dfn["heating_time_s"], rel=1e-3)
    assert m["battery_energy_Wh_per_km"] == pytest.approx(dfn["battery_energy_Wh_per_km"], rel=0.02)
    assert m["min_anode_potential_V"] == pytest.approx(dfn["min_anode_potential_V"], abs=0.020)
    assert_energy_accounting_closes(m)
    t = np.asarray(series["time_s"])
    assert np.all(np.diff(t) >= 0)
    # the handover: the DFN's last point and the fast model's first, at the same time
    parked_end, drive_start = np.flatnonzero(t == t[np.flatnonzero(np.asarray(series["phase"]) < 2)[-1]])[[0, -1]]
    assert drive_start == parked_end + 1
    for name in ("core_temperature_C", "edge_temperature_C", "coolant_temperature_C", "enclosure_temperature_C",
                 "cabin_temperature_C", "soc", "cumulative_heating_grid_J", "cumulative_to_ambient_J"):
        assert series[name][drive_start] == pytest.approx(series[name][parked_end], rel=1e-9, abs=1e-9), name


@LG_M50_CALIBRATION
def test_a_fast_trip_that_ends_at_the_cut_off_voltage_says_so():
    """With drive.soc_min = 0 a cold trip ends at a cell's cut-off voltage, where the fast model's
    range is not measured against the DFN: the result carries the reason."""
    import battsim as bs

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ValidityWarning)
        (result,) = bs.run(Path(__file__).parents[2] / "configs" / "trip.toml",
                           set={"cell.model": "fast", "drive.soc_min": 0.0, "heating.method": "none"})
    assert result.status == "ok" and "Minimum voltage" in result.termination
    assert any("ended at a cell's cut-off voltage" in w for w in result.warnings)


@pytest.mark.slow
def test_the_fast_trips_solver_settings_are_converged():
    """The fast model's default solver settings (rtol 1e-4, algebraic variables
    out of the error test) against rtol 1e-6 with the full error test, on the fidelity check's quick
    trip: energy per km within 0.1 %, the lowest negative-electrode potential within 0.5 mV, the end
    temperature within 0.02 K (benchmarks/bench_fast.py, part 5, on the full trip)."""
    import battsim as bs
    from battsim.studies.fidelity import CONFIG, fidelity_cases

    ((_, quick),) = fidelity_cases(quick=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ValidityWarning)
        (default,) = bs.run(CONFIG, set={**quick, "cell.model": "fast"})
        (tight,) = bs.run(CONFIG, set={**quick, "cell.model": "fast", "solver.rtol": 1e-6,
                                       "solver.suppress_algebraic_error": False})
    a, b = default.metrics, tight.metrics
    assert a["battery_energy_Wh_per_km"] == pytest.approx(b["battery_energy_Wh_per_km"], rel=1e-3)
    assert a["min_anode_potential_V"] == pytest.approx(b["min_anode_potential_V"], abs=5e-4)
    T = default.timeseries["min_cell_temperature_C"][-1], tight.timeseries["min_cell_temperature_C"][-1]
    assert T[0] == pytest.approx(T[1], abs=0.02)
