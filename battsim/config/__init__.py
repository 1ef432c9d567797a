"""Configuration: the schema, TOML in and out, ``--set`` overrides and the expansion into cases.

Configs are parsed at the boundary into frozen, self-validating dataclasses
(:mod:`~battsim.config.schema`); :func:`expand` turns lists (and the ``[sweep]`` table's zip
groups and Latin-hypercube samples) into cases.
"""

from battsim.config.expand import (
    MAX_CASES,
    Case,
    apply_overrides,
    check_names,
    count_cases,
    expand,
    from_mapping,
    latin_hypercube,
    load,
    parse_override,
)
from battsim.config.schema import (
    SECTIONS,
    CarbonConfig,
    CellConfig,
    ClimateConfig,
    Config,
    DischargeConfig,
    DriveConfig,
    HeatingConfig,
    PackConfig,
    ScenarioConfig,
    SolverConfig,
    ThermalConfig,
    VehicleConfig,
    config_hash,
    key_units,
    keys,
    unused_keys,
)
from battsim.config.tomlio import dumps_toml, read_toml

__all__ = ["MAX_CASES", "SECTIONS", "CarbonConfig", "Case", "CellConfig", "ClimateConfig", "Config",
           "DischargeConfig", "DriveConfig", "HeatingConfig", "PackConfig", "ScenarioConfig", "SolverConfig",
           "ThermalConfig", "VehicleConfig", "apply_overrides", "check_names", "config_hash", "count_cases",
           "dumps_toml", "expand", "from_mapping", "key_units", "keys", "latin_hypercube", "load", "parse_override",
           "read_toml", "unused_keys"]
