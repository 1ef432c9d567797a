"""The fast cell model (``cell.model = "fast"``): PyBaMM's SPM with an overpotential calibrated
from the converged DFN.

The single-particle model keeps what is cheap and physical: each electrode's open-circuit
potential, solid diffusion in one particle per electrode (the chemistry's temperature-dependent
diffusivity, on its converged radial mesh), Butler-Volmer kinetics, the reversible and
irreversible heat and battsim's thermal submodels. What it lacks is what the DFN resolves across
the electrodes: electrolyte polarisation and the uneven reaction distribution, which dominate in
the cold. The fast model adds them as one calibrated element in series,

.. math::

    \\eta_{cal} = I\\,R_0(T) + \\eta_1, \\qquad
    \\frac{d\\eta_1}{dt} = \\frac{I\\,R_1(T) - \\eta_1}{\\tau_1(T)},

a series resistance and one diffusion (RC) element whose values at each temperature come from
:func:`battsim.models.calibration.calibrate` (isothermal current pulses of the converged DFN
against the plain SPM); never typed in. The element's heat :math:`I\\,\\eta_{cal}` joins the
lumped contact-resistance heat, so the thermal balance and the pack's energy accounting see it.
The negative electrode's potential against lithium at the separator (the plating margin) is the
SPM's plus the calibrated share :math:`a(T)\\,\\eta_{cal}` of the element's overpotential (the
DFN puts roughly half of the missing polarisation on that side of the cell).

Everything enters through PyBaMM's submodel slots: :class:`CalibratedOverpotential` (a new slot),
:class:`CalibratedPositiveElectrode` (the ``"positive electrode potential"`` slot, the SPM's
leading-order Ohm's law with the element in the terminal voltage) and :class:`FastCellThermal`
(the ``"thermal"`` slot); :func:`install` puts them in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import least_squares

from battsim.models import names as n
from battsim.models._pybamm import pybamm
from battsim.models.mesh import Mesh
from battsim.models.thermal import LumpedCellThermal

#: PyBaMM model the fast model extends
BASE_MODEL = "SPM"
#: the fast model's mesh: 10 points along each particle radius clustered at the surface, where the
#: cold puts the steep gradients (the SPM has no points across that matter); its discretisation
#: error is part of what the calibration measures and corrects
FAST_MESH = Mesh(10, 10, 10, particle_stretch=2.0)


@dataclass(frozen=True, eq=False)
class FastCalibration:
    """The calibrated element of one chemistry at each calibration temperature.

    Attributes
    ----------
    chemistry : str
    temperatures_C : tuple of float
        Calibration temperatures [degC], ascending; outside them the values are held at the
        nearest end and the model warns.
    series_resistance_Ohm, diffusion_resistance_Ohm : tuple of float
        :math:`R_0` and :math:`R_1` [Ohm] per temperature.
    diffusion_time_constant_s : tuple of float
        :math:`\\tau_1` [s] per temperature.
    anode_share : tuple of float
        :math:`a` [-] per temperature (0 for a lithium-metal cell).
    key : str
        What the calibration depends on (versions, parameter fingerprint, method, mesh); equal
        keys, equal calibrations.
    mesh : Mesh
        The SPM mesh it was calibrated on (the fast model runs on it).
    provenance, residuals : dict
        How it was made and how well it fits (written to the calibration file).
    """

    chemistry: str
    temperatures_C: tuple[float, ...]
    series_resistance_Ohm: tuple[float, ...]
    diffusion_resistance_Ohm: tuple[float, ...]
    diffusion_time_constant_s: tuple[float, ...]
    anode_share: tuple[float, ...]
    key: str
    mesh: Mesh = FAST_MESH
    provenance: dict = field(default_factory=dict)
    residuals: dict = field(default_factory=dict)

    def __hash__(self):
        return hash(self.key)

    def __eq__(self, other):
        return isinstance(other, FastCalibration) and other.key == self.key

    @property
    def range_C(self) -> tuple[float, float]:
        return self.temperatures_C[0], self.temperatures_C[-1]

    def parameter_values(self) -> dict:
        """The PyBaMM parameter values of the element: functions of the cell temperature."""
        T_K = np.asarray(self.temperatures_C) + 273.15
        return {n.FAST_R0: _interpolated(T_K, self.series_resistance_Ohm, "fast_R0", log=True),
                n.FAST_R1: _interpolated(T_K, self.diffusion_resistance_Ohm, "fast_R1", log=True),
                n.FAST_TAU: _interpolated(T_K, self.diffusion_time_constant_s, "fast_tau", log=True),
                n.FAST_ANODE_SHARE: _interpolated(T_K, self.anode_share, "fast_anode_share")}

    def outside(self, T_C: float) -> str | None:
        """A reason if ``T_C`` [degC] is outside the calibrated range (``None`` inside)."""
        lo, hi = self.range_C
        if lo - 1e-9 <= T_C <= hi + 1e-9:
            return None
        return (f"model 'fast' is calibrated for '{self.chemistry}' from {lo:g} to {hi:g} degC only, not at "
                f"{T_C:.1f} degC: its element is held at the nearest calibrated value")


def _interpolated(T_K, values, name: str, log: bool = False):
    """``f(T)`` for a PyBaMM function parameter: piecewise linear in ``T`` (in ``ln`` of the value
    when ``log``), held constant outside the grid."""
    x = np.asarray(T_K, float)
    y = np.asarray(values, float)
    y = np.log(np.maximum(y, 1e-12)) if log else y

    def f(T):
        T = pybamm.maximum(pybamm.minimum(T, float(x[-1])), float(x[0]))
        if x.size == 1:
            value = pybamm.Scalar(float(y[0]))
        else:
            value = pybamm.Interpolant(x, y, T, name=name, interpolator="linear")
        return pybamm.exp(value) if log else value

    return f


class CalibratedOverpotential(pybamm.BaseSubModel):
    """The calibrated series element: :math:`\\eta_{cal} = I R_0(T) + \\eta_1` and its heat."""

    def __init__(self, param, options=None):
        super().__init__(param, options=options)

    def get_fundamental_variables(self):
        eta_1 = pybamm.Variable(n.CALIBRATED_DIFFUSION_OVERPOTENTIAL, scale=0.01)
        return {n.CALIBRATED_DIFFUSION_OVERPOTENTIAL: eta_1}

    def get_coupled_variables(self, variables):
        I = variables[n.CURRENT]
        T = variables[n.CELL_TEMPERATURE]
        eta = I * _temperature_function(n.FAST_R0, T) + variables[n.CALIBRATED_DIFFUSION_OVERPOTENTIAL]
        variables.update({n.CALIBRATED_OVERPOTENTIAL: eta, n.CALIBRATED_HEATING: I * eta})
        return variables

    def set_rhs(self, variables):
        I = variables[n.CURRENT]
        T = variables[n.CELL_TEMPERATURE]
        eta_1 = variables[n.CALIBRATED_DIFFUSION_OVERPOTENTIAL]
        R1, tau = _temperature_function(n.FAST_R1, T), _temperature_function(n.FAST_TAU, T)
        self.rhs = {eta_1: (I * R1 - eta_1) / tau}

    def set_initial_conditions(self, variables):
        self.initial_conditions = {variables[n.CALIBRATED_DIFFUSION_OVERPOTENTIAL]: pybamm.Scalar(0)}


def _temperature_function(name: str, T):
    return pybamm.FunctionParameter(name, {n.FUNCTION_TEMPERATURE: T})


class CalibratedPositiveElectrode(pybamm.electrode.ohm.LeadingOrder):
    """The SPM's leading-order positive electrode, with the calibrated overpotential in the terminal
    voltage (beside any contact resistance) and the share the DFN puts on the negative electrode's
    potential at the separator."""

    def __init__(self, param, options=None):
        super().__init__(param, "positive", options)

    def get_coupled_variables(self, variables):
        eta = variables[n.CALIBRATED_OVERPOTENTIAL]  # a KeyError defers this submodel until the element exists
        variables = super().get_coupled_variables(variables)
        V = variables[n.VOLTAGE] - eta
        variables.update({n.VOLTAGE: V, n.VOLTAGE_EXPRESSION: V, n.TERMINAL_VOLTAGE: V,
                          n.CONTACT_OVERPOTENTIAL: variables[n.CONTACT_OVERPOTENTIAL] + eta})
        if n.ANODE_POTENTIAL in variables:
            T = variables[n.CELL_TEMPERATURE]
            variables[n.ANODE_POTENTIAL] = (variables[n.ANODE_POTENTIAL]
                                            + _temperature_function(n.FAST_ANODE_SHARE, T) * eta)
        return variables


class FastCellThermal(LumpedCellThermal):
    """battsim's lumped cell thermal model with the calibrated element's heat counted as lumped
    contact-resistance heat (so the cell's and the pack's energy accounting include it)."""

    def get_coupled_variables(self, variables):
        variables = super().get_coupled_variables(variables)
        Q = variables[n.CALIBRATED_HEATING]
        variables.update({n.CONTACT_HEATING: variables[n.CONTACT_HEATING] + Q,
                          n.CONTACT_HEATING_DENSITY: variables[n.CONTACT_HEATING_DENSITY] + Q / self.param.V_cell})
        return variables


def install(model) -> None:
    """Put the fast model's submodels into ``model`` (an unbuilt PyBaMM SPM with battsim's slots set):
    the calibrated element, the positive electrode that carries it, and the thermal model that heats
    with it (replacing :class:`LumpedCellThermal`)."""
    param, options = model.param, model.options
    model.submodels["calibrated overpotential"] = CalibratedOverpotential(param, options)
    model.submodels["positive electrode potential"] = CalibratedPositiveElectrode(param, options)
    model.submodels["thermal"] = FastCellThermal(param, options)


def fit_element(pulses) -> tuple[float, float, float, float]:
    """``(R0, R1, tau, rms)`` of :math:`R_0 + R_1 (1 - e^{-t/\\tau})` fitted to the DFN's extra voltage
    drop per ampere [Ohm] after the start of each pulse, ``pulses`` a list of ``(t_s, difference_Ohm)``
    (time from the pulse's start [s]); ``rms`` in Ohm."""
    t = np.concatenate([np.asarray(ts, float) for ts, _ in pulses])
    d = np.concatenate([np.asarray(ds, float) for _, ds in pulses])
    early = d[t <= 1.0]
    r0 = max(float(early.mean()) if early.size else float(d.min()), 1e-6)
    r1 = max(float(d.max()) - r0, 1e-6)
    guess = np.log([r0, r1, max(float(t.max()) / 5, 1.0)])

    def residual(p):
        R0, R1, tau = np.exp(p)
        return R0 + R1 * (1 - np.exp(-t / tau)) - d

    fit = least_squares(residual, guess, bounds=(np.log([1e-7, 1e-7, 0.1]), np.log([10.0, 10.0, 1e5])))
    R0, R1, tau = (float(v) for v in np.exp(fit.x))
    return R0, R1, tau, float(math.sqrt(np.mean(fit.fun**2)))
