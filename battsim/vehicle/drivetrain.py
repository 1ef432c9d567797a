"""The drivetrain between wheels and battery: gearbox, motor and inverter, regeneration.

.. math::

    P_{batt} = \\frac{P_m}{\\eta_m(P_m/P_{max})},\\quad P_m = \\frac{P_{wheel}}{\\eta_{gb}}
    \\qquad (P_{wheel} > 0)

    P_{batt} = -\\eta_m(P_m/P_{max})\\,P_m,\\quad P_m = \\min(s\\,\\eta_{gb}\\,|P_{wheel}|,\\ P_{max})
    \\qquad (P_{wheel} < 0)

The motor-and-inverter efficiency :math:`\\eta_m` depends on the output power as a fraction of
the motor's rating, as in NREL FASTSim (``ElectricMachine.eff_interp_achieved`` against
power fraction; https://github.com/NREL/fastsim; battsim interpolates it by monotone cubics,
FASTSim linearly): its map is FASTSim's baseline shape scaled to
the machine's peak efficiency, so battsim stores the shape once (:data:`MOTOR_MAP_SHAPE`, the
2020 Chevrolet Bolt EV's calibrated map of FASTSim-3, ``cal_and_val/thermal/f3-vehicles/2020
Chevrolet Bolt EV.yaml`` at commit ff5f8ce, divided by its peak 0.9876) and each vehicle its
peak and rating. The gearbox is FASTSim's single-speed transmission, 0.98. A share
:math:`s` of the braking power (FASTSim's ``max_regen``, 0.98) reaches the motor, at most its
rating; the friction brakes take the rest.

A user with one number for the whole chain (``drivetrain_efficiency``, ``regen_efficiency``)
replaces the map: :math:`P_{batt} = P_{wheel}/\\eta` in traction and
:math:`P_{batt} = r\\,P_{wheel}` in braking.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.interpolate import PchipInterpolator

#: output power as a fraction of the rating, and the motor + inverter efficiency over its peak
MOTOR_MAP_FRACTIONS = (0.0, 0.02, 0.04, 0.06, 0.08, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0)
_BOLT_MAP = (0.8736113907685258, 0.894336709838892, 0.9150620289092581, 0.9357873479796243, 0.9461500075148074,
             0.9565126670499905, 0.9772379861203567, 0.9876006456555396, 0.9876006456555396, 0.9772379861203567,
             0.9668753265851735)
MOTOR_MAP_SHAPE = tuple(e / max(_BOLT_MAP) for e in _BOLT_MAP)
#: the map between its points: monotone cubic (PCHIP), as in the trip DAE (smooth for the solver)
_SHAPE = PchipInterpolator(MOTOR_MAP_FRACTIONS, MOTOR_MAP_SHAPE)


@dataclass(frozen=True)
class Drivetrain:
    """Gearbox, motor and inverter of a vehicle.

    Parameters
    ----------
    motor_max_W : float
        Rated (peak) output power of the motor [W].
    motor_peak_efficiency : float
        Best motor + inverter efficiency of the map [-].
    gearbox_efficiency : float
        Single-speed gearbox [-].
    regen_share : float
        Largest share of braking power sent to the motor [-].
    efficiency : float or None
        One battery-to-wheel efficiency replacing the map in traction [-].
    regen_efficiency : float or None
        One wheel-to-battery efficiency replacing the map in braking [-].
    """

    motor_max_W: float
    motor_peak_efficiency: float
    gearbox_efficiency: float = 0.98
    regen_share: float = 0.98
    efficiency: float | None = None
    regen_efficiency: float | None = None

    def motor_efficiency(self, motor_W) -> np.ndarray:
        """Motor + inverter efficiency [-] at output power ``motor_W`` [W] (either direction)."""
        fraction = np.clip(np.abs(np.asarray(motor_W, float)) / self.motor_max_W, 0.0, 1.0)
        return self.motor_peak_efficiency * _SHAPE(fraction)

    def battery_power_W(self, wheel_W) -> np.ndarray:
        """Battery power [W] for a wheel power [W] (negative: regeneration)."""
        wheel = np.asarray(wheel_W, dtype=float)
        drive = np.maximum(wheel, 0.0)
        brake = np.maximum(-wheel, 0.0)
        if self.efficiency is not None:
            traction = drive / self.efficiency
        else:
            motor_out = drive / self.gearbox_efficiency
            traction = motor_out / self.motor_efficiency(motor_out)
        if self.regen_efficiency is not None:
            regen = self.regen_efficiency * brake
        else:
            motor_in = np.minimum(self.regen_share * self.gearbox_efficiency * brake, self.motor_max_W)
            regen = self.motor_efficiency(motor_in) * motor_in
        return traction - regen
