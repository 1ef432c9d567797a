"""battsim's Python API: ``bs.run``, ``bs.open_results``, ``bs.chemistries``.

.. code-block:: python

    import battsim as bs
    res = bs.run("configs/quickstart.toml", set={"climate.ambient_C": [25, -10]})
    res.summary                  # one row per case
    res[0].to_dataframe()        # its time series
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from battsim import config as cfgmod
from battsim.errors import ConfigError
from battsim.results import Results, read_result
from battsim.sweep import Progress, get_executor, run_cases


def cases_of(config: str | Path | Mapping, set: Mapping[str, Any] | None = None,
             max_cases: int = cfgmod.MAX_CASES) -> tuple[dict, list[cfgmod.Case]]:
    """The raw config (overrides applied) and its cases, from a path or a dict of sections."""
    overrides = dict(set or {})
    if isinstance(config, str | Path):
        return cfgmod.load(config, overrides, max_cases)
    if isinstance(config, Mapping):
        return cfgmod.from_mapping({k: dict(v) if isinstance(v, Mapping) else v for k, v in config.items()},
                                   overrides, max_cases)
    raise ConfigError(f"config: expected a path to a TOML file or a dict of sections, got {type(config).__name__}")


def run(config: str | Path | Mapping, set: Mapping[str, Any] | None = None,
        errors: Literal["raise", "record"] = "raise", progress: Progress | None = None,
        max_cases: int = cfgmod.MAX_CASES, workers: int = 1) -> Results:
    """Run every case of a config (a list value is a sweep) and return their results.

    Parameters
    ----------
    config : path or dict
        A TOML config file, or its content as ``{section: {key: value}}``.
    set : dict, optional
        Overrides ``{"section.key": value_or_list}``, as ``battsim run --set``.
    errors : {"raise", "record"}
        ``raise`` (default): the first failing case raises, with its traceback; ``record``:
        a failed case is kept with ``status == "failed"`` and its ``error``, the others run.
    progress : callable, optional
        ``progress(done, total, result)`` after each case.
    max_cases : int
        Refuse configs that expand to more cases than this.
    workers : int
        Local worker processes (1: this process). With more, a failed case raises only after
        the running ones stop, without the solver's traceback (it is in the error's ``detail``).

    Returns
    -------
    Results
        In case order: ``res.summary`` (a DataFrame), ``res[i].metrics``, ``res.to_xarray()``.

    Raises
    ------
    battsim.BattsimError
        For bad input (a :class:`~battsim.errors.ConfigError` naming the key, the value and what
        is allowed), and with ``errors="raise"`` for a failed case.

    Examples
    --------
    >>> import battsim as bs
    >>> res = bs.run("configs/quickstart.toml",
    ...              set={"cell.chemistry": "nmc811-graphite", "climate.ambient_C": [25, -10]})  # doctest: +SKIP
    >>> res.summary[["ambient_C", "delivered_capacity_pct_of_25C"]]                          # doctest: +SKIP
    """
    if errors not in ("raise", "record"):
        raise ConfigError(f"errors = {errors!r}: must be 'raise' or 'record'")
    _, cases = cases_of(config, set, max_cases)
    executor = None if workers == 1 else get_executor("processes", workers=workers)
    return Results(run_cases(cases, progress, errors, executor), param_units=cfgmod.key_units())


def open_results(path: str | Path) -> Results:
    """The results stored in a battsim result file (HDF5).

    Examples
    --------
    >>> bs.open_results("results/quickstart.h5").summary   # doctest: +SKIP
    """
    return read_result(path)


def chemistries() -> list[dict]:
    """The registered chemistries' facts: format, capacity, voltage window, mass, specific heat,
    valid temperature range, sources.

    Examples
    --------
    >>> [c["name"] for c in bs.chemistries()]   # doctest: +SKIP
    ['nmc811-graphite', 'lfp-graphite', 'solid-state-li-metal', 'nco-graphite-power']
    """
    from battsim.cells import chemistry_names, get_chemistry

    return [get_chemistry(name).facts() for name in chemistry_names()]


def calibrate(chemistry: str, refresh: bool = False) -> dict:
    """The fast model's calibration of ``chemistry`` (``cell.model = "fast"``): read from the cache
    when current for this battsim, PyBaMM and parameter set, else built from the converged DFN and
    cached (:mod:`battsim.models.calibration`); ``refresh`` rebuilds it. Returns the calibration
    file's content and ``"path"``.

    Examples
    --------
    >>> bs.calibrate("nmc811-graphite")["series_resistance_Ohm"]   # doctest: +SKIP
    """
    from battsim.cells import get_chemistry
    from battsim.models.calibration import calibration_json, calibration_path, fast_calibration

    chem = get_chemistry(chemistry)
    return {**calibration_json(fast_calibration(chem, refresh=refresh)), "path": str(calibration_path(chem))}


__all__ = ["calibrate", "chemistries", "open_results", "run"]
