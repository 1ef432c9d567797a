"""Phases of a case as small objects: what each changes in the model's inputs and when it ends.

A :class:`PhaseSequence` runs phases in order and is the ``phases`` callable of the
cell-model protocol (:mod:`battsim.models.protocol`). Each phase

* ``start(t, solution)`` -> ``(duration_s, {input: value})`` of its first segment, or ``None``
  when it is not needed (it then takes no time);
* ``next(solution)`` -> the next segment, or ``None`` when it is over. A segment ends at its
  duration or at a model event (a thermostat threshold, a voltage or state-of-charge limit).

The sequence records when each phase began and ended, and why the last one stopped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from battsim.errors import SimulationError
from battsim.models import names

#: longest drive before a trip is stopped [s]
MAX_DRIVE_S = 48 * 3600.0
#: events that end a drive
DRIVE_ENDS = (names.EVENT_MIN_VOLTAGE, names.EVENT_SOC_FLOOR, names.EVENT_DISTANCE)
_EPS_S = 1e-6


def _last_time(solution) -> float:
    return 0.0 if solution is None else float(solution.series["time_s"][-1])


class Phase:
    """A phase of one segment of ``duration_s`` with ``changes`` to the inputs."""

    name = "phase"

    def __init__(self, duration_s: float = 0.0, changes: dict | None = None):
        self.duration_s = duration_s
        self.changes = dict(changes or {})

    def start(self, t: float, solution):
        return self.duration_s, self.changes

    def next(self, solution):
        return None


@dataclass
class PhaseSequence:
    """The phases of a case in order; callable as the protocol's ``phases``."""

    phases: list
    marks: dict = field(default_factory=dict)  # phase name -> [start_s, end_s]
    end_reason: str = ""
    _index: int = -1

    def __call__(self, solution):
        t = _last_time(solution)
        if self._index >= 0:
            step = self.phases[self._index].next(solution)
            if step is not None:
                return step
            self.marks[self.phases[self._index].name][1] = t
            self.end_reason = solution.termination
        while self._index + 1 < len(self.phases):
            self._index += 1
            phase = self.phases[self._index]
            step = phase.start(t, solution)
            self.marks[phase.name] = [t, math.nan if step is not None else t]
            if step is not None:
                return step
        return None

    @property
    def current(self) -> str:
        """Name of the phase running now (``""`` before the first)."""
        return self.phases[self._index].name if self._index >= 0 else ""

    def solve(self, model, inputs):
        """``model.solve(inputs, self)``; a solver failure names the phase it happened in."""
        try:
            return model.solve(inputs, self)
        except SimulationError as error:
            raise SimulationError(f"{self.current} phase: {error}", detail=error.detail) from error

    def start_s(self, name: str) -> float:
        return self.marks.get(name, [math.nan, math.nan])[0]

    def end_s(self, name: str) -> float:
        return self.marks.get(name, [math.nan, math.nan])[1]


# ---------------------------------------------------------------------------- cell heating


class Heat(Phase):
    """Heat a cell until the target (an event) or ``duration_s``."""

    name = "heat"


class Hold(Phase):
    """Hold the target after a heating phase that reached it, for ``hold_s``.

    Thermostat (and rapid): on/off within ``band_K`` around the target, first off; PI: one
    segment with the set point at the target.
    """

    name = "hold"

    def __init__(self, hold_s: float, target_K: float, band_K: float, pi: bool):
        super().__init__()
        self.hold_s, self.target_K, self.band_K, self.pi = hold_s, target_K, band_K, pi
        self._end_s, self._on = 0.0, True

    def start(self, t, solution):
        if self.hold_s <= 0 or names.EVENT_TARGET not in solution.termination:
            return None
        self._end_s = t + self.hold_s
        if self.pi:
            return self.hold_s, {names.TARGET: names.NEVER_K, names.PI_SETPOINT: self.target_K}
        return self._switch(t)

    def next(self, solution):
        t = _last_time(solution)
        if self.pi or self._end_s - t <= _EPS_S:
            return None
        return self._switch(t)

    def _switch(self, t):
        self._on = not self._on
        left = self._end_s - t
        if self._on:
            return left, {names.COMMAND: 1.0, names.TARGET: self.target_K + self.band_K / 2,
                          names.LOWER: names.NEVER_BELOW_K}
        return left, {names.COMMAND: 0.0, names.TARGET: names.NEVER_K, names.LOWER: self.target_K - self.band_K / 2}


# ------------------------------------------------------------------------------- trips


class Soak(Phase):
    """Parked at ambient for ``duration_s`` (at least 1 s, so every trip has a first segment)."""

    name = "soak"

    def __init__(self, duration_s: float):
        super().__init__(max(duration_s, 1.0))


class CabinPrecondition(Phase):
    """Parked and plugged in: the cabin heater runs from the grid for ``duration_s`` (it stays on
    through the pack's preconditioning)."""

    name = "cabin preconditioning"

    def start(self, t, solution):
        if self.duration_s <= 0:
            return None
        return self.duration_s, {names.CABIN_HEATER_ON: 1.0, names.CABIN_FROM_GRID: 1.0}


class Precondition(Phase):
    """Heat the pack from the grid to the target before departure, if it is colder."""

    name = "precondition"

    def __init__(self, enabled: bool, target_K: float, max_s: float, pi: bool, pi_offset_K: float):
        super().__init__(max_s)
        self.enabled, self.target_K, self.pi, self.pi_offset_K = enabled, target_K, pi, pi_offset_K

    def start(self, t, solution):
        if not self.enabled or float(solution.series["min_cell_temperature_K"][-1]) >= self.target_K:
            return None
        changes = {names.BATTERY_SHARE: 0.0, names.TARGET: self.target_K}
        changes.update({names.HEATER_ENABLED: 1.0, names.PI_SETPOINT: self.target_K + self.pi_offset_K}
                       if self.pi else {names.COMMAND: 1.0})
        return self.duration_s, changes


class Drive(Phase):
    """Drive repeated cycles until a limit, the distance, or :data:`MAX_DRIVE_S`; with on-road
    heating a thermostat (on/off within ``band_K``) or a PI keeps the pack at the target."""

    name = "drive"

    def __init__(self, distance_m: float | None, heated: bool, target_K: float, band_K: float, pi: bool,
                 cabin_heated: bool = False):
        super().__init__(MAX_DRIVE_S)
        self.distance_m, self.heated, self.target_K, self.band_K, self.pi = distance_m, heated, target_K, band_K, pi
        self.cabin_heated = cabin_heated
        self._end_s = MAX_DRIVE_S
        #: coldest cell at departure [K], for a drive that starts a solve of its own (no solution before it)
        self.departure_K = math.nan

    def start(self, t, solution):
        self._end_s = t + MAX_DRIVE_S
        changes = {names.DRIVING: 1.0, names.DRIVE_START: t,
                   names.DISTANCE_TARGET: self.distance_m if self.distance_m else names.NEVER_M,
                   names.BATTERY_SHARE: 1.0, names.TARGET: names.NEVER_K, names.LOWER: names.NEVER_BELOW_K,
                   names.COMMAND: 0.0, names.HEATER_ENABLED: 0.0,
                   names.CABIN_HEATER_ON: float(self.cabin_heated), names.CABIN_FROM_GRID: 0.0}
        if self.heated and self.pi:
            changes.update({names.HEATER_ENABLED: 1.0, names.PI_SETPOINT: self.target_K})
        elif self.heated:  # a pack already above the upper threshold departs with the heater off
            coldest_K = self.departure_K if solution is None else float(solution.series["min_cell_temperature_K"][-1])
            changes.update(self._thermostat(on=coldest_K < self.target_K + self.band_K / 2))
        return MAX_DRIVE_S, changes

    def _thermostat(self, on: bool) -> dict[str, float]:
        """On until the coldest cell reaches the upper threshold, off until it falls to the lower."""
        if on:
            return {names.COMMAND: 1.0, names.TARGET: self.target_K + self.band_K / 2,
                    names.LOWER: names.NEVER_BELOW_K}
        return {names.COMMAND: 0.0, names.TARGET: names.NEVER_K, names.LOWER: self.target_K - self.band_K / 2}

    def next(self, solution):
        t, reason = _last_time(solution), solution.termination
        if any(end in reason for end in DRIVE_ENDS) or t >= self._end_s - _EPS_S:
            return None
        if names.EVENT_TARGET in reason:
            return self._end_s - t, self._thermostat(on=False)
        if names.EVENT_LOWER in reason:
            return self._end_s - t, self._thermostat(on=True)
        return None
