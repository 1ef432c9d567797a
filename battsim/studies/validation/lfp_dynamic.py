"""LFP under a measured drive profile in the cold: Plett's A123 dynamic tests at -25, -15 and -5 degC.

Each test's measured current (``battsim/data/measurements/``, 1 Hz, reference BS-19) is replayed on
battsim's ``lfp-graphite`` DFN, scaled by the ratio of the two cells' 25 degC capacities (battsim's
2.08 Ah against the A123's 2.06 Ah at C/30), from full charge, the cell soaked at the test temperature
and held near it in the thermal-chamber condition (:data:`~battsim.models.cell.THERMAL_CHAMBER_H_W_PER_M2K`).
Compared: the charge delivered until 2.0 V (both cells' cut-off) or the end of the profile, in % of
the 25 degC capacity. At -25 degC the A123 reached 2.0 V near the end of its profile (0.22C RMS,
peaks 1.05C discharge and 0.70C charge), so that row tests when the model reaches its cut-off, below
the chemistry's declared valid range (-20 degC); at -15 degC (the same profile) and at -5 degC
(0.59C RMS, peaks 3.0C and 2.3C) the A123 ran the whole profile, so those rows test that the model
can. The tolerance is issue 9's: within 10 points of the measured cell at its own rate.

Not compared: the voltage itself. The A123 is a power cell and battsim's a 2 Ah energy 18650
(About:Energy's BPX set): their resistances differ by design, so at the same C-rate the model's
voltage is not the A123's (the plot's note gives their RMS difference).

Numerics (measured 30 November 2026): the replay runs at ``rtol`` 1e-5 with the algebraic error
suppressed, which at -25 degC delivers 1.928 Ah (A123 scale) against 1.927 Ah at rtol 1e-6 with the
full error test (one-off replays of the same cell through PyBaMM's own lumped thermal model); at -5
degC IDA fails one step at 6,740 s (step size at its minimum) and is restarted from its last
converged state (:func:`battsim.models.cell.restarted`), 93.24 % against 93.23 % with the full error
test at rtol 1e-5 and 93.24 % at 1e-6. The solver's steps are bounded by the 1 s sampling. The mesh
(the chemistry's, 10 / 40 / 40, shown converged in the chamber down to -20 degC at 1C) doubled in
every direction moves the -25 degC value from 93.55 to 93.17 % (0.4 %).
"""

from __future__ import annotations

import functools
import gzip
from importlib import resources

import numpy as np

from battsim.cells import get_chemistry
from battsim.models.cell import THERMAL_CHAMBER_H_W_PER_M2K, CellConditions, CurrentProfile, get_cell_model
from battsim.models.protocol import single_phase
from battsim.models.soc import soc_capacity_Ah
from battsim.studies.validation.base import Comparison, PlotSpec, Series, ValidationCase, published_value, quietly
from battsim.units import celsius_to_kelvin

CHEMISTRY = "lfp-graphite"
#: measured test by temperature [degC]: file in battsim/data/measurements/
TESTS = {-25.0: "a123_dyn_m25C.csv.gz", -15.0: "a123_dyn_m15C.csv.gz", -5.0: "a123_dyn_m05C.csv.gz"}
#: the A123 cell's capacity at C/30 and 25 degC [A.h] (BS-08)
A123_CAPACITY_AH = 2.0602
#: both cells' lower cut-off [V]
CUT_OFF_V = 2.0
#: the replay's solver (shown converged, module docstring)
SOLVER = {"rtol": 1e-5, "suppress_algebraic_error": True}


@functools.cache
def measured(T_C: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The test at ``T_C`` [degC]: time [s], current [A] (positive on discharge) and voltage [V]."""
    path = resources.files("battsim").joinpath(f"data/measurements/{TESTS[T_C]}")
    lines = [line for line in gzip.decompress(path.read_bytes()).decode().splitlines() if not line.startswith("#")]
    if lines[0] != "time_s,current_A,voltage_V":
        raise ValueError(f"{TESTS[T_C]}: expected the columns time_s,current_A,voltage_V, found {lines[0]!r}")
    t, current, voltage = np.loadtxt(lines[1:], delimiter=",", unpack=True)
    return t, current, voltage


def delivered_Ah(t, current, voltage) -> float:
    """Net charge [A.h] from the start until the voltage first reaches :data:`CUT_OFF_V` (or the end)."""
    end = int(np.argmax(voltage <= CUT_OFF_V)) if np.any(voltage <= CUT_OFF_V) else len(t) - 1
    return float(np.trapezoid(current[:end + 1], t[:end + 1]) / 3600.0)


def measured_pct(T_C: float) -> float:
    """The A123's delivered charge at ``T_C`` in % of its 25 degC capacity (computed from the file)."""
    return 100.0 * delivered_Ah(*measured(T_C)) / A123_CAPACITY_AH


@functools.cache
def replay(T_C: float) -> dict[str, np.ndarray]:
    """The model's series (``time_s``, ``voltage_V``, ``discharge_capacity_Ah``, ``temperature_K``) for
    the test at ``T_C``, its current scaled to battsim's cell."""
    chemistry = get_chemistry(CHEMISTRY)
    scale = soc_capacity_Ah(chemistry) / A123_CAPACITY_AH
    t, current, _ = measured(T_C)
    profile = CurrentProfile(f"A123 dynamic test at {T_C:g} degC x {scale:.6f}", tuple(t), tuple(current * scale))
    T_K = celsius_to_kelvin(T_C)
    conditions = CellConditions(current_A=0.0, ambient_K=T_K, initial_temperature_K=T_K, initial_soc=1.0,
                                h_W_per_m2K=THERMAL_CHAMBER_H_W_PER_M2K)
    model = get_cell_model(chemistry, current_profile=profile, **SOLVER)
    return quietly(model.solve, model.inputs(conditions), single_phase(profile.duration_s)).series


def model_pct(T_C: float) -> float:
    """The model's delivered charge at ``T_C`` in % of its 25 degC capacity (the cut-off or the profile's end)."""
    series = replay(T_C)
    return 100.0 * float(series["discharge_capacity_Ah"][-1]) / soc_capacity_Ah(get_chemistry(CHEMISTRY))


def voltage_rms_mV(T_C: float) -> float:
    """RMS difference [mV] between the model's voltage and the A123's at the test's 1 Hz samples, up to
    the model's end."""
    series = replay(T_C)
    t, _, voltage = measured(T_C)
    inside = t <= series["time_s"][-1]
    model = np.interp(t[inside], series["time_s"], series["voltage_V"])
    return 1e3 * float(np.sqrt(np.mean((model - voltage[inside]) ** 2)))


_WHY = ("issue 9's criterion for LFP in the cold: within 10 points of a measured cell at its own rate; the A123 is "
        "an LFP|graphite cylindrical cell like battsim's, tested in a chamber from full charge as replayed here")


def _case(T_C: float) -> ValidationCase:
    label = f"minus{abs(T_C):g}C"
    ends = "until 2.0 V" if T_C == -25.0 else "over the whole profile (the A123 did not reach 2.0 V)"
    return ValidationCase(
        name=f"lfp-a123-dynamic-{label}",
        quantity=f"LFP|graphite charge delivered under the A123's measured dynamic profile at {T_C:g} degC, thermal "
                 f"chamber, {ends}, in % of 25 degC",
        reference_id="BS-19", reference_key=f"{T_C:g}", published=published_value("BS-19", f"{T_C:g}"),
        model=lambda: model_pct(T_C), tolerance=10.0, absolute=True, absolute_unit="points", why=_WHY)


def plot() -> PlotSpec:
    temperatures = tuple(sorted(TESTS))
    measured_values = tuple(measured_pct(T_C) for T_C in temperatures)
    series = (
        Series("A123 LFP, measured dynamic profile, chamber (BS-19), with issue 9's +-10 points", temperatures,
               measured_values, low=tuple(v - 10 for v in measured_values), high=tuple(v + 10 for v in measured_values),
               published=True, colour="black"),
        Series(f"battsim {CHEMISTRY}, the same current replayed", temperatures,
               tuple(model_pct(T_C) for T_C in temperatures), colour="C1"),
    )
    note = "; ".join(f"{T_C:g} degC: voltage RMS difference {voltage_rms_mV(T_C):.0f} mV" for T_C in temperatures)
    note += (" (a power cell against an energy cell: not a pass/fail quantity). The A123 reached 2.0 V only "
             "at -25 degC, the model at all three")
    return PlotSpec(title="LFP under a measured dynamic profile in a chamber (A123, Plett)",
                    xlabel="ambient temperature [degC]", ylabel="charge delivered [% of 25 degC capacity]",
                    series=series, note=note)


COMPARISON = Comparison(
    name="lfp_dynamic", title="LFP|graphite under a measured dynamic profile at -25, -15 and -5 degC (A123)",
    cases=tuple(_case(T_C) for T_C in sorted(TESTS)), plot=plot, quick=False)
