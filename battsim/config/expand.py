"""From a raw config (TOML, a dict, ``--set`` overrides) to validated cases.

A list as the value of a key (``ambient_C = [25, 0, -10, -20]``) is a sweep axis, one case per
value; the axes multiply, in file order. The optional ``[sweep]`` table shapes the axes:

* ``zip = [["climate.ambient_C", "climate.soak_h"], ...]``: the lists of a group (of one length)
  advance together, as one axis, placed where the group's first list is in the file;
* ``samples = N``, ``seed = S`` (default 0), ``ranges = {"section.key" = [low, high], ...}``: ``N``
  points of a Latin hypercube over the ranges, as one axis, after the list axes.

:func:`expand` is the one place this happens; :func:`count_cases` counts the cases without
building any. ``[sweep]`` only says how to expand: no case carries it.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import operator
import tomllib
import typing
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from battsim.config.schema import (
    DERIVED,
    SECTIONS,
    Config,
    _check_value,
    _fields,
    _fmt,
    _hints,
    _is_float,
    _plain,
    warn_unused,
)
from battsim.config.tomlio import read_toml
from battsim.errors import ConfigError, did_you_mean

#: most cases a config may expand to unless the caller raises the cap (``--max-cases``)
MAX_CASES = 100_000
#: the table that says how to expand (zip groups, Latin-hypercube samples); not a section of a case
SWEEP = "sweep"
#: keys of the ``[sweep]`` table
SWEEP_KEYS = ("zip", "samples", "seed", "ranges")
_ZIP_EXAMPLE = '[["climate.ambient_C", "climate.soak_h"]]'


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
        if section not in SECTIONS and section != SWEEP:
            names = [*SECTIONS, SWEEP]
            raise ConfigError(f"unknown section [{section}]{did_you_mean(section, names)}; allowed: "
                              + ", ".join(f"[{s}]" for s in names))
        if not isinstance(table, dict):
            raise ConfigError(f"[{section}] must be a table of keys, got {_fmt(table)}")
        allowed = list(SWEEP_KEYS) if section == SWEEP else [f.name for f in _fields(SECTIONS[section])]
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
    """How many cases ``raw`` expands to: the product of its axes' sizes (each list not zipped, each
    zip group, the number of samples).

    The names and the ``[sweep]`` table are checked (a :class:`ConfigError` if wrong); nothing is
    built, so this takes microseconds whatever the count.
    """
    check_names(raw)
    return math.prod(axis.size for axis in _axes(raw))


def expand(raw: dict, max_cases: int = MAX_CASES) -> list[Case]:
    """Validate a raw config and expand its axes into cases (their product, in file order).

    An axis is a list not in a zip group, a ``[sweep] zip`` group or the ``[sweep]`` samples
    (last). ``swept`` of each case holds every key an axis sets, by its name (``section.key``
    where two sections share a name). ``raw`` is not changed.

    Raises
    ------
    ConfigError
        For an unknown section or key, any value outside what its key allows, a contradiction,
        a malformed ``[sweep]`` table, or more than ``max_cases`` cases (found before any case is
        built); every case is validated before any is returned.
    """
    check_names(raw)
    raw = {section: {key: list(v) if isinstance(v, tuple) else v for key, v in table.items()}
           for section, table in raw.items()}
    axes = _axes(raw)
    total = math.prod(axis.size for axis in axes)
    if total > max_cases:
        sizes = " x ".join(axis.label for axis in axes)
        raise ConfigError(f"the config expands to {total} cases ({sizes}), more than the cap of {max_cases}; "
                          "raise it with --max-cases (bs.run(..., max_cases=N))")
    for axis in axes:
        axis.check_values()
    cases = _cases(raw, axes)
    said = {**raw}  # a sampled key is given for the warning's purpose, as its range
    for axis in axes:
        for (section, key), span in zip(axis.keys, axis.spans or ()):
            said[section] = {**said.get(section, {}), key: list(span)}
    for kind in dict.fromkeys(case.config.scenario.kind for case in cases):
        warn_unused(said, kind)
    return cases


# ----------------------------------------------------------------------------- axes


@dataclass(frozen=True)
class _Axis:
    """Keys that change together and their values: a list, a zip group or the Latin-hypercube samples.

    ``columns`` holds one list of values per key (lists, zip groups); ``spans`` one ``(low, high)``
    per key (samples, drawn only by :meth:`points`, after the cap is checked).
    """

    keys: tuple[tuple[str, str], ...]
    size: int
    label: str
    columns: tuple[list, ...] | None = None
    spans: tuple[tuple[float, float], ...] | None = None
    seed: int = 0

    def points(self) -> list[tuple]:
        """The axis's points: one value per key in each."""
        if self.columns is not None:
            return list(zip(*self.columns))
        return latin_hypercube(self.size, self.spans, self.seed)

    def check_values(self) -> None:
        """Every listed value against its key (values of every case, at once; samples are within their
        checked ranges)."""
        for (section, key), column in zip(self.keys, self.columns or ()):
            hint, meta = _hints(SECTIONS[section])[key], _field(section, key).metadata
            for value in column:
                _check_value(f"{section}.{key}", _plain(value), hint, meta)


def _axes(raw: dict) -> list[_Axis]:
    """The axes of ``raw`` (names already checked): lists and zip groups in file order, each zip group
    where its first list is, then the samples; the ``[sweep]`` table is checked here."""
    sweep = raw.get(SWEEP, {})
    groups = _zip_groups(raw, sweep.get("zip", []))
    group_of = {key: group for group in groups for key in group}
    samples = _samples(raw, sweep, set(group_of))
    axes, placed = [], set()
    for section, table in raw.items():
        for key, values in table.items() if section != SWEEP else ():
            if not isinstance(values, list | tuple):
                continue
            if not values:
                raise ConfigError(f"{section}.{key} = []: a list needs at least one value")
            group = group_of.get((section, key), ((section, key),))
            if group in placed:
                continue
            placed.add(group)
            names = ", ".join(f"{s}.{k}" for s, k in group)
            label = f"{len(values)} {names}" if len(group) == 1 else f"{len(values)} zipped ({names})"
            axes.append(_Axis(group, len(values), label, columns=tuple(list(raw[s][k]) for s, k in group)))
    return axes + ([samples] if samples else [])


def _sweep_key(where: str, name) -> tuple[str, str]:
    """``"section.key"`` as named in ``[sweep]`` -> ``(section, key)``, checked as a key of a section."""
    if not isinstance(name, str) or name.count(".") != 1:
        raise ConfigError(f"{where}: {_fmt(name)} must be written 'section.key', e.g. 'climate.ambient_C'")
    section, key = name.split(".")
    if section == SWEEP:
        raise ConfigError(f"{where}: '{name}' is a key of [sweep]; name keys of the config's sections")
    try:
        check_names({section: {key: None}})
    except ConfigError as error:
        raise ConfigError(f"{where}: {error}") from error
    return section, key


def _zip_groups(raw: dict, spec) -> list[tuple[tuple[str, str], ...]]:
    """``[sweep] zip``, checked: groups of at least 2 keys, each key in one group and a list in the config,
    the lists of a group of one length."""
    if not isinstance(spec, list | tuple) or not all(isinstance(group, list | tuple) for group in spec):
        raise ConfigError(f"sweep.zip = {_fmt(spec)}: must be a list of groups of keys, e.g. {_ZIP_EXAMPLE}")
    groups, seen = [], {}
    for number, names in enumerate(spec):
        if len(names) < 2:
            raise ConfigError(f"sweep.zip group {_fmt(list(names))}: a group needs at least 2 keys, "
                              f"e.g. {_ZIP_EXAMPLE}")
        group = tuple(_sweep_key("sweep.zip", name) for name in names)
        for section, key in group:
            if (section, key) in seen:
                where = "twice in one group" if seen[section, key] == number else "in two groups"
                raise ConfigError(f"sweep.zip: {section}.{key} is {where}; a key advances with one group only")
            seen[section, key] = number
            value = raw.get(section, {}).get(key)
            if not isinstance(value, list | tuple):
                given = f"= {_fmt(value)} is not a list" if key in raw.get(section, {}) else "is not given"
                raise ConfigError(f"sweep.zip: {section}.{key} {given}; a zipped key needs a list of values "
                                  f"in [{section}]")
        if len({len(raw[s][k]) for s, k in group}) > 1:
            sizes = ", ".join(f"{s}.{k}: {len(raw[s][k])} values" for s, k in group)
            raise ConfigError(f"sweep.zip: lists of unequal length ({sizes}); zipped lists advance together "
                              "and need the same length")
        groups.append(group)
    return groups


def _samples(raw: dict, sweep: dict, zipped: set) -> _Axis | None:
    """``[sweep] samples, seed, ranges``, checked, as an axis (``None`` without samples)."""
    if ("samples" in sweep) != ("ranges" in sweep):
        given, missing = ("samples", "ranges") if "samples" in sweep else ("ranges", "samples")
        raise ConfigError(f"sweep.{given} = {_fmt(sweep[given])}: needs sweep.{missing} too (samples = N points "
                          'of a Latin hypercube over ranges = {"section.key" = [low, high], ...})')
    if "samples" not in sweep:
        if "seed" in sweep:
            raise ConfigError(f"sweep.seed = {_fmt(sweep['seed'])}: only used with sweep.samples and sweep.ranges")
        return None
    samples, seed, ranges = sweep["samples"], sweep.get("seed", 0), sweep["ranges"]
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
        raise ConfigError(f"sweep.samples = {_fmt(samples)}: must be a whole number >= 1 (points to sample)")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ConfigError(f"sweep.seed = {_fmt(seed)}: must be a whole number >= 0")
    if not isinstance(ranges, dict) or not ranges:
        raise ConfigError(f"sweep.ranges = {_fmt(ranges)}: must be a table of at least one key, "
                          'e.g. {"climate.ambient_C" = [-30, 10]}')
    spans = dict(_span(raw, name, span, zipped) for name, span in ranges.items())
    names = ", ".join(f"{s}.{k}" for s, k in spans)
    return _Axis(tuple(spans), samples, f"{samples} samples of ({names})", spans=tuple(spans.values()), seed=seed)


def _span(raw: dict, name: str, span, zipped: set) -> tuple[tuple[str, str], tuple[float, float]]:
    """One ``[sweep] ranges`` entry, checked, as ``((section, key), (low, high))``: a real-valued key,
    neither listed nor zipped, and ``[low, high]`` with ``low < high``, both ends allowed for the key."""
    section, key = _sweep_key("sweep.ranges", name)
    path, hint, meta = f"{section}.{key}", _hints(SECTIONS[section])[key], _field(section, key).metadata
    if not _is_float(hint):
        raise ConfigError(f"sweep.ranges: {path} takes {_kind_of(hint)}; only a key taking a real number "
                          "can be sampled, e.g. climate.ambient_C")
    if (section, key) in zipped:
        raise ConfigError(f"sweep.ranges: {path} is also in sweep.zip; a key is either zipped or sampled")
    value = raw.get(section, {}).get(key)
    if isinstance(value, list | tuple):
        raise ConfigError(f"sweep.ranges: {path} = {_fmt(value)} is also a list; a key is either listed or sampled")
    unit = meta.get("unit", "1")
    unit_text = "" if unit in ("1", "") else f" [{unit}]"
    ends = [_plain(v) for v in span] if isinstance(span, list | tuple) else []
    if (len(ends) != 2 or not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
                                  for v in ends) or ends[0] >= ends[1]):
        raise ConfigError(f"sweep.ranges: {path} = {_fmt(span)}: must be [low, high], two numbers with "
                          f"low < high{unit_text}")
    for end, value in zip(("low", "high"), ends):
        try:
            _check_value(path, value, hint, meta)
        except ConfigError as error:
            raise ConfigError(f"sweep.ranges: {path} = {_fmt(ends)}: the {end} end is outside what the key "
                              f"allows ({error})") from error
    return (section, key), (float(ends[0]), float(ends[1]))


def _kind_of(hint) -> str:
    """What a key takes, in words: ``"a whole number"``, ``"one of 'DFN', 'SPMe', 'SPM'"`` ..."""
    if typing.get_origin(hint) is Literal:
        return "one of " + ", ".join(_fmt(a) for a in typing.get_args(hint))
    kinds = typing.get_args(hint) or (hint,)
    words = {bool: "true or false", int: "a whole number", str: "text"}
    return next((word for kind, word in words.items() if kind in kinds), str(hint))


def _field(section: str, key: str) -> dataclasses.Field:
    return next(f for f in _fields(SECTIONS[section]) if f.name == key)


def latin_hypercube(samples: int, spans: Sequence[tuple[float, float]], seed: int) -> list[tuple[float, ...]]:
    """``samples`` points of a Latin hypercube over ``spans``, the same for the same ``seed``.

    Parameters
    ----------
    samples : int
        Number of points [1].
    spans : sequence of (float, float)
        ``(low, high)`` of each coordinate [unit of its key].
    seed : int
        Seed of :func:`numpy.random.default_rng` [1].

    Returns
    -------
    list of tuple of float
        One tuple per point, one value per span.

    Notes
    -----
    Each span is cut into ``samples`` strata of equal width; every stratum holds exactly one point,
    at a uniformly random place inside it; the strata are paired across coordinates by an
    independent random permutation per coordinate, drawn (then the jitter) span by span:
    :math:`x_{ij} = low_j + (\\pi_j(i) + u_{ij}) (high_j - low_j) / N`, :math:`u_{ij} \\sim U[0, 1)`.

    References
    ----------
    M. D. McKay, R. J. Beckman, W. J. Conover, "A comparison of three methods for selecting values
    of input variables in the analysis of output from a computer code", Technometrics 21, 239-245
    (1979), doi:10.1080/00401706.1979.10489755
    """
    import numpy as np  # here, so that reading a config does not import NumPy

    if not spans:
        return [()] * samples
    rng = np.random.default_rng(seed)
    unit = np.empty((samples, len(spans)))
    for j in range(len(spans)):
        unit[:, j] = rng.permutation(samples)
        unit[:, j] += rng.random(samples)
    low, high = np.asarray(spans, dtype=float).T
    return [tuple(point) for point in (low + unit / samples * (high - low)).tolist()]


# ---------------------------------------------------------------------------- cases


def _build_order() -> list[str]:
    """The section names, each after the section its derived keys default to (climate before cell)."""
    order = list(SECTIONS)
    for (section, _), (source, _) in DERIVED.items():  # in resolution order, so one pass suffices
        if order.index(source) > order.index(section):
            order.remove(section)
            order.insert(order.index(source) + 1, section)
    return order


_BUILD_ORDER = _build_order()


@dataclass
class _Plan:
    """How one section varies across the cases: its fixed keys, the axis slots of its swept keys, and
    the derived keys its source section fills; built once per distinct table."""

    name: str
    static: dict
    slots: list[tuple[str, int, int]]  # (key, axis, position in the axis's point)
    derived: list[tuple[str, str, str]]  # (key, source section, source key)
    axes: tuple[int, ...]  # the axes of its slots
    cache: dict = dataclasses.field(default_factory=dict)

    def __post_init__(self):
        self._pick = operator.itemgetter(*self.axes) if self.axes else (lambda index: None)

    def key(self, index: tuple[int, ...], built: dict) -> tuple:
        """The cache key of a case: the point indices of this section's axes, and the values its
        derived keys would take from their sources (which may vary along axes that do not matter here)."""
        return self._pick(index), *[getattr(built[section], key) for _, section, key in self.derived]

    def build(self, index: tuple[int, ...], points: list[list[tuple]], built: dict):
        """This section at the axes' points ``index``, the sections it depends on taken from ``built``."""
        table = {**self.static, **{key: points[axis][index[axis]][position] for key, axis, position in self.slots}}
        return _new_section(self.name, table, self.derived, [getattr(built[s], k) for _, s, k in self.derived])


def _new_section(name: str, table: dict, derived=(), sources=()):
    """Section ``name`` from ``table``, a derived key not given taking its source's value (validated)."""
    for (key, _, _), value in zip(derived, sources):
        if table.get(key) is None:
            table[key] = value
    try:
        return SECTIONS[name](**table)
    except TypeError as error:  # a field the dataclass does not know; check_names caught names
        raise ConfigError(f"[{name}]: {error}") from error


def _plans(raw: dict, axes: list[_Axis]) -> tuple[dict, list[_Plan]]:
    """The sections no axis touches, built, and the plans of the others, in build order."""
    slots: dict[str, list] = {}
    for number, axis in enumerate(axes):
        for position, (section, key) in enumerate(axis.keys):
            slots.setdefault(section, []).append((key, number, position))
    fixed, plans = {}, {}
    for name in _BUILD_ORDER:
        swept = {key for key, _, _ in slots.get(name, ())}
        static = {key: value for key, value in raw.get(name, {}).items() if key not in swept}
        derived = [(key, source, source_key) for (section, key), (source, source_key) in DERIVED.items()
                   if section == name and static.get(key) is None]
        if name in slots or any(source in plans for _, source, _ in derived):
            axes_of = tuple(sorted({axis for _, axis, _ in slots.get(name, ())}))
            plans[name] = _Plan(name, static, slots.get(name, []), derived, axes_of)
        else:
            fixed[name] = _new_section(name, static, derived, [getattr(fixed[s], k) for _, s, k in derived])
    return fixed, list(plans.values())


def _cases(raw: dict, axes: list[_Axis]) -> list[Case]:
    """Every combination of the axes' points as a validated :class:`Config`, in product order.

    A section no axis touches is built once; another once per distinct table (per combination of
    the points of its axes and of the values its derived keys take), those derived keys
    (``cell.initial_temperature_C`` ...) filled from their source section as the :class:`Config`
    would. A case then costs a look-up per varying section and the :class:`Config`'s own checks
    (the contradictions between keys).
    """
    fixed, plans = _plans(raw, axes)
    counts = Counter(key for axis in axes for _, key in axis.keys)
    names = [(key if counts[key] == 1 else f"{section}.{key}", section, key)
             for axis in axes for section, key in axis.keys]
    points = [axis.points() for axis in axes]
    cases = []
    for index in itertools.product(*(range(len(p)) for p in points)):
        built = dict(fixed)
        for plan in plans:
            key = plan.key(index, built)
            section = plan.cache.get(key)
            if section is None:
                section = plan.cache[key] = plan.build(index, points, built)
            built[plan.name] = section
        config = Config(**built)
        cases.append(Case(swept={name: getattr(getattr(config, section), key) for name, section, key in names},
                          config=config))
    return cases


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
