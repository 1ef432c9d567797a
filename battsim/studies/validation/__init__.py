"""Validation: the model against published measurements, one module per comparison.

Each module defines a :class:`~battsim.studies.validation.base.Comparison`: its pass/fail cases
(one model number against one published number, with a tolerance and its reason) and a plot of
the model against the published points with their bands. ``battsim validate`` runs every
comparison, ``--quick`` the cheap ones (the test suite runs those); ``--out REPORT.md`` also
draws each comparison's plot next to the report. The registry below is the one list of them.
"""

from __future__ import annotations

import importlib

from battsim.studies.validation.base import (
    Comparison,
    PlotSpec,
    Series,
    ValidationCase,
    ValidationResult,
    reference_entries,
    report_markdown,
    run_validation,
)

#: comparison modules, each defining ``COMPARISON``
_REGISTRY = ("cold_capacity", "lfp_dynamic", "conductivity", "solid_state_envelope", "thermal_properties",
             "self_heating", "ac_heating", "drive_cycles", "vehicle_label", "vehicle_cold")


def comparisons(quick: bool = False) -> tuple[Comparison, ...]:
    """Every registered comparison (only the quick ones when ``quick``)."""
    found = tuple(importlib.import_module(f"battsim.studies.validation.{name}").COMPARISON for name in _REGISTRY)
    return tuple(c for c in found if c.quick or not quick)


def cases(quick: bool = False) -> tuple[ValidationCase, ...]:
    """The cases of :func:`comparisons`, in order."""
    return tuple(case for comparison in comparisons(quick) for case in comparison.cases)


__all__ = ["Comparison", "PlotSpec", "Series", "ValidationCase", "ValidationResult", "cases", "comparisons",
           "reference_entries", "report_markdown", "run_validation"]
