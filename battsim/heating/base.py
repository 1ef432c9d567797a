"""The heating plug-in interface: one :class:`HeatingMethod` subclass per method.

A method holds everything battsim needs to know about it, in one class and one file under
:mod:`battsim.heating.methods`:

* its **cell design** (:meth:`HeatingMethod.cell_design`): the PyBaMM submodel that defines
  the heating powers of one cell, the inputs it reads and the extra series it reports;
* its **pack terms** (:meth:`HeatingMethod.heater_terms`): its electrical power, the share
  paid by the battery and by the grid, the heat into the coolant node and the losses, as
  PyBaMM expressions of the pack model;
* its **trip inputs** (:meth:`HeatingMethod.trip_inputs`);
* its **tuning knobs** (:meth:`HeatingMethod.knobs`): the settings the tuner varies.

Adding a method is one file with one subclass (it registers itself by its ``name``) and one
test. Controllers are registered the same way in :mod:`battsim.heating.controllers`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import ClassVar

from battsim.errors import ConfigError
from battsim.models import names
from battsim.models.cell import HeatingDesign
from battsim.models.pack.terms import HeaterTerms, PackHeatingContext


@dataclass(frozen=True)
class HeatingSettings:
    """The numbers a heating design needs, SI inside (made from ``[heating]`` by the cases layer).

    Parameters
    ----------
    method, controller : str
        Registry names.
    target_K : float
        Cell temperature that ends the heating phase [K].
    from_battery : bool
        Whether the battery (on the road) or the grid (plugged in) pays.
    heater_power_W : float
        Electrical power limit of an external heater per cell [W].
    heater_efficiency : float
        Electrical-to-heat efficiency of a resistive heater [-].
    node_limit_K : float
        Coolant/plate temperature the rapid controller keeps below [K].
    ac_frequency_Hz : float
        AC / pulse frequency of the fixed-setting controllers [Hz].
    ac_amplitude_A : float or None
        AC / pulse amplitude of the fixed-setting controllers [A]; ``None``: the largest allowed.
    current_limit_A : float
        Largest AC / pulse current [A].
    plating_margin_V : float
        Lowest allowed negative-electrode potential against Li/Li+ [V].
    kinetic_share_max : float
        Envelope-validity threshold of the AC law [-].
    inverter_efficiency : float
        Efficiency of the AC / pulse power electronics [-].
    pulse_duty : float
        Fraction of a pulse period spent discharging [-].
    foil_resistance_Ohm : float
        Self-heating foil resistance [Ohm].
    pi_gain_per_K, pi_integral_gain_per_Ks, pi_offset_K : float
        PI gains [K-1], [K-1.s-1] and the set-point offset above the target [K].
    max_warming_rate_K_per_s : float or None
        Cap on the cell's warming rate under internal heating [K.s-1].
    pack_heater_power_W : float
        Trips: electrical power of the pack's coolant heater or heat pump [W].
    """

    method: str
    controller: str
    target_K: float
    from_battery: bool
    heater_power_W: float
    heater_efficiency: float
    node_limit_K: float
    ac_frequency_Hz: float
    ac_amplitude_A: float | None
    current_limit_A: float
    plating_margin_V: float
    kinetic_share_max: float
    inverter_efficiency: float
    pulse_duty: float
    foil_resistance_Ohm: float
    pi_gain_per_K: float
    pi_integral_gain_per_Ks: float
    pi_offset_K: float
    max_warming_rate_K_per_s: float | None = None
    pack_heater_power_W: float = 5000.0


@dataclass(frozen=True)
class Knob:
    """A setting the tuner varies: a ``[heating]`` key and its bounds (log-spaced search if ``log``)."""

    key: str
    lower: float
    upper: float
    log: bool = False


@dataclass
class PreparedHeating:
    """A cell heating design ready to build, its per-case inputs, and what post-processing needs."""

    design: HeatingDesign
    inputs: dict[str, float]
    envelope: tuple | None = None  # (impedance table, waveform, heat map) of AC and pulse


@dataclass(frozen=True)
class TripHeatMap:
    """What an internal method builds into the pack's zone cells: its heat map and identity."""

    interpolant_data: tuple | None = field(default=None, repr=False)
    key: str = ""


class HeatingMethod(ABC):
    """A heating method. Subclasses set ``name`` and ``summary`` and implement the hooks.

    Class attributes
    ----------------
    name : str
        Registry name (``heating.method`` in configs).
    summary : str
        One line for the config reference and ``battsim chemistries``-style listings.
    internal : bool
        The heat appears inside the cells (AC, pulses): the pack builds the method into
        every zone cell and the regeneration and plating limits apply to it.
    in_trips : bool
        Whether a trip can use it.
    heats : bool
        ``False`` only for ``none``.
    """

    name: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    internal: ClassVar[bool] = False
    in_trips: ClassVar[bool] = True
    heats: ClassVar[bool] = True

    # ---------------------------------------------------------------------- one cell
    @abstractmethod
    def cell_design(self, chemistry, settings: HeatingSettings, capacity_Ah: float, initial_T_K: float,
                    initial_soc: float) -> PreparedHeating:
        """The cell heating design and its per-case inputs (method part; the controller adds its own)."""

    def unavailable(self, ambient_C: float) -> str | None:
        """Why this method delivers no heat at ``ambient_C`` [degC] (``None``: it works there)."""
        return None

    def diagnostics(self, chemistry, prepared: PreparedHeating, T_K, soc, command) -> dict:
        """Series that explain a heating phase (AC amplitude, limits ...); none by default."""
        return {}

    # -------------------------------------------------------------------------- trips
    def trip_heat_map(self, chemistry, settings: HeatingSettings, ambient_K: float,
                      initial_soc: float) -> TripHeatMap:
        """Internal methods: the heat map built into the zone cells; others: none."""
        return TripHeatMap()

    def zone_submodel(self, heat_map: TripHeatMap):
        """Internal methods: ``f(param, options, capacity_Ah)`` -> the zone cells' heating submodel."""
        return None

    def heater_terms(self, context: PackHeatingContext) -> HeaterTerms:
        """The pack power terms [W] of this method under the pack's command."""
        raise ConfigError(f"heating.method = '{self.name}': not available in trips")

    def trip_inputs(self, settings: HeatingSettings) -> dict[str, float]:
        """Pack model inputs this method reads (values for a trip)."""
        return {}

    # -------------------------------------------------------------------------- tuning
    def knobs(self, settings: HeatingSettings) -> list[Knob]:
        """The settings the tuner varies for this method, with bounds from its limits."""
        return []

    # ------------------------------------------------------------------------ helpers
    @staticmethod
    def base_inputs(settings: HeatingSettings) -> dict[str, float]:
        """Inputs every cell heating design reads: the target and who pays."""
        return {names.TARGET: settings.target_K, names.BATTERY_SHARE: float(settings.from_battery)}
