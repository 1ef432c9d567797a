"""From a raw config (TOML, a dict, ``--set`` overrides) to validated cases.

A list as the value of a key (``ambient_C = [25, 0, -10, -20]``) means one case per value;
several lists give their product. :func:`expand` is the one place this happens.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from battsim.config.schema import SECTIONS, Config, _fmt, _plain, warn_unused
from battsim.config.tomlio import read_toml
from battsim.errors import ConfigError, did_you_mean

#: most cases a config may expand to unless the caller raises the cap (``--max-cases``)
MAX_CASES = 100_000


@dataclass(frozen=True)
class Case:
    """One case of a run: its swept values (by config name) and its full config."""

    swept: dict[str, Any]
    config: Config


def check_names(raw: dict) -> None:
    """Every section and key of ``raw`` exists; otherwise a :class:`ConfigError` with a suggestion."""
    if not isinstance(raw, dict):
        raise ConfigError(f"a config is a table of sections, got {_fmt(raw)}")
    for section, table in raw.items():
        if section not in SECTIONS:
            raise ConfigError(f"unknown section [{section}]{did_you_mean(section, SECTIONS)}; allowed: "
                              + ", ".join(f"[{s}]" for s in SECTIONS))
        if not isinstance(table, dict):
            raise ConfigError(f"[{section}] must be a table of keys, got {_fmt(table)}")
        allowed = [f.name for f in dataclasses.fields(SECTIONS[section])]
        for key in table:
            if key not in allowed:
                raise ConfigError(f"unknown key '{key}' in [{section}]{did_you_mean(key, allowed)}; "
                                  f"allowed: {', '.join(allowed)}")


def parse_override(text: str) -> tuple[str, str, Any]:
    """``"section.key=value"`` -> ``(section, key, value)``; the value is read as TOML.

    A value that is not valid TOML is taken as text, so ``cell.chemistry=lfp-graphite``
    needs no quotes.
    """
    if "\n" in text or "\r" in text:
        raise ConfigError(f"--set {text.splitlines()[0]!r}...: a value must be on one line (it contains a newline)")
    if "=" not in text:
        raise ConfigError(f"--set '{text}': expected section.key=value")
    path, value_text = text.split("=", 1)
    if path.count(".") != 1:
        raise ConfigError(f"--set '{text}': the key must be written section.key, e.g. climate.ambient_C")
    section, key = (part.strip() for part in path.split("."))
    try:
        value = tomllib.loads(f"v = {value_text.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        value = value_text.strip()
    return section, key, value


def apply_overrides(raw: dict, overrides) -> dict:
    """A copy of ``raw`` with overrides applied: ``"section.key=value"`` strings (``--set``) or a
    ``{"section.key": value_or_list}`` mapping (``bs.run(..., set=...)``)."""
    merged = {section: dict(table) if isinstance(table, dict) else table for section, table in raw.items()}
    items = overrides.items() if isinstance(overrides, dict) else (parse_override(t) for t in overrides)
    for item in items:
        if isinstance(overrides, dict):
            path, value = item
            if not isinstance(path, str) or path.count(".") != 1:
                raise ConfigError(f"set key {path!r}: must be written 'section.key', e.g. 'climate.ambient_C'")
            section, key = path.split(".")
        else:
            section, key, value = item
        check_names({section: {key: value}})
        merged.setdefault(section, {})[key] = value
    return merged


def count_cases(raw: dict) -> int:
    """How many cases ``raw`` expands to (the product of its list lengths)."""
    return math.prod(len(v) for table in raw.values() if isinstance(table, dict)
                     for v in table.values() if isinstance(v, list | tuple))


def expand(raw: dict, max_cases: int = MAX_CASES) -> list[Case]:
    """Validate a raw config and expand its lists into cases (their product, in file order).

    Raises
    ------
    ConfigError
        For an unknown section or key, any value outside what its key allows, a contradiction,
        or more than ``max_cases`` cases; every case is validated before any is returned.
    """
    check_names(raw)
    raw = {section: {key: list(v) if isinstance(v, tuple) else v for key, v in table.items()}
           for section, table in raw.items()}
    axes = [(section, key, values) for section, table in raw.items()
            for key, values in table.items() if isinstance(values, list)]
    for section, key, values in axes:
        if not values:
            raise ConfigError(f"{section}.{key} = []: a list needs at least one value")
    total = count_cases(raw)
    if total > max_cases:
        sizes = " x ".join(f"{len(v)} {s}.{k}" for s, k, v in axes)
        raise ConfigError(f"the config expands to {total} cases ({sizes}), more than the cap of {max_cases}; "
                          "raise it with --max-cases (bs.run(..., max_cases=N))")
    leaf_counts: dict[str, int] = {}
    for _, key, _ in axes:
        leaf_counts[key] = leaf_counts.get(key, 0) + 1
    sections: dict = {}
    cases = []
    for combination in itertools.product(*(values for _, _, values in axes)):
        resolved = {section: dict(table) for section, table in raw.items()}
        for (section, key, _), value in zip(axes, combination):
            resolved[section][key] = value
        config = _build(resolved, sections)
        swept = {key if leaf_counts[key] == 1 else f"{section}.{key}": getattr(getattr(config, section), key)
                 for section, key, _ in axes}
        cases.append(Case(swept=swept, config=config))
    kinds = {case.config.scenario.kind for case in cases}
    for kind in kinds:
        warn_unused(raw, kind)
    return cases


def _build(resolved: dict, cache: dict) -> Config:
    """A :class:`Config` from resolved tables; identical sections are built (and checked) once."""
    built = {}
    for name, cls in SECTIONS.items():
        table = {key: _plain(value) for key, value in resolved.get(name, {}).items()}
        try:
            key = (name, tuple(sorted(table.items())))
            hash(key)
        except TypeError:
            key = None
        if key is not None and key in cache:
            built[name] = cache[key]
            continue
        try:
            section = cls(**table)
        except TypeError as error:  # a field the dataclass does not know; check_names caught names
            raise ConfigError(f"[{name}]: {error}") from error
        if key is not None:
            cache[key] = section
        built[name] = section
    return Config(**built)


def load(path: str | Path, overrides=(), max_cases: int = MAX_CASES) -> tuple[dict, list[Case]]:
    """Read ``path``, apply overrides, validate and expand.

    Returns
    -------
    raw : dict
        The config as given (lists kept), overrides applied.
    cases : list of Case
    """
    raw = apply_overrides(read_toml(path), overrides)
    return raw, expand(raw, max_cases)


def from_mapping(config: dict, overrides=(), max_cases: int = MAX_CASES) -> tuple[dict, list[Case]]:
    """The same as :func:`load` for a config given as ``{section: {key: value}}``."""
    if not isinstance(config, dict):
        raise ConfigError(f"a config is a path or a dict of sections, got {type(config).__name__}")
    raw = apply_overrides(config, overrides)
    return raw, expand(raw, max_cases)
