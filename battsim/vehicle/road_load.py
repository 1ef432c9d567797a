"""Road load at the wheels, air density and cold tyres: pure, broadcastable functions.

.. math::

    F = m\\,a + m\\,g\\,C_{rr} + \\tfrac12\\,\\rho(T)\\,C_dA\\,v^2,\\qquad P_{wheel} = F v

Rolling resistance acts only while moving. The air density follows the ideal gas law for dry
air at standard pressure (ISO 2533:1975 / U.S. Standard Atmosphere 1976:
:math:`\\rho = p/(R_{air} T)`, :math:`R_{air}` = 287.05 J/(kg K), p = 101 325 Pa), so drag
rises by 10 % at -7 degC and 16 % at -20 degC against 20 degC.
"""

from __future__ import annotations

import numpy as np

G_M_PER_S2 = 9.80665  # standard gravity
R_AIR_J_PER_KGK = 287.05287  # ISO 2533
P_STANDARD_PA = 101325.0


def air_density_kg_per_m3(T_K, pressure_Pa=P_STANDARD_PA):
    """Density of dry air [kg.m-3] at temperature ``T_K`` [K] and ``pressure_Pa`` [Pa]."""
    return pressure_Pa / (R_AIR_J_PER_KGK * np.asarray(T_K, dtype=float))


def wheel_power_components_W(speed_m_per_s, acceleration_m_per_s2):
    """The three shapes whose weighted sum is the wheel power [W per unit weight].

    Returns ``(inertial, rolling, aero)`` with
    :math:`P_{wheel} = m\\,X_1 + m g C_{rr}\\,X_2 + \\tfrac12\\rho C_dA\\,X_3`:
    :math:`X_1 = v a` [m2.s-3], :math:`X_2 = v` while moving [m.s-1], :math:`X_3 = v^3` [m3.s-3].
    Splitting the power this way lets one built cell model serve any vehicle and ambient.
    """
    v = np.asarray(speed_m_per_s, dtype=float)
    a = np.asarray(acceleration_m_per_s2, dtype=float)
    return v * a, np.where(v > 0, v, 0.0), v**3


def wheel_power_W(speed_m_per_s, acceleration_m_per_s2, mass_kg, crr, cda_m2, air_density):
    """Power at the wheels [W] (negative when braking)."""
    inertial, rolling, aero = wheel_power_components_W(speed_m_per_s, acceleration_m_per_s2)
    return mass_kg * inertial + mass_kg * G_M_PER_S2 * crr * rolling + 0.5 * air_density * cda_m2 * aero


#: rolling resistance rise per kelvin below 25 degC for passenger-car (C1) tyres: the temperature
#: correction of ISO 28580:2018 / UNECE R117 Annex 6, :math:`F_{25} = F_t\,[1 + K_t (t - 25)]`
#: with :math:`K_t` = 0.008 K-1 (10 K about 8 %), defined for tests between 20 and 30 degC (the value
#: as a secondary source quotes R117 Annex 6, ecomodder.com/forum/606507-post99.html; the paywalled
#: standard was not read)
CRR_PER_K = 0.008
#: the ambient range the correction was defined in [degC]
CRR_CORRECTION_RANGE_C = (20.0, 30.0)


def rolling_resistance_coefficient(crr_25C, ambient_C, per_K=CRR_PER_K):
    """Rolling-resistance coefficient at ``ambient_C`` [-] from its 25 degC value.

    .. math:: C_{rr}(t) = C_{rr,25} / [1 + K_t (t - 25)]

    the inverse of the ISO 28580 correction to 25 degC. Colder tyres roll harder: +36 % at
    -20 degC. Below 20 degC the correction is an extrapolation (trips say so in their warnings).
    """
    return np.asarray(crr_25C, float) / (1.0 + per_K * (np.asarray(ambient_C, float) - 25.0))
