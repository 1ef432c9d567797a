"""Calibrate the fast model (:mod:`battsim.models.fast`) from the converged DFN, once, and cache it.

**Method.** At each calibration temperature the converged DFN (the chemistry's mesh for a cell
held at that temperature, :meth:`Chemistry.mesh_for`) and the plain SPM on the fast model's mesh
are given the same isothermal current pulses from rest at 50 % state of charge: 1C discharge and
1C charge for :data:`PULSE_S` (half or a fifth of that current where the DFN cannot hold 1C for
:data:`MIN_PULSE_S`). The DFN's extra voltage drop per ampere, :math:`(V_{SPM} - V_{DFN})/I`,
is fitted by :math:`R_0 + R_1 (1 - e^{-t/\\tau})` (least squares over both pulses), and the share
:math:`a` of that overpotential that shows on the negative electrode's potential at the separator,
:math:`\\phi_{DFN} - \\phi_{SPM} = a\\,(V_{SPM} - V_{DFN})`, by least squares. Nothing is typed in.

**Cache.** :func:`fast_calibration` reads ``<cache>/calibration/fast-<chemistry>.json`` (an
inspectable JSON file: the values, the method, the DFN meshes, the versions, the fit residuals)
when its key matches this battsim version, PyBaMM version, the chemistry's parameters and the
method; otherwise it calibrates again, says so on stderr, and replaces the file atomically (a
worker reading it sees the old file or the new one, never a part).
"""

from __future__ import annotations

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
from battsim.models.fast import BASE_MODEL, FAST_MESH, FastCalibration, fit_element
from battsim.models.mesh import Mesh
from battsim.models.protocol import ChemistryLike, single_phase

#: raise when the method changes: older calibration files are then rebuilt
METHOD_VERSION = 1
METHOD = ("isothermal current pulses from rest at 50 % SOC (1C discharge and 1C charge, less where the DFN "
          "cannot hold 1C), converged DFN against the plain SPM; R0 + R1 (1 - exp(-t/tau)) fitted to "
          "(V_SPM - V_DFN)/I by least squares; anode share a fitted to phi_DFN - phi_SPM = a (V_SPM - V_DFN)")
PULSE_S = 120.0
MIN_PULSE_S = 20.0
C_RATES = (1.0, 0.5, 0.2)
SOC = 0.5
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


def calibration_key(chemistry: ChemistryLike, temperatures_C, mesh: Mesh = FAST_MESH) -> str:
    parts = [__version__, importlib.metadata.version("pybamm"), fingerprint(chemistry), str(METHOD_VERSION),
             mesh.label, ",".join(f"{T:g}" for T in temperatures_C)]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def calibration_path(chemistry: ChemistryLike, mesh: Mesh = FAST_MESH) -> Path:
    """``<cache>/calibration/fast-<chemistry>[-<mesh>].json`` (the mesh named unless the default)."""
    suffix = "" if mesh == FAST_MESH else "-" + "-".join(f"{v:g}" for v in (
        mesh.r_negative, mesh.r_positive, mesh.particle_stretch))
    return cache_dir() / "calibration" / f"fast-{chemistry.name}{suffix}.json"


def fast_calibration(chemistry: ChemistryLike, temperatures_C=None, refresh: bool = False,
                     mesh: Mesh = FAST_MESH) -> FastCalibration:
    """The fast model's calibration for ``chemistry`` on ``mesh``: from the cache when current, else
    built (with a message on stderr) and cached."""
    temperatures_C = tuple(temperatures_C or calibration_temperatures(chemistry))
    key = calibration_key(chemistry, temperatures_C, mesh)
    path = calibration_path(chemistry, mesh)
    cached = None if refresh else read_calibration(path)
    if cached is not None and cached.key == key:
        return cached
    why = "none cached" if cached is None else "the cached one is for another battsim, PyBaMM or parameter set"
    print(f"battsim: calibrating the fast model of '{chemistry.name}' from the converged DFN ({why}); "
          f"once, cached in {path}", file=sys.stderr, flush=True)
    calibration = calibrate(chemistry, temperatures_C, mesh)
    write_atomic(path, (json.dumps(calibration_json(calibration), indent=1) + "\n").encode())
    return calibration


def calibrate(chemistry: ChemistryLike, temperatures_C=None, mesh: Mesh = FAST_MESH) -> FastCalibration:
    """Fit the fast model's element on ``mesh`` at each temperature (see the module doc); not cached."""
    temperatures_C = tuple(temperatures_C or calibration_temperatures(chemistry))
    started = time.time()
    rows = [_calibrate_at(chemistry, T_C, mesh) for T_C in temperatures_C]
    column = {name: tuple(row[name] for row in rows) for name in rows[0]}
    provenance = {
        "method": METHOD, "method_version": METHOD_VERSION, "base_model": BASE_MODEL,
        "battsim_version": __version__, "pybamm_version": importlib.metadata.version("pybamm"),
        "chemistry_fingerprint": fingerprint(chemistry), "fast_model_mesh": mesh.label,
        "dfn_mesh": column["dfn_mesh"], "c_rate": column["c_rate"], "pulse_s": column["pulse_s"], "soc": SOC,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "seconds": round(time.time() - started, 1),
    }
    residuals = {"voltage_rms_mV": column["voltage_rms_mV"], "anode_rms_mV": column["anode_rms_mV"]}
    return FastCalibration(chemistry.name, temperatures_C, column["R0"], column["R1"], column["tau"],
                           column["anode_share"], calibration_key(chemistry, temperatures_C, mesh), mesh, provenance,
                           residuals)


def _calibrate_at(chemistry: ChemistryLike, T_C: float, mesh: Mesh) -> dict:
    """The element's values at ``T_C`` from the first C-rate of :data:`C_RATES` the DFN holds."""
    for c_rate in C_RATES:
        pulses = [_pulse(chemistry, T_C, sign * c_rate, mesh) for sign in (1.0, -1.0)]
        if all(p is not None for p in pulses):
            break
    else:
        raise SimulationError(f"calibration of '{chemistry.name}' at {T_C:g} degC: the DFN cannot hold even "
                              f"{C_RATES[-1]:g}C for {MIN_PULSE_S:g} s")
    R0, R1, tau, rms_Ohm = fit_element([(p["t"], p["dV"]) for p in pulses])
    I = c_rate * chemistry.nominal_capacity_Ah
    share, anode_rms = _anode_share(pulses, I)
    return {"R0": R0, "R1": R1, "tau": tau, "anode_share": share, "voltage_rms_mV": 1e3 * rms_Ohm * I,
            "anode_rms_mV": anode_rms, "c_rate": c_rate, "pulse_s": min(float(p["t"][-1]) for p in pulses),
            "dfn_mesh": chemistry.mesh_for("thermal-chamber", T_C, c_rate).label}


def _pulse(chemistry: ChemistryLike, T_C: float, c_rate: float, mesh: Mesh) -> dict | None:
    """DFN against SPM for one isothermal pulse at ``c_rate`` (negative: charge); ``None`` if either
    cannot start or stops within :data:`MIN_PULSE_S`."""
    T_K = T_C + 273.15
    I = c_rate * chemistry.nominal_capacity_Ah
    runs = {}
    for name, points in (("DFN", chemistry.mesh_for("thermal-chamber", T_C, abs(c_rate))), (BASE_MODEL, mesh)):
        model = get_cell_model(chemistry, name, mesh=points)
        conditions = CellConditions(current_A=I, ambient_K=T_K, initial_temperature_K=T_K, initial_soc=SOC,
                                    h_W_per_m2K=0.0, heat_capacity_scale=ISOTHERMAL_SCALE)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the SPM's cold warning: it is what is being corrected
            try:
                runs[name] = model.solve(model.inputs(conditions), single_phase(PULSE_S)).series
            except SimulationError:  # e.g. a charge pulse over the voltage window at once
                return None
    end = min(float(s["time_s"][-1]) for s in runs.values())
    if end < MIN_PULSE_S:
        return None
    t = np.geomspace(0.5, end, _SAMPLES)
    dfn, spm = runs["DFN"], runs[BASE_MODEL]

    def at(series, key):
        return np.interp(t, series["time_s"], series[key])

    pulse = {"t": t, "dV": (at(spm, "voltage_V") - at(dfn, "voltage_V")) / I}
    if "anode_potential_V" in dfn:
        pulse["dphi"] = at(dfn, "anode_potential_V") - at(spm, "anode_potential_V")
    return pulse


def _anode_share(pulses, I: float) -> tuple[float, float]:
    """``(a, rms_mV)`` of :math:`\\phi_{DFN} - \\phi_{SPM} = a\\,\\eta`, :math:`\\eta = V_{SPM} - V_{DFN}`
    (0 and 0 for a lithium-metal cell, whose interface current the SPM already gives)."""
    if "dphi" not in pulses[0]:
        return 0.0, 0.0
    eta = np.concatenate([p["dV"] * sign * I for p, sign in zip(pulses, (1.0, -1.0))])  # discharge, charge
    dphi = np.concatenate([p["dphi"] for p in pulses])
    share = float(np.dot(dphi, eta) / np.dot(eta, eta))
    return share, float(1e3 * np.sqrt(np.mean((dphi - share * eta) ** 2)))


# ------------------------------------------------------------------------------- the file


def calibration_json(calibration: FastCalibration) -> dict:
    """The calibration file's content (units beside every column)."""
    return {
        "kind": "battsim fast-model calibration", "chemistry": calibration.chemistry, "key": calibration.key,
        "mesh": [calibration.mesh.across, calibration.mesh.r_negative, calibration.mesh.r_positive],
        "temperatures_C": list(calibration.temperatures_C),
        "series_resistance_Ohm": list(calibration.series_resistance_Ohm),
        "diffusion_resistance_Ohm": list(calibration.diffusion_resistance_Ohm),
        "diffusion_time_constant_s": list(calibration.diffusion_time_constant_s),
        "anode_share": list(calibration.anode_share),
        "units": {"temperatures_C": "degC", "series_resistance_Ohm": "ohm", "diffusion_resistance_Ohm": "ohm",
                  "diffusion_time_constant_s": "s", "anode_share": "1", "voltage_rms_mV": "mV",
                  "anode_rms_mV": "mV"},
        "provenance": calibration.provenance, "residuals": calibration.residuals,
    }


def read_calibration(path: Path) -> FastCalibration | None:
    """The calibration in ``path``, or ``None`` if it is missing or unreadable."""
    try:
        data = json.loads(Path(path).read_text())
        return FastCalibration(
            data["chemistry"], tuple(data["temperatures_C"]), tuple(data["series_resistance_Ohm"]),
            tuple(data["diffusion_resistance_Ohm"]), tuple(data["diffusion_time_constant_s"]),
            tuple(data["anode_share"]), data["key"], Mesh.of(tuple(data["mesh"])), data["provenance"],
            data["residuals"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
