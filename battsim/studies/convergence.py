"""Mesh convergence of cold cell discharges: which discretisation gives a number worth reporting.

A number from a discretised model is only as good as its mesh. This study discharges each
chemistry from full at a constant C-rate, starting at ambient, over a grid of ambient
temperatures and C-rates, on a sequence of ever finer meshes, and reports for each the change
of the delivered capacity, the end temperature and the lowest negative-electrode potential
against the finest mesh. A mesh is *converged* when every quantity is within
:data:`TOLERANCE` of the finest mesh's.

Meshes are ``(across, r_negative, r_positive)``: points across each electrode and the
separator and along each particle radius (``[solver]``'s ``electrode_points``,
``negative_particle_points``, ``positive_particle_points``). The default ladder refines the
particle radii (what the cold needs: a lithiation front moving through a slowly diffusing
particle) and checks the points across once.

Run ``python -m battsim.studies.convergence [--quick] [--out validation/mesh_convergence.md]``.
"""

from __future__ import annotations

import argparse
import math
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

from battsim import api
from battsim.errors import ValidityWarning

#: largest change against the finest mesh for a mesh to count as converged [-]
TOLERANCE = 0.005
QUANTITIES = ("delivered_capacity_Ah", "end_temperature_C", "min_anode_potential_V")
#: meshes from coarse to fine: (across, r_negative, r_positive)
LADDER = ((20, 20, 20), (10, 20, 20), (10, 40, 40), (10, 80, 80), (10, 160, 160), (10, 320, 320))
CHEMISTRIES = ("nmc811-graphite", "lfp-graphite", "solid-state-li-metal", "nco-graphite-power")
TEMPERATURES_C = (25.0, 0.0, -10.0, -20.0, -30.0)
C_RATES = (0.2, 1.0, 3.0)


@dataclass(frozen=True)
class Row:
    """One condition on one mesh, and its largest change against the finest mesh."""

    chemistry: str
    ambient_C: float
    c_rate: float
    mesh: tuple[int, int, int]
    values: dict
    change: float  # largest relative change of QUANTITIES against the finest mesh [-]
    status: str = "ok"


def _relative(a: float, b: float) -> float:
    if math.isnan(a) and math.isnan(b):
        return 0.0
    if math.isnan(a) or math.isnan(b):
        return math.inf
    return abs(a - b) / max(abs(b), 1e-12)


def _change(values: dict, finest: dict) -> float:
    # temperatures are compared in kelvin (a change of 0.5 % of 253 K is 1.3 K)
    changes = []
    for q in QUANTITIES:
        a, b = values.get(q, math.nan), finest.get(q, math.nan)
        if q.endswith("_C"):
            a, b = a + 273.15, b + 273.15
        changes.append(_relative(a, b))
    return max(changes)


def run_condition(chemistry: str, ambient_C: float, c_rate: float, ladder=LADDER) -> list[Row]:
    """Discharge one cell on every mesh of ``ladder`` and compare with the last (finest)."""
    config = {"scenario": {"kind": "cell_discharge"}, "cell": {"chemistry": chemistry},
              "climate": {"ambient_C": ambient_C}, "discharge": {"c_rate": c_rate}}
    results = []
    for mesh in ladder:
        case = {**config, "solver": {"electrode_points": mesh[0], "negative_particle_points": mesh[1],
                                     "positive_particle_points": mesh[2]}}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ValidityWarning)  # outside a range, coarse meshes: what is studied
            (result,) = api.run(case, errors="record")
        results.append(result)
    finest = results[-1].metrics
    return [Row(chemistry, ambient_C, c_rate, mesh, {q: r.metrics.get(q, math.nan) for q in QUANTITIES},
                _change(r.metrics, finest) if r.ok and results[-1].ok else math.inf, r.status)
            for mesh, r in zip(ladder, results)]


def converged_mesh(rows: list[Row], tolerance: float = TOLERANCE) -> tuple[int, int, int] | None:
    """The first mesh of the ladder within ``tolerance`` of the finest (``None`` if only the finest is)."""
    for row in rows[:-1]:
        if row.change <= tolerance:
            return row.mesh
    return None


def study(chemistries=CHEMISTRIES, temperatures_C=TEMPERATURES_C, c_rates=C_RATES, ladder=LADDER,
          progress=None) -> list[list[Row]]:
    """Every condition of the grid on every mesh of ``ladder``."""
    out = []
    for chemistry in chemistries:
        for T in temperatures_C:
            for c in c_rates:
                out.append(run_condition(chemistry, T, c, ladder))
                if progress:
                    progress(out[-1])
    return out


def markdown(conditions: list[list[Row]], tolerance: float = TOLERANCE) -> str:
    """The study as a Markdown table: per condition, the capacity on each mesh and the converged mesh."""
    ladder = [row.mesh for row in conditions[0]]
    head = " | ".join(f"{m[0]}/{m[1]}/{m[2]}" for m in ladder)
    lines = ["# Mesh convergence of cell discharges", "",
             "Written by `python -m battsim.studies.convergence`. Delivered capacity [A*h] from full at a",
             "constant C-rate, starting at ambient, still air; meshes as points across / along the negative",
             "particle radius / along the positive particle radius. *Converged*: the first mesh whose delivered",
             "capacity, end temperature [K] and lowest negative-electrode potential are all within",
             f"{100 * tolerance:g} % of the finest mesh's.", "",
             f"| chemistry | ambient [degC] | C-rate [1/h] | {head} | converged |",
             "|" + " --- |" * (4 + len(ladder))]
    for rows in conditions:
        r0 = rows[0]
        caps = " | ".join(f"{r.values['delivered_capacity_Ah']:.4g}" if r.status == "ok" else "failed" for r in rows)
        mesh = converged_mesh(rows, tolerance)
        lines.append(f"| {r0.chemistry} | {r0.ambient_C:g} | {r0.c_rate:g} | {caps} | "
                     f"{'/'.join(map(str, mesh)) if mesh else 'finest only'} |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one chemistry, two conditions, three meshes")
    parser.add_argument("--out", help="write the Markdown table here (e.g. validation/mesh_convergence.md)")
    args = parser.parse_args(argv)
    if args.quick:
        conditions = study(("nmc811-graphite",), (25.0, -20.0), (1.0,), ((10, 20, 20), (10, 40, 40), (10, 80, 80)))
    else:
        conditions = study(progress=lambda rows: print(f"{rows[0].chemistry} {rows[0].ambient_C:g} degC "
                                                       f"{rows[0].c_rate:g}C: converged at "
                                                       f"{converged_mesh(rows)}", file=sys.stderr, flush=True))
    text = markdown(conditions)
    print(text)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
