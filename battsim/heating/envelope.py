"""Internal AC and pulse heating: heat, limits and the constraint-aware amplitude law.

A zero-mean periodic current :math:`i(t) = \\sum_k I_k \\sin(2\\pi k f t + \\varphi_k)` through a
cell of impedance :math:`Z` releases, averaged over a period (linear response),

.. math::  Q = \\sum_k \\tfrac12 |I_k|^2\\,\\mathrm{Re}\\,Z(k f, T, SOC)

with :math:`Z` from :mod:`battsim.models.impedance`. A sinusoid has one harmonic; a
bidirectional rectangular pulse of duty ratio :math:`d` (discharge :math:`A` for a fraction
:math:`d` of the period, charge :math:`A d/(1-d)` for the rest, so no net charge) has
:math:`|I_k| = \\frac{2(A + B)}{\\pi k} |\\sin(\\pi k d)|`.

The amplitude :math:`A` is limited, at every (T, SOC), by

* the current limit: :math:`\\max|i(t)| \\le I_{max}`;
* the voltage window: :math:`OCV \\pm \\max_t |v(t)|` inside :math:`[V_{min}, V_{max}]`, with
  :math:`v(t) = \\mathrm{Re}\\sum_k \\hat I_k Z(kf) e^{2\\pi i k f t}` the voltage response;
* lithium plating (graphite): :math:`\\phi_{an} - \\max_t |\\phi(t)| \\ge \\phi_{margin}`, with
  :math:`\\phi(t)` the response of the negative electrode's potential against lithium (through
  :math:`Z_{an}`), likewise;
* the critical current density (lithium metal): :math:`\\max|i(t)|/A_{el} \\le CCD(T)`;
* the validity of the linear envelope: harmonics whose heat is more than
  ``kinetic_share_max`` reaction-dominated keep their interfacial overpotential swing below
  :math:`RT/F`, where Butler-Volmer kinetics are linear (checked against time-domain DFN
  simulations in ``tests/heating``).

The swings are the peaks of the summed harmonics over a period, evaluated on
:data:`PERIOD_POINTS` phases (a pulse's truncated series overshoots its edges by the Gibbs 9 %,
so the limits stay on the safe side). The triangle inequality over harmonics, used before,
over-states a pulse's swing (its harmonics' magnitudes sum like the harmonic series on the
ohmic plateau): 2-2.4-fold for the LG M50's square pulses at 100 Hz and 1 kHz against the
time-domain DFN (``tests/heating/test_ac_envelope.py``).

A fixed-setting controller uses an amplitude and frequency it is given; the
rapid controller uses, at every (T, SOC), the largest allowed amplitude at the frequency
(from the table) that gives the most heat.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
from scipy.interpolate import RegularGridInterpolator

from battsim.models.heating_submodels import thermal_voltage
from battsim.models.impedance import ImpedanceTable
from battsim.models.protocol import ChemistryLike
from battsim.models.soc import electrode_area_m2

#: harmonics summed for a pulse train
PULSE_HARMONICS = 49
#: phases per period at which a pulse's summed response is evaluated for its peak
PERIOD_POINTS = 512


@dataclass(frozen=True)
class Waveform:
    """A zero-mean periodic current shape.

    Parameters
    ----------
    kind : {"sine", "pulse"}
    duty : float
        Pulse: fraction of the period spent discharging [-] (0.5 = symmetric).
    """

    kind: str = "sine"
    duty: float = 0.5

    def harmonics(self) -> tuple[np.ndarray, np.ndarray]:
        """Harmonic numbers and amplitudes per unit amplitude ``A`` [-]."""
        k, C = self.coefficients()
        return k, np.abs(C)

    def coefficients(self) -> tuple[np.ndarray, np.ndarray]:
        """Harmonic numbers ``k`` and complex amplitudes ``C_k`` per unit amplitude ``A``:
        :math:`i(\\theta) = \\mathrm{Re}\\sum_k C_k e^{ik\\theta}` over a period :math:`\\theta \\in [0, 2\\pi)`."""
        if self.kind == "sine":
            return np.array([1.0]), np.array([1.0 + 0j])
        k = np.arange(1, PULSE_HARMONICS + 1, dtype=float)
        d = self.duty
        B = d / (1 - d)  # charge level per unit discharge level: zero net charge
        # discharge (+1) on [0, 2 pi d), charge (-B) on the rest
        return k, (1 + B) * (1 - np.exp(-2j * np.pi * k * d)) / (1j * np.pi * k)

    def peak_response(self, responses) -> np.ndarray:
        """Largest :math:`|\\mathrm{Re}\\sum_k C_k R_k e^{ik\\theta}|` over a period, per unit amplitude,
        for the complex responses ``R_k`` (one array per harmonic, all of one shape)."""
        k, C = self.coefficients()
        if self.kind == "sine":
            return np.abs(responses[0])
        theta = np.linspace(0.0, 2 * np.pi, PERIOD_POINTS, endpoint=False)
        shape = np.shape(responses[0])
        weighted = np.stack([ck * np.ravel(r) for ck, r in zip(C, responses)], axis=1)  # (points, harmonics)
        total = (weighted @ np.exp(1j * np.outer(k, theta))).real  # (points, phases)
        return np.abs(total).max(axis=1).reshape(shape)

    def peak_factor(self) -> float:
        """Largest |i(t)| per unit amplitude ``A`` [-]."""
        if self.kind == "sine":
            return 1.0
        return max(1.0, self.duty / (1 - self.duty))

    def rms_factor(self) -> float:
        """RMS current per unit amplitude [-] (exact, not from the truncated series)."""
        if self.kind == "sine":
            return 1 / np.sqrt(2)
        d = self.duty
        return float(np.sqrt(d + (d / (1 - d)) ** 2 * (1 - d)))


@dataclass(frozen=True)
class AcLimits:
    """What internal AC heating must respect.

    Parameters
    ----------
    current_limit_A : float
        Largest instantaneous cell current [A].
    plating_margin_V : float
        Lowest allowed negative-electrode potential against Li/Li+ [V]; 0 V after Xie et
        al. (IEEE) and Lodge et al. (arXiv:2605.16683, 2026), who use exactly 0 V.
    kinetic_share_max : float
        Harmonics with a larger share of reaction heat must keep the overpotential swing
        below RT/F [-].
    """

    current_limit_A: float
    plating_margin_V: float = 0.0
    kinetic_share_max: float = 0.1


@dataclass(frozen=True)
class HeatMap:
    """Heat and settings of an AC/pulse law on the (T, SOC) grid of the impedance table.

    The cell model releases :math:`u^2 \\max_f \\tilde Q_f(T, SOC)`, the largest of the
    bilinearly interpolated ``candidate_heat_W`` maps (one map for a fixed setting), so that
    between grid points it never uses more heat than one frequency allows there.

    Attributes
    ----------
    temperatures_K, socs : ndarray
        The grid [K], [-].
    heat_W : ndarray (nT, nS)
        Heat released in the cell at full command at the grid points [W].
    amplitude_A : ndarray (nT, nS)
        Amplitude ``A`` at full command [A].
    frequency_Hz : ndarray (nT, nS)
        Fundamental frequency [Hz].
    """

    temperatures_K: np.ndarray
    socs: np.ndarray
    heat_W: np.ndarray
    amplitude_A: np.ndarray
    frequency_Hz: np.ndarray
    candidate_frequencies_Hz: np.ndarray
    candidate_heat_W: np.ndarray  # (nF, nT, nS): allowed heat at each candidate frequency
    candidate_binding: np.ndarray | None = None  # (nF, nT, nS): index in LIMITS of the binding limit

    def as_interpolant_data(self):
        return self.temperatures_K, self.socs, self.candidate_heat_W

    def digest(self) -> str:
        h = hashlib.sha256()
        for a in (self.temperatures_K, self.socs, self.heat_W, self.amplitude_A, self.frequency_Hz):
            h.update(np.ascontiguousarray(a).tobytes())
        h.update(np.ascontiguousarray(self.candidate_heat_W).tobytes())
        return h.hexdigest()[:16]


def _per_amplitude(table: ImpedanceTable, waveform: Waveform, frequency_Hz: float, kinetic_share_max: float):
    """Heat per A^2, voltage swing per A, anode swing per A, and linearity limit, on (T, SOC)."""
    k, c = waveform.harmonics()
    f_max = table.frequencies_Hz[-1]
    heat = np.zeros(table.ocv_V.shape)
    linear_limit = np.full_like(heat, np.inf)
    RT_F = thermal_voltage(table.temperatures_K)[:, None]
    harmonic_f = [min(kk * frequency_Hz, f_max) for kk in k]  # above the table: the ohmic plateau
    swing = waveform.peak_response([_response(table, "impedance_Ohm", kk * frequency_Hz) for kk in k])
    anode = np.zeros_like(heat)
    if table.anode_Ohm is not None:
        anode = waveform.peak_response([_response(table, "anode_Ohm", kk * frequency_Hz) for kk in k])
    for f, ck in zip(harmonic_f, c):
        if ck == 0:
            continue
        Z = table.at_frequency(f)
        heat += 0.5 * ck**2 * Z.real
        share = table.at_frequency(f, "kinetic_share")
        eta = table.at_frequency(f, "overpotential_Ohm")
        limit = np.where(share > kinetic_share_max, RT_F / (ck * eta), np.inf)
        linear_limit = np.minimum(linear_limit, limit)
    return heat, swing, anode, linear_limit


def _response(table: ImpedanceTable, field: str, frequency_Hz: float) -> np.ndarray:
    """A complex (T, SOC) response of the table at ``frequency_Hz``; above the table's highest
    frequency the ohmic plateau: the real part there (a reactive part held constant to every
    higher harmonic would make a pulse's edges diverge)."""
    f_max = table.frequencies_Hz[-1]
    if frequency_Hz <= f_max:
        return table.at_frequency(frequency_Hz, field)
    return table.at_frequency(f_max, field).real.astype(complex)


#: the limits of :func:`amplitude_limits`, in order (``binding_limit`` codes 0 to 4)
LIMITS = ("current_limit", "voltage_window", "plating_margin", "critical_current_density", "envelope_validity")
#: ``binding_limit`` codes beyond the envelope's: the controller held the command below full
#: (target near, warming-rate cap), a fixed amplitude is used (thermostat, PI), or a heater ran at
#: its full power (external and foil heaters)
CONTROLLER, FIXED_SETTING, HEATER_POWER = len(LIMITS), len(LIMITS) + 1, len(LIMITS) + 2
BINDING_NAMES = LIMITS + ("controller", "fixed_setting", "heater_power")


def amplitude_limits(chemistry: ChemistryLike, table: ImpedanceTable, waveform: Waveform, frequency_Hz: float,
                     limits: AcLimits):
    """Largest amplitude ``A`` [A] each limit of :data:`LIMITS` allows on the (T, SOC) grid
    (``inf`` where one does not apply), shape ``(len(LIMITS), nT, nS)``, and the heat per A^2 [W.A-2]."""
    heat, swing, anode, linear_limit = _per_amplitude(table, waveform, frequency_Hz, limits.kinetic_share_max)
    chem = chemistry
    v_min, v_max = chem.voltage_window_V
    headroom = np.minimum(v_max - table.ocv_V, table.ocv_V - v_min)
    stack = np.full((len(LIMITS),) + heat.shape, np.inf)
    stack[0] = limits.current_limit_A / waveform.peak_factor()
    stack[1] = np.maximum(headroom, 0) / swing
    if table.anode_potential_V is not None:
        stack[2] = np.maximum(table.anode_potential_V - limits.plating_margin_V, 0) / anode
    if chem.critical_current_density_A_per_m2 is not None:
        area = electrode_area_m2(chem)
        ccd = np.array([chem.critical_current_density_A_per_m2(T) for T in table.temperatures_K])[:, None]
        stack[3] = ccd * area / waveform.peak_factor()
    stack[4] = linear_limit
    return stack, heat


def amplitude_limit(chemistry: ChemistryLike, table: ImpedanceTable, waveform: Waveform, frequency_Hz: float,
                    limits: AcLimits):
    """Largest allowed amplitude ``A`` [A] on the (T, SOC) grid, and the heat per A^2 [W.A-2]."""
    stack, heat = amplitude_limits(chemistry, table, waveform, frequency_Hz, limits)
    return stack.min(axis=0), heat


def rapid_map(chemistry: ChemistryLike, table: ImpedanceTable, waveform: Waveform, limits: AcLimits,
              safety: float = 0.995) -> HeatMap:
    """The constraint-aware law: at each (T, SOC) the frequency and amplitude of most heat.

    Computed on a refined grid (1 K, 0.025 SOC) of the table; ``safety`` scales the allowed
    amplitude down slightly so that interpolation between grid points cannot cross a limit.
    """
    table = table.refined()
    best_heat = np.full(table.ocv_V.shape, -1.0)
    best_amp = np.zeros_like(best_heat)
    best_f = np.zeros_like(best_heat)
    candidates, binding = [], []
    for f in table.frequencies_Hz:
        stack, heat_per_A2 = amplitude_limits(chemistry, table, waveform, float(f), limits)
        amp = safety * stack.min(axis=0)
        heat = amp**2 * heat_per_A2
        candidates.append(heat)
        binding.append(stack.argmin(axis=0))
        better = heat > best_heat
        best_heat = np.where(better, heat, best_heat)
        best_amp = np.where(better, amp, best_amp)
        best_f = np.where(better, f, best_f)
    return HeatMap(table.temperatures_K, table.socs, best_heat, best_amp, best_f,
                   candidate_frequencies_Hz=table.frequencies_Hz.copy(), candidate_heat_W=np.array(candidates),
                   candidate_binding=np.array(binding))


def fixed_map(chemistry: ChemistryLike, table: ImpedanceTable, waveform: Waveform, frequency_Hz: float,
              amplitude_A: float) -> HeatMap:
    """A fixed amplitude and frequency (thermostat and PI controllers): heat at full command."""
    _, heat_per_A2 = amplitude_limit(chemistry, table, waveform, frequency_Hz, AcLimits(current_limit_A=np.inf))
    shape = table.ocv_V.shape
    heat = amplitude_A**2 * heat_per_A2
    return HeatMap(table.temperatures_K, table.socs, heat, np.full(shape, float(amplitude_A)),
                   np.full(shape, float(frequency_Hz)), np.array([float(frequency_Hz)]), heat[None])


def bilinear(grid, field: np.ndarray, T_K, soc):
    """Bilinear interpolation of a (T, SOC) field of ``grid`` (a table or a heat map) at points
    (clamped to the grid)."""
    interp = RegularGridInterpolator((grid.temperatures_K, grid.socs), field)
    T = np.clip(np.asarray(T_K, float), grid.temperatures_K[0], grid.temperatures_K[-1])
    s = np.clip(np.asarray(soc, float), grid.socs[0], grid.socs[-1])
    return interp(np.column_stack([T.ravel(), s.ravel()])).reshape(T.shape)


def diagnostics(chemistry: ChemistryLike, table: ImpedanceTable, waveform: Waveform, heat_map: HeatMap, T_K, soc,
                command):
    """What the AC current does at each time: amplitude, frequency, voltage and anode extremes.

    Evaluated at the actual (T, SOC) by bilinear interpolation of the impedance table, so a
    limit crossed between grid points shows here.

    Parameters
    ----------
    T_K, soc, command : array_like
        Cell temperature [K], state of charge [-] and heating command [-] over time.

    Returns
    -------
    dict of ndarray
        ``amplitude_A``, ``frequency_Hz``, ``binding_limit`` (a code, the index in
        :data:`BINDING_NAMES`), ``voltage_max_V``, ``voltage_min_V``,
        ``anode_potential_min_V`` (graphite) and ``ccd_ratio`` (lithium metal).
    """
    T_K, soc, command = (np.asarray(a, float) for a in (T_K, soc, command))
    binding = np.full(T_K.shape, FIXED_SETTING)
    if len(heat_map.candidate_frequencies_Hz) == 1:  # fixed setting
        amplitude = command * bilinear(heat_map, heat_map.amplitude_A, T_K, soc)
        frequency = bilinear(heat_map, heat_map.frequency_Hz, T_K, soc)
    else:
        # The rapid law releases the most heat any one frequency allows in the actual state
        # (as the cell model does); it uses that frequency at the amplitude giving that heat.
        allowed = np.array([bilinear(heat_map, q, T_K, soc) for q in heat_map.candidate_heat_W])
        best = allowed.argmax(axis=0)
        heat = command**2 * allowed.max(axis=0)
        frequency = heat_map.candidate_frequencies_Hz[best]
        amplitude = np.zeros_like(T_K)
        for f in np.unique(frequency):
            sel = frequency == f
            _, heat_per_A2 = amplitude_limit(chemistry, table, waveform, float(f), AcLimits(current_limit_A=np.inf))
            amplitude[sel] = np.sqrt(heat[sel] / bilinear(table, heat_per_A2, T_K[sel], soc[sel]))
        binding = _binding(heat_map, best, T_K, soc, command)
    out = {"amplitude_A": amplitude, "frequency_Hz": frequency, "binding_limit": binding.astype(float)}
    ocv = bilinear(table, table.ocv_V, T_K, soc)
    swing = np.zeros_like(T_K)
    anode_swing = np.zeros_like(T_K)
    k, _ = waveform.coefficients()
    for f in np.unique(frequency):
        sel = frequency == f

        def at(field, sel=sel, f=f):  # complex response at the actual (T, SOC)
            return [bilinear(table, _response(table, field, kk * f), T_K[sel], soc[sel]) for kk in k]

        swing[sel] = waveform.peak_response(at("impedance_Ohm"))
        if table.anode_Ohm is not None:
            anode_swing[sel] = waveform.peak_response(at("anode_Ohm"))
    out["voltage_max_V"] = ocv + amplitude * swing
    out["voltage_min_V"] = ocv - amplitude * swing
    if table.anode_potential_V is not None:
        out["anode_potential_min_V"] = bilinear(table, table.anode_potential_V, T_K, soc) - amplitude * anode_swing
    chem = chemistry
    if chem.critical_current_density_A_per_m2 is not None:
        area = electrode_area_m2(chem)
        ccd = np.array([chem.critical_current_density_A_per_m2(T) for T in T_K])
        out["ccd_ratio"] = amplitude * waveform.peak_factor() / (ccd * area)
    return out


def _binding(heat_map: HeatMap, best, T_K, soc, command) -> np.ndarray:
    """Code of the limit that binds at each time: the envelope limit of the chosen frequency at the
    nearest grid point, or :data:`CONTROLLER` where the command is below full."""
    iT = np.abs(heat_map.temperatures_K[:, None] - np.clip(T_K, *heat_map.temperatures_K[[0, -1]])).argmin(axis=0)
    iS = np.abs(heat_map.socs[:, None] - np.clip(soc, *heat_map.socs[[0, -1]])).argmin(axis=0)
    codes = heat_map.candidate_binding[best, iT, iS]
    return np.where(command < 0.99, CONTROLLER, codes)


def dominant_binding(binding_codes, command, time_s) -> str:
    """The limit that binds for the longest time while heating (``"none"`` without heating)."""
    t = np.asarray(time_s, float)
    dt = np.diff(t, append=t[-1]) if t.size else t
    heating = np.asarray(command) > 0
    if not heating.any() or dt[heating].sum() == 0:
        return "none"
    codes = np.asarray(binding_codes, int)[heating]
    return BINDING_NAMES[int(np.bincount(codes, weights=dt[heating], minlength=len(BINDING_NAMES)).argmax())]
