"""Unit conversions at the edges. Inside battsim everything is SI and kelvin."""

ZERO_CELSIUS_K = 273.15
SECONDS_PER_HOUR = 3600.0


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
