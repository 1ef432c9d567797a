"""The ``[sweep]`` table: zipped lists, Latin-hypercube samples, the case count and the cap."""

import math
import os
import subprocess
import sys
import time

import pytest

from battsim import config
from battsim.errors import ConfigError, ConfigWarning

TRIP = {"scenario": {"kind": "trip"}}
RANGES = {"climate.ambient_C": [-30, 10], "climate.soak_h": [1, 24]}


def sampled(samples=50, seed=1, ranges=RANGES, **sections):
    return {**TRIP, **sections, "sweep": {"samples": samples, "seed": seed, "ranges": ranges}}


def one_line_error(raw, *fragments):
    with pytest.raises(ConfigError) as info:
        config.expand(raw)
    message = str(info.value)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message, message
    return message


# ------------------------------------------------------------------------------------ zip


def test_zipped_lists_advance_together_and_multiply_with_the_other_axes():
    raw = {**TRIP, "climate": {"ambient_C": [-20, -10, 0], "soak_h": [1, 2, 3]},
           "heating": {"target_C": [5, 10]}, "sweep": {"zip": [["climate.ambient_C", "climate.soak_h"]]}}
    cases = config.expand(raw)
    assert [c.swept for c in cases] == [
        {"ambient_C": T, "soak_h": h, "target_C": target}
        for T, h in ((-20.0, 1.0), (-10.0, 2.0), (0.0, 3.0)) for target in (5.0, 10.0)]
    assert [(c.config.climate.ambient_C, c.config.climate.soak_h, c.config.heating.target_C) for c in cases] == [
        tuple(c.swept.values()) for c in cases]
    assert config.count_cases(raw) == 6
    assert raw["sweep"] == {"zip": [["climate.ambient_C", "climate.soak_h"]]}  # kept, for the stored config


def test_a_zip_group_is_one_axis_where_its_first_list_is_and_groups_can_be_several():
    raw = {**TRIP, "heating": {"target_C": [5, 10], "hold_s": [0, 60]},
           "climate": {"ambient_C": [-20, 0], "soak_h": [1, 2]},
           "sweep": {"zip": [["climate.soak_h", "climate.ambient_C"], ["heating.target_C", "heating.hold_s"]]}}
    cases = config.expand(raw)
    assert [tuple(c.swept.items()) for c in cases] == [
        (("target_C", target), ("hold_s", hold), ("soak_h", h), ("ambient_C", T))
        for target, hold in ((5.0, 0.0), (10.0, 60.0)) for h, T in ((1.0, -20.0), (2.0, 0.0))]


@pytest.mark.parametrize("raw, fragments", [
    ({"climate": {"ambient_C": [1, 2, 3], "soak_h": [1, 2]}},
     ["sweep.zip", "unequal length", "climate.ambient_C: 3 values", "climate.soak_h: 2 values"]),
    ({"climate": {"ambient_C": [1, 2], "soak_h": 2}}, ["climate.soak_h = 2 is not a list"]),
    ({"climate": {"ambient_C": [1, 2]}}, ["climate.soak_h is not given", "needs a list"]),
])
def test_zipped_lists_must_be_lists_of_one_length(raw, fragments):
    one_line_error({**raw, "sweep": {"zip": [["climate.ambient_C", "climate.soak_h"]]}}, *fragments)


@pytest.mark.parametrize("zip_, fragments", [
    ([["climate.ambiant_C", "climate.soak_h"]], ["sweep.zip", "unknown key 'ambiant_C' in [climate]",
                                                 "did you mean 'ambient_C'"]),
    ([["climat.ambient_C", "climate.soak_h"]], ["unknown section [climat]", "did you mean 'climate'"]),
    ([["ambient_C", "climate.soak_h"]], ["'ambient_C' must be written 'section.key'"]),
    ([["climate.ambient_C"]], ["sweep.zip group ['climate.ambient_C']", "at least 2 keys"]),
    ([["climate.ambient_C", "climate.soak_h"], ["climate.soak_h", "heating.target_C"]],
     ["climate.soak_h is in two groups"]),
    (["climate.ambient_C"], ["sweep.zip = ['climate.ambient_C']", "list of groups"]),
])
def test_a_bad_zip_group_is_one_line_naming_the_key(zip_, fragments):
    raw = {"climate": {"ambient_C": [1, 2], "soak_h": [1, 2]}, "heating": {"target_C": [5, 6]},
           "sweep": {"zip": zip_}}
    one_line_error(raw, *fragments)


# -------------------------------------------------------------------------------- samples


def test_samples_are_a_latin_hypercube_within_the_ranges():
    n = 50
    cases = config.expand(sampled(samples=n))
    assert len(cases) == n
    for key, (low, high) in RANGES.items():
        values = [c.swept[key.split(".")[1]] for c in cases]
        assert all(low <= v < high for v in values)
        # the Latin property: each of the n strata of equal width holds exactly one sample
        assert sorted(math.floor((v - low) / (high - low) * n) for v in values) == list(range(n))


def test_samples_multiply_with_the_list_axes_and_are_validated_configs():
    cases = config.expand(sampled(samples=4, heating={"target_C": [5, 10]}))
    assert [c.swept["target_C"] for c in cases] == [5.0] * 4 + [10.0] * 4
    first, second = cases[:4], cases[4:]
    assert [c.swept["ambient_C"] for c in first] == [c.swept["ambient_C"] for c in second]
    for case in cases:
        assert case.config.climate.ambient_C == case.swept["ambient_C"]
        assert case.config.cell.initial_temperature_C == case.config.climate.ambient_C  # derived keys resolved
    assert len({c.config.hash() for c in cases}) == 8


def test_the_same_seed_gives_the_same_cases_another_seed_others():
    a, b, c = (config.expand(sampled(seed=seed)) for seed in (1, 1, 2))
    assert [x.swept for x in a] == [x.swept for x in b]
    assert [x.config.hash() for x in a] == [x.config.hash() for x in b]
    assert [x.swept for x in a] != [x.swept for x in c]
    assert config.expand(sampled(seed=0)) == config.expand({**TRIP, "sweep": {"samples": 50, "ranges": RANGES}})


def test_sampled_hashes_are_the_same_in_another_process():
    raw = sampled(samples=5)
    code = f"from battsim import config; print(' '.join(c.config.hash() for c in config.expand({raw!r})))"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}  # another string hashing than this process's
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == [c.config.hash() for c in config.expand(raw)]


@pytest.mark.parametrize("sweep, fragments", [
    ({"samples": 5, "ranges": {"climate.ambient_C": [-80, 10]}},
     ["sweep.ranges: climate.ambient_C = [-80, 10]", "low end", ">= -50 [degC]"]),
    ({"samples": 5, "ranges": {"climate.ambient_C": [0, 70]}}, ["climate.ambient_C = [0, 70]", "high end", "<= 60"]),
    ({"samples": 5, "ranges": {"discharge.c_rate": [0, 1]}}, ["discharge.c_rate = [0, 1]", "low end", "> 0"]),
    ({"samples": 5, "ranges": {"climate.ambient_C": [10, -30]}}, ["climate.ambient_C = [10, -30]", "low < high"]),
    ({"samples": 5, "ranges": {"climate.ambient_C": 5}}, ["climate.ambient_C = 5", "[low, high]"]),
    ({"samples": 5, "ranges": {"pack.series": [1, 10]}}, ["pack.series takes a whole number", "real number"]),
    ({"samples": 5, "ranges": {"cell.model": [1, 10]}}, ["cell.model takes one of 'DFN'"]),
    ({"samples": 5, "ranges": {"climate.ambiant_C": [0, 1]}}, ["sweep.ranges", "did you mean 'ambient_C'"]),
    ({"samples": 5, "ranges": {}}, ["sweep.ranges = {}", "at least one key"]),
    ({"samples": 0, "ranges": RANGES}, ["sweep.samples = 0", ">= 1"]),
    ({"samples": 2.5, "ranges": RANGES}, ["sweep.samples = 2.5", "whole number"]),
    ({"samples": 5, "seed": -1, "ranges": RANGES}, ["sweep.seed = -1", ">= 0"]),
    ({"samples": 5}, ["sweep.samples = 5", "needs sweep.ranges"]),
    ({"ranges": RANGES}, ["sweep.ranges", "needs sweep.samples"]),
    ({"seed": 3}, ["sweep.seed = 3", "only used with sweep.samples"]),
    ({"sample": 5}, ["unknown key 'sample' in [sweep]", "did you mean 'samples'", "zip, samples, seed, ranges"]),
])
def test_a_bad_sampling_is_one_line_before_any_case_is_built(sweep, fragments):
    start = time.perf_counter()
    one_line_error({**TRIP, "sweep": sweep}, *fragments)
    assert time.perf_counter() - start < 0.5  # the check reads the table only; generous for a loaded machine


def test_a_sampled_key_is_neither_listed_nor_zipped():
    one_line_error(sampled(climate={"ambient_C": [0, 1]}), "climate.ambient_C = [0, 1] is also a list")
    raw = {**TRIP, "climate": {"ambient_C": [0, 1], "soak_h": [1, 2]},
           "sweep": {"zip": [["climate.ambient_C", "climate.soak_h"]], "samples": 3, "ranges": RANGES}}
    one_line_error(raw, "climate.ambient_C is also in sweep.zip")


def test_a_sampled_key_given_once_is_replaced_by_the_samples():
    cases = config.expand(sampled(samples=3, climate={"ambient_C": -20}))
    assert all(-30 <= c.config.climate.ambient_C < 10 for c in cases)


# --------------------------------------------------------------------- names, count, cap


def test_sweep_is_not_an_unknown_section_and_unknown_sections_still_are():
    config.check_names({"sweep": {"zip": [], "samples": 1, "seed": 0, "ranges": {}}})
    message = one_line_error({"sweeep": {}}, "unknown section [sweeep]", "did you mean 'sweep'")
    assert "[sweep]" in message.split("allowed:")[1]


def test_swept_names_are_qualified_where_two_sections_share_a_key():
    raw = {"scenario": {"kind": "cell_envelope"}, "envelope": {"plating_margin_V": [0.0, 0.01]},
           "sweep": {"samples": 2, "ranges": {"heating.plating_margin_V": [0.0, 0.05]}}}
    with pytest.warns(ConfigWarning, match=r"does not use heating\.plating_margin_V"):  # sampled, unused
        cases = config.expand(raw)
    assert list(cases[0].swept) == ["envelope.plating_margin_V", "heating.plating_margin_V"]


def test_count_cases_multiplies_lists_zip_groups_and_samples():
    raw = {**TRIP, "climate": {"ambient_C": [-20, -10, 0], "soak_h": [1, 2, 3]},
           "heating": {"target_C": [5, 10], "hold_s": [0, 60, 120, 180]},
           "cell": {"initial_soc": (0.9, 1.0)},
           "sweep": {"zip": [["climate.ambient_C", "climate.soak_h"]], "samples": 7,
                     "ranges": {"drive.soc_min": [0.05, 0.2]}}}
    assert config.count_cases(raw) == 3 * 2 * 4 * 2 * 7
    assert len(config.expand(raw)) == config.count_cases(raw)
    with pytest.raises(ConfigError, match="unequal length"):
        config.count_cases({**raw, "climate": {"ambient_C": [-20, -10, 0], "soak_h": [1, 2]}})


def test_the_cap_of_a_million_case_product_is_checked_at_once():
    values = [round(-40 + 0.1 * i, 1) for i in range(1000)]
    raw = {"climate": {"ambient_C": values, "soak_h": [0.01 * i for i in range(1000)]}}
    start = time.perf_counter()
    with pytest.raises(ConfigError, match=r"1000000 cases \(1000 climate.ambient_C x 1000 climate.soak_h\)"):
        config.expand(raw)
    with pytest.raises(ConfigError, match=r"1000000 cases \(1000000 samples of \(climate.ambient_C\)\)"):
        config.expand({"sweep": {"samples": 10**6, "ranges": {"climate.ambient_C": [0, 1]}}})
    assert time.perf_counter() - start < 0.5  # nothing is built; it takes microseconds


def test_a_bad_value_late_in_a_list_is_refused_before_the_product_is_built():
    raw = {**TRIP, "climate": {"ambient_C": [float(t) for t in range(-40, 40)] + [-70.0],
                               "soak_h": [float(h) for h in range(100)]}}
    start = time.perf_counter()
    one_line_error(raw, "climate.ambient_C = -70.0", ">= -50")
    assert time.perf_counter() - start < 0.5  # checked value by value, not case by case


def test_a_boolean_is_not_the_number_one():
    one_line_error({"climate": {"ambient_C": [1, True]}}, "climate.ambient_C = True", "must be a number")


def test_overrides_reach_the_sweep_table(tmp_path):
    path = tmp_path / "case.toml"
    path.write_text('[scenario]\nkind = "trip"\n[climate]\nambient_C = [-20, 0]\nsoak_h = [1, 2]\n')
    raw, cases = config.load(path, ['sweep.zip=[["climate.ambient_C", "climate.soak_h"]]'])
    assert len(cases) == 2 and raw["sweep"]["zip"] == [["climate.ambient_C", "climate.soak_h"]]
    with pytest.raises(ConfigError, match="did you mean 'zip'"):
        config.load(path, ["sweep.zipp=1"])


def test_the_shipped_fleet_sweep_expands_to_its_576_trips():
    from pathlib import Path

    from battsim.config import load

    raw, cases = load(Path(__file__).resolve().parents[2] / "configs" / "sweeps" / "fleet_cold_climate.toml")
    assert len(cases) == 12 * 3 * 4 * 2 * 2
    strategies = {(c.config.heating.method, c.config.heating.precondition, c.config.heating.on_road) for c in cases}
    assert strategies == {("none", False, False), ("ptc", True, False), ("heat_pump", True, True), ("ac", False, True)}
