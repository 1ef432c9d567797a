"""Standard drive cycles (1 Hz speed traces) shipped with battsim.

Files and provenance: ``battsim/data/drive_cycles/README.md`` (each trace copied unchanged from
a public data file: UN GTR 15 WLTC class 3b and NEDC via the JRC ``wltp`` package, CLTC-P
(GB/T 38146.1-2019), the EPA UDDS, HWFET and US06 schedules, and the Artemis CADC cycles).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from battsim.errors import ConfigError

#: registry name -> file
CYCLES = {
    "wltc": "wltc_class3b.csv",
    "cltc-p": "cltc_p.csv",
    "nedc": "nedc.csv",
    "udds": "udds.csv",
    "hwfet": "hwfet.csv",
    "us06": "us06.csv",
    "artemis-urban": "artemis_urban.csv",
    "artemis-rural": "artemis_rural_road.csv",
    "artemis-motorway-130": "artemis_motorway_130.csv",
    "artemis-motorway-150": "artemis_motorway_150.csv",
}


@dataclass(frozen=True)
class DriveCycle:
    """A speed trace.

    Attributes
    ----------
    name : str
    time_s : ndarray
        Time [s], from 0 in steps of 1 s.
    speed_m_per_s : ndarray
        Speed [m.s-1].
    """

    name: str
    time_s: np.ndarray
    speed_m_per_s: np.ndarray

    @property
    def duration_s(self) -> float:
        return float(self.time_s[-1] - self.time_s[0])

    @property
    def sample_interval_s(self) -> float:
        """The shortest time between two samples of the trace [s]."""
        return float(np.min(np.diff(self.time_s)))

    @property
    def distance_m(self) -> float:
        """Distance by trapezoidal integration [m]."""
        return float(np.trapezoid(self.speed_m_per_s, self.time_s))

    def acceleration_m_per_s2(self) -> np.ndarray:
        """Acceleration [m.s-2]: central differences of the trace (forward/backward at the ends)."""
        return np.gradient(self.speed_m_per_s, self.time_s)


def cycle_names() -> list[str]:
    """Names of the shipped drive cycles."""
    return list(CYCLES)


@cache
def load_cycle(name: str) -> DriveCycle:
    """A shipped drive cycle by registry name.

    Raises
    ------
    ConfigError
        For an unknown name; the message lists the known ones.
    """
    if name not in CYCLES:
        close = difflib.get_close_matches(name, CYCLES, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise ConfigError(f"unknown drive cycle '{name}'{hint}; known: {', '.join(CYCLES)}")
    text = resources.files("battsim").joinpath(f"data/drive_cycles/{CYCLES[name]}").read_text()
    data = np.loadtxt(text.splitlines(), delimiter=",", skiprows=1)
    return DriveCycle(name, data[:, 0].astype(float), data[:, 1] / 3.6)
