"""Mesh convergence of cold cell discharges: which discretisation gives a number worth reporting.

A number from a discretised model is only as good as its mesh. This study discharges each
chemistry from full at a constant C-rate, starting at ambient, over a grid of ambient
temperatures and C-rates, on a sequence of ever finer meshes, and reports for each the change
of the delivered capacity, the end temperature and the lowest negative-electrode potential
against the finest mesh. A mesh is *converged* when every quantity is within
:data:`TOLERANCE` of the finest mesh's.

Meshes are :class:`~battsim.models.mesh.Mesh` es, written ``across/r_negative/r_positive``:
points across each electrode and the separator and along each particle radius (``[solver]``'s
``electrode_points``, ``negative_particle_points``, ``positive_particle_points``). The default
ladder refines the particle radii (what the cold needs: a lithiation front moving through a
slowly diffusing particle) and checks the points across once. The cold ladder (``--cold``)
studies the conditions where a chemistry declares a finer ``cold_mesh``: a cell held at -20 degC
in the thermal chamber, where a reaction front also crosses the graphite electrode, so it
refines the points across the negative electrode and clusters the particle points at the
surface.

Run ``python -m battsim.studies.convergence [--quick | --cold] [--out validation/mesh_convergence.md]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

from battsim import api
from battsim.cachedir import write_text_whole
from battsim.cells import get_chemistry
from battsim.errors import ValidityWarning
from battsim.models.mesh import Mesh

#: largest relative change of capacity and end temperature [K] against the finest mesh [-]
TOLERANCE = 0.005
#: largest change of the lowest negative-electrode potential [V]: a relative change of a potential
#: near 0 V means nothing; 2 mV is well inside the plating margins a heating study uses
POTENTIAL_TOLERANCE_V = 0.002
#: a discharge that ends before this share of the nominal capacity is cut off at its start [-]
CUT_OFF_AT_START = 0.1
QUANTITIES = ("delivered_capacity_Ah", "end_temperature_C", "min_anode_potential_V")
#: meshes from coarse to fine: (across, r_negative, r_positive)
LADDER = tuple(Mesh.of(m) for m in ((20, 20, 20), (10, 20, 20), (10, 40, 40), (10, 80, 80), (10, 160, 160),
                                     (10, 320, 320)))
#: the cold ladder: points across the negative electrode and along particles clustered at their surface
COLD_LADDER = (Mesh(10, 60, 40, particle_stretch=2.0), Mesh(10, 160, 40, particle_stretch=2.0),
               Mesh(10, 160, 40, 20, 2.0), Mesh(10, 160, 40, 40, 2.0), Mesh(10, 240, 40, 40, 2.0),
               Mesh(10, 320, 40, 40, 2.0), Mesh(10, 320, 40, 60, 2.0))
COLD_TEMPERATURES_C = (-15.0, -20.0)
COLD_TITLE = ("Mesh convergence of cold cell discharges (the cold ladder)\n\nWhere a chemistry declares a finer "
              "`cold_mesh` for cell tests colder than its default mesh is shown converged (`battsim chemistries`).")
CHEMISTRIES = ("nmc811-graphite", "lfp-graphite", "solid-state-li-metal", "nco-graphite-power")
TEMPERATURES_C = (25.0, 0.0, -10.0, -20.0, -30.0)
C_RATES = (0.2, 1.0, 3.0)


@dataclass(frozen=True)
class Row:
    """One condition on one mesh, and its largest change against the finest mesh."""

    chemistry: str
    ambient_C: float
    c_rate: float
    mesh: Mesh
    values: dict
    change: float  # largest change of QUANTITIES against the finest mesh, in tolerances (<= 1: converged)
    status: str = "ok"
    condition: str = "still-air"  # the thermal test condition (``thermal.condition``)

    def __post_init__(self):
        object.__setattr__(self, "mesh", Mesh.of(self.mesh))  # a point triple is a mesh too


def _relative(a: float, b: float) -> float:
    if math.isnan(a) and math.isnan(b):
        return 0.0
    if math.isnan(a) or math.isnan(b):
        return math.inf
    return abs(a - b) / max(abs(b), 1e-12)


def _change(values: dict, finest: dict) -> float:
    """Largest change against the finest mesh, in units of its tolerance (converged: <= 1)."""
    changes = []
    for q in QUANTITIES:
        a, b = values.get(q, math.nan), finest.get(q, math.nan)
        if q.endswith("_V"):
            changes.append(0.0 if math.isnan(a) and math.isnan(b) else abs(a - b) / POTENTIAL_TOLERANCE_V)
        else:  # temperatures are compared in kelvin (0.5 % of 253 K is 1.3 K)
            offset = 273.15 if q.endswith("_C") else 0.0
            changes.append(_relative(a + offset, b + offset) / TOLERANCE)
    return max(math.inf if math.isnan(c) else c for c in changes)


def run_condition(chemistry: str, ambient_C: float, c_rate: float, ladder=LADDER,
                  condition: str = "still-air") -> list[Row]:
    """Discharge one cell on every mesh of ``ladder`` and compare with the last (finest)."""
    config = {"scenario": {"kind": "cell_discharge"}, "cell": {"chemistry": chemistry},
              "climate": {"ambient_C": ambient_C}, "discharge": {"c_rate": c_rate},
              "thermal": {"condition": condition}}
    results = []
    for mesh in ladder:
        case = {**config, "solver": Mesh.of(mesh).solver_settings()}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ValidityWarning)  # outside a range, coarse meshes: what is studied
            (result,) = api.run(case, errors="record")
        results.append(result)
    finest = results[-1].metrics
    return [Row(chemistry, ambient_C, c_rate, Mesh.of(mesh), {q: r.metrics.get(q, math.nan) for q in QUANTITIES},
                _change(r.metrics, finest) if r.ok and results[-1].ok else math.inf, r.status, condition)
            for mesh, r in zip(ladder, results)]


def converged_mesh(rows: list[Row]) -> Mesh | None:
    """The first mesh of the ladder from which on every mesh is within tolerance of the finest
    (``None`` if only the finest is): a ladder that jumps about is not converged where it jumps."""
    finest = rows[-1]
    within = [row.status == "ok" and finest.status == "ok" and _change(row.values, finest.values) <= 1
              for row in rows[:-1]]
    for i in range(len(within)):
        if all(within[i:]):
            return rows[i].mesh
    return None


def study(chemistries=CHEMISTRIES, temperatures_C=TEMPERATURES_C, c_rates=C_RATES, ladder=LADDER,
          progress=None, conditions=("still-air",)) -> list[list[Row]]:
    """Every condition of the grid on every mesh of ``ladder``."""
    out = []
    for chemistry in chemistries:
        for condition in conditions:
            for T in temperatures_C:
                for c in c_rates:
                    out.append(run_condition(chemistry, T, c, ladder, condition))
                    if progress:
                        progress(out[-1])
    return out


def cold_study(chemistries=CHEMISTRIES, temperatures_C=COLD_TEMPERATURES_C, ladder=COLD_LADDER,
               progress=None) -> list[list[Row]]:
    """The cold ladder at 1C in each condition where a chemistry declares a ``cold_mesh``."""
    out = []
    for name in chemistries:
        chemistry = get_chemistry(name)
        if chemistry.cold_mesh is None:
            continue
        for condition in dict(chemistry.cold_mesh_converged_down_to_C):
            for T in temperatures_C:
                out.append(run_condition(name, T, 1.0, ladder, condition))
                if progress:
                    progress(out[-1])
    return out


def default_check(conditions: list[list[Row]], progress=None) -> dict[tuple, Row]:
    """Each condition on its chemistry's default mesh, compared with the ladder's finest mesh."""
    out = {}
    for rows in conditions:
        r0, finest = rows[0], rows[-1]
        mesh = get_chemistry(r0.chemistry).mesh_for(r0.condition, r0.ambient_C, r0.c_rate)
        (row,) = run_condition(r0.chemistry, r0.ambient_C, r0.c_rate, (mesh,), r0.condition)
        change = _change(row.values, finest.values) if row.status == finest.status == "ok" else math.inf
        out[_key(r0)] = dataclasses.replace(row, change=change)
        if progress:
            progress(out[_key(r0)])
    return out


def tolerance_check(chemistry: str, ambient_C: float = -20.0, c_rate: float = 1.0,
                    tolerances=(1e-4, 1e-6, 1e-8)) -> list[tuple[float, dict]]:
    """The chemistry's default mesh with the solver's relative and absolute tolerances at each value."""
    mesh = get_chemistry(chemistry).mesh
    out = []
    for tol in tolerances:
        config = {"scenario": {"kind": "cell_discharge"}, "cell": {"chemistry": chemistry},
                  "climate": {"ambient_C": ambient_C}, "discharge": {"c_rate": c_rate},
                  "solver": {"rtol": tol, "atol": tol, **mesh.solver_settings()}}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ValidityWarning)
            (result,) = api.run(config, errors="record")
        out.append((tol, {q: result.metrics.get(q, math.nan) for q in QUANTITIES}))
    return out


def _key(row: Row) -> tuple:
    return row.chemistry, row.condition, row.ambient_C, row.c_rate


def _verdict(rows: list[Row]) -> str:
    finest = rows[-1]
    nominal = get_chemistry(finest.chemistry).nominal_capacity_Ah
    if finest.status == "ok" and finest.values["delivered_capacity_Ah"] < CUT_OFF_AT_START * nominal:
        return "cut off at start"
    mesh = converged_mesh(rows)
    return mesh.label if mesh else "finest only"


def markdown(conditions: list[list[Row]], defaults: dict | None = None,
             title: str = "Mesh convergence of cell discharges") -> str:
    """The study as a Markdown table: per condition, the capacity on each mesh, the converged mesh and,
    with ``defaults``, the chemistry's default mesh against the finest (in tolerances: <= 1 passes)."""
    ladder = [row.mesh for row in conditions[0]]
    head = " | ".join(m.label for m in ladder)
    extra = " default mesh | default / tolerance |" if defaults else ""
    lines = [f"# {title}", "",
             "Written by `python -m battsim.studies.convergence`. Delivered capacity [A*h] from full at a",
             "constant C-rate, starting at ambient, in still air or a thermal chamber (`thermal.condition`);",
             "meshes as points across / along the negative",
             "particle radius / along the positive particle radius. *Converged*: the first mesh from which on",
             f"delivered capacity and end temperature [K] are within {100 * TOLERANCE:g} % of the finest mesh's and",
             f"the lowest negative-electrode potential within {1000 * POTENTIAL_TOLERANCE_V:g} mV of it. *Cut off at",
             f"start*: the cell reaches its cut-off voltage within the first {100 * CUT_OFF_AT_START:g} % of its",
             "capacity (it cannot deliver that rate there; the few mA*h before the cut-off are not a result).",
             "*default mesh*: the mesh a cell test in that condition uses (the chemistry's default, or its",
             "cold mesh where it declares one: `mesh_convergence_cold.md`); *default / tolerance*: its largest",
             "change against the finest, in units of the tolerance (1 or less: converged).", "",
             f"| chemistry | condition | ambient [degC] | C-rate [1/h] | {head} | converged |{extra}",
             "|" + " --- |" * (5 + len(ladder) + (2 if defaults else 0))]
    for rows in conditions:
        r0 = rows[0]
        caps = " | ".join(f"{r.values['delivered_capacity_Ah']:.4g}" if r.status == "ok" else "failed" for r in rows)
        line = f"| {r0.chemistry} | {r0.condition} | {r0.ambient_C:g} | {r0.c_rate:g} | {caps} | {_verdict(rows)} |"
        if defaults and _key(r0) in defaults:
            d = defaults[_key(r0)]
            line += f" {d.mesh.label} | {d.change:.2f} |"
        lines.append(line)
    return "\n".join(lines) + "\n"


def tolerance_markdown(checks: dict[str, list[tuple[float, dict]]]) -> str:
    """The solver-tolerance check as a Markdown table."""
    lines = ["| chemistry | rtol = atol | capacity [A*h] | end temperature [degC] | lowest anode potential [V] |",
             "| --- | --- | --- | --- | --- |"]
    for chemistry, rows in checks.items():
        for tol, v in rows:
            lines.append(f"| {chemistry} | {tol:g} | {v['delivered_capacity_Ah']:.5g} | "
                         f"{v['end_temperature_C']:.4g} | {v['min_anode_potential_V']:.4g} |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one chemistry, two conditions, three meshes")
    parser.add_argument("--out", help="write the Markdown table here (e.g. validation/mesh_convergence.md)")
    parser.add_argument("--json", help="also write every row as JSON here (for merging partial studies)")
    parser.add_argument("--chemistry", action="append", help="only this chemistry (repeatable)")
    parser.add_argument("--chamber", action="store_true", help="the thermal-chamber condition at 1C (the quick "
                        "start's rate) instead of the still-air grid")
    parser.add_argument("--cold", action="store_true", help="the cold ladder where a chemistry declares a cold "
                        "mesh (validation/mesh_convergence_cold.md)")
    parser.add_argument("--from-json", action="append", help="read ladder rows written by --json instead of "
                        "running them (repeatable); the default meshes and tolerances are still run")
    args = parser.parse_args(argv)
    if args.quick:
        conditions = study(("nmc811-graphite",), (25.0, -20.0), (1.0,), ((10, 20, 20), (10, 40, 40), (10, 80, 80)))
    elif args.from_json:
        conditions = [rows for path in args.from_json for rows in from_json(Path(path).read_text())]
    elif args.cold:
        conditions = cold_study(tuple(args.chemistry or CHEMISTRIES), progress=_print_progress)
    elif args.chamber:
        conditions = study(tuple(args.chemistry or CHEMISTRIES), c_rates=(1.0,), progress=_print_progress,
                           conditions=("thermal-chamber",))
    else:
        conditions = study(tuple(args.chemistry or CHEMISTRIES), progress=_print_progress)
    if args.json and not args.from_json:
        write_text_whole(Path(args.json), to_json(conditions))
    defaults = None if args.quick else default_check(conditions)
    text = markdown(conditions, defaults, COLD_TITLE if args.cold else "Mesh convergence of cell discharges")
    if not (args.quick or args.cold):
        chemistries = list(dict.fromkeys(rows[0].chemistry for rows in conditions))
        text += ("\n## Solver tolerances\n\nEach chemistry's default mesh at -20 degC and 1C, still air, with the "
                 "IDAKLU relative and absolute tolerances at each value (battsim's default: 1e-6).\n\n"
                 + tolerance_markdown({c: tolerance_check(c) for c in chemistries}))
    print(text)
    if args.out:
        write_text_whole(Path(args.out), text)
    return 0


def _print_progress(rows: list[Row]) -> None:
    print(f"{rows[0].chemistry} {rows[0].condition} {rows[0].ambient_C:g} degC {rows[0].c_rate:g}C: converged at "
          f"{getattr(converged_mesh(rows), 'label', None)}", file=sys.stderr, flush=True)


def to_json(conditions: list[list[Row]]) -> str:
    """Every row of the study as JSON (``from_json`` reads it back)."""
    return json.dumps([[dataclasses.asdict(row) for row in rows] for rows in conditions], indent=1)


def from_json(text: str) -> list[list[Row]]:
    """Rows written by :func:`to_json`."""
    return [[Row(**{**row, "mesh": Mesh(**row["mesh"]) if isinstance(row["mesh"], dict) else Mesh.of(row["mesh"])})
             for row in rows] for rows in json.loads(text)]


if __name__ == "__main__":
    sys.exit(main())
