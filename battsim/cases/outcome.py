"""What running one case gives, before it becomes a :class:`battsim.results.Result`."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from battsim.models.protocol import Solution
from battsim.units import for_storage


@dataclass
class Outcome:
    """Metrics, stored time series (with units), how the run ended, text outcomes (``labels``, e.g.
    ``binding_limit``), and extra parameters."""

    metrics: dict[str, float]
    timeseries: dict[str, np.ndarray] = field(default_factory=dict)
    timeseries_units: dict[str, str] = field(default_factory=dict)
    termination: str = ""
    warnings: list[str] = field(default_factory=list)
    params: dict = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)

    def store(self, solution: Solution) -> "Outcome":
        """Add the solution's series as stored (temperatures in degC, by unit)."""
        data, units = for_storage(solution.series, solution.units)
        self.timeseries.update(data)
        self.timeseries_units.update(units)
        return self
