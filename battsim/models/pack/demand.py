"""The vehicle's power demand on the pack, and the regeneration (charging) limit.

The demand is built into the model as cubic interpolants of three shapes of the drive cycle
(:func:`battsim.vehicle.road_load.wheel_power_components_W`), repeated by a modulo of time,
weighted by inputs (mass, rolling resistance, drag area, air density): one built model serves
every vehicle, ambient, pack size and trip length of a (chemistry, cycle, heating) design.
Cubic rather than linear interpolation keeps the demand smooth, so the solver does not restart
at every second of the cycle (five times faster for the same energies). The battery side goes
through the drivetrain map of :mod:`battsim.vehicle.drivetrain`. The distance driven is the
speed's integral computed once, exactly, from the trace (:func:`trace_distance_m`), not a state
the solver integrates: a trip's end at its distance is then the same time for every model and
solver tolerance.

Regeneration is limited at low temperature so the negative electrode stays above the plating
margin: the largest charge current per cell is :math:`(\\phi_{an} - \\phi_{margin})/|Z_{an}|`
from the impedance table at its lowest frequency (0.1 Hz, a braking event's time scale), at the
coldest zone's temperature, and zero at the upper voltage limit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import interpolate

from battsim.models import names
from battsim.models._pybamm import pybamm
from battsim.models.impedance import impedance_table
from battsim.models.protocol import ChemistryLike
from battsim.models.soc import electrode_area_m2
from battsim.vehicle.cycles import DriveCycle
from battsim.vehicle.drivetrain import MOTOR_MAP_FRACTIONS, MOTOR_MAP_SHAPE
from battsim.vehicle.road_load import G_M_PER_S2, wheel_power_components_W

#: inputs the vehicle demand reads
DEMAND_INPUTS = frozenset({names.VEHICLE_MASS, names.ROLLING_RESISTANCE, names.DRAG_AREA, names.AIR_DENSITY,
                           names.DRIVETRAIN_EFFICIENCY, names.REGEN_EFFICIENCY, names.AUX_POWER,
                           names.MOTOR_MAX_POWER, names.MOTOR_PEAK_EFFICIENCY, names.GEARBOX_EFFICIENCY,
                           names.REGEN_SHARE, names.DRIVETRAIN_MAP, names.REGEN_MAP, names.DRIVING,
                           names.DRIVE_START})


@dataclass
class Demand:
    """Vehicle power terms [W] (battery side unless named otherwise), the speed [m.s-1] and the
    distance driven [m]."""

    speed: pybamm.Symbol
    wheel: pybamm.Symbol
    traction: pybamm.Symbol
    aux: pybamm.Symbol
    distance: pybamm.Symbol


def _cubic(x, y, child, name):
    return pybamm.Interpolant(x, y, child, name=name, interpolator="cubic")


def motor_efficiency(motor_W):
    """Motor + inverter efficiency [-] at output power ``motor_W`` [W] >= 0 (FASTSim's map shape,
    :mod:`battsim.vehicle.drivetrain`, monotone cubic in the power fraction)."""
    P = pybamm.Parameter
    fraction = pybamm.minimum(motor_W / P(names.MOTOR_MAX_POWER), 1.0)
    shape = pybamm.Interpolant(np.array(MOTOR_MAP_FRACTIONS), np.array(MOTOR_MAP_SHAPE), fraction,
                               name="motor_map_shape", interpolator="pchip")
    return P(names.MOTOR_PEAK_EFFICIENCY) * shape


def drivetrain_battery_power(wheel):
    """Battery power [W] for a wheel power [W]: the drivetrain map (gearbox, motor and inverter,
    braking share, motor rating), or one efficiency each way where the user gave one."""
    P = pybamm.Parameter
    drive, brake = pybamm.maximum(wheel, 0), pybamm.maximum(-wheel, 0)
    motor_out = drive / P(names.GEARBOX_EFFICIENCY)
    motor_in = pybamm.minimum(P(names.REGEN_SHARE) * P(names.GEARBOX_EFFICIENCY) * brake, P(names.MOTOR_MAX_POWER))
    w, w_regen = P(names.DRIVETRAIN_MAP), P(names.REGEN_MAP)
    traction = w * motor_out / motor_efficiency(motor_out) + (1 - w) * drive / P(names.DRIVETRAIN_EFFICIENCY)
    regen = w_regen * motor_efficiency(motor_in) * motor_in + (1 - w_regen) * P(names.REGEN_EFFICIENCY) * brake
    return traction - regen


#: trapezoid sub-steps per sample interval of :func:`trace_distance_m` (its error: about 1 cm over a WLTC)
DISTANCE_SUBSTEPS = 100


def trace_distance_m(cycle: DriveCycle) -> np.ndarray:
    """The distance [m] driven by each sample time of one cycle: the integral of the speed the model
    drives, the cubic spline through the trace (PyBaMM's ``cubic`` interpolant, not-a-knot) clipped at
    zero, by the trapezoid rule on :data:`DISTANCE_SUBSTEPS` sub-steps per sample interval."""
    spline = interpolate.make_interp_spline(cycle.time_s, cycle.speed_m_per_s, k=3)
    fine = np.concatenate([np.linspace(a, b, DISTANCE_SUBSTEPS, endpoint=False)
                           for a, b in zip(cycle.time_s[:-1], cycle.time_s[1:])] + [cycle.time_s[-1:]])
    v = np.maximum(spline(fine), 0.0)
    cumulative = np.concatenate([[0.0], np.cumsum(np.diff(fine) * (v[1:] + v[:-1]) / 2)])
    return cumulative[::DISTANCE_SUBSTEPS]


def vehicle_demand(cycle: DriveCycle) -> Demand:
    """Wheel power from three cycle shapes, repeated by a modulo of time, the battery side, and the
    distance: whole cycles driven and the trace's distance into the current one."""
    P = pybamm.Parameter
    X1, X2, X3 = wheel_power_components_W(cycle.speed_m_per_s, cycle.acceleration_m_per_s2())
    driving = P(names.DRIVING)
    driven_s = pybamm.maximum(pybamm.t - P(names.DRIVE_START), 0)
    t_cycle = pybamm.Modulo(driven_s, cycle.duration_s)
    shapes = [_cubic(cycle.time_s, X, t_cycle, f"cycle_shape_{k}") for k, X in enumerate((X1, X2, X3))]
    speed = driving * pybamm.maximum(_cubic(cycle.time_s, cycle.speed_m_per_s, t_cycle, "cycle_speed"), 0)
    mass = P(names.VEHICLE_MASS)
    wheel = driving * (mass * shapes[0] + mass * G_M_PER_S2 * P(names.ROLLING_RESISTANCE) * shapes[1]
                       + 0.5 * P(names.AIR_DENSITY) * P(names.DRAG_AREA) * shapes[2])
    D = trace_distance_m(cycle)
    distance = driving * (pybamm.Floor(driven_s / cycle.duration_s) * float(D[-1])
                          + _cubic(cycle.time_s, D, t_cycle, "cycle_distance"))
    return Demand(speed=speed, wheel=wheel, traction=drivetrain_battery_power(wheel),
                  aux=driving * P(names.AUX_POWER), distance=distance)


def regen_limit_map(chemistry: ChemistryLike, margin_V: float):
    """Largest plating-free charge current per cell [A] on the impedance table's (T, SOC) grid."""
    table = impedance_table(chemistry)
    if table.anode_Ohm is not None:
        z_an = np.abs(table.anode_Ohm[..., 0])  # lowest frequency of the table
        limit = np.maximum(table.anode_potential_V - margin_V, 0.0) / z_an
    else:  # lithium metal: the critical current density
        area = electrode_area_m2(chemistry)
        ccd = np.array([chemistry.critical_current_density_A_per_m2(T) for T in table.temperatures_K])
        limit = np.repeat((ccd * area)[:, None], len(table.socs), axis=1)
    return table.temperatures_K, table.socs, np.minimum(limit, 10 * chemistry.nominal_capacity_Ah)


@dataclass
class Acceptance:
    """What the cells accept of the demand: the charge limit [A] and the accepted power per cell [W]."""

    charge_limit: pybamm.Symbol
    headroom: pybamm.Symbol
    accepted_cell: pybamm.Symbol


def accepted_power(chemistry: ChemistryLike, margin_V: float, demand_cell, T_min, soc, V_mean,
                   V_zone_max) -> Acceptance:
    """The demand per cell [W] with charging limited by plating (coldest zone) and by V_max."""
    T_axis, soc_axis, limit = regen_limit_map(chemistry, margin_V)
    T_c = pybamm.minimum(pybamm.maximum(T_min, float(T_axis[0])), float(T_axis[-1]))
    soc_c = pybamm.minimum(pybamm.maximum(soc, float(soc_axis[0])), float(soc_axis[-1]))
    charge_limit = pybamm.Interpolant((T_axis, soc_axis), limit, (T_c, soc_c), name="regen_limit",
                                      interpolator="linear")
    V_max = chemistry.voltage_window_V[1]
    # smooth transitions (a 10 mV ramp to the voltage limit, a 10 mW corner at the charge
    # limit): a hard corner makes Newton's method stall when a full battery meets braking
    headroom = 0.5 * (1 + pybamm.tanh((V_max - 0.01 - V_zone_max) / 0.005))
    accepted = pybamm.smooth_max(demand_cell, -charge_limit * headroom * V_mean, 100.0)
    return Acceptance(charge_limit=charge_limit, headroom=headroom, accepted_cell=accepted)
