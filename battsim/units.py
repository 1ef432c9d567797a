"""Units at the edges. Inside battsim everything is SI and kelvin.

Unit strings are written so that ``pint`` reads them (``A*h``, ``W*h/km``, ``J/K``,
``degC``, ``delta_degC`` for a temperature difference, ``1`` for a pure number). Series are
converted **by their unit, never by their name**: :func:`for_storage` turns a series whose unit
is ``K`` (an absolute temperature) into ``degC``; a difference carries ``delta_degC`` and a
heat capacity ``J/K``, and neither is touched.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from scipy.constants import R, hour, kilo, physical_constants, zero_Celsius

ZERO_CELSIUS_K = zero_Celsius
SECONDS_PER_HOUR = hour
#: joules in a kilowatt-hour [J.kW-1.h-1]
J_PER_KWH = kilo * hour
#: Faraday constant [C.mol-1] (CODATA, through scipy.constants)
FARADAY_C_PER_MOL = physical_constants["Faraday constant"][0]
#: molar gas constant [J.mol-1.K-1] (CODATA, through scipy.constants)
GAS_CONSTANT_J_PER_MOLK = R


def celsius_to_kelvin(t_C):
    """Temperature in kelvin from degrees Celsius.

    Parameters
    ----------
    t_C : float or array_like
        Temperature [degC].

    Returns
    -------
    float or ndarray
        Temperature [K].
    """
    return t_C + ZERO_CELSIUS_K


def kelvin_to_celsius(t_K):
    """Temperature in degrees Celsius from kelvin.

    Parameters
    ----------
    t_K : float or array_like
        Temperature [K].

    Returns
    -------
    float or ndarray
        Temperature [degC].
    """
    return t_K - ZERO_CELSIUS_K


def for_storage(series: Mapping[str, np.ndarray], units: Mapping[str, str]) -> tuple[dict, dict]:
    """Series as stored and shown: absolute temperatures (unit ``K``) in ``degC``, renamed
    ``..._K`` -> ``..._C``; every other series unchanged.

    Returns
    -------
    data, units : dict, dict
    """
    data, out_units = {}, {}
    for name, values in series.items():
        unit = units[name]
        if unit == "K":
            stored = name[:-2] + "_C" if name.endswith("_K") else name
            data[stored], out_units[stored] = kelvin_to_celsius(np.asarray(values, float)), "degC"
        else:
            data[name], out_units[name] = values, unit
    return data, out_units
