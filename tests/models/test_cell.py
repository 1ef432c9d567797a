"""The PyBaMM adapter: build once, reuse with inputs, physics trends, validity warnings."""

import numpy as np
import pytest

from battsim.cells import get_chemistry
from battsim.errors import SimulationError, ValidityWarning
from battsim.models import cell
from battsim.models.cell import THERMAL_CHAMBER_H_W_PER_M2K, CellConditions, get_cell_model
from battsim.models.protocol import single_phase

AMBIENTS_C = (25.0, 0.0, -10.0, -20.0)


def solve(cell_model, duration_s, **conditions):
    """Solve ``cell_model`` for one phase of ``duration_s`` under ``CellConditions(**conditions)``."""
    return cell_model.solve(cell_model.inputs(CellConditions(**conditions)), single_phase(duration_s))


def discharge(name, ambient_C, model="DFN", h=10.0):
    cell_model = get_cell_model(get_chemistry(name), model)
    T = 273.15 + ambient_C
    capacity = cell_model.chemistry.nominal_capacity_Ah
    return solve(cell_model, 1.25 * 3600, current_A=capacity, ambient_K=T, initial_temperature_K=T, h_W_per_m2K=h)


@pytest.fixture(scope="module")
def one_c_discharges():
    """1C from full at each ambient, cell starting at ambient: {(chemistry, ambient_C): series}."""
    return {(name, T): discharge(name, T).series
            for name in ("nmc811-graphite", "lfp-graphite", "solid-state-li-metal") for T in AMBIENTS_C}


@pytest.mark.slow
@pytest.mark.xdist_group("one_c_discharges")  # one worker computes the module's discharges
@pytest.mark.parametrize("name", ["nmc811-graphite", "lfp-graphite", "solid-state-li-metal"])
def test_delivered_capacity_falls_monotonically_with_temperature(one_c_discharges, name):
    capacities = [one_c_discharges[(name, T)]["discharge_capacity_Ah"][-1] for T in AMBIENTS_C]
    assert np.all(np.diff(capacities) < 0), capacities
    energies = [one_c_discharges[(name, T)]["discharge_energy_Wh"][-1] for T in AMBIENTS_C]
    assert np.all(np.diff(energies) < 0), energies


@pytest.mark.slow
def test_solid_state_versus_liquid_electrolyte_at_minus_20C():
    """What the cited parameters say about the solid-state cell in the cold, held near ambient
    (thermal chamber, 140 W/(m2 K)) so that self-heating does not hide the electrochemistry.

    The issue expected the solid-state cell to lose more capacity at -20 degC than the LG M50
    because Li6PS5Cl has the higher activation energy (35.7 kJ/mol against roughly 13 for
    LiPF6 EC:EMC; see tests/cells). With the cited parameters the DFN says otherwise for
    *capacity*: a single-ion conductor (t+ = 1) cannot deplete its salt and a lithium-metal
    electrode has no solid diffusion, the two processes that end the LG M50's cold discharge
    early. The higher activation energy shows instead as a larger *voltage* loss: the mean
    discharge voltage falls more. (In still air both cells warm themselves to above 0 degC and
    deliver over 90 %.) This test states and checks exactly that.
    """
    series = {(name, T): discharge(name, T, h=THERMAL_CHAMBER_H_W_PER_M2K).series
              for name in ("nmc811-graphite", "solid-state-li-metal") for T in (25.0, -20.0)}

    def pct(name):
        capacity = {T: series[(name, T)]["discharge_capacity_Ah"][-1] for T in (25.0, -20.0)}
        return 100 * capacity[-20.0] / capacity[25.0]

    def mean_voltage_drop(name):
        def mean_v(T):
            s = series[(name, T)]
            return s["discharge_energy_Wh"][-1] / s["discharge_capacity_Ah"][-1]
        return 1 - mean_v(-20.0) / mean_v(25.0)

    assert pct("solid-state-li-metal") > pct("nmc811-graphite")
    assert mean_voltage_drop("solid-state-li-metal") > mean_voltage_drop("nmc811-graphite")


def test_model_is_built_once_and_reused():
    lfp = get_chemistry("lfp-graphite")
    first = get_cell_model(lfp)
    assert get_cell_model(lfp) is first
    a = discharge("lfp-graphite", 0.0)
    b = discharge("lfp-graphite", -10.0)
    assert get_cell_model(lfp) is first
    assert a.series["discharge_capacity_Ah"][-1] > b.series["discharge_capacity_Ah"][-1]


def test_repeated_solves_with_the_same_inputs_agree():
    a = discharge("lfp-graphite", -10.0).series
    b = discharge("lfp-graphite", -10.0).series
    assert a["discharge_capacity_Ah"][-1] == pytest.approx(b["discharge_capacity_Ah"][-1], rel=1e-9)


def test_initial_soc_sets_the_charge_available():
    cell_model = get_cell_model(get_chemistry("lfp-graphite"))
    full = solve(cell_model, 3 * 3600, current_A=1.0, ambient_K=298.15, initial_temperature_K=298.15, initial_soc=1.0)
    half = solve(cell_model, 3 * 3600, current_A=1.0, ambient_K=298.15, initial_temperature_K=298.15, initial_soc=0.5)
    ratio = half.series["discharge_capacity_Ah"][-1] / full.series["discharge_capacity_Ah"][-1]
    assert ratio == pytest.approx(0.5, abs=0.05)


@pytest.mark.slow
def test_spme_warns_below_zero_and_leaves_its_range_at_minus_20C():
    """SPMe loses validity in the cold: at -20 degC it stops within about a minute at 1C."""
    with pytest.warns(ValidityWarning, match="SPMe.*loses validity below 0 degC"):
        spme = discharge("nmc811-graphite", -20.0, model="SPMe")
    dfn = discharge("nmc811-graphite", -20.0)
    assert spme.series["time_s"][-1] < 120.0
    assert dfn.series["time_s"][-1] > 20 * spme.series["time_s"][-1]
    assert spme.warnings and "DFN" in spme.warnings[0]


def test_dfn_in_range_does_not_warn(recwarn):
    discharge("lfp-graphite", 0.0)
    assert not [w for w in recwarn if issubclass(w.category, ValidityWarning)]


def test_outside_the_chemistry_range_warns():
    cell_model = get_cell_model(get_chemistry("lfp-graphite"))
    with pytest.warns(ValidityWarning, match="outside the -20 to 45 degC range"):
        solve(cell_model, 10, current_A=0.0, ambient_K=273.15 - 30, initial_temperature_K=273.15 - 30)


def test_unknown_model_is_an_error():
    with pytest.raises(SimulationError, match="'P2D' is not one of DFN, SPMe, SPM, fast"):
        cell.CellModel(get_chemistry("lfp-graphite"), "P2D")


def test_node_conditions_must_match_the_model():
    with pytest.raises(SimulationError, match="external node"):
        get_cell_model(get_chemistry("lfp-graphite")).inputs(CellConditions(
            current_A=0, ambient_K=298.15, initial_temperature_K=298.15,
            node=cell.ExternalNodeConditions(1, 1, 0, 298.15)))


@pytest.mark.slow
def test_spme_agrees_with_the_dfn_where_it_is_valid():
    """Fidelity consistency: at 25 degC and C/2 the SPMe delivers the DFN's capacity within 1 %."""
    def capacity(model):
        cell_model = get_cell_model(get_chemistry("nmc811-graphite"), model)
        s = solve(cell_model, 2.5 * 3600, current_A=2.5, ambient_K=298.15, initial_temperature_K=298.15)
        return s.series["discharge_capacity_Ah"][-1]
    assert capacity("SPMe") == pytest.approx(capacity("DFN"), rel=1e-2)
