"""``pulse``: internal heating by bidirectional rectangular pulses with zero net charge.

Duty ratio ``heating.pulse_duty`` (default 0.55: the pulse ratio of most heat in a 3.0-4.2 V
window, Batteries 9, 457 (2023), doi:10.3390/batteries9090457, reference AC-11). Everything
else is as for ``ac`` (:mod:`battsim.heating.methods.ac`), with the pulse train's harmonics.
"""

from __future__ import annotations

from battsim.heating import envelope
from battsim.heating.base import HeatingSettings
from battsim.heating.methods.ac import ACHeating


class PulseHeating(ACHeating):
    """Bidirectional pulses: discharge for ``duty`` of the period, charge for the rest."""

    name = "pulse"
    summary = "internal bidirectional pulse heating, zero net charge, heat inside the cell"

    def waveform(self, settings: HeatingSettings) -> envelope.Waveform:
        return envelope.Waveform("pulse", settings.pulse_duty)
