"""``nco-graphite-power``: the Kokam SLPB 75106100 7.5 Ah high-power pouch cell (PyBaMM ``Ecker2015``).

A power cell beside the energy cells: thin electrodes (74 um graphite, 54 um positive), fast
kinetics and a large heat capacity per ampere-hour. PyBaMM's ``Ecker2015`` set [1]_ [2]_ has
Arrhenius solid diffusivities (30.3 and 80.6 kJ/mol) and exchange-current densities (53.4 and
43.6 kJ/mol) and an Arrhenius electrolyte conductivity (17.1 kJ/mol); its thermal layer
properties are those of a 5 Ah Kokam power pouch cell [3]_. The set describes one electrode
pair of 0.101 x 0.085 m (0.156 Ah); battsim stacks 48 of them for the cell's 7.5 Ah, and the
cell's heat capacity is PyBaMM's layer-weighted lumped value for that stack (about 200 J/K,
27 J/(K A.h): the kind of cell the 2016 self-heating battery was, see
:mod:`battsim.studies.self_heating`). The pouch is 7.5 x 106 x 100 mm (the dimensions in the
Kokam type code 75106100); its two faces, 0.0212 m2, exchange heat.

References
----------
.. [1] Ecker, M., Tran, T. K. D., Dechent, P., Kabitz, S., Warnecke, A., Sauer, D. U.
   "Parameterization of a physico-chemical model of a lithium-ion battery: I. Determination
   of parameters." J. Electrochem. Soc. 162, A1836-A1848 (2015), doi:10.1149/2.0551509jes.
.. [2] Ecker, M., Kabitz, S., Laresgoiti, I., Sauer, D. U. "... II. Model validation."
   J. Electrochem. Soc. 162, A1849-A1857 (2015), doi:10.1149/2.0541509jes.
.. [3] Zhao, Y., Patel, Y., Zhang, T., Offer, G. J. "Modeling the effects of thermal gradients
   induced by tab and surface cooling on lithium ion cell performance." J. Electrochem. Soc.
   165, A3169 (2018), doi:10.1149/2.0901813jes.
"""

from battsim.cells.base import Chemistry, Reference
from battsim.models._pybamm import pybamm
from battsim.models.mesh import Mesh
from battsim.models.names import CELL_HEAT_CAPACITY

N_PAIRS = 48  # 7.5 Ah / 0.15625 Ah per electrode pair of the Ecker2015 set
_PAIR_AREA_M2 = 0.101 * 0.085
_LAYERS = ("Negative current collector", "Negative electrode", "Separator", "Positive electrode",
           "Positive current collector")


def _stack(values):
    """Thickness of one electrode pair [m] and the stack mass [kg] from the layer data."""
    pair = sum(values[f"{layer} thickness [m]"] for layer in _LAYERS)
    mass = N_PAIRS * _PAIR_AREA_M2 * sum(
        values[f"{layer} thickness [m]"] * values[f"{layer} density [kg.m-3]"] for layer in _LAYERS)
    return pair, mass


def cell_heat_capacity(T):
    """Whole-cell heat capacity [J.K-1]: PyBaMM's lumped ``rho_c_p_eff`` x stack volume."""
    param = pybamm.LithiumIonParameters()
    return param.therm.rho_c_p_eff(T) * param.V_cell


def parameter_values():
    """PyBaMM parameter values of the cell (a new object on every call)."""
    values = pybamm.ParameterValues("Ecker2015")
    pair, _ = _stack(values)
    values.update(
        {
            "Number of electrodes connected in parallel to make a cell": float(N_PAIRS),
            "Nominal cell capacity [A.h]": 7.5,
            "Current function [A]": 7.5,
            "Cell volume [m3]": N_PAIRS * _PAIR_AREA_M2 * pair,
            "Cell cooling surface area [m2]": 2 * 0.106 * 0.100,
        }
    )
    values.update({CELL_HEAT_CAPACITY: cell_heat_capacity}, check_already_exists=False)
    return values


_PAIR_M, MASS_KG = _stack(pybamm.ParameterValues("Ecker2015"))

CHEMISTRY = Chemistry(
    name="nco-graphite-power",
    summary="Kokam SLPB 75106100 7.5 Ah high-power pouch, NCO | graphite (PyBaMM Ecker2015)",
    cell_format="pouch, 7.5 x 106 x 100 mm",
    nominal_capacity_Ah=7.5,
    voltage_window_V=(2.5, 4.2),
    mass_kg=MASS_KG,
    valid_temperature_C=(-20.0, 50.0),
    negative_electrode="graphite",
    electrolyte="LiPF6 in carbonate (liquid), Ecker et al. 2015",
    parameter_values=parameter_values,
    # converged down to -20 degC at 0.2C to 3C (validation/mesh_convergence.md)
    mesh=Mesh(10, 40, 40),
    mesh_converged_down_to_C=(("still-air", -20.0), ("thermal-chamber", -10.0)),
    # held at -20 degC in the chamber, 1C: 60 points clustered at the particle surface
    # (validation/mesh_convergence_cold.md)
    cold_mesh=Mesh(10, 60, 40, particle_stretch=2.0),
    cold_mesh_converged_down_to_C=(("thermal-chamber", -20.0),),
    cold_plate_contact_m2=0.106 * 0.100,  # one face of the 106 x 100 mm pouch
    references=(
        Reference("Ecker et al., J. Electrochem. Soc. 162, A1836 (2015): cell parameters (PyBaMM Ecker2015)",
                  "doi:10.1149/2.0551509jes"),
        Reference("Ecker et al., J. Electrochem. Soc. 162, A1849 (2015): model validation",
                  "doi:10.1149/2.0541509jes"),
        Reference("Zhao, Patel, Zhang, Offer, J. Electrochem. Soc. 165, A3169 (2018): layer thermal "
                  "properties of a Kokam power pouch cell", "doi:10.1149/2.0901813jes"),
    ),
    notes=(
        "Mass and heat capacity are the electrode stack's (layer thicknesses and densities of "
        "Ecker2015 over 48 pairs): 188 g and about 200 J/K; the pouch foil and tabs are not "
        "included. The Arrhenius fits are extrapolated below their measurement range."
    ),
)
