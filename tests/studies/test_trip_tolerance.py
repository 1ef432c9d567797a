"""The trip's solver-tolerance study: its verdict logic, and the fast model converged at its default rtol."""

import math

from battsim.studies import trip_tolerance
from battsim.studies.trip_tolerance import Row, _change, converged_rtol, markdown


def _rows(ranges_km, model="DFN"):
    values = [{"range_km": r, "battery_energy_Wh_per_km": 240.0, "heating_energy_kWh": 0.9, "end_soc": 0.03,
               "min_anode_potential_V": 0.075} for r in ranges_km]
    return [Row(model, rtol, v, 1.0, "event", _change(v, values[-1]))
            for rtol, v in zip((1e-4, 1e-5, 1e-6)[-len(values):], values)]


def test_a_tolerance_is_converged_when_it_and_every_tighter_one_are_within_tolerance_of_the_tightest():
    assert converged_rtol(_rows([262.11, 263.50, 263.578])) == 1e-5  # 1e-4: 0.56 % short
    assert converged_rtol(_rows([263.55, 262.00, 263.578])) is None  # 1e-5 off: only the tightest passes
    assert converged_rtol(_rows([263.56, 263.57, 263.578])) == 1e-4


def test_the_change_counts_each_quantity_in_its_own_tolerance():
    reference = {"range_km": 100.0, "battery_energy_Wh_per_km": 200.0, "heating_energy_kWh": 0.0, "end_soc": 0.05,
                 "min_anode_potential_V": 0.08}
    assert math.isclose(_change({**reference, "range_km": 100.25}, reference), 0.5)
    assert math.isclose(_change({**reference, "min_anode_potential_V": 0.084}, reference), 2.0)
    assert math.isclose(_change({**reference, "end_soc": 0.0525}, reference), 0.5)
    assert _change({**reference, "heating_energy_kWh": 1e-20}, reference) < 1e-6  # round-off of a zero integral
    assert _change({**reference, "range_km": math.nan}, reference) == math.inf


def test_the_report_names_each_models_converged_tolerance():
    text = markdown([_rows([262.11, 263.50, 263.578]), _rows([264.27, 264.28, 264.28], "fast")], "trip.toml")
    assert "| DFN | 0.0001 | 262.110 |" in text
    assert "- DFN: converged from rtol 1e-05" in text
    assert "- fast: converged from rtol 0.0001" in text


def test_the_quick_fast_trip_is_converged_at_rtol_1e_4(capsys):
    """5 km of US06 after a -10 degC soak on the fast LFP model: rtol 1e-4, the fast model's default in the
    trip configs, is within 0.5 % of rtol 1e-6 on energy per km, and its lowest anode potential within 2 mV."""
    assert trip_tolerance.main(["--quick"]) == 0
    text = capsys.readouterr().out
    assert "- fast: converged from rtol 0.0001" in text
