"""Text tables: every place that shows a trip's range says that it was driven, not estimated."""

from battsim.reporting.tables import range_footer, range_note


def test_a_table_of_trips_says_its_ranges_were_driven_and_which_trips_have_none():
    rows = [{"range_km": 262.1}, {"range_km": float("nan")}, {"range_km": None}]
    footer = range_footer(rows)
    assert "never estimated" in footer and "2 of 3 trips stopped at drive.distance_km" in footer
    assert range_footer([{"range_km": 300.0}]) == "range_km: driven until the pack was empty, never estimated"
    assert range_footer([{"delivered_capacity_Ah": 4.4}]) is None  # cell tests have no range


def test_one_trip_says_whether_its_range_was_driven():
    assert "driven until the pack was empty" in range_note({"range_km": 262.1})
    assert "not reported" in range_note({"range_km": float("nan")})


def test_a_trip_sweep_is_drawn_against_ambient_one_line_per_strategy_and_chemistry(tmp_path):
    from battsim.reporting.plots import trip_sweep

    rows = [{"ambient_C": t, "method": m, "chemistry": c, "vehicle": "compact", "status": "ok",
             "range_loss_pct": -t * (2 if m == "none" else 1), "energy_penalty_kWh_per_100km": -t / 2}
            for t in (-20.0, -10.0, 0.0) for m in ("none", "ptc") for c in ("nmc811-graphite", "lfp-graphite")]
    rows.append({**rows[0], "status": "failed", "ambient_C": -30.0})
    path = trip_sweep(rows, tmp_path / "sweep.png", "test")
    assert path.is_file() and path.stat().st_size > 10_000
