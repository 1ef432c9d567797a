"""Internal AC / pulse heating against published heaters.

* **Square wave at 400 Hz under an anode-potential limit** (BS-11, Processes 2023): the
  amplitude is the largest the lithium-plating and voltage limits allow, re-set every 5 K, with
  h = 5 W/(m2 K). battsim runs the same law (``pulse`` at duty 0.5, fixed-setting controller,
  whose amplitude is the largest allowed at its start) in four 5 K steps from -20 to 0 degC on
  the LG M50 at 50 % SOC. The published cell, state of charge and start temperature are not in
  the abstract, so this is a check of magnitude: +-50 %.
* **High-frequency AC on an NCR18650GA** (BS-12, Oehl et al. 2025): 10 A RMS at 35-250 kHz
  with a DC discharge offset, -10 to 10 degC in a climate chamber in 74 s. battsim's closest
  substitute is the LG M50 at the same RMS C-rate (2.86C, a 14.3 A RMS sinusoid) at 10 kHz,
  its highest frequency, in still air (10 W/(m2 K)). It heats 6.5-fold slower: above 10 kHz
  skin and proximity effects raise a cell's resistance and the DC offset adds heat, neither
  of which battsim models. A known failure, reported.
"""

from __future__ import annotations

import functools

from battsim.cells import get_chemistry
from battsim.studies.validation.base import (
    Comparison,
    PlotSpec,
    Series,
    ValidationCase,
    published_value,
    run_config,
)

CHEMISTRY = "nmc811-graphite"
STEPS_C = (-20.0, -15.0, -10.0, -5.0)  # BS-11: amplitude re-set every 5 K
PUBLISHED_SQUARE_K_PER_MIN = published_value("BS-11")
OEHL_TIME_S = published_value("BS-12", "time_s")
OEHL_RMS_A, OEHL_AH = 10.0, 3.5  # BS-12's conditions: 10 A RMS in a 3.5 Ah NCR18650GA


def _heating(ambient_C: float, target_C: float, heating: dict, h_W_per_m2K: float, soc: float):
    return run_config({
        "scenario": {"kind": "cell_heating"}, "cell": {"chemistry": CHEMISTRY, "initial_soc": soc},
        "climate": {"ambient_C": ambient_C}, "thermal": {"h_W_per_m2K": h_W_per_m2K},
        "heating": {"power_source": "battery", "target_C": target_C, "max_duration_s": 3600.0,
                    "plating_margin_V": 0.0, **heating}})


@functools.cache
def square_wave_rate_K_per_min() -> float:
    """Mean warming rate -20 -> 0 degC of the 400 Hz square wave, amplitude re-set every 5 K [K/min]."""
    law = {"method": "pulse", "pulse_duty": 0.5, "controller": "thermostat", "ac_frequency_Hz": 400.0,
           "current_limit_C": 50.0}
    time_s = sum(_heating(T, T + 5, law, 5.0, 0.5).metrics["heating_time_s"] for T in STEPS_C)
    return 60 * 5 * len(STEPS_C) / time_s


@functools.cache
def high_frequency_time_s() -> float:
    """Time [s] to heat the LG M50 from -10 to 10 degC at BS-12's RMS C-rate, 10 kHz."""
    rms_A = OEHL_RMS_A / OEHL_AH * get_chemistry(CHEMISTRY).nominal_capacity_Ah
    law = {"method": "ac", "controller": "thermostat", "ac_frequency_Hz": 10000.0,
           "ac_amplitude_A": rms_A * 2**0.5, "current_limit_C": 5.0, "plating_margin_V": -0.1}
    return _heating(-10.0, 10.0, law, 10.0, 0.5).metrics["heating_time_s"]


def plot() -> PlotSpec:
    published = (PUBLISHED_SQUARE_K_PER_MIN, 60 * 20 / OEHL_TIME_S)
    return PlotSpec(
        "Internal heating rate: battsim (LG M50) against published heaters", "", "mean warming rate [K/min]",
        (Series("battsim, the published law on the LG M50", (0.0, 1.0),
                (square_wave_rate_K_per_min(), 60 * 20 / high_frequency_time_s())),
         Series("published (BS-11 +-50 %, magnitude check; BS-12)", (0.0, 1.0), published,
                low=(0.5 * published[0], published[1]), high=(1.5 * published[0], published[1]), published=True)),
        xticklabels=("400 Hz square, anode limit,\n-20 -> 0 degC, h = 5 (BS-11)",
                     "10 A RMS NCR18650GA 35-250 kHz,\n-10 -> 10 degC (BS-12)"),
        note="BS-12 is run at 10 kHz, battsim's highest frequency, at the same RMS C-rate: a known failure "
             "(skin effect above 10 kHz and the DC offset are not modelled).")


COMPARISON = Comparison(
    name="ac_heating",
    title="internal AC and pulse heating against published heaters",
    cases=(
        ValidationCase(
            name="square-wave-400Hz-anode-limited-rate", reference_id="BS-11",
            quantity="mean warming rate of a 400 Hz square wave at the anode-potential limit, h = 5 W/(m2 K) "
                     "[K/min]",
            published=PUBLISHED_SQUARE_K_PER_MIN, model=square_wave_rate_K_per_min, tolerance=0.5,
            why="same waveform, frequency, limit law (re-set every 5 K) and heat-transfer coefficient; the "
                "published cell, SOC and start temperature are not known (LG M50, 50 %, -20 -> 0 degC here): a "
                "check of magnitude"),
        ValidationCase(
            name="hf-ac-oehl2025-rate", reference_id="BS-12", reference_key="time_s",
            quantity="time to heat from -10 to 10 degC at 2.86C RMS [s]",
            published=OEHL_TIME_S, model=high_frequency_time_s, tolerance=0.3,
            why="same RMS C-rate and temperatures; a different cell (LG M50 for NCR18650GA) and frequency",
            known_failure="battsim's impedance ends at 10 kHz (LG M50: 13.7 mOhm there at -10 degC); at the "
                          "published 35-250 kHz skin and proximity effects raise the resistance and a DC "
                          "discharge offset of unstated size adds heat: battsim heats 6.5-fold slower"),
    ),
    plot=plot,
)
