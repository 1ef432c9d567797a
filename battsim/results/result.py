"""The one case-result type, and a run's results as a sequence with tables.

:class:`Result` is what running a case gives and what a result file holds per case;
:class:`Results` is the sequence ``bs.run`` returns and ``bs.open_results`` reads back.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class Result:
    """One case: its parameters, metrics with units, time series with units, and status.

    Attributes
    ----------
    case_id : str
        16 hex digits of the SHA-256 of the case's resolved config.
    params : dict
        The case's parameters under their config names (``chemistry``, ``ambient_C`` ...).
    status : {"ok", "failed"}
    error : str
        One line: why the case failed (``""`` when ok).
    error_detail : str
        The solver's full message of a failure.
    metrics : dict of float
        Metric values (names of DESIGN.md).
    units : dict of str
        Unit of each metric (pint-readable).
    timeseries, timeseries_units : dict
        Series (temperatures in degC, everything else SI) and their units.
    warnings : list of str
        Why a result may be outside what the model supports (validity warnings).
    termination : str
        How the last phase ended.
    labels : dict of str
        Text outcomes (no unit), e.g. ``binding_limit`` of AC/pulse heating.
    config_toml : str
        The case's resolved config.
    wall_time_s : float
        Time taken [s].
    """

    case_id: str
    params: dict[str, Any]
    status: str = "ok"
    error: str = ""
    error_detail: str = ""
    metrics: dict[str, float] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    timeseries: dict[str, np.ndarray] = field(default_factory=dict)
    timeseries_units: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    termination: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    config_toml: str = ""
    wall_time_s: float = math.nan

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def to_dataframe(self):
        """The time series as a :class:`pandas.DataFrame`, one column per series; the units are in
        ``df.attrs["units"]`` (column -> unit).

        Examples
        --------
        >>> df = res[0].to_dataframe()                       # doctest: +SKIP
        >>> df.plot(x="time_s", y="temperature_C")           # doctest: +SKIP
        """
        import pandas as pd

        df = pd.DataFrame({name: np.asarray(values) for name, values in self.timeseries.items()})
        df.attrs["units"] = dict(self.timeseries_units)
        return df

    def row(self) -> dict[str, Any]:
        """Parameters, metrics and status in one flat dict (a row of :attr:`Results.summary`)."""
        return {"case_id": self.case_id, **self.params, **self.metrics, **self.labels, "status": self.status,
                "error": self.error}


class Results(Sequence):
    """The results of a run, in case order, with tables of all of them.

    Parameters
    ----------
    results : list of Result
    attrs : dict, optional
        File-level attributes (versions, config) when read from a file.
    """

    def __init__(self, results: list[Result], attrs: dict | None = None, param_units: dict | None = None):
        self._results = list(results)
        self.attrs = dict(attrs or {})
        self.param_units = dict(param_units or {})

    def __getitem__(self, index):
        return self._results[index]

    def __len__(self) -> int:
        return len(self._results)

    def __repr__(self) -> str:
        failed = sum(not r.ok for r in self._results)
        return f"<Results: {len(self)} cases, {failed} failed>"

    @property
    def failed(self) -> list[Result]:
        return [r for r in self._results if not r.ok]

    @property
    def units(self) -> dict[str, str]:
        """Unit of every metric any case has."""
        return {name: unit for r in self._results for name, unit in r.units.items()}

    def table(self) -> tuple[list[tuple[str, str, str, str]], list[dict]]:
        """The fixed-schema table (:mod:`battsim.results.schema`): columns ``(name, unit, kind,
        role)`` and one row per case with every column (``None`` where it does not apply)."""
        from battsim.results.schema import table

        return table(self._results, self.param_units)

    @property
    def summary(self):
        """A :class:`pandas.DataFrame`: one row per case with every column of the fixed schema
        (parameters under their config names, every metric, text outcomes, ``status`` and
        ``error``; NaN or ``<NA>`` where a value does not apply); the units in
        ``df.attrs["units"]``.

        Examples
        --------
        >>> res.summary[["chemistry", "ambient_C", "delivered_capacity_pct_of_25C"]]   # doctest: +SKIP
        """
        import pandas as pd

        spec, rows = self.table()
        dtypes = {"text": "string", "float": "float64", "int": "Int64", "bool": "boolean"}
        df = pd.DataFrame({name: pd.array([r[name] for r in rows], dtype=dtypes[kind]) for name, _, kind, _ in spec})
        df.attrs["units"] = {name: unit for name, unit, _, _ in spec}
        return df

    def to_xarray(self):
        """The summary as an :class:`xarray.Dataset` along a ``case`` dimension (the case ids):
        one variable per metric (``units`` in its attrs), the parameters, status and text
        outcomes as coordinates along ``case``.

        Examples
        --------
        >>> ds = res.to_xarray()                                        # doctest: +SKIP
        >>> ds["range_loss_pct"].groupby("ambient_C").mean()            # doctest: +SKIP
        """
        import xarray as xr

        spec, rows = self.table()
        data, coords = {}, {"case": [r["case_id"] for r in rows]}
        for name, unit, kind, role in spec:
            if name == "case_id":
                continue
            values = [r[name] for r in rows]
            array = (np.array(values, dtype=object) if kind == "text"
                     else np.array([np.nan if v is None else float(v) for v in values]))
            entry = ("case", array, {"units": unit, "kind": kind})
            (data if role == "metric" else coords)[name] = entry
        return xr.Dataset(data, coords=coords, attrs={k: v for k, v in self.attrs.items()
                                                      if isinstance(v, str | int | float)})

    def fleet_table(self, grid=None):
        """The fleet table of these trips (:func:`battsim.results.fleet.fleet_table`): one row per
        trip, or per trip and grid intensity with ``grid`` (numbers [g.kW-1.h-1] and reference ids
        such as ``"GR-01"``); the units in ``df.attrs["units"]``.

        Examples
        --------
        >>> bs.open_results("results/trips.h5").fleet_table(grid=[100, "GR-01"])   # doctest: +SKIP
        """
        from battsim.results.fleet import fleet_table

        return fleet_table(self, grid)
