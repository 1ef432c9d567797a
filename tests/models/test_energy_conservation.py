"""The thermal submodels tested with physics: conservation of energy and analytic limits.

All runs use the full DFN with battsim's lumped thermal submodel; tolerances are far wider
than the solver's (rtol 1e-6), so a failure means a wrong heat balance, not noise.
"""

import numpy as np
import pytest
from scipy import integrate, optimize

from battsim.cells import get_chemistry
from battsim.models.cell import CellConditions, ExternalNodeConditions, get_cell_model
from battsim.models.protocol import single_phase

T_COLD_K = 253.15


def solve(chemistry, duration_s, external_node=False, **conditions):
    """One phase of ``duration_s`` of the DFN of ``chemistry`` under ``CellConditions(**conditions)``."""
    cell_model = get_cell_model(chemistry, external_node=external_node)
    return cell_model.solve(cell_model.inputs(CellConditions(**conditions)), single_phase(duration_s))


def temperature_after_heat(chemistry, T0_K, heat_J):
    """Temperature reached when ``heat_J`` is stored: solves integral of C(T) dT = Q [K]."""
    def stored(T):
        return integrate.quad(chemistry.heat_capacity_J_per_K, T0_K, T)[0] - heat_J
    return optimize.brentq(stored, T0_K, T0_K + 200)


def test_adiabatic_cell_with_constant_heat_source_warms_by_Qt_over_mcp():
    """LFP has a constant m*c_p: the rise is exactly Q t / (m c_p)."""
    chemistry = get_chemistry("lfp-graphite")
    Q_W, t_s = 2.0, 600.0
    solution = solve(chemistry, t_s, current_A=0.0, ambient_K=T_COLD_K, initial_temperature_K=T_COLD_K,
                     initial_soc=0.5, h_W_per_m2K=0.0, internal_heat_W=Q_W)
    rise = solution.series["temperature_K"][-1] - T_COLD_K
    expected = Q_W * t_s / (chemistry.mass_kg * chemistry.specific_heat_J_per_kgK())
    # 0.5 %: the tolerance; the solver agrees to ~1e-9
    assert rise == pytest.approx(expected, rel=5e-3)
    # a cell at rest generates no electrochemical heat of its own
    assert abs(solution.series["cumulative_electrochemical_heat_J"][-1]) < 1e-6 * Q_W * t_s


@pytest.mark.parametrize("name", ["nmc811-graphite", "solid-state-li-metal"])
def test_adiabatic_cell_with_temperature_dependent_heat_capacity(name):
    """With C(T) the stored heat is the integral of C(T) dT; Q t must match it within 0.5 %."""
    chemistry = get_chemistry(name)
    Q_W, t_s = 2.0, 600.0
    solution = solve(chemistry, t_s, current_A=0.0, ambient_K=T_COLD_K, initial_temperature_K=T_COLD_K,
                     initial_soc=0.5, h_W_per_m2K=0.0, internal_heat_W=Q_W)
    rise = solution.series["temperature_K"][-1] - T_COLD_K
    expected = temperature_after_heat(chemistry, T_COLD_K, Q_W * t_s) - T_COLD_K
    assert rise == pytest.approx(expected, rel=5e-3)


def test_resting_cell_relaxes_exponentially_with_the_analytic_time_constant():
    """Newton cooling of a lumped body: T - T_amb = (T0 - T_amb) exp(-t / tau), tau = m c_p / (h A)."""
    chemistry = get_chemistry("lfp-graphite")
    h, area = 10.0, 0.00431  # W/(m2 K); cooling area of the BPX 18650
    tau = chemistry.heat_capacity_J_per_K(298.15) / (h * area)
    solution = solve(chemistry, 3 * tau, current_A=0.0, ambient_K=T_COLD_K, initial_temperature_K=298.15,
                     initial_soc=0.5, h_W_per_m2K=h)
    t, T = solution.series["time_s"], solution.series["temperature_K"]
    excess = T - T_COLD_K
    fitted_tau = -1.0 / np.polyfit(t, np.log(excess), 1)[0]
    assert fitted_tau == pytest.approx(tau, rel=1e-2)
    assert np.allclose(excess, 45.0 * np.exp(-t / tau), rtol=1e-2)


def test_heat_leaving_the_cell_enters_the_external_node_at_every_output_time():
    """Two-node balance during a 1C discharge at -20 degC with a heater and a loss to ambient.

    Cell side (from the cell's own states): E_out = E_electrochemical + E_source - integral C(T) dT.
    Node side (from the node's own states):  E_in = C_n (T_n - T_n0) + E_to_ambient - E_heater.
    """
    name = "nmc811-graphite"
    chemistry = get_chemistry(name)
    C_node = 200.0
    node = ExternalNodeConditions(heat_capacity_J_per_K=C_node, conductance_to_ambient_W_per_K=0.2,
                                  heater_W=5.0, initial_temperature_K=T_COLD_K)
    solution = solve(chemistry, 3600.0, external_node=True, current_A=chemistry.nominal_capacity_Ah,
                     ambient_K=T_COLD_K, initial_temperature_K=T_COLD_K, h_W_per_m2K=20.0, internal_heat_W=1.0,
                     node=node)
    s = solution.series
    T = s["temperature_K"]
    stored = np.array([integrate.quad(chemistry.heat_capacity_J_per_K, T[0], Ti)[0] for Ti in T])
    cell_out = s["cumulative_electrochemical_heat_J"] + s["cumulative_internal_heat_J"] - stored
    node_in = (C_node * (s["node_temperature_K"] - s["node_temperature_K"][0])
               + s["cumulative_node_heat_to_ambient_J"] - s["cumulative_node_heater_J"])
    scale = np.max(np.abs(node_in))
    assert scale > 1000.0  # a real exchange took place (several kJ)
    assert np.max(np.abs(cell_out - node_in)) < 1e-4 * scale
    # and the solver's own integral of the surface flux agrees with both
    assert np.max(np.abs(s["cumulative_heat_from_surface_J"] - node_in)) < 1e-4 * scale
    # the instantaneous fluxes agree too: h A (T - T_n) is what the node receives
    node_rate = np.gradient(node_in, s["time_s"])
    inner = slice(5, -5)
    assert np.allclose(node_rate[inner], s["heat_from_surface_W"][inner], rtol=2e-2, atol=2e-2)
