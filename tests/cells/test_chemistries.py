"""Chemistries: registry, documented facts, cited parameters, temperature dependence."""

import math

import numpy as np
import pytest

from battsim.cells import chemistry_names, get_chemistry
from battsim.errors import ChemistryError
from battsim.models._pybamm import pybamm

BOLTZMANN_EV_PER_K = 8.617333262e-5  # CODATA 2018


def test_registry_has_the_three_chemistries():
    assert {"nmc811-graphite", "lfp-graphite", "solid-state-li-metal"} <= set(chemistry_names())


def test_unknown_chemistry_names_the_known_ones_and_suggests():
    with pytest.raises(ChemistryError) as info:
        get_chemistry("nmc811")
    message = str(info.value)
    assert "nmc811-graphite" in message and "did you mean" in message


def test_facts_are_documented_and_cited(chemistry_name):
    facts = get_chemistry(chemistry_name).facts()
    assert facts["nominal_capacity_Ah"] > 0
    assert facts["voltage_min_V"] < facts["voltage_max_V"]
    assert 0.005 < facts["mass_kg"] < 1.0
    # lithium-ion cells sit between 700 and 1300 J/(kg K) (references EX-08 to EX-12)
    assert 700 < facts["specific_heat_25C_J_per_kgK"] < 1300
    assert facts["valid_min_C"] <= -20 and facts["valid_max_C"] >= 25
    assert facts["references"], "every chemistry cites its sources"
    assert all("doi:" in r or "http" in r or "ISBN" in r or "datasheet" in r for r in facts["references"])


def test_parameter_values_are_fresh_copies(chemistry_name):
    chemistry = get_chemistry(chemistry_name)
    first = chemistry.parameter_values()
    first.update({"Current function [A]": 123.0})
    assert chemistry.parameter_values()["Current function [A]"] != 123.0


def test_heat_capacity_is_positive_and_not_larger_in_the_cold(chemistry_name):
    chemistry = get_chemistry(chemistry_name)
    warm, cold = chemistry.heat_capacity_J_per_K(298.15), chemistry.heat_capacity_J_per_K(253.15)
    assert 0 < cold <= warm * (1 + 1e-12)


def _electrolyte_conductivity_used_by_model(values, T_K, c_e=1000.0):
    """Evaluate the conductivity exactly as PyBaMM's model symbol kappa_e(c_e, T) is processed."""
    param = pybamm.LithiumIonParameters({"working electrode": "positive"})
    return float(values.evaluate(param.kappa_e(pybamm.Scalar(c_e), pybamm.Scalar(T_K))))


def test_solid_electrolyte_conductivity_at_minus_20C_is_the_cited_arrhenius_value():
    # Singh et al., Cell Rep. Phys. Sci. 3, 101043 (2022), doi:10.1016/j.xcrp.2022.101043:
    # Li6PS5Cl 1.95 mS/cm at 298.15 K, activation energy 0.37 eV.
    sigma_25C_S_per_m, Ea_eV = 1.95e-3 * 100, 0.37
    expected = sigma_25C_S_per_m * math.exp(-Ea_eV / BOLTZMANN_EV_PER_K * (1 / 253.15 - 1 / 298.15))
    values = get_chemistry("solid-state-li-metal").parameter_values()
    used = _electrolyte_conductivity_used_by_model(values, 253.15)
    assert used == pytest.approx(expected, rel=1e-6)
    # and it does not depend on concentration: a single-ion conductor
    assert _electrolyte_conductivity_used_by_model(values, 253.15, c_e=500.0) == pytest.approx(used, rel=1e-12)
    assert values["Cation transference number"] == 1.0


def test_solid_electrolyte_has_a_higher_activation_energy_than_the_liquid():
    """sigma(25 degC) / sigma(-20 degC): the sulfide loses more conductivity than LiPF6 EC:EMC."""
    ratios = {}
    for name in ("solid-state-li-metal", "nmc811-graphite"):
        values = get_chemistry(name).parameter_values()
        ratios[name] = (_electrolyte_conductivity_used_by_model(values, 298.15)
                        / _electrolyte_conductivity_used_by_model(values, 253.15))
    assert ratios["solid-state-li-metal"] > 2 * ratios["nmc811-graphite"]


def test_critical_current_density_falls_with_temperature():
    ccd = get_chemistry("solid-state-li-metal").critical_current_density_A_per_m2
    values = [ccd(T) for T in (333.15, 298.15, 273.15, 253.15)]
    assert np.all(np.diff(values) < 0)
    assert ccd(298.15) == pytest.approx(4.0)  # 0.4 mA/cm2, Singh et al. 2022's 1.95 mS/cm pellet
    # the two points of Spencer-Jolly et al. 2021 (0.25 mA/cm2 at 60 degC, 0.5 at 80 degC)
    # fix the ratio between them
    assert ccd(353.15) / ccd(333.15) == pytest.approx(2.0, rel=0.01)


def test_lfp_kinetics_and_transport_depend_on_temperature():
    """The gap PyBaMM's Prada2013 leaves: every transport and kinetic property is Arrhenius."""
    values = get_chemistry("lfp-graphite").parameter_values()
    param = pybamm.LithiumIonParameters()
    T_cold, T_warm = pybamm.Scalar(253.15), pybamm.Scalar(298.15)
    c_e = pybamm.Scalar(1000.0)
    for name, symbol in (
        ("electrolyte conductivity", lambda T: param.kappa_e(c_e, T)),
        ("electrolyte diffusivity", lambda T: param.D_e(c_e, T)),
        ("negative diffusivity", lambda T: param.n.prim.D(pybamm.Scalar(0.5), T)),
        ("positive diffusivity", lambda T: param.p.prim.D(pybamm.Scalar(0.5), T)),
        ("negative exchange current", lambda T: param.n.prim.j0(c_e, pybamm.Scalar(15000.0), T)),
        ("positive exchange current", lambda T: param.p.prim.j0(c_e, pybamm.Scalar(10000.0), T)),
    ):
        cold = float(values.evaluate(symbol(T_cold)))
        warm = float(values.evaluate(symbol(T_warm)))
        assert 0 < cold < warm, name
