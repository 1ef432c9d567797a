"""Impedance of a cell model, tabulated over temperature, state of charge and frequency.

AC heating puts :math:`\\tfrac12 I^2\\,\\mathrm{Re}\\,Z(f, T, SOC)` into the cell, where
:math:`Z` must be the impedance of *this* cell model. It is obtained by linearising the
PyBaMM DFN (with double-layer capacitance, ``"surface form": "differential"``) about a rest
state, as PyBaMM's :class:`pybamm.EISSimulation` does (Hallemans et al. 2025): the
discretised model :math:`M\\dot y = F(y, I)` gives
:math:`\\hat y(\\omega) = (i\\omega M - \\partial F/\\partial y)^{-1} b\\,\\hat I` and any output
:math:`g(y)` responds as :math:`(\\partial g/\\partial y)\\,\\hat y`. Besides the terminal
voltage (the impedance :math:`Z`), battsim reads from the same solve:

* the negative electrode's potential against lithium at the separator, so the AC swing of
  the plating-critical potential is :math:`|Z_{an}|\\,I` (graphite cells);
* the largest interfacial reaction overpotential over both electrodes (and the lithium-metal
  interface), :math:`|H_\\eta|\\,I`, which bounds where the linear envelope is valid:
  Butler-Volmer kinetics are linear only while the overpotential swing stays below about
  :math:`RT/F` (see :mod:`battsim.heating.envelope`).

The table is computed once per chemistry (about 10 s) and cached on disk, keyed by the
chemistry's source code, the grid and the battsim and PyBaMM versions.

References
----------
Hallemans, N., Courtier, N. E., Please, C. P., Planden, B., Dhoot, R., Timms, R., Chapman,
S. J., Howey, D., Duncan, S. R. "Physics-based battery model parametrisation from impedance
data." J. Electrochem. Soc. 172, 060507 (2025): the frequency-domain linearisation of
PyBaMM's ``EISSimulation``, which this module extends.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import inspect
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.constants import zero_Celsius
from scipy.sparse import csc_matrix
from scipy.sparse.linalg import splu

from battsim._version import __version__
from battsim.cachedir import cache_dir, write_atomic
from battsim.errors import ChemistryError
from battsim.models import names
from battsim.models._pybamm import pybamm
from battsim.models.protocol import ChemistryLike
from battsim.models.soc import initial_concentrations

#: default grid of the table
TEMPERATURES_C = np.arange(-40.0, 60.0 + 1e-9, 5.0)
SOCS = np.array([0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0])
FREQUENCIES_HZ = np.logspace(-1, 4, 21)

#: the interfaces of each cell type: (faradaic current density, reaction overpotential, thickness key)
_INTERFACES_GRAPHITE = (
    ("Negative electrode volumetric interfacial current density [A.m-3]",
     "Negative electrode reaction overpotential [V]", "Negative electrode thickness [m]"),
    ("Positive electrode volumetric interfacial current density [A.m-3]",
     "Positive electrode reaction overpotential [V]", "Positive electrode thickness [m]"),
)
_INTERFACES_LITHIUM_METAL = (
    (names.LITHIUM_INTERFACE_CURRENT_DENSITY,
     "Lithium metal interface reaction overpotential [V]", None),
    _INTERFACES_GRAPHITE[1],
)


@dataclass(frozen=True)
class ImpedanceTable:
    """Small-signal transfer functions of a cell about rest, on a (T, SOC, f) grid.

    Attributes
    ----------
    chemistry : str
    temperatures_K : ndarray (nT,)
    socs : ndarray (nS,)
    frequencies_Hz : ndarray (nF,)
    impedance_Ohm : complex ndarray (nT, nS, nF)
        :math:`Z = -\\hat V/\\hat I` (current positive on discharge) [Ohm].
    anode_Ohm : complex ndarray (nT, nS, nF) or None
        Response of the negative electrode's potential against Li/Li+ at the separator,
        :math:`\\hat\\phi_{an}/\\hat I` [Ohm]; ``None`` for a lithium-metal cell.
    overpotential_Ohm : ndarray (nT, nS, nF)
        Largest :math:`|\\hat\\eta/\\hat I|` over every interface and position [Ohm].
    kinetic_share : ndarray (nT, nS, nF)
        Share of the AC heat dissipated by the interfacial reactions,
        :math:`\\sum\\int \\tfrac12 \\mathrm{Re}(\\hat\\eta\\,\\hat j^*)\\,dV / (\\tfrac12 \\mathrm{Re}Z)` [-]:
        the part of the heat that Butler-Volmer nonlinearity can change.
    ocv_V : ndarray (nT, nS)
        Terminal voltage at rest [V].
    anode_potential_V : ndarray (nT, nS) or None
        Negative electrode potential against Li/Li+ at rest [V].
    """

    chemistry: str
    temperatures_K: np.ndarray
    socs: np.ndarray
    frequencies_Hz: np.ndarray
    impedance_Ohm: np.ndarray
    anode_Ohm: np.ndarray | None
    overpotential_Ohm: np.ndarray
    kinetic_share: np.ndarray
    ocv_V: np.ndarray
    anode_potential_V: np.ndarray | None

    def save(self, path: Path) -> None:
        arrays = {k: v for k, v in self.__dict__.items() if isinstance(v, np.ndarray)}
        np.savez_compressed(path, chemistry=self.chemistry, **arrays)

    @classmethod
    def load(cls, path: Path) -> "ImpedanceTable":
        with np.load(path) as data:
            fields = {k: data[k] for k in data.files}
        fields["chemistry"] = str(fields["chemistry"])
        fields.setdefault("anode_Ohm", None)
        fields.setdefault("anode_potential_V", None)
        return cls(**fields)

    def refined(self, step_K: float = 1.0, step_soc: float = 0.025) -> "ImpedanceTable":
        """The same table on a finer (T, SOC) grid, bilinearly interpolated.

        Quantities derived from several fields (an allowed amplitude is a ratio of them) are
        then evaluated where they are used instead of being interpolated between coarse nodes.
        """
        from scipy.interpolate import RegularGridInterpolator

        T = np.unique(np.clip(np.arange(self.temperatures_K[0], self.temperatures_K[-1] + step_K, step_K),
                              self.temperatures_K[0], self.temperatures_K[-1]))
        soc = np.unique(np.clip(np.concatenate([np.arange(self.socs[0], self.socs[-1] + step_soc, step_soc),
                                                self.socs]), self.socs[0], self.socs[-1]))
        points = np.stack(np.meshgrid(T, soc, indexing="ij"), axis=-1)

        def resample(field):
            if field is None:
                return None
            if np.iscomplexobj(field):
                return resample(field.real) + 1j * resample(field.imag)
            return RegularGridInterpolator((self.temperatures_K, self.socs), field)(points)

        return ImpedanceTable(self.chemistry, T, soc, self.frequencies_Hz, resample(self.impedance_Ohm),
                              resample(self.anode_Ohm), resample(self.overpotential_Ohm),
                              resample(self.kinetic_share), resample(self.ocv_V),
                              resample(self.anode_potential_V))

    def at_frequency(self, frequency_Hz: float, name: str = "impedance_Ohm") -> np.ndarray:
        """A (T, SOC) slice of a (T, SOC, f) field, interpolated linearly in log f."""
        field = getattr(self, name)
        logf = np.log(self.frequencies_Hz)
        x = np.log(frequency_Hz)
        if not logf[0] - 1e-9 <= x <= logf[-1] + 1e-9:
            raise ValueError(
                f"frequency {frequency_Hz:g} Hz is outside the table, "
                f"{self.frequencies_Hz[0]:g} to {self.frequencies_Hz[-1]:g} Hz"
            )
        i = int(np.clip(np.searchsorted(logf, x) - 1, 0, len(logf) - 2))
        w = (x - logf[i]) / (logf[i + 1] - logf[i])
        return (1 - w) * field[..., i] + w * field[..., i + 1]


class _LinearisedCell(pybamm.EISSimulation):
    """PyBaMM's EIS set-up (zero current as an algebraic state), reading extra outputs."""

    def transfer_functions(self, frequencies, inputs, outputs):
        """Voltage impedance, output responses per unit current, and rest values of outputs."""
        self.build(inputs=inputs)
        M, neg_J, b = self._build_matrix_problem(inputs_dict=inputs)
        model = self._built_model
        y0 = model.concatenated_initial_conditions.evaluate(0, inputs=inputs).ravel()
        from casadi import MX, Function, jacobian

        y = MX.sym("y", y0.size)
        jacobians, rest = [], []
        for name in outputs:
            expression = model.get_processed_variable(name).to_casadi(t=0, y=y, inputs=inputs)
            jacobians.append(csc_matrix(Function("g", [y], [jacobian(expression, y)])(y0).sparse()))
            rest.append(np.asarray(Function("g0", [y], [expression])(y0)).ravel())
        current_jacobian = self._output_jacobian  # rows: voltage, current
        Z, responses = [], [[] for _ in outputs]
        for f in frequencies:
            x = splu(csc_matrix((2j * np.pi * f) * M + neg_J)).solve(b.astype(complex))
            voltage, current = current_jacobian @ x
            Z.append(-voltage / current)
            for k, jac in enumerate(jacobians):
                responses[k].append(-(jac @ x) / current)
        return np.array(Z), [np.array(r) for r in responses], rest


def _cache_key(chemistry: ChemistryLike, temperatures_K, socs, frequencies_Hz) -> str:
    module = inspect.getmodule(chemistry.parameter_values)
    digest = hashlib.sha256()
    for part in (chemistry.name, __version__, importlib.metadata.version("pybamm"), inspect.getsource(module),
                 np.asarray(temperatures_K).tobytes(), np.asarray(socs).tobytes(),
                 np.asarray(frequencies_Hz).tobytes()):
        digest.update(part.encode() if isinstance(part, str) else part)
    return digest.hexdigest()[:20]


def compute_impedance_table(chemistry: ChemistryLike, temperatures_K=None, socs=None,
                            frequencies_Hz=None) -> ImpedanceTable:
    """Linearise the chemistry's DFN at every (T, SOC) of the grid (no cache)."""
    temperatures_K = np.asarray(TEMPERATURES_C + zero_Celsius if temperatures_K is None else temperatures_K, float)
    socs = np.asarray(SOCS if socs is None else socs, float)
    frequencies_Hz = np.asarray(FREQUENCIES_HZ if frequencies_Hz is None else frequencies_Hz, float)
    chem = chemistry
    lithium_metal = chem.negative_electrode == "lithium metal"
    values = chem.parameter_values()
    area_m2 = values[names.ELECTRODE_HEIGHT] * values[names.ELECTRODE_WIDTH] * values[names.ELECTRODES_IN_PARALLEL]
    interfaces = _INTERFACES_LITHIUM_METAL if lithium_metal else _INTERFACES_GRAPHITE
    thickness = [None if key is None else values[key] for _, _, key in interfaces]
    inputs_names = [names.AMBIENT_TEMPERATURE, names.INITIAL_TEMPERATURE, names.INITIAL_C_POSITIVE]
    if not lithium_metal:
        inputs_names.append(names.INITIAL_C_NEGATIVE)
    values.update({name: "[input]" for name in inputs_names})
    model = pybamm.lithium_ion.DFN({"surface form": "differential", **chem.model_options})
    linearised = _LinearisedCell(model, parameter_values=values)
    outputs = [name for j, eta, _ in interfaces for name in (j, eta)]
    outputs += ([] if lithium_metal else [names.ANODE_POTENTIAL]) + [names.VOLTAGE]

    shape = (len(temperatures_K), len(socs), len(frequencies_Hz))
    Z = np.zeros(shape, complex)
    anode = None if lithium_metal else np.zeros(shape, complex)
    eta_max = np.zeros(shape)
    kinetic = np.zeros(shape)
    ocv = np.zeros(shape[:2])
    anode0 = None if lithium_metal else np.zeros(shape[:2])
    for j, soc in enumerate(socs):
        c_p0, c_n0 = initial_concentrations(chemistry, float(soc))
        for i, T in enumerate(temperatures_K):
            inputs = {names.AMBIENT_TEMPERATURE: T, names.INITIAL_TEMPERATURE: T, names.INITIAL_C_POSITIVE: c_p0}
            if not lithium_metal:
                inputs[names.INITIAL_C_NEGATIVE] = c_n0
            z, responses, rest = linearised.transfer_functions(frequencies_Hz, inputs, outputs)
            Z[i, j] = z
            power = np.zeros(len(frequencies_Hz))
            for k, L in enumerate(thickness):
                current_density, overpotential = responses[2 * k], responses[2 * k + 1]
                weight = 1.0 if L is None else L / current_density.shape[1]
                power += np.abs(0.5 * weight * area_m2 * np.sum(
                    np.real(overpotential * np.conj(current_density)), axis=1))
                eta_max[i, j] = np.maximum(eta_max[i, j], np.max(np.abs(overpotential), axis=1))
            kinetic[i, j] = np.clip(power / (0.5 * z.real), 0.0, 1.0)
            ocv[i, j] = rest[-1][0]
            if not lithium_metal:
                anode[i, j] = responses[-2][:, 0]
                anode0[i, j] = rest[-2][0]
    return ImpedanceTable(chemistry.name, temperatures_K, socs, frequencies_Hz, Z, anode, eta_max, kinetic, ocv, anode0)


def missing_double_layers(chemistry: ChemistryLike) -> list[str]:
    """The double-layer capacitances the impedance needs that the chemistry's parameters lack."""
    values = chemistry.parameter_values()
    names = [f"{domain} electrode double-layer capacity [F.m-2]" for domain in ("Negative", "Positive")]
    return [name for name in names if name not in values.keys()]


@functools.lru_cache(maxsize=8)
def impedance_table(chemistry: ChemistryLike) -> ImpedanceTable:
    """The chemistry's impedance table on the default grid, from the disk cache when possible.

    Raises
    ------
    ChemistryError
        If the chemistry has no double-layer capacitance: no impedance (so no AC or pulse
        heating and no regeneration limit of a trip).
    """
    missing = missing_double_layers(chemistry)
    if missing:
        raise ChemistryError(
            f"chemistry '{chemistry.name}' has no {missing[0]!r} in its parameters (its source gives none), so it "
            "has no impedance: AC and pulse heating and a trip's regeneration limit cannot be computed for it")
    key = _cache_key(chemistry, TEMPERATURES_C, SOCS, FREQUENCIES_HZ)
    path = cache_dir() / f"impedance-{chemistry.name}-{key}.npz"
    if path.is_file():
        try:
            return ImpedanceTable.load(path)
        except (OSError, ValueError, KeyError):
            pass  # a damaged cache file is recomputed
    table = compute_impedance_table(chemistry)
    write_atomic(path, table.save)  # a read-only cache only costs the recomputation
    return table
