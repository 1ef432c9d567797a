"""Config parsing: defaults, validation with clear messages, list expansion, overrides."""

import dataclasses

import pytest

from battsim import config
from battsim.errors import ConfigError, ConfigWarning


def write(tmp_path, text, name="case.toml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_empty_config_is_all_defaults(tmp_path):
    _, cases = config.load(write(tmp_path, ""))
    assert len(cases) == 1
    cfg = cases[0].config
    assert cfg.cell.chemistry == "nmc811-graphite" and cfg.cell.model == "DFN"
    assert cfg.climate.ambient_C == 25.0
    # keys whose default is another key are resolved
    assert cfg.cell.initial_temperature_C == cfg.climate.ambient_C
    assert cfg.thermal.node_initial_temperature_C == cfg.cell.initial_temperature_C


def test_every_key_has_a_unit_and_a_description():
    for section, f in config.keys():
        assert f.metadata["doc"], f"{section}.{f.name} has no description"
        assert "unit" in f.metadata


def test_lists_expand_into_their_product_in_file_order(tmp_path):
    path = write(tmp_path, """
[cell]
chemistry = ["nmc811-graphite", "lfp-graphite"]
[climate]
ambient_C = [25, 0, -20]
""")
    _, cases = config.load(path)
    assert [(c.swept["chemistry"], c.swept["ambient_C"]) for c in cases] == [
        (chem, T) for chem in ("nmc811-graphite", "lfp-graphite") for T in (25.0, 0.0, -20.0)
    ]
    assert len({c.config.hash() for c in cases}) == 6


def test_integer_and_float_values_are_the_same_case(tmp_path):
    a = config.load(write(tmp_path, "[climate]\nambient_C = -10\n", "a.toml"))[1][0].config
    b = config.load(write(tmp_path, "[climate]\nambient_C = -10.0\n", "b.toml"))[1][0].config
    assert a == b and a.hash() == b.hash()
    assert isinstance(a.climate.ambient_C, float)


@pytest.mark.parametrize(
    "text, fragments",
    [
        ("[climate]\nambient = 5\n", ["unknown key 'ambient' in [climate]", "did you mean 'ambient_C'"]),
        ("[climat]\nambient_C = 5\n", ["unknown section [climat]", "did you mean 'climate'"]),
        ("[climate]\nambient_C = -80\n", ["climate.ambient_C = -80", ">= -50", "[degC]"]),
        ("[climate]\nambient_C = \"cold\"\n", ["climate.ambient_C = 'cold'", "must be a number"]),
        ("[cell]\nmodel = \"DFX\"\n", ["cell.model = 'DFX'", "'DFN', 'SPMe', 'SPM', 'fast'", "did you mean 'DFN'"]),
        ("[cell]\nmodel = \"fast\"\n", ["cell.model = 'fast' in a cell_discharge case", "trips", "'DFN'"]),
        ("[scenario]\nkind = \"trip\"\n[heating]\nmodel = \"dfn\"\n",
         ["heating.model = 'dfn'", "'DFN', 'SPMe', 'SPM', 'fast'", "did you mean 'DFN'"]),
        ("[solver]\ncompile = \"yes\"\n", ["solver.compile = 'yes'", "true or false"]),
        ("[cell]\nchemistry = \"nmc811\"\n", ["cell.chemistry = 'nmc811'", "did you mean 'nmc811-graphite'",
                                             "lfp-graphite"]),
        ("[cell]\ninitial_soc = 1.5\n", ["cell.initial_soc = 1.5", "<= 1"]),
        ("[discharge]\nc_rate = 0\n", ["discharge.c_rate = 0", "> 0"]),
        ("[thermal]\nexternal_node = 1\n", ["thermal.external_node = 1", "true or false"]),
        ("[climate]\nambient_C = []\n", ["climate.ambient_C = []", "at least one value"]),
        ("[climate]\nambient_C = [0, -70]\n", ["climate.ambient_C = -70"]),
        ("climate = 3\n", ["[climate] must be a table"]),
        ("[scenario]\nkind = \"trip\"\n[heating]\nmethod = \"self_heating\"\n",
         ["heating.method = 'self_heating'", "not available in trips", "'ptc'"]),
        ("[heating]\nmethod = \"heatpump\"\n", ["heating.method = 'heatpump'", "did you mean 'heat_pump'", "ptc"]),
        ("[heating]\ncontroller = \"fast\"\n", ["heating.controller = 'fast'", "thermostat", "rapid"]),
        ("[drive]\ncycle = \"wltp\"\n", ["drive.cycle = 'wltp'", "did you mean 'wltc'"]),
        ("[scenario]\nkind = \"cell_heating\"\n[climate]\nambient_C = -20\n[heating]\ntarget_C = -20\n",
         ["heating.target_C = -20", "above the cell's start temperature"]),
        ("[scenario]\nkind = \"cell_heating\"\n[climate]\nambient_C = -20\n[heating]\nmethod = \"none\"\n",
         ["heating.method = 'none'", "needs a heating method", "'ptc'"]),
        ("[scenario]\nkind = \"trip\"\n[cell]\ninitial_soc = 0.3\n[drive]\nsoc_min = 0.3\n",
         ["drive.soc_min = 0.3", "below cell.initial_soc"]),
        ("[cell]\ninitial_soc = 0\n", ["cell.initial_soc = 0", "> 0"]),
    ],
)
def test_bad_input_names_the_key_the_value_and_what_is_allowed(tmp_path, text, fragments):
    with pytest.raises(ConfigError) as info:
        config.load(write(tmp_path, text))
    message = str(info.value)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message, message


def test_keys_the_scenario_does_not_use_are_named_in_a_warning(tmp_path):
    with pytest.warns(ConfigWarning, match=r"does not use heating\.target_C, drive\.cycle"):
        config.load(write(tmp_path, "[heating]\ntarget_C = 5\n[drive]\ncycle = \"udds\"\n"))


def test_missing_and_malformed_files(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        config.load(tmp_path / "nope.toml")
    with pytest.raises(ConfigError, match="not valid TOML"):
        config.load(write(tmp_path, "[climate\nambient_C = 1\n"))


def test_overrides_change_any_key_and_are_validated(tmp_path):
    path = write(tmp_path, "[climate]\nambient_C = 25\n")
    _, cases = config.load(path, ["climate.ambient_C=-10", "cell.chemistry=lfp-graphite",
                                  "discharge.c_rate=0.5"])
    cfg = cases[0].config
    assert (cfg.climate.ambient_C, cfg.cell.chemistry, cfg.discharge.c_rate) == (-10.0, "lfp-graphite", 0.5)
    _, cases = config.load(path, ["climate.ambient_C=[0, -20]"])
    assert [c.config.climate.ambient_C for c in cases] == [0.0, -20.0]
    with pytest.raises(ConfigError, match="did you mean 'ambient_C'"):
        config.load(path, ["climate.ambiant_C=0"])
    with pytest.raises(ConfigError, match="section.key=value"):
        config.load(path, ["ambient_C"])


def test_resolved_config_round_trips_through_toml(tmp_path):
    text = "[climate]\nambient_C = -7.5\n[scenario]\nname = \"a \\\"quoted\\\" run\"\n"
    _, cases = config.load(write(tmp_path, text))
    cfg = cases[0].config
    again = config.load(write(tmp_path, cfg.to_toml(), "resolved.toml"))[1][0].config
    assert again == cfg


def test_configs_are_frozen():
    cfg = config.Config()
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.climate.ambient_C = 3.0
