"""The parts every comparison is made of: a case (one model number against one published
number, with a tolerance and its reason), its result, a comparison (cases and a plot) and the
plot's description.

Published values live in ``battsim/data/references/reference_data.json`` (copied from the
project's shared reference data) and ``battsim_references.json`` (values battsim added);
every entry carries its citation.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from battsim import api
from battsim.errors import ValidityWarning
from battsim.vehicle.cycles import load_cycle


@cache
def reference_entries() -> dict[str, dict]:
    """Published reference values by id (``SS-05``, ``EX-10`` ... and battsim's own ``BS-*``)."""
    entries = {}
    for name in ("reference_data.json", "battsim_references.json"):
        text = resources.files("battsim").joinpath(f"data/references/{name}").read_text()
        entries.update({entry["id"]: entry for entry in json.loads(text)["entries"]})
    return entries


def published_value(reference_id: str, key: str = "") -> float:
    """The published value of a reference entry (``key`` for an entry whose value is a table)."""
    value = reference_entries()[reference_id]["value"]
    return float(value[key] if key else value)


@dataclass(frozen=True)
class ValidationCase:
    """A comparison of one model quantity with one published value.

    Parameters
    ----------
    name : str
        Short identifier.
    quantity : str
        What is compared, with its unit.
    reference_id : str
        Id of the published value in the reference data.
    published : float
        The published value, in the unit of ``quantity``.
    model : callable
        Returns the model's value, in the unit of ``quantity``.
    tolerance : float
        Largest accepted relative difference [-].
    why : str
        Why that tolerance.
    known_failure : str
        Why the model is known not to meet it yet (reported as FAIL, with the reason).
    absolute : bool
        Whether ``tolerance`` is an absolute difference (in the unit of ``quantity``)
        rather than a relative one.
    at_least : bool
        Whether the published value is a minimum (a requirement every such cell meets): the case
        passes when the model is at or above it, less the tolerance.
    reference_key : str
        For a reference whose value is a table (``{"distance_km": ...}``), the key compared.
    """

    name: str
    quantity: str
    reference_id: str
    published: float
    model: Callable[[], float]
    tolerance: float
    why: str
    known_failure: str = ""
    absolute: bool = False
    absolute_unit: str = ""
    at_least: bool = False  # the published value is a minimum: pass when model >= published - tolerance
    reference_key: str = ""


@dataclass(frozen=True)
class ValidationResult:
    case: ValidationCase
    model_value: float
    relative_difference: float

    @property
    def difference(self) -> float:
        """The difference the tolerance applies to: relative, or absolute for absolute cases."""
        if self.case.absolute:
            return self.model_value - self.case.published
        return self.relative_difference

    @property
    def difference_text(self) -> str:
        if self.case.absolute:
            return f"{self.difference:+.3g} {self.case.absolute_unit}"
        return f"{100 * self.difference:+.3g} %"

    @property
    def tolerance_text(self) -> str:
        sign = "≥ −" if self.case.at_least else "±"
        if self.case.absolute:
            return f"{sign}{self.case.tolerance:g} {self.case.absolute_unit}"
        return f"{sign}{100 * self.case.tolerance:g} %"

    @property
    def passed(self) -> bool:
        if self.case.at_least:
            return self.difference >= -self.case.tolerance
        return abs(self.difference) <= self.case.tolerance

    def as_dict(self) -> dict:
        entry = reference_entries()[self.case.reference_id]
        return {
            "name": self.case.name,
            "quantity": self.case.quantity,
            "reference_id": self.case.reference_id,
            "source": f"{entry['source_citation']} ({entry['source_url_or_doi']})",
            "published": self.case.published,
            "model": self.model_value,
            "relative_difference": self.relative_difference,
            "difference": self.difference,
            "tolerance": self.case.tolerance,
            "tolerance_kind": "absolute" if self.case.absolute else "relative",
            "passed": self.passed,
            "why": self.case.why,
            "known_failure": self.case.known_failure,
        }


@dataclass(frozen=True)
class Series:
    """A line or a set of points on a comparison's plot.

    ``low``/``high`` (same length as ``y``) draw error bars (published points) or a shaded band
    (a line); ``minimum`` draws ``y`` as a floor that the model must stay above.
    """

    label: str
    x: tuple[float, ...]
    y: tuple[float, ...]
    low: tuple[float, ...] | None = None
    high: tuple[float, ...] | None = None
    published: bool = False  # published data (markers) rather than the model (a line)
    minimum: bool = False
    colour: str | None = None  # a Matplotlib colour; default: the next in the cycle
    linestyle: str | None = None


@dataclass(frozen=True)
class PlotSpec:
    """What a comparison's plot shows; :func:`battsim.reporting.plots.validation_plot` draws it."""

    title: str
    xlabel: str
    ylabel: str
    series: tuple[Series, ...]
    logy: bool = False
    xticklabels: tuple[str, ...] | None = None  # categories at x = 0, 1, ...
    note: str = ""


@dataclass(frozen=True)
class Comparison:
    """One comparison of the model with published measurements: its cases and its plot.

    Parameters
    ----------
    name : str
        File stem of its plot (``validation/<name>.png``).
    title : str
        One line saying what is compared.
    cases : tuple of ValidationCase
        The pass/fail rows.
    plot : callable
        Returns the :class:`PlotSpec` (it may run the model again over a range; cached calls
        are shared with the cases).
    quick : bool
        Whether ``battsim validate --quick`` runs it (the quick set runs in the test suite).
    """

    name: str
    title: str
    cases: tuple[ValidationCase, ...]
    plot: Callable[[], PlotSpec]
    quick: bool = True


def quietly(function: Callable, *args, **kwargs):
    """Call ``function`` with battsim's validity warnings silenced (validation runs cold on purpose)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ValidityWarning)
        return function(*args, **kwargs)


def run_config(config: dict):
    """The single result of ``config`` (validity warnings silenced)."""
    (result,) = quietly(api.run, config)
    return result


def run_validation(cases: tuple[ValidationCase, ...]) -> list[ValidationResult]:
    """Evaluate every validation case."""
    results = []
    for case in cases:
        if case.reference_id not in reference_entries():
            raise KeyError(f"validation case {case.name}: unknown reference id {case.reference_id}")
        value = float(case.model())
        results.append(ValidationResult(case, value, (value - case.published) / case.published))
    return results


def report_markdown(sections: list[tuple[Comparison, list[ValidationResult], str | None]],
                    quick: bool = False) -> str:
    """The validation report (``validation/report.md``): one table per comparison, its plot below.

    ``sections`` holds each comparison, its results and its plot's file name (or None).
    """
    results = [r for _, rs, _ in sections for r in rs]
    command = "battsim validate" + (" --quick" if quick else "") + " --out validation/report.md"
    lines = [
        "# battsim validation report",
        "",
        f"Written by `{command}`: {sum(r.passed for r in results)} of {len(results)} cases pass. Each row",
        "compares a model value with a published one from `battsim/data/references/reference_data.json`",
        "(or battsim's own `battsim_references.json`); a tolerance written `≥` is a one-sided check",
        "against a minimum. Each comparison is one module of `battsim/studies/validation/`.",
    ]
    for comparison, rows, plot_file in sections:
        lines += ["", f"## {comparison.name}: {comparison.title}", "",
                  "| case | quantity | published | model | difference | tolerance | result | reference | "
                  "why this tolerance |",
                  "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
        lines += [_report_row(r) for r in rows]
        if plot_file:
            lines += ["", f"![{comparison.name}]({plot_file})"]
    return "\n".join(lines) + "\n"


def _report_row(r: ValidationResult) -> str:
    d = {k: v.replace("|", "\\|") if isinstance(v, str) else v for k, v in r.as_dict().items()}  # table cells
    known = f" **Known failure:** {d['known_failure']}." if d["known_failure"] and not r.passed else ""
    return (f"| {d['name']} | {d['quantity']} | {d['published']:.4g} | {d['model']:.4g} | {r.difference_text} | "
            f"{r.tolerance_text} | {'pass' if r.passed else 'FAIL'} | {d['reference_id']}: {d['source']} | "
            f"{d['why']}{known} |")


def vehicle_drive(vehicle: dict, cycle: str, cycles: int, ambient_C: float, soak_h: float, **sections) -> dict:
    """Metrics of ``cycles`` x ``cycle`` by an LG M50 pack from 90 % (one thermal zone, no battery
    heating, pack and cabin starting at ambient) against the same drive at 25 degC; ``sections``
    add config sections (``carbon={...}``).

    Every published vehicle test compared here ran on a chassis dynamometer in a climate cell
    (``drive.dynamometer``): the rolls impose the drag specified for about 20 degC (40 CFR
    1066.805(c)), and neither AAA nor Argonne report changing it with the cell's temperature,
    while the tyres roll on the rolls at the cell's temperature (the ISO 28580 correction is a
    drum test's). Gear oil and bearings, colder too, are not modelled: a bias toward low cold
    consumption."""
    result = run_config({
        "scenario": {"kind": "trip"},
        "cell": {"chemistry": "nmc811-graphite", "initial_soc": 0.9},
        "vehicle": vehicle,
        "climate": {"ambient_C": ambient_C, "soak_h": soak_h, "start_temperature_C": ambient_C},
        "drive": {"cycle": cycle, "distance_km": round(cycles * load_cycle(cycle).distance_m / 1000, 3),
                  "dynamometer": True},
        "heating": {"method": "none"},
        "pack": {"edge_fraction": 0.0},  # one thermal zone: these compare the vehicle, not the pack's spread
        # the DFN's cheapest setting shown converged over the fidelity matrix (validation/fidelity.md,
        # second table: within 0.23 % of rtol 1e-6 on range, energy and heating) and faster than 1e-4
        "solver": {"rtol": 1e-5, "suppress_algebraic_error": True, "electrode_points": 10},
        **sections,
    })
    return dict(result.metrics)

