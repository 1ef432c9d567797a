"""``nmc811-graphite``: the LG M50 21700 cell (NMC811 | graphite-SiOx) of PyBaMM's ``ORegan2022``.

PyBaMM's ``ORegan2022`` set [1]_ carries what cold weather needs: Arrhenius exchange-current
densities and solid diffusivities of both electrodes, the concentration- and temperature-
dependent LiPF6 EC:EMC electrolyte of Landesfeind & Gasteiger [2]_, measured entropic
coefficients, and temperature-dependent specific heats and thermal conductivities of every
layer. battsim uses it unchanged except for:

* the voltage window: the LG M50 is charged to 4.2 V and discharged to 2.5 V [3]_
  (``ORegan2022`` ships a 4.4 V upper limit, beyond the cell's rating);
* the whole-cell heat capacity ``"Cell heat capacity [J.K-1]"`` used by battsim's lumped
  thermal model: the thickness-weighted, temperature-dependent volumetric heat capacity of
  [1]'s layers (PyBaMM's ``rho_c_p_eff(T)``) times the cell volume, i.e. PyBaMM's own
  lumped heat capacity, about 61 J.K-1 at 25 degC and 48 J.K-1 at -20 degC;
* a series (contact) resistance of 11.4 mOhm: the measured real impedance of an LG M50LT at
  1 kHz is 14.0 mOhm at 10-90 % SOC (Hallemans et al. [4]_; LG's M50LT specification: AC
  15 +- 6 mOhm at 1 kHz), the DFN of [1] alone gives 2.6 mOhm there (25 degC, 50 % SOC): the
  other 81 % is the cell's electronic path (current collectors, tabs, welds, can), which the
  DFN does not model. It is held constant in temperature (metallic; a Panasonic 18650's
  high-frequency resistance rises 1.5-fold from 25 to -20 degC [5]_, the DFN with it
  1.2-fold). Without it the model under-states every ohmic loss, and internal AC heating
  is wrong in both directions: at a current limit the heat I^2 R is 5-fold too small, at
  the voltage window the heat (dV)^2 / R is 5-fold too large.

References
----------
.. [1] O'Regan, K., Brosa Planella, F., Widanage, W. D., Kendrick, E. "Thermal-
   electrochemical parameters of a high energy lithium-ion cylindrical battery."
   Electrochimica Acta 425, 140700 (2022), doi:10.1016/j.electacta.2022.140700.
.. [2] Landesfeind, J., Gasteiger, H. A. "Temperature and concentration dependence of the
   ionic transport properties of lithium-ion battery electrolytes." J. Electrochem. Soc.
   166, A3079-A3097 (2019), doi:10.1149/2.0571912jes.
.. [3] LG Chem, "Product specification, rechargeable lithium ion battery, model
   INR21700 M50" (2016): 4.2 V charge, 2.5 V discharge cut-off, 4.85 Ah minimum /
   5.0 Ah nominal capacity, 21.1 x 70.15 mm, 69.25 g maximum weight.
.. [4] Hallemans, N. et al. "Physics-based battery model parametrisation from impedance data."
   arXiv:2412.10896 (2024); measured LG M50LT impedance in GitHub pybop-team/PyBOP, commit
   7d635b1d873b4894a9f60775e18e0f3a4a2ac8ff, ``papers/Hallemans et al/Data/LGM50LT/
   impedanceLGM50LT_Hybrid_4h_3mVrms.mat`` (Re Z = 14.02-14.07 mOhm at 1000.7 Hz, 10-90 % SOC).
.. [5] Kollmeyer, P. "Panasonic 18650PF Li-ion battery data." Mendeley Data (2018),
   doi:10.17632/wykht8y7tg.1: EIS at 25 to -20 degC (real part at 6 kHz 21-23 mOhm at 25 degC,
   32-34 mOhm at -20 degC).
"""

import math

from battsim.cells.base import Chemistry, Reference
from battsim.models._pybamm import pybamm
from battsim.models.mesh import Mesh
from battsim.models.names import CELL_HEAT_CAPACITY

MASS_KG = 69.25e-3  # LG M50 datasheet maximum weight [3]
#: measured 14.0 mOhm at 1 kHz [4] less the DFN's own 2.6 mOhm there (25 degC, 50 % SOC)
CONTACT_RESISTANCE_OHM = 14.0e-3 - 2.6e-3


def cell_heat_capacity(T):
    """Whole-cell heat capacity [J.K-1]: PyBaMM's lumped ``rho_c_p_eff(T)`` x cell volume.

    Parameters
    ----------
    T : pybamm.Symbol
        Cell temperature [K].
    """
    param = pybamm.LithiumIonParameters()
    return param.therm.rho_c_p_eff(T) * param.V_cell


def parameter_values():
    """PyBaMM parameter values of the cell (a new object on every call)."""
    values = pybamm.ParameterValues("ORegan2022")
    values.update(
        {
            "Upper voltage cut-off [V]": 4.2,
            "Open-circuit voltage at 100% SOC [V]": 4.2,
            "Lower voltage cut-off [V]": 2.5,
            "Open-circuit voltage at 0% SOC [V]": 2.5,
            "Contact resistance [Ohm]": CONTACT_RESISTANCE_OHM,
        }
    )
    values.update({CELL_HEAT_CAPACITY: cell_heat_capacity}, check_already_exists=False)
    return values


CHEMISTRY = Chemistry(
    name="nmc811-graphite",
    summary="LG M50 21700, NMC811 | graphite-SiOx (PyBaMM ORegan2022)",
    cell_format="cylindrical 21700",
    nominal_capacity_Ah=5.0,
    voltage_window_V=(2.5, 4.2),
    mass_kg=MASS_KG,
    valid_temperature_C=(-20.0, 60.0),
    negative_electrode="graphite",
    electrolyte="LiPF6 in EC:EMC 3:7 (liquid), Landesfeind & Gasteiger 2019",
    parameter_values=parameter_values,
    # -20 degC 1C needs 120 points along the graphite radius, 3C 40 along the NMC's (validation/mesh_convergence.md)
    mesh=Mesh(10, 120, 40),
    mesh_converged_down_to_C=(("still-air", -30.0), ("thermal-chamber", -10.0)),
    # held at -20 degC in the chamber, 1C: a reaction front crosses the graphite electrode (40 points
    # across it) and a thin surface layer forms in its particles (240 points clustered at the surface)
    # (validation/mesh_convergence_cold.md)
    cold_mesh=Mesh(10, 240, 40, negative_across=40, particle_stretch=2.0),
    cold_mesh_converged_down_to_C=(("thermal-chamber", -20.0),),
    # at 0.3C from -20 degC in the chamber the default is within 0.04 % of the cold mesh (4.564 / 4.566 Ah)
    cold_mesh_above_c_rate=0.3,
    cold_plate_contact_m2=math.pi * 0.02110**2 / 4,  # end face of the 21.1 mm cylinder [3]
    contact_resistance_Ohm=CONTACT_RESISTANCE_OHM,
    references=(
        Reference(
            "O'Regan et al., Electrochim. Acta 425, 140700 (2022): PyBaMM ORegan2022 set "
            "(kinetics, diffusivities, entropic and thermal parameters)",
            "doi:10.1016/j.electacta.2022.140700",
        ),
        Reference(
            "Landesfeind, Gasteiger, J. Electrochem. Soc. 166, A3079 (2019): electrolyte",
            "doi:10.1149/2.0571912jes",
        ),
        Reference(
            "LG Chem INR21700 M50 product specification (2016): voltage window, capacity, "
            "mass 69.25 g (maximum)",
            "LG Chem datasheet INR21700M50",
        ),
        Reference(
            "Hallemans et al., arXiv:2412.10896 (2024): measured LG M50LT impedance, 14.0 mOhm at 1 kHz "
            "(contact resistance = that less the DFN's 2.6 mOhm)",
            "https://arxiv.org/abs/2412.10896; GitHub pybop-team/PyBOP@7d635b1 papers/Hallemans et al/Data/LGM50LT",
        ),
    ),
    notes=(
        "Specific heat is PyBaMM's layer-weighted heat capacity of [O'Regan 2022] divided "
        "by the datasheet mass; it falls from about 875 J.kg-1.K-1 at 25 degC to about "
        "690 J.kg-1.K-1 at -20 degC. The temperature fits of O'Regan et al. are "
        "extrapolated below their measurement range; results at -20 degC are model "
        "predictions, not measured behaviour."
    ),
)
