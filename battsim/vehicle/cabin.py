"""The cabin as a thermal node: heat capacity, heat loss that depends on speed, ventilation, heater.

.. math::

    C_{cab}\\,\\dot T_{cab} = Q_{heater} - (UA(v) + \\dot m_{air} c_p)\\,(T_{cab} - T_{amb}) + Q_{solar}

    \\frac{1}{UA(v)} = \\frac{1}{A}\\left(\\frac{1}{h_{ext}(v)} + \\frac{1}{h_{shell}}\\right)

The cabin is NREL FASTSim-3's ``LumpedCabin`` (fastsim-core ``vehicle/cabin.rs``,
https://github.com/NREL/fastsim): one heat capacity, a shell of conductance
:math:`h_{shell}` per m2 over a flat plate of the cabin's length x width, in series with the
outside film. Moving (above 2 mph), the outside film follows the flat-plate correlations of
Incropera & DeWitt, *Fundamentals of Heat and Mass Transfer*, 7th ed., eq. 7.30 (laminar,
:math:`Nu = 0.664\\,Re^{1/2} Pr^{1/3}`) and eq. 7.38 (mixed,
:math:`Nu = (0.037\\,Re^{4/5} - 871)\\,Pr^{1/3}`), at the film temperature; parked, a fitted
coefficient :math:`h_{stop}` replaces it. The Bolt's coefficients were calibrated by NREL
against Argonne dynamometer tests including -6.7 degC runs, so the fitted shell coefficient
also carries the fresh-air load of those tests: an explicit ventilation flow
(``fresh_air_kg_per_s``) is therefore 0 by default and is for users with a measured one.

Air properties: viscosity and conductivity by Sutherland's law (White, *Viscous Fluid Flow*,
3rd ed., Tables 1-2 and 1-3: :math:`\\mu_0` = 1.716e-5 Pa s, S = 110.4 K; :math:`k_0` =
0.0241 W/(m K), S = 194 K, at 273.15 K), :math:`c_p` = 1006 J/(kg K) (Incropera Table A.4,
250-300 K), density from the ideal gas law (:mod:`battsim.vehicle.road_load`).

The heater holds the set point with a proportional term on the cabin temperature plus a
feed-forward of the heat the cabin loses at the set point (so the cabin settles at the set
point, as FASTSim's PI controller does), limited to what the heater can deliver:
:math:`Q = \\min(\\max(Q_{hold}(v) + K_p (T_{set} - T_{cab}), 0), Q_{max}(T_{amb}))`.
:math:`K_p` = 881.6 W/K is FASTSim's calibrated proportional gain for the Bolt.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from battsim.vehicle.road_load import air_density_kg_per_m3

#: speed above which the car counts as moving for the cabin's outside film [m.s-1] (2 mph, FASTSim)
MOVING_SPEED_M_PER_S = 0.89408
CP_AIR_J_PER_KGK = 1006.0
#: FASTSim's critical Reynolds number for the flat plate's transition
RE_CRITICAL = 5.0e5


def air_viscosity_Pa_s(T_K):
    """Dynamic viscosity of air [Pa.s], Sutherland's law (White, Table 1-2)."""
    T = np.asarray(T_K, dtype=float)
    return 1.716e-5 * (T / 273.15) ** 1.5 * (273.15 + 110.4) / (T + 110.4)


def air_conductivity_W_per_mK(T_K):
    """Thermal conductivity of air [W.m-1.K-1], Sutherland's law (White, Table 1-3)."""
    T = np.asarray(T_K, dtype=float)
    return 0.0241 * (T / 273.15) ** 1.5 * (273.15 + 194.0) / (T + 194.0)


def film_conductance_times_length(speed_length_m2_per_s, film_K):
    """Outside film coefficient times plate length, :math:`h_{ext} L = k\\,Nu_L` [W.m-1.K-1].

    Parameters
    ----------
    speed_length_m2_per_s : array_like
        Vehicle speed times cabin length [m2.s-1].
    film_K : array_like
        Film temperature, the mean of cabin and ambient [K].
    """
    x = np.asarray(speed_length_m2_per_s, dtype=float)
    T = np.asarray(film_K, dtype=float)
    mu, k = air_viscosity_Pa_s(T), air_conductivity_W_per_mK(T)
    re = air_density_kg_per_m3(T) * x / mu
    pr13 = (mu * CP_AIR_J_PER_KGK / k) ** (1 / 3)
    nu = np.where(re < RE_CRITICAL, 0.664 * np.sqrt(re), 0.037 * re**0.8 - 871.0) * pr13
    return k * nu


@dataclass(frozen=True)
class Cabin:
    """A lumped cabin (FASTSim-3 ``LumpedCabin``) and its heater.

    Parameters
    ----------
    heat_capacity_J_per_K : float
        Cabin air and interior [J.K-1].
    shell_htc_W_per_m2K : float
        Shell conductance per unit plate area [W.m-2.K-1].
    stopped_htc_W_per_m2K : float
        Outside film coefficient while parked [W.m-2.K-1].
    length_m, width_m : float
        The cabin as a flat plate [m].
    setpoint_C : float
        Cabin set point [degC].
    heater : {"ptc", "heat_pump"}
        A resistive (PTC) heater, or a heat pump with a resistive backup for what it cannot deliver.
    ptc_max_W : float
        Largest power of the resistive heater (or backup) [W]; 0 for none.
    heat_pump_max_W : float
        Largest electric power of the heat pump's compressor [W]; 0 without a heat pump.
    gain_W_per_K : float
        Proportional gain of the cabin controller [W.K-1].
    fresh_air_kg_per_s : float
        Ventilation air heated from ambient [kg.s-1] (0: included in the shell coefficient).
    solar_W : float
        Solar heat gain [W].
    """

    heat_capacity_J_per_K: float
    shell_htc_W_per_m2K: float
    stopped_htc_W_per_m2K: float
    length_m: float
    width_m: float
    setpoint_C: float = 22.0
    heater: str = "ptc"
    ptc_max_W: float = 5000.0
    heat_pump_max_W: float = 0.0
    gain_W_per_K: float = 881.6
    fresh_air_kg_per_s: float = 0.0
    solar_W: float = 0.0

    @property
    def area_m2(self) -> float:
        return self.length_m * self.width_m

    def conductance_W_per_K(self, speed_m_per_s, cabin_K, ambient_K):
        """Heat loss of the cabin per kelvin [W.K-1] (shell in series with the outside film,
        plus ventilation), as FASTSim switches it at :data:`MOVING_SPEED_M_PER_S`."""
        v = np.asarray(speed_m_per_s, dtype=float)
        film = 0.5 * (np.asarray(cabin_K, float) + np.asarray(ambient_K, float))
        h_moving = film_conductance_times_length(v * self.length_m, film) / self.length_m
        h_ext = np.where(v > MOVING_SPEED_M_PER_S, h_moving, self.stopped_htc_W_per_m2K)
        ua = self.area_m2 / (1 / np.maximum(h_ext, 1e-9) + 1 / self.shell_htc_W_per_m2K)
        return ua + self.fresh_air_kg_per_s * CP_AIR_J_PER_KGK
