"""Calibrate the fast model (:mod:`battsim.models.fast`) from the converged DFN, once, and cache it.

**Method.** At each calibration temperature and state of charge (:data:`SOCS`) the converged DFN
(the chemistry's mesh for a cell held at that temperature, :meth:`Chemistry.mesh_for`) and the
plain SPM on the fast model's mesh are given the same isothermal current pulses from rest: a 1C
discharge and a 1C charge for :data:`PULSE_S`, each at the largest rate of :data:`C_RATES` the DFN
holds for :data:`MIN_PULSE_S` (a charge pulse for :data:`MIN_CHARGE_PULSE_S`: near full charge a
charge pulse soon meets the voltage window, and a braking event, what it stands for, lasts seconds;
where none is held the charge values are the discharge values, and the file says so). The
DFN's extra voltage drop per ampere, :math:`(V_{SPM} - V_{DFN})/I`, is fitted by
:math:`R_0 + R_1 (1 - e^{-t/\\tau})` (least squares, each direction of current on its own pulse:
near full charge a cell answers a charge differently from a discharge), and the share
:math:`a` of that overpotential that shows on the negative electrode's potential at the separator,
:math:`\\phi_{DFN} - \\phi_{SPM} = a\\,(V_{SPM} - V_{DFN})`, by least squares. Nothing is typed in.

**Cache.** :func:`fast_calibration` reads ``<cache>/calibration/fast-<chemistry>.json`` (an
inspectable JSON file: the values, the method, the DFN meshes, the versions, the fit residuals)
when its key matches this battsim version, PyBaMM version, the chemistry's parameters and the
method, and its mesh (points and their spacing, which the fast model then runs on) is the one asked
for; otherwise it calibrates again, says so on stderr, and replaces the file atomically (a
worker reading it sees the old file or the new one, never a part).
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import json
import sys
import time
import warnings
from pathlib import Path

import numpy as np

from battsim._version import __version__
from battsim.cachedir import cache_dir, write_atomic
from battsim.errors import SimulationError
from battsim.models.cell import CellConditions, get_cell_model
from battsim.models.fast import BASE_MODEL, DIRECTIONS, FAST_MESH, FastCalibration, fit_element
from battsim.models.mesh import Mesh
from battsim.models.protocol import ChemistryLike, single_phase

#: raise when the method changes: older calibration files are then rebuilt
METHOD_VERSION = 2
METHOD = ("isothermal current pulses from rest at each calibration SOC (a discharge and a charge pulse, each at "
          "the largest of 1C, 0.5C, 0.2C, 0.1C the DFN holds), converged DFN against the plain SPM; "
          "R0 + R1 (1 - exp(-t/tau)) fitted to (V_SPM - V_DFN)/I by least squares and anode share a fitted to "
          "phi_DFN - phi_SPM = a (V_SPM - V_DFN), for each direction of current on its own pulse (the charge "
          "values are the discharge values where the DFN holds no charge pulse)")
PULSE_S = 120.0
MIN_PULSE_S = 20.0
MIN_CHARGE_PULSE_S = 5.0
#: the element's time constant is fitted below this [s]: five pulse lengths
MAX_TAU_S = 5 * PULSE_S
C_RATES = (1.0, 0.5, 0.2, 0.1)
#: calibration states of charge [-]: the element changes most near the ends (solid diffusion near
#: empty, the regeneration a trip asks of a nearly full pack); below and above, the nearest is held
SOCS = (0.2, 0.5, 0.8, 0.95)
#: the calibration spans at most this range, within each chemistry's valid range [degC]
SPAN_C = (-40.0, 60.0)
STEP_K = 10.0
#: heat-capacity multiplier that holds the cell at its temperature during a pulse [-]
ISOTHERMAL_SCALE = 1e6
_SAMPLES = 80


def calibration_temperatures(chemistry: ChemistryLike) -> tuple[float, ...]:
    """Every :data:`STEP_K` from the warm end of the chemistry's valid range within :data:`SPAN_C`,
    down to (and including) its cold end."""
    lo, hi = max(chemistry.valid_temperature_C[0], SPAN_C[0]), min(chemistry.valid_temperature_C[1], SPAN_C[1])
    grid = sorted({float(T) for T in np.arange(hi, lo - 1e-9, -STEP_K)} | {float(lo)})
    return tuple(grid)


def fingerprint(chemistry: ChemistryLike) -> str:
    """16 hex digits that change with the chemistry's PyBaMM parameters (numbers, and functions by name)."""
    items = []
    for key, value in sorted(chemistry.parameter_values().items()):
        text = f"{value.__module__}.{value.__qualname__}" if callable(value) else repr(value)
        items.append(f"{key}={text}")
    return hashlib.sha256("\n".join(items).encode()).hexdigest()[:16]


def calibration_key(chemistry: ChemistryLike, temperatures_C, mesh: Mesh = FAST_MESH, socs=SOCS) -> str:
    parts = [__version__, importlib.metadata.version("pybamm"), fingerprint(chemistry), str(METHOD_VERSION),
             mesh.label, ",".join(f"{T:g}" for T in temperatures_C), ",".join(f"{z:g}" for z in socs)]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def calibration_path(chemistry: ChemistryLike, mesh: Mesh = FAST_MESH) -> Path:
    """``<cache>/calibration/fast-<chemistry>[-<mesh>].json`` (the mesh named unless the default)."""
    suffix = "" if mesh == FAST_MESH else "-" + "-".join(f"{v:g}" for v in (
        mesh.r_negative, mesh.r_positive, mesh.particle_stretch))
    return cache_dir() / "calibration" / f"fast-{chemistry.name}{suffix}.json"


def fast_calibration(chemistry: ChemistryLike, temperatures_C=None, refresh: bool = False,
                     mesh: Mesh = FAST_MESH, socs=SOCS) -> FastCalibration:
    """The fast model's calibration for ``chemistry`` on ``mesh``: from the cache when current, else
    built (with a message on stderr) and cached."""
    temperatures_C = tuple(temperatures_C or calibration_temperatures(chemistry))
    key = calibration_key(chemistry, temperatures_C, mesh, socs)
    path = calibration_path(chemistry, mesh)
    cached = None if refresh else read_calibration(path)
    if cached is not None and cached.key == key:  # the key names the mesh; a file without its spacing reads as None
        return cached
    why = ("none cached in this format" if cached is None
           else "the cached one is for another battsim, PyBaMM, parameter set, mesh or calibration grid")
    print(f"battsim: calibrating the fast model of '{chemistry.name}' from the converged DFN ({why}); "
          f"once, cached in {path}", file=sys.stderr, flush=True)
    calibration = calibrate(chemistry, temperatures_C, mesh, socs)
    write_atomic(path, (json.dumps(calibration_json(calibration), indent=1) + "\n").encode())
    return calibration


def calibrate(chemistry: ChemistryLike, temperatures_C=None, mesh: Mesh = FAST_MESH, socs=SOCS) -> FastCalibration:
    """Fit the fast model's element on ``mesh`` at each temperature, SOC and direction of current (see the
    module doc); not cached."""
    temperatures_C, socs = tuple(temperatures_C or calibration_temperatures(chemistry)), tuple(socs)
    started = time.time()
    rows = [[_calibrate_at(chemistry, T_C, soc, mesh) for soc in socs] for T_C in temperatures_C]

    def table(name):
        return tuple(tuple(point[name] for point in row) for row in rows)

    provenance = {
        "method": METHOD, "method_version": METHOD_VERSION, "base_model": BASE_MODEL,
        "battsim_version": __version__, "pybamm_version": importlib.metadata.version("pybamm"),
        "chemistry_fingerprint": fingerprint(chemistry), "fast_model_mesh": mesh.label,
        "dfn_mesh": table("dfn_mesh"), "c_rate_discharge": table("c_rate_discharge"),
        "c_rate_charge": table("c_rate_charge"), "pulse_s": table("pulse_s"),
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "seconds": round(time.time() - started, 1),
    }
    residuals = {"voltage_rms_mV": table("voltage_rms_mV"), "anode_rms_mV": table("anode_rms_mV")}
    return FastCalibration(chemistry.name, temperatures_C, socs, table("R0"), table("R1"), table("tau"),
                           table("anode_share"), calibration_key(chemistry, temperatures_C, mesh, socs), mesh,
                           provenance, residuals)


def _calibrate_at(chemistry: ChemistryLike, T_C: float, soc: float, mesh: Mesh) -> dict:
    """The element's values at ``T_C`` and ``soc``, each a ``(discharge, charge)`` pair, each direction
    fitted on its own pulse (where the DFN holds no charge pulse, near full charge in the cold, the
    charge values are the discharge values; a discharge pulse must be held)."""
    discharge = _held_pulse(chemistry, T_C, soc, 1.0, mesh)
    if discharge is None:
        raise SimulationError(f"calibration of '{chemistry.name}' at {T_C:g} degC and SOC {soc:g}: the DFN cannot "
                              f"discharge even at {C_RATES[-1]:g}C for {MIN_PULSE_S:g} s")
    charge = _held_pulse(chemistry, T_C, soc, -1.0, mesh)
    fits = [_fit_pulse(discharge)]
    fits.append(_fit_pulse(charge) if charge else fits[0])
    point = {key: tuple(fit[key] for fit in fits) for key in fits[0]}
    return {**point, "c_rate_discharge": discharge["c_rate"], "c_rate_charge": charge["c_rate"] if charge else 0.0,
            "pulse_s": min(float(p["t"][-1]) for p in (discharge, charge) if p is not None),
            "dfn_mesh": chemistry.mesh_for("thermal-chamber", T_C, discharge["c_rate"]).label}


def _fit_pulse(pulse: dict) -> dict:
    R0, R1, tau, rms_Ohm = fit_element([(pulse["t"], pulse["dV"])], max_tau_s=MAX_TAU_S)
    share, anode_rms = _anode_share(pulse)
    return {"R0": R0, "R1": R1, "tau": tau, "anode_share": share,
            "voltage_rms_mV": 1e3 * rms_Ohm * abs(pulse["I"]), "anode_rms_mV": anode_rms}


def _held_pulse(chemistry: ChemistryLike, T_C: float, soc: float, sign: float, mesh: Mesh) -> dict | None:
    """The pulse at the largest rate of :data:`C_RATES` the DFN holds (``sign`` -1: charge), or ``None``."""
    for c_rate in C_RATES:
        pulse = _pulse(chemistry, T_C, soc, sign * c_rate, mesh)
        if pulse is not None:
            return {**pulse, "c_rate": c_rate}
    return None


def _pulse(chemistry: ChemistryLike, T_C: float, soc: float, c_rate: float, mesh: Mesh) -> dict | None:
    """DFN against SPM for one isothermal pulse at ``c_rate`` (negative: charge) from rest at ``soc``;
    ``None`` if either cannot start or stops within :data:`MIN_PULSE_S` (:data:`MIN_CHARGE_PULSE_S` for a
    charge)."""
    T_K = T_C + 273.15
    I = c_rate * chemistry.nominal_capacity_Ah
    runs = {}
    for name, points in (("DFN", chemistry.mesh_for("thermal-chamber", T_C, abs(c_rate))), (BASE_MODEL, mesh)):
        model = get_cell_model(chemistry, name, mesh=points)
        conditions = CellConditions(current_A=I, ambient_K=T_K, initial_temperature_K=T_K, initial_soc=soc,
                                    h_W_per_m2K=0.0, heat_capacity_scale=ISOTHERMAL_SCALE)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the SPM's cold warning: it is what is being corrected
            try:
                runs[name] = model.solve(model.inputs(conditions), single_phase(PULSE_S)).series
            except SimulationError:  # e.g. a charge pulse over the voltage window at once
                return None
    end = min(float(s["time_s"][-1]) for s in runs.values())
    if end < (MIN_PULSE_S if c_rate > 0 else MIN_CHARGE_PULSE_S):
        return None
    t = np.geomspace(0.5, end, _SAMPLES)
    dfn, spm = runs["DFN"], runs[BASE_MODEL]

    def at(series, key):
        return np.interp(t, series["time_s"], series[key])

    pulse = {"t": t, "I": I, "dV": (at(spm, "voltage_V") - at(dfn, "voltage_V")) / I}
    if "anode_potential_V" in dfn:
        pulse["dphi"] = at(dfn, "anode_potential_V") - at(spm, "anode_potential_V")
    return pulse


def _anode_share(pulse: dict) -> tuple[float, float]:
    """``(a, rms_mV)`` of :math:`\\phi_{DFN} - \\phi_{SPM} = a\\,\\eta`, :math:`\\eta = V_{SPM} - V_{DFN}`
    over one pulse (0 and 0 for a lithium-metal cell, whose interface current the SPM already gives)."""
    if "dphi" not in pulse:
        return 0.0, 0.0
    eta, dphi = pulse["dV"] * pulse["I"], pulse["dphi"]
    share = float(np.dot(dphi, eta) / np.dot(eta, eta))
    return share, float(1e3 * np.sqrt(np.mean((dphi - share * eta) ** 2)))


# ------------------------------------------------------------------------------- the file


def calibration_json(calibration: FastCalibration) -> dict:
    """The calibration file's content (units beside every column; the element's tables are indexed
    ``[temperature][soc][direction]``, the directions named in ``"directions"``)."""
    return {
        "kind": "battsim fast-model calibration", "chemistry": calibration.chemistry, "key": calibration.key,
        "mesh": dataclasses.asdict(calibration.mesh),  # the points and their spacing: the fast model runs on it
        "temperatures_C": list(calibration.temperatures_C), "socs": list(calibration.socs),
        "directions": list(DIRECTIONS), **{name: getattr(calibration, name) for name in _TABLES},  # tuples: JSON lists
        "units": {"temperatures_C": "degC", "socs": "1", "series_resistance_Ohm": "ohm",
                  "diffusion_resistance_Ohm": "ohm", "diffusion_time_constant_s": "s", "anode_share": "1",
                  "voltage_rms_mV": "mV", "anode_rms_mV": "mV", "c_rate_discharge": "1/h", "c_rate_charge": "1/h",
                  "pulse_s": "s"},
        "provenance": calibration.provenance, "residuals": calibration.residuals,
    }


def _tuples(table):
    return tuple(_tuples(row) for row in table) if isinstance(table, tuple | list) else float(table)


_TABLES = ("series_resistance_Ohm", "diffusion_resistance_Ohm", "diffusion_time_constant_s", "anode_share")


def read_calibration(path: Path) -> FastCalibration | None:
    """The calibration in ``path``, or ``None`` if it is missing, unreadable or of an older method."""
    try:
        data = json.loads(Path(path).read_text())
        if tuple(data["directions"]) != DIRECTIONS:
            return None
        tables = [_tuples(data[name]) for name in _TABLES]
        return FastCalibration(data["chemistry"], tuple(data["temperatures_C"]), tuple(data["socs"]), *tables,
                               data["key"], Mesh(**data["mesh"]), data["provenance"], data["residuals"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
