"""The fast cell model (``cell.model = "fast"``): PyBaMM's SPM with an overpotential calibrated
from the converged DFN.

The single-particle model keeps what is cheap and physical: each electrode's open-circuit
potential, solid diffusion in one particle per electrode (the chemistry's temperature-dependent
diffusivity, on its converged radial mesh), Butler-Volmer kinetics, the reversible and
irreversible heat and battsim's thermal submodels. What it lacks is what the DFN resolves across
the electrodes: electrolyte polarisation and the uneven reaction distribution, which dominate in
the cold. The fast model adds them as one calibrated element in series,

.. math::

    \\eta_{cal} = I\\,R_0(T, z) + \\eta_1, \\qquad
    \\frac{d\\eta_1}{dt} = \\frac{I\\,R_1(T, z) - \\eta_1}{\\tau_1(T, z)},

a series resistance and one diffusion (RC) element whose values at each temperature :math:`T` and
state of charge :math:`z` (from the positive particle's average lithium content, so on battsim's
SOC scale; interpolated bilinearly, in the logarithm of the resistances and times), for discharge
and for charge (blended smoothly across zero current: near full charge the cell answers a
regenerative charge differently from a discharge), come from
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
    socs : tuple of float
        Calibration states of charge [-], ascending; outside them the values are held at the nearest.
    series_resistance_Ohm, diffusion_resistance_Ohm : nested tuples of float
        :math:`R_0` and :math:`R_1` [Ohm], indexed ``[temperature][soc][direction]``, direction 0 for
        discharge and 1 for charge (:data:`DIRECTIONS`).
    diffusion_time_constant_s : nested tuples of float
        :math:`\\tau_1` [s], the same way.
    anode_share : nested tuples of float
        :math:`a` [-], the same way (0 for a lithium-metal cell).
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
    socs: tuple[float, ...]
    series_resistance_Ohm: tuple
    diffusion_resistance_Ohm: tuple
    diffusion_time_constant_s: tuple
    anode_share: tuple
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
        """The PyBaMM parameter values of the element: functions of the cell's temperature and SOC,
        one set per direction of current."""
        axes = (np.asarray(self.temperatures_C) + 273.15, np.asarray(self.socs, float))
        values = {}
        for k, direction in enumerate(DIRECTIONS):
            for table, parameter, log in ((self.series_resistance_Ohm, n.FAST_R0, True),
                                          (self.diffusion_resistance_Ohm, n.FAST_R1, True),
                                          (self.diffusion_time_constant_s, n.FAST_TAU, True),
                                          (self.anode_share, n.FAST_ANODE_SHARE, False)):
                name = parameter if k == 0 else _ON_CHARGE[parameter]
                values[name] = _interpolated(axes, np.asarray(table, float)[..., k], f"{name} ({direction})", log)
        return values

    def outside(self, T_C: float) -> str | None:
        """A reason if ``T_C`` [degC] is outside the calibrated range (``None`` inside)."""
        lo, hi = self.range_C
        if lo - 1e-9 <= T_C <= hi + 1e-9:
            return None
        return (f"model 'fast' is calibrated for '{self.chemistry}' from {lo:g} to {hi:g} degC only, not at "
                f"{T_C:.1f} degC: its element is held at the nearest calibrated value")


#: the element's directions of current, in the order of its tables' last index
DIRECTIONS = ("discharge", "charge")
_ON_CHARGE = {n.FAST_R0: n.FAST_R0_CHARGE, n.FAST_R1: n.FAST_R1_CHARGE, n.FAST_TAU: n.FAST_TAU_CHARGE,
              n.FAST_ANODE_SHARE: n.FAST_ANODE_SHARE_CHARGE}
#: current [C-rate] over which the element blends from its charge values to its discharge values
BLEND_C_RATE = 0.02
#: the scale [V] of the element's diffusion overpotential in the solver (PyBaMM's ``scale``): its absolute
#: error is held to ``atol`` times this, 1e-4 V at the default atol 1e-6 (README, Fast trips, Speed)
DIFFUSION_SCALE_V = 100.0


def _interpolated(axes, values, name: str, log: bool = False):
    """``f(T, soc)`` for a PyBaMM function parameter: bilinear on the (temperature [K], SOC) grid
    ``axes`` (in ``ln`` of the value when ``log``), held at the nearest value outside it; an axis of
    one point is dropped."""
    y = np.asarray(values, float).reshape(len(axes[0]), len(axes[1]))
    y = np.log(np.maximum(y, 1e-12)) if log else y
    kept = [k for k, axis in enumerate(axes) if axis.size > 1]
    y = y.squeeze(axis=tuple(k for k in range(2) if k not in kept)) if kept else y.reshape(())

    def f(T, soc):
        clamped = [pybamm.maximum(pybamm.minimum(x, float(axes[k][-1])), float(axes[k][0]))
                   for k, x in enumerate((T, soc)) if k in kept]
        if not kept:
            value = pybamm.Scalar(float(y))
        elif len(kept) == 1:
            value = pybamm.Interpolant(axes[kept[0]], y, clamped[0], name=name, interpolator="linear")
        else:
            value = pybamm.Interpolant(axes, y, tuple(clamped), name=name, interpolator="linear")
        return pybamm.exp(value) if log else value

    return f


class CalibratedOverpotential(pybamm.BaseSubModel):
    """The calibrated series element: :math:`\\eta_{cal} = I R_0(T, z) + \\eta_1` and its heat, with the
    state of charge :math:`z` from the positive particle's average concentration."""

    def __init__(self, param, options=None):
        super().__init__(param, options=options)

    def get_fundamental_variables(self):
        # Scaled by DIFFUSION_SCALE_V (100 V), IDA holds its absolute error to atol x 100 V = 0.1 mV. At a
        # scale of 0.01 V (1e-8 V) this one state set a drive's steps: 46,200 for the 20,900 s drive of
        # configs/trip.toml, 22,600 at 100 V, where the drive's 1 s step bound sets them. Against rtol 1e-6 and
        # atol 1e-10 over the fidelity matrix, 100 V keeps range, energy per km and heating energy within
        # 0.34 %, 0.18 mV and 0.05 K, refused regeneration within 2.8 % (0.01 V: 0.32 %, 0.18 mV, 0.01 K,
        # 4.1 %). Referred to 4.2 V instead (PyBaMM's ``reference``, error rtol x 4.2 V) an on-road AC-heated
        # trip's heating energy moved 4.5 % (README, Fast trips, Speed).
        eta_1 = pybamm.Variable(n.CALIBRATED_DIFFUSION_OVERPOTENTIAL, scale=DIFFUSION_SCALE_V)
        return {n.CALIBRATED_DIFFUSION_OVERPOTENTIAL: eta_1}

    def get_coupled_variables(self, variables):
        c_empty, c_full = pybamm.Parameter(n.FAST_C_EMPTY), pybamm.Parameter(n.FAST_C_FULL)
        c_average = pybamm.yz_average(variables[n.AVERAGE_POSITIVE_CONCENTRATION])  # one value, no domain
        soc = (c_empty - c_average) / (c_empty - c_full)
        variables[n.CALIBRATED_SOC] = soc
        I = variables[n.CURRENT]
        variables[n.CALIBRATED_DISCHARGE_WEIGHT] = 0.5 * (1 + pybamm.tanh(I / (BLEND_C_RATE * self.param.Q)))
        eta = I * _element_function(n.FAST_R0, variables) + variables[n.CALIBRATED_DIFFUSION_OVERPOTENTIAL]
        variables.update({n.CALIBRATED_OVERPOTENTIAL: eta, n.CALIBRATED_HEATING: I * eta})
        return variables

    def set_rhs(self, variables):
        I = variables[n.CURRENT]
        eta_1 = variables[n.CALIBRATED_DIFFUSION_OVERPOTENTIAL]
        R1, tau = _element_function(n.FAST_R1, variables), _element_function(n.FAST_TAU, variables)
        self.rhs = {eta_1: (I * R1 - eta_1) / tau}

    def set_initial_conditions(self, variables):
        self.initial_conditions = {variables[n.CALIBRATED_DIFFUSION_OVERPOTENTIAL]: pybamm.Scalar(0)}


def _element_function(name: str, variables):
    """One of the element's values at the cell's temperature, calibrated state of charge and
    direction of current (discharge and charge values blended by the discharge weight)."""
    at = {n.FUNCTION_TEMPERATURE: variables[n.CELL_TEMPERATURE], n.FUNCTION_SOC: variables[n.CALIBRATED_SOC]}
    w = variables[n.CALIBRATED_DISCHARGE_WEIGHT]
    return w * pybamm.FunctionParameter(name, at) + (1 - w) * pybamm.FunctionParameter(_ON_CHARGE[name], at)


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
            variables[n.ANODE_POTENTIAL] = (variables[n.ANODE_POTENTIAL]
                                            + _element_function(n.FAST_ANODE_SHARE, variables) * eta)
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


def fit_element(pulses, max_tau_s: float = 1e5) -> tuple[float, float, float, float]:
    """``(R0, R1, tau, rms)`` of :math:`R_0 + R_1 (1 - e^{-t/\\tau})` fitted to the DFN's extra voltage
    drop per ampere [Ohm] after the start of each pulse, ``pulses`` a list of ``(t_s, difference_Ohm)``
    (time from the pulse's start [s]); ``rms`` in Ohm. ``tau`` is kept below ``max_tau_s``: a drop
    still growing linearly at the pulse's end (solid diffusion near empty in the cold) then
    saturates a few pulse lengths on, rather than being extrapolated to an arbitrary resistance."""
    t = np.concatenate([np.asarray(ts, float) for ts, _ in pulses])
    d = np.concatenate([np.asarray(ds, float) for _, ds in pulses])
    early = d[t <= 1.0]
    r0 = max(float(early.mean()) if early.size else float(d.min()), 1e-6)
    r1 = max(float(d.max()) - r0, 1e-6)
    guess = np.log([r0, r1, max(float(t.max()) / 5, 1.0)])

    def residual(p):
        R0, R1, tau = np.exp(p)
        return R0 + R1 * (1 - np.exp(-t / tau)) - d

    guess = np.minimum(guess, np.log([10.0, 10.0, 0.99 * max_tau_s]))
    fit = least_squares(residual, guess, bounds=(np.log([1e-7, 1e-7, 0.1]), np.log([10.0, 10.0, max_tau_s])))
    R0, R1, tau = (float(v) for v in np.exp(fit.x))
    return R0, R1, tau, float(math.sqrt(np.mean(fit.fun**2)))
