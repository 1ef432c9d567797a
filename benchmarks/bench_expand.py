"""Expanding a sweep into cases: time to count and to expand, against building each case the plain way.

The sweep is a trip (``scenario.kind = "trip"``) over ``climate.ambient_C`` (100 values from -40
to 9.5 degC) x ``climate.soak_h`` (up to 100 values) x ``heating.target_C`` (as many as the size
needs): 1,000, 10,000 and 100,000 cases, each expanded with ``max_cases = 10**6``. For each size,
in one run, it prints:

* **count**: :func:`battsim.config.count_cases`, the case count the cap is checked against
  (before anything is built);
* **expand**: :func:`battsim.config.expand`, every case a validated ``Config``;
* **plain**: the same cases built the plain way, every section of every case constructed (and
  validated) from its full table, then the ``Config`` (what ``expand`` did before it built each
  distinct section once), and the ratio plain / expand. The two must give equal configs.

``--quick``: 1,000 and 10,000 cases only, a few seconds.

Run:  python benchmarks/bench_expand.py [--quick]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from battsim import config  # noqa: E402
from battsim.config import SECTIONS, Config  # noqa: E402

SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (1_000, 10_000)


def trip_sweep(cases: int) -> dict:
    """A trip config whose lists multiply to ``cases`` (a multiple of 1,000)."""
    soak = min(100, cases // 100)
    targets = cases // (100 * soak)
    return {"scenario": {"kind": "trip"},
            "climate": {"ambient_C": [-40 + 0.5 * i for i in range(100)],
                        "soak_h": [0.5 + 0.25 * i for i in range(soak)]},
            "heating": {"target_C": [0.0 + 0.5 * i for i in range(targets)]}}


def plain_expand(raw: dict) -> list[Config]:
    """Every combination of the lists as a Config, each section built from its full table."""
    axes = [(section, key, values) for section, table in raw.items() for key, values in table.items()
            if isinstance(values, list)]
    configs = []
    for combination in itertools.product(*(values for _, _, values in axes)):
        tables = {section: dict(table) for section, table in raw.items()}
        for (section, key, _), value in zip(axes, combination):
            tables[section][key] = value
        configs.append(Config(**{name: cls(**tables.get(name, {})) for name, cls in SECTIONS.items()}))
    return configs


def timed(function, *args):
    start = time.perf_counter()
    value = function(*args)
    return value, time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 and 10,000 cases only (a few seconds)")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")  # the sweep's keys are all used by a trip; nothing to say
    config.expand(trip_sweep(1_000))  # first use: the registries (chemistries, heating methods) load

    print("expanding a trip sweep (climate.ambient_C x climate.soak_h x heating.target_C), max_cases = 10**6")
    print(f"  {'cases':>8}  {'count [s]':>10}  {'expand [s]':>10}  {'cases/s':>9}  {'plain [s]':>10}  plain / expand")
    for size in QUICK_SIZES if args.quick else SIZES:
        raw = trip_sweep(size)
        total, count_s = timed(config.count_cases, raw)
        cases, expand_s = timed(config.expand, raw, 10**6)
        assert total == len(cases) == size
        configs = [case.config for case in cases]
        del cases
        plain, plain_s = timed(plain_expand, raw)
        if plain != configs:
            raise SystemExit(f"{size} cases: expand and the plain way built different configs")
        del plain, configs
        print(f"  {size:>8,}  {count_s:10.6f}  {expand_s:10.3f}  {size / expand_s:9,.0f}  {plain_s:10.3f}  "
              f"{plain_s / expand_s:6.2f}x")


if __name__ == "__main__":
    main()
