"""Validation: the model against published values, each with a tolerance and its reason.

Published values live in ``battsim/data/references/reference_data.json`` (copied from the
project's shared reference data; every entry carries its citation). A validation case names
the entry it compares against, computes the model's value, and passes when the relative
difference is within its tolerance. ``battsim validate`` runs them all.
"""

from __future__ import annotations

import functools
import json
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from battsim import api
from battsim.cells import get_chemistry
from battsim.errors import ValidityWarning
from battsim.studies import self_heating


@cache
def reference_entries() -> dict[str, dict]:
    """Published reference values by id (``SS-05``, ``EX-10`` ... and battsim's own ``BS-*``)."""
    entries = {}
    for name in ("reference_data.json", "battsim_references.json"):
        text = resources.files("battsim").joinpath(f"data/references/{name}").read_text()
        entries.update({entry["id"]: entry for entry in json.loads(text)["entries"]})
    return entries


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


def _li6ps5cl_conductivity_25C_mS_per_cm() -> float:
    return 10 * get_chemistry("solid-state-li-metal").solid_electrolyte.conductivity_S_per_m(298.15)


def _specific_heat(name: str) -> Callable[[], float]:
    def model() -> float:
        return get_chemistry(name).specific_heat_J_per_kgK(35.0)

    return model


def _self_heating(index: int) -> Callable[[], float]:
    def model() -> float:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ValidityWarning)
            return self_heating.simulate(self_heating.acb_config())[index]

    return model


@functools.cache
def cold_capacity_pct(chemistry: str, condition: str = "still-air", ambient_C: float = -20.0,
                      c_rate: float = 1.0) -> float:
    """Delivered capacity at ``ambient_C`` in % of the same test at 25 degC: full cell, constant
    ``c_rate`` to the cut-off, cell starting at ambient, in ``condition``."""
    config = {"scenario": {"kind": "cell_discharge"}, "cell": {"chemistry": chemistry},
              "climate": {"ambient_C": ambient_C}, "discharge": {"c_rate": c_rate},
              "thermal": {"condition": condition}}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ValidityWarning)
        (result,) = api.run(config)
    return float(result.metrics["delivered_capacity_pct_of_25C"])


@functools.cache
def aaa_trip_range_loss_pct(cabin_heating: bool) -> float:
    """Range loss [%] of the compact car at -6.7 degC (20 degF) against 25 degC, as AAA tested.

    AAA (2019): vehicles soaked at the test temperature, driven on a combined urban/highway
    dynamometer schedule, cabin at 72 degF (22 degC) when heated. Here: the ``compact`` preset
    (2020 Chevrolet Bolt EV) with a 66 kWh LG M50 pack, 10 h soak at -6.7 degC (the pack starts
    at ambient), no battery heating, two WLTC cycles (a mixed urban/highway cycle) from 90 %
    state of charge, range estimated from the charge used.
    """
    config = {
        "scenario": {"kind": "trip"},
        "cell": {"chemistry": "nmc811-graphite", "initial_soc": 0.9},
        "vehicle": {"preset": "compact", "cabin_heating": cabin_heating},
        "climate": {"ambient_C": -6.7, "soak_h": 10, "start_temperature_C": -6.7},
        "drive": {"cycle": "wltc", "distance_km": 46.53},
        "heating": {"method": "none"},
        "solver": {"rtol": 1e-4, "electrode_points": 10},
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ValidityWarning)
        (result,) = api.run(config)
    return float(result.metrics["range_loss_pct"])


_GBT_WHY = ("a requirement every certified EV traction cell meets after a cold soak, discharged in the "
            "chamber's air: battsim's still-air condition (10 W/(m2 K)); a minimum, so the model must be at or "
            "above it (the forced-air chamber condition, 140 W/(m2 K), is harsher than the standard's test)")

def _gbt_minimum(chemistry: str, cell: str, note: str = "") -> ValidationCase:
    """The GB/T 31486 minimum (BS-01) against the chemistry's -20 degC, 1C capacity in still air."""
    return ValidationCase(
        name=f"{chemistry.split('-')[0]}-capacity-minus20C-1C",
        quantity=f"{cell} capacity at -20 degC and 1C, still air, in % of 25 degC (at least)",
        reference_id="BS-01", published=70.0, model=lambda: cold_capacity_pct(chemistry), tolerance=0.0,
        absolute=True, at_least=True, why=_GBT_WHY + note, absolute_unit="points")


CASES: tuple[ValidationCase, ...] = (
    _gbt_minimum("nmc811-graphite", "LG M50"),
    _gbt_minimum("lfp-graphite", "LFP|graphite cell", "; before the cold refit the BPX set gave 5 %"),
    ValidationCase(
        name="li6ps5cl-conductivity-25C",
        quantity="Li6PS5Cl ionic conductivity at 25 degC [mS/cm]",
        reference_id="SS-05",
        published=2.19,
        model=_li6ps5cl_conductivity_25C_mS_per_cm,
        tolerance=0.20,
        why="independent cold-pressed pellet; argyrodite conductivity spans 0.46-5 mS/cm with "
            "synthesis (SS-06), so agreement within 20 % is agreement within the material's spread",
    ),
    ValidationCase(
        name="lfp-cell-specific-heat",
        quantity="LFP cell specific heat at 35 degC [J/(kg K)]",
        reference_id="EX-10",
        published=1130.0,
        model=_specific_heat("lfp-graphite"),
        tolerance=0.15,
        why="generic LFP-cell value at 30-40 degC; published cell values span 800-1100+ J/(kg K) "
            "(EX-08 notes), about +-15 % around it",
    ),
    ValidationCase(
        name="nmc-cell-specific-heat",
        quantity="NMC cell specific heat at 35 degC [J/(kg K)]",
        reference_id="EX-09",
        published=1040.0,
        model=_specific_heat("nmc811-graphite"),
        tolerance=0.20,
        why="generic NMC-cell value at 30-40 degC; the LG M50's steel can and SiOx-graphite differ "
            "from the cells behind the generic value; published range 800-1100 J/(kg K) (EX-08)",
    ),
    ValidationCase(
        name="self-heating-time-minus20C",
        quantity="self-heating time from -20 to 0 degC [s] (foil design calibrated on it)",
        reference_id="SH-01",
        published=20.0,
        model=_self_heating(0),
        tolerance=0.15,
        why="the calibration target of the foil design (battsim.studies.self_heating)",
    ),
    ValidationCase(
        name="self-heating-capacity-minus20C",
        quantity="capacity consumed by self-heating from -20 to 0 degC [%]",
        reference_id="SH-03",
        published=3.8,
        model=_self_heating(1),
        tolerance=0.15,
        why="a prediction (only the foil resistance is calibrated, on SH-01): it checks the power cell's "
            "heat capacity per A.h and the DFN's heat; 15 % as the issue asks",
    ),
    ValidationCase(
        name="range-loss-minus7C-with-cabin-heat",
        quantity="range loss at -6.7 degC (20 degF) with cabin heating, against 25 degC [%]",
        reference_id="EV-01",
        published=41.0,
        model=lambda: aaa_trip_range_loss_pct(True),
        tolerance=9.0,
        absolute=True,
        why="AAA's figure is the mean of five EVs; Argonne's 2011/12 Leaf at 20 degF with its heater lost "
            "about 50 % on UDDS and 29 % on HWFET (EV-09), so a mixed cycle such as WLTC belongs in "
            "29-50 %: 41 +- 9 points",
        absolute_unit="points",
    ),
    ValidationCase(
        name="range-loss-minus7C-without-cabin-heat",
        quantity="range loss at -6.7 degC (20 degF) without cabin heating, against 25 degC [%]",
        reference_id="EV-02",
        published=12.0,
        model=lambda: aaa_trip_range_loss_pct(False),
        tolerance=7.0,
        absolute=True,
        why="AAA's five-EV mean; Argonne's Leaf was about 10 % less efficient cold without its heater "
            "(EV-09), and battery, tyres and air differ between vehicles: 12 +- 7 points",
        absolute_unit="points",
    ),
)


def run_validation(cases: tuple[ValidationCase, ...] = CASES) -> list[ValidationResult]:
    """Evaluate every validation case."""
    results = []
    for case in cases:
        if case.reference_id not in reference_entries():
            raise KeyError(f"validation case {case.name}: unknown reference id {case.reference_id}")
        value = float(case.model())
        results.append(ValidationResult(case, value, (value - case.published) / case.published))
    return results


def report_markdown(results: list[ValidationResult]) -> str:
    """A Markdown table of the results (``validation/report.md``)."""
    lines = [
        "# battsim validation report",
        "",
        "Written by `battsim validate --out validation/report.md`. Each row compares a model value",
        "with a published one from `battsim/data/references/reference_data.json` (or battsim's own",
        "`battsim_references.json`); a tolerance written `≥` is a one-sided check against a minimum.",
        "",
        "| case | quantity | published | model | difference | tolerance | result | reference | why this tolerance |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        d = r.as_dict()
        lines.append(
            f"| {d['name']} | {d['quantity']} | {d['published']:.4g} | {d['model']:.4g} | "
            f"{r.difference_text} | {r.tolerance_text} | "
            + f"{'pass' if d['passed'] else 'FAIL'} | {d['reference_id']}: {d['source']} | {d['why']}"
            + (f" **Known failure:** {d['known_failure']}." if d["known_failure"] and not d["passed"] else "")
            + " |"
        )
    return "\n".join(lines) + "\n"
