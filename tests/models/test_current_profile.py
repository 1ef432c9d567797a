"""A measured current profile replayed on a cell model: charge conserved, the same cell as a constant
current, the upper voltage limit not in the way, bad profiles refused."""

import numpy as np
import pytest

from battsim.cells import get_chemistry
from battsim.errors import SimulationError
from battsim.models.cell import CellConditions, CurrentProfile, get_cell_model
from battsim.models.protocol import single_phase

LFP = get_chemistry("lfp-graphite")


def replay(profile: CurrentProfile, initial_soc: float, T_C: float = 25.0):
    model = get_cell_model(LFP, current_profile=profile)
    T_K = 273.15 + T_C
    inputs = model.inputs(CellConditions(current_A=0.0, ambient_K=T_K, initial_temperature_K=T_K,
                                         initial_soc=initial_soc))
    return model.solve(inputs, single_phase(profile.duration_s)).series


def test_replayed_charge_is_the_profile_integral_and_a_constant_profile_is_a_constant_current():
    t = np.arange(0.0, 601.0)
    steps = np.where(t < 300, 2.0, -1.0)  # 1C out for 5 min, then 0.5C back in
    series = replay(CurrentProfile("steps", tuple(t), tuple(steps)), initial_soc=0.8)
    assert series["time_s"][-1] == pytest.approx(600.0)
    assert series["discharge_capacity_Ah"][-1] == pytest.approx(np.trapezoid(steps, t) / 3600, rel=1e-4)
    assert series["current_A"].max() == pytest.approx(2.0) and series["current_A"].min() == pytest.approx(-1.0)

    constant = replay(CurrentProfile("constant 1C", (0.0, 600.0), (2.0, 2.0)), initial_soc=0.8)
    model = get_cell_model(LFP)
    reference = model.solve(model.inputs(CellConditions(current_A=2.0, ambient_K=298.15, initial_temperature_K=298.15,
                                                        initial_soc=0.8)), single_phase(600.0)).series
    assert np.interp(300.0, constant["time_s"], constant["voltage_V"]) == pytest.approx(
        np.interp(300.0, reference["time_s"], reference["voltage_V"]), abs=1e-4)


def test_a_replayed_charge_runs_past_the_upper_voltage_limit_and_the_cut_off_ends_it():
    up = replay(CurrentProfile("1C charge in the cold", (0.0, 60.0), (-2.0, -2.0)), initial_soc=0.7, T_C=-10.0)
    assert up["time_s"][-1] == pytest.approx(60.0)
    assert up["voltage_V"].max() > LFP.voltage_window_V[1]
    down = replay(CurrentProfile("empty", (0.0, 3600.0), (4.0, 4.0)), initial_soc=0.1)
    assert down["time_s"][-1] < 3600.0 and down["voltage_V"][-1] == pytest.approx(LFP.voltage_window_V[0], abs=0.02)


@pytest.mark.parametrize("times, currents", [((0.0,), (1.0,)), ((0.0, 1.0, 1.0), (1.0, 1.0, 1.0)),
                                             ((0.0, 1.0), (1.0,))])
def test_a_profile_without_increasing_times_or_a_current_per_time_is_refused(times, currents):
    with pytest.raises(SimulationError, match="at least two samples at increasing times"):
        CurrentProfile("bad", times, currents)


def test_a_profile_is_not_replayed_with_a_heating_design():
    with pytest.raises(SimulationError, match="without a heating design"):
        from battsim.models.cell import CellModel, HeatingDesign
        CellModel(LFP, heating=HeatingDesign("h", None, None, ()), current_profile=CurrentProfile("p", (0, 1), (0, 0)))
