"""Drive-cycle statistics: each shipped speed trace against its regulation's totals (duration,
distance, maximum speed). A trace that drifted from its schedule would shift every trip's
energy per km; the traces' provenance is in ``battsim/data/drive_cycles/README.md``."""

from __future__ import annotations

from battsim.studies.validation.base import (
    Comparison,
    PlotSpec,
    Series,
    ValidationCase,
    published_value,
    reference_entries,
)
from battsim.vehicle.cycles import load_cycle

#: battsim cycle name -> reference id of its regulation's totals
REFERENCES = {"wltc": "BS-02", "cltc-p": "BS-03", "nedc": "BS-04", "udds": "BS-05", "hwfet": "BS-06",
              "us06": "BS-07"}
TOLERANCE = 0.01  # published distances are rounded to 10 m or 0.01 mi (<= 0.1 %); 1 % flags a wrong trace


def statistics(cycle: str) -> dict[str, float]:
    """Duration [s], distance [km] and maximum speed [km/h] of a shipped trace."""
    trace = load_cycle(cycle)
    return {"duration_s": trace.duration_s, "distance_km": trace.distance_m / 1000,
            "max_speed_kmh": 3.6 * float(trace.speed_m_per_s.max())}


def _distance_case(cycle: str, reference_id: str) -> ValidationCase:
    published = published_value(reference_id, "distance_km")
    return ValidationCase(
        name=f"{cycle}-distance", quantity=f"{cycle.upper()} distance [km]", reference_id=reference_id,
        published=published, model=lambda: statistics(cycle)["distance_km"], tolerance=TOLERANCE,
        why="the trace integrated by the trapezoid rule against the regulation's total; published totals "
            "are rounded to 0.1 % or better", reference_key="distance_km")


def plot() -> PlotSpec:
    series = []
    for key, label in (("duration_s", "duration"), ("distance_km", "distance"), ("max_speed_kmh", "maximum speed")):
        ratios = tuple(statistics(c)[key] / reference_entries()[r]["value"][key] for c, r in REFERENCES.items())
        series.append(Series(f"battsim trace / published: {label}", tuple(range(len(REFERENCES))), ratios))
    n = len(REFERENCES)
    series.append(Series("published (+-1 %)", tuple(range(n)), (1.0,) * n, low=(0.99,) * n, high=(1.01,) * n,
                         published=True))
    return PlotSpec("Drive cycles: shipped traces against the regulations' totals", "cycle",
                    "battsim / published [-]", tuple(series), xticklabels=tuple(REFERENCES),
                    note="US06: the EPA file's 600 s against the schedule's 596 s (idle at the end), +0.67 %.")


COMPARISON = Comparison(
    name="drive_cycles",
    title="drive-cycle statistics against the regulations' totals",
    cases=tuple(_distance_case(cycle, reference_id) for cycle, reference_id in REFERENCES.items()),
    plot=plot,
)
