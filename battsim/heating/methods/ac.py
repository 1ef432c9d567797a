"""``ac``: internal sinusoidal AC heating, :math:`Q = \\tfrac12 I^2\\,\\mathrm{Re}\\,Z(f, T, SOC)` inside the cell.

The heat, limits and the constraint-aware law are in :mod:`battsim.heating.envelope`. Fixed-
setting controllers use ``heating.ac_frequency_Hz`` (default 400 Hz: plating-free AC preheating
at 400 Hz, Processes 11, 1089 (2023), doi:10.3390/pr11041089) and ``heating.ac_amplitude_A``
(default: the largest amplitude the limits allow at the start state).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from battsim.errors import ConfigError
from battsim.heating import envelope
from battsim.heating.base import (
    HeatingMethod,
    HeatingSettings,
    Knob,
    PreparedHeating,
    TripHeatMap,
)
from battsim.models import heating_submodels as hs
from battsim.models import names
from battsim.models._pybamm import pybamm
from battsim.models.cell import HeatingDesign
from battsim.models.impedance import impedance_table, missing_double_layers
from battsim.models.pack.terms import HeaterTerms, PackHeatingContext


class ACHeating(HeatingMethod):
    """Internal heating by a zero-mean periodic current (this class: a sinusoid)."""

    name = "ac"
    summary = "internal sinusoidal AC heating (inverter-driven), heat inside the cell"
    internal = True

    def waveform(self, settings: HeatingSettings) -> envelope.Waveform:
        return envelope.Waveform("sine")

    def heat_map(self, chemistry, settings: HeatingSettings, controller_rapid: bool, initial_T_K: float,
                 initial_soc: float):
        """(impedance table, waveform, heat map) of this method under its controller."""
        self._check_impedance_available(chemistry)
        table = impedance_table(chemistry)
        waveform = self.waveform(settings)
        limits = envelope.AcLimits(settings.current_limit_A, settings.plating_margin_V, settings.kinetic_share_max)
        if controller_rapid:
            return table, waveform, envelope.rapid_map(chemistry, table, waveform, limits)
        amplitude = settings.ac_amplitude_A
        if amplitude is None:
            # the largest amplitude the limits allow at the start state: a fixed setting that is
            # safe when switched on (it is not re-checked as the cell warms)
            allowed, _ = envelope.amplitude_limit(chemistry, table, waveform, settings.ac_frequency_Hz, limits)
            amplitude = float(envelope.bilinear(table, allowed, np.array([initial_T_K]), np.array([initial_soc]))[0])
        return table, waveform, envelope.fixed_map(chemistry, table, waveform, settings.ac_frequency_Hz, amplitude)

    def _check_impedance_available(self, chemistry) -> None:
        """The impedance behind AC heating needs each electrode's double-layer capacitance."""
        missing = missing_double_layers(chemistry)
        if missing:
            raise ConfigError(
                f"heating.method = '{self.name}' needs the cell's impedance, but chemistry '{chemistry.name}' has no "
                f"{missing[0]!r} in its parameters (its source gives none); for this chemistry choose ptc, "
                "heat_pump, self_heating or none")

    def cell_design(self, chemistry, settings: HeatingSettings, controller, capacity_Ah: float,
                    initial_T_K: float, initial_soc: float) -> PreparedHeating:
        table, waveform, heat_map = self.heat_map(chemistry, settings, controller.rapid, initial_T_K, initial_soc)
        scale, data = 1.0, heat_map
        if len(heat_map.candidate_frequencies_Hz) == 1:  # fixed setting: the amplitude is an input
            scale = float(heat_map.amplitude_A.flat[0])
            data = dataclasses.replace(heat_map, heat_W=heat_map.heat_W / scale**2,
                                       candidate_heat_W=heat_map.candidate_heat_W / scale**2,
                                       amplitude_A=heat_map.amplitude_A / scale)
        interpolant_data = data.as_interpolant_data()

        def method(param, options):
            return hs.TabulatedInternalHeater(param, options, heat_map=interpolant_data, capacity_Ah=capacity_Ah)

        rate = settings.max_warming_rate_K_per_s
        inputs = {**controller.cell_inputs(settings), **self.base_inputs(settings),
                  names.AC_AMPLITUDE_SCALE: scale, names.INVERTER_EFFICIENCY: settings.inverter_efficiency,
                  names.MAX_WARMING_RATE: names.NEVER_K_PER_S if rate is None else rate,
                  names.INITIAL_SOC: initial_soc}
        design = HeatingDesign(key=f"{chemistry.name}/{self.name}/{controller.name}/{data.digest()}", method=method,
                               controller=controller.cell_submodel(), inputs=tuple(inputs),
                               series={"soc": (names.STATE_OF_CHARGE, "1")})
        return PreparedHeating(design=design, inputs=inputs, envelope=(table, waveform, heat_map))

    def diagnostics(self, chemistry, prepared: PreparedHeating, T_K, soc, command) -> dict:
        """AC amplitude, frequency and limit quantities over time (:func:`envelope.diagnostics`)."""
        table, waveform, heat_map = prepared.envelope
        return envelope.diagnostics(chemistry, table, waveform, heat_map, T_K, soc, command)

    # ---------------------------------------------------------------------------- trips
    def trip_heat_map(self, chemistry, settings: HeatingSettings, ambient_K: float,
                      initial_soc: float) -> TripHeatMap:
        rapid = settings.controller == "rapid"
        _, _, law = self.heat_map(chemistry, settings, rapid, ambient_K, initial_soc)
        return TripHeatMap(law.as_interpolant_data(), law.digest())

    def zone_submodel(self, heat_map: TripHeatMap):
        data = heat_map.interpolant_data

        def submodel(param, options, capacity_Ah):
            return hs.TabulatedInternalHeater(param, options, heat_map=data, capacity_Ah=capacity_Ah)

        return submodel

    def heater_terms(self, context: PackHeatingContext) -> HeaterTerms:
        electric = context.zone_sum(names.HEATER_ELECTRIC)
        battery = context.zone_sum(names.HEATING_FROM_BATTERY)
        zero = pybamm.Scalar(0)
        return HeaterTerms(electric=electric, battery=battery, grid=electric - battery, node=zero,
                           losses=context.zone_sum(names.HEATING_LOSSES), pumped=zero,
                           inputs=frozenset({names.INVERTER_EFFICIENCY, names.AC_AMPLITUDE_SCALE,
                                             names.BATTERY_SHARE, names.MAX_WARMING_RATE}))

    def trip_inputs(self, settings: HeatingSettings) -> dict[str, float]:
        rate = settings.max_warming_rate_K_per_s
        return {names.INVERTER_EFFICIENCY: settings.inverter_efficiency, names.AC_AMPLITUDE_SCALE: 1.0,
                names.MAX_WARMING_RATE: names.NEVER_K_PER_S if rate is None else rate}

    def knobs(self, settings: HeatingSettings) -> list[Knob]:
        """The frequency (on the impedance table's grid), the amplitude left at the largest allowed."""
        return [Knob("ac_frequency_Hz", 1.0, 1e4, log=True)]
