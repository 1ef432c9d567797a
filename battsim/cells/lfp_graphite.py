"""``lfp-graphite``: a 2 Ah LFP|graphite 18650 cell with full temperature dependence.

Why not PyBaMM's ``Prada2013``: it has constant solid diffusivities, a temperature-free
electrolyte conductivity and diffusivity, zero entropic coefficients and none of the
thermal keys (densities, heat capacities, cell volume, cooling area) a thermal model needs.
A cold-climate tool needs every one of them.

The parameter set used instead is the complete DFN parameterisation of an LFP|graphite
2 Ah cylindrical 18650 cell published by About:Energy Ltd. in the Battery Parameter
eXchange (BPX) format [1]_: Arrhenius activation energies for the reaction rates and
solid diffusivities of both electrodes, concentration- and temperature-dependent electrolyte
conductivity and diffusivity (after Nyman et al. [2]_), entropic coefficients for both
electrodes (graphite after O'Regan et al. [3]_, LFP after Gerver & Meyers [4]_), and cell
density, specific heat capacity and geometry. The BPX conventions are converted to PyBaMM's
here exactly as PyBaMM's own ``pybamm.ParameterValues.create_from_bpx`` does
(``pybamm/parameters/bpx.py``): exchange-current density
:math:`j_0 = k\\,F/(c_{max}\\sqrt{c_{e0}})\\,\\sqrt{c_e\\,c_s\\,(c_{max}-c_s)}`,
active-material fraction :math:`\\varepsilon_s = a\\,R/3`, Bruggeman exponent
:math:`b = \\ln\\tau/\\ln\\varepsilon` from the BPX transport efficiency :math:`\\tau`, and the
cell-level density and heat capacity applied to every layer.

**The cold refit.** [1] was fitted to cycling data near room temperature; its activation
energies are not LFP measurements. Those of the graphite (30 kJ/mol diffusion, 55 kJ/mol
reaction) and of the electrolyte (17.1 kJ/mol) are the values Ecker et al. [7]_ measured on
graphite and on LiPF6 carbonate electrolyte (30.3, 53.4 and 17.1 kJ/mol in PyBaMM's
``Ecker2015``), and battsim keeps them. Its LFP diffusion activation energy, 80 kJ/mol, is
Ecker's value for the *NCO* (LiNiCoO2) positive electrode (80.6 kJ/mol), not an LFP one: with it
the LFP diffusion time :math:`R^2/D` grows from 1 h at 25 degC to about 310 h at -20 degC, and the
cell delivers 4 % of its capacity at -20 degC and 1C. battsim replaces the two LFP values:

* LFP solid diffusion: 35 kJ/mol, the value of the LFP|graphite electro-thermal model of Ye et
  al. [5]_ (validated against discharges of an LFP cell at several ambient temperatures);
* LFP charge transfer: 40.9 kJ/mol, measured by EIS on an LFP electrode during discharge between
  -20 and 20 degC [6]_ (33.8 kJ/mol on charge; [1] has 35 kJ/mol).

The cell then delivers about 82 % of its 25 degC capacity at -20 degC and 1C in still air and
about 51 % held near ambient in a thermal chamber (``validation/``). The LFP diffusion activation
energy remains the weakest number: 20 kJ/mol gives 71 % and 40 kJ/mol 40 % in the chamber.

References
----------
.. [1] About:Energy Ltd., "Parameterisation example of an LFP|graphite 2 Ah cylindrical
   18650 cell", BPX v0.1.0 example ``lfp_18650_cell_BPX.json`` (December 2022),
   Faraday Institution BPX repository, https://github.com/FaradayInstitution/BPX (MIT).
   Parameterised from cell cycling data and teardown electrode data; the thermal
   properties are stated there to be estimates.
.. [2] Nyman, A., Behm, M., Lindbergh, G. "Electrochemical characterisation and modelling
   of the mass transport phenomena in LiPF6-EC-EMC electrolyte." Electrochimica Acta 53,
   6356-6365 (2008), doi:10.1016/j.electacta.2008.04.023.
.. [3] O'Regan, K., Brosa Planella, F., Widanage, W. D., Kendrick, E. "Thermal-
   electrochemical parameters of a high energy lithium-ion cylindrical battery."
   Electrochimica Acta 425, 140700 (2022), doi:10.1016/j.electacta.2022.140700.
.. [4] Gerver, R. E., Meyers, J. P. "Three-dimensional modeling of electrochemical
   performance and heat generation of lithium-ion batteries in tabbed planar
   configurations." J. Electrochem. Soc. 158, A835 (2011), doi:10.1149/1.3591799.
.. [5] Ye, Y., Shi, Y., Cai, N., Lee, J., He, X. "Electro-thermal modeling and experimental
   validation for lithium ion battery." J. Power Sources 199, 227-238 (2012); its LFP|graphite
   parameters (E_D = 35 kJ/mol for LFP) as
   tabulated in LionPower's ``Parameters_LFPO_Graphite.m`` (github.com/hyuanmech/LionPower).
.. [6] "Effects of temperature on charge/discharge behaviors of LiFePO4 cathode for Li-ion
   batteries." Electrochimica Acta 60, 269-273 (2012): charge-transfer activation energies
   33.80 (charge) and 40.90 kJ/mol (discharge) from EIS between -20 and 20 degC; an LFP electrode
   keeps less than 50 % of its 20 degC capacity at -20 degC.
.. [7] Ecker, M. et al. "Parameterization of a physico-chemical model of a lithium-ion battery
   I. Determination of parameters." J. Electrochem. Soc. 162, A1836 (2015),
   doi:10.1149/2.0551509jes (PyBaMM ``Ecker2015``).
"""

import math

import numpy as np

from battsim.cells.base import Chemistry, Reference
from battsim.models._pybamm import pybamm
from battsim.models.mesh import Mesh
from battsim.models.names import CELL_HEAT_CAPACITY
from battsim.units import FARADAY_C_PER_MOL, GAS_CONSTANT_J_PER_MOLK

_F = FARADAY_C_PER_MOL  # [C.mol-1]
_R = GAS_CONSTANT_J_PER_MOLK  # [J.mol-1.K-1]
_T_REF_K = 298.15
_C_E0 = 1000.0  # BPX reference electrolyte concentration [mol.m-3]

# Cell-level thermal and geometric values of [1]
_DENSITY_KG_PER_M3 = 1940.0
_VOLUME_M3 = 1.7e-05
_SPECIFIC_HEAT_J_PER_KGK = 999.0
MASS_KG = _DENSITY_KG_PER_M3 * _VOLUME_M3  # 0.03298 kg

# LFP activation energies (the cold refit, see the module docstring): diffusion after Ye et al. [5],
# charge transfer measured on LFP from -20 to 20 degC [6]. [1]'s 80 and 35 kJ/mol are replaced.
LFP_DIFFUSION_EA_J_PER_MOL = 35000.0
LFP_REACTION_EA_J_PER_MOL = 40900.0
#: [1]'s LFP activation energies, kept for comparison (``validation``): 80 kJ/mol is the NCO value of Ecker 2015
BPX_LFP_DIFFUSION_EA_J_PER_MOL, BPX_LFP_REACTION_EA_J_PER_MOL = 80000.0, 35000.0

# Electrode data of [1]: (value, unit) in BPX naming
_NEG = dict(
    R=4.8e-06, L=4.44e-05, D=9.6e-15, sigma=7.46, a=473004.0, eps=0.20666, tau=0.09395,
    k=6.872e-06, c_max=31400.0, sto_max=0.82258, Ea_D=30000.0, Ea_k=55000.0,
)
_POS = dict(
    R=5e-07, L=6.43e-05, D=6.873e-17, sigma=0.80, a=4418460.0, eps=0.20359, tau=0.09186,
    k=9.736e-07, c_max=21200.0, sto_min=0.0875, Ea_D=LFP_DIFFUSION_EA_J_PER_MOL, Ea_k=LFP_REACTION_EA_J_PER_MOL,
)
_SEP = dict(L=2e-05, eps=0.47, tau=0.3222)
_EA_ELECTROLYTE = 17100.0  # conductivity and diffusivity activation energy [J.mol-1]

# LFP entropic coefficient table of [1] after [4]: stoichiometry [-] -> dU/dT [V.K-1]
_LFP_DUDT_X = np.linspace(0.0, 1.0, 21)
_LFP_DUDT_Y = np.array(
    [
        0.0001, 4.7145e-05, 3.7666e-05, 2.0299e-05, 5.9833e-06, -4.6859e-06, -1.3966e-05,
        -2.3528e-05, -3.3593e-05, -4.3433e-05, -5.2311e-05, -6.0211e-05, -6.8006e-05,
        -7.6939e-05, -8.7641e-05, -9.913e-05, -0.00010855, -0.00011266, -0.00011238,
        -0.00010921, -0.00022539,
    ]
)


def _arrhenius(Ea, T):
    """Arrhenius factor relative to 25 degC [-]; ``Ea`` [J.mol-1], ``T`` [K]."""
    return np.exp(Ea / _R * (1 / _T_REF_K - 1 / T))


def graphite_ocp(sto):
    """Graphite open-circuit potential vs Li/Li+ [V] of [1]."""
    return (
        5.29210878e01 * np.exp(-1.72699386e02 * sto)
        - 1.17963399e03
        + 1.20956356e03 * np.tanh(6.72033948e01 * (sto + 2.44746396e-02))
        + 4.52430314e-02 * np.tanh(-1.47542326e01 * (sto - 1.62746053e-01))
        + 2.01855800e01 * np.tanh(-2.46666302e01 * (sto - 1.12986136e00))
        + 2.01708039e-02 * np.tanh(-1.19900231e01 * (sto - 5.49773440e-01))
        + 4.99616805e01 * np.tanh(-6.11370883e01 * (sto + 4.69382558e-03))
    )


def graphite_entropic_change(sto):
    """Graphite entropic coefficient dU/dT [V.K-1] of [1] after [3]."""
    return (
        -0.1112 * sto + 0.02914 + 0.3561 * np.exp(-((sto - 0.08309) ** 2) / 0.004616)
    ) / 1000


def lfp_ocp(sto):
    """LFP open-circuit potential vs Li/Li+ [V] of [1]."""
    return (
        3.41285712e00
        - 1.49721852e-02 * sto
        + 3.54866018e14 * np.exp(-3.95729493e02 * sto)
        - 1.45998465e00 * np.exp(-1.10108622e02 * (1 - sto))
    )


def lfp_entropic_change(sto):
    """LFP entropic coefficient dU/dT [V.K-1] of [1] after [4], linearly interpolated."""
    return pybamm.Interpolant(_LFP_DUDT_X, _LFP_DUDT_Y, sto, name="LFP dUdT", interpolator="linear")


def _exchange_current_density(electrode):
    k_ref = electrode["k"] * _F / (electrode["c_max"] * math.sqrt(_C_E0))
    Ea = electrode["Ea_k"]

    def j0(c_e, c_s_surf, c_s_max, T):
        """Exchange-current density [A.m-2] with Arrhenius kinetics."""
        return k_ref * _arrhenius(Ea, T) * c_e**0.5 * c_s_surf**0.5 * (c_s_max - c_s_surf) ** 0.5

    return j0


def _particle_diffusivity(electrode):
    D_ref, Ea = electrode["D"], electrode["Ea_D"]

    def diffusivity(sto, T):
        """Solid diffusivity [m2.s-1] with Arrhenius temperature dependence."""
        return D_ref * _arrhenius(Ea, T)

    return diffusivity


def electrolyte_conductivity(c_e, T):
    """LiPF6 EC:EMC conductivity [S.m-1] of [1] after [2], Arrhenius in temperature."""
    x = c_e / 1000
    return (0.1297 * x**3 - 2.51 * x**1.5 + 3.329 * x) * _arrhenius(_EA_ELECTROLYTE, T)


def electrolyte_diffusivity(c_e, T):
    """LiPF6 EC:EMC diffusivity [m2.s-1] of [1] after [2], Arrhenius in temperature."""
    x = c_e / 1000
    return (8.794e-11 * x**2 - 3.972e-10 * x + 4.862e-10) * _arrhenius(_EA_ELECTROLYTE, T)


def cell_heat_capacity(T):
    """Whole-cell heat capacity m*c_p [J.K-1] of [1] (density x volume x specific heat)."""
    return MASS_KG * _SPECIFIC_HEAT_J_PER_KGK


def parameter_values():
    """PyBaMM parameter values of the cell (a new object on every call)."""
    side = math.sqrt(0.08959998)  # BPX electrode area 0.0896 m2 as a square
    values = {
        "chemistry": "lithium_ion",
        "Reference temperature [K]": _T_REF_K,
        "Ambient temperature [K]": _T_REF_K,
        "Initial temperature [K]": _T_REF_K,
        "Lower voltage cut-off [V]": 2.0,
        "Upper voltage cut-off [V]": 3.65,
        "Open-circuit voltage at 0% SOC [V]": 2.0,
        "Open-circuit voltage at 100% SOC [V]": 3.65,
        "Nominal cell capacity [A.h]": 2.0,
        "Current function [A]": 2.0,
        "Contact resistance [Ohm]": 0.0,
        "Electrode height [m]": side,
        "Electrode width [m]": side,
        "Number of electrodes connected in parallel to make a cell": 1.0,
        "Number of cells connected in series to make a battery": 1.0,
        "Cell volume [m3]": _VOLUME_M3,
        "Cell cooling surface area [m2]": 0.00431,
        "Total heat transfer coefficient [W.m-2.K-1]": 10.0,
        CELL_HEAT_CAPACITY: cell_heat_capacity,
        # current collectors are inside the BPX electrode values
        "Negative current collector thickness [m]": 0.0,
        "Positive current collector thickness [m]": 0.0,
        "Negative current collector conductivity [S.m-1]": 4e7,
        "Positive current collector conductivity [S.m-1]": 4e7,
        # electrolyte
        "Initial concentration in electrolyte [mol.m-3]": _C_E0,
        "Cation transference number": 0.259,
        "Thermodynamic factor": 1.0,
        "Electrolyte conductivity [S.m-1]": electrolyte_conductivity,
        "Electrolyte diffusivity [m2.s-1]": electrolyte_diffusivity,
        # separator
        "Separator thickness [m]": _SEP["L"],
        "Separator porosity": _SEP["eps"],
        "Separator Bruggeman coefficient (electrolyte)": math.log(_SEP["tau"]) / math.log(_SEP["eps"]),
        # initial state: 100 % SOC stoichiometries of [1]; battsim sets the SOC per case
        "Initial concentration in negative electrode [mol.m-3]": _NEG["sto_max"] * _NEG["c_max"],
        "Initial concentration in positive electrode [mol.m-3]": _POS["sto_min"] * _POS["c_max"],
        "Negative electrode OCP [V]": graphite_ocp,
        "Positive electrode OCP [V]": lfp_ocp,
        "Negative electrode OCP entropic change [V.K-1]": graphite_entropic_change,
        "Positive electrode OCP entropic change [V.K-1]": lfp_entropic_change,
    }
    for Domain, electrode in (("Negative", _NEG), ("Positive", _POS)):
        values.update(
            {
                f"{Domain} electrode thickness [m]": electrode["L"],
                f"{Domain} particle radius [m]": electrode["R"],
                f"{Domain} electrode porosity": electrode["eps"],
                f"{Domain} electrode active material volume fraction": electrode["a"] * electrode["R"] / 3,
                f"{Domain} electrode conductivity [S.m-1]": electrode["sigma"],
                f"{Domain} electrode Bruggeman coefficient (electrolyte)": math.log(electrode["tau"])
                / math.log(electrode["eps"]),
                # BPX conductivities are already effective values
                f"{Domain} electrode Bruggeman coefficient (electrode)": 0.0,
                f"Maximum concentration in {Domain.lower()} electrode [mol.m-3]": electrode["c_max"],
                f"{Domain} particle diffusivity [m2.s-1]": _particle_diffusivity(electrode),
                f"{Domain} electrode exchange-current density [A.m-2]": _exchange_current_density(electrode),
                f"{Domain} electrode charge transfer coefficient": 0.5,
                # 20 uF/cm2: a typical electrode | electrolyte double layer (10-40 uF/cm2, Bard & Faulkner,
                # Electrochemical Methods, 2nd ed., Wiley 2001, ch. 13), PyBaMM's value in ORegan2022 and Chen2020
                f"{Domain} electrode double-layer capacity [F.m-2]": 0.2,
            }
        )
    # Cell-level density and specific heat for every layer, as PyBaMM's BPX reader does;
    # the lumped model itself uses the whole-cell heat capacity above.
    for layer in ("Negative electrode", "Positive electrode", "Separator",
                  "Negative current collector", "Positive current collector"):
        values[f"{layer} density [kg.m-3]"] = _DENSITY_KG_PER_M3
        values[f"{layer} specific heat capacity [J.kg-1.K-1]"] = _SPECIFIC_HEAT_J_PER_KGK
        values[f"{layer} thermal conductivity [W.m-1.K-1]"] = 1.89
    return pybamm.ParameterValues(values)


CHEMISTRY = Chemistry(
    name="lfp-graphite",
    summary="LFP|graphite 2 Ah cylindrical 18650 (About:Energy BPX parameterisation)",
    cell_format="cylindrical 18650",
    nominal_capacity_Ah=2.0,
    voltage_window_V=(2.0, 3.65),
    mass_kg=MASS_KG,
    valid_temperature_C=(-20.0, 45.0),
    negative_electrode="graphite",
    electrolyte="LiPF6 in EC:EMC (liquid), Nyman et al. 2008",
    parameter_values=parameter_values,
    # 40 radial points for the thermal chamber at -20 degC (validation/mesh_convergence.md)
    mesh=Mesh(10, 40, 40),
    mesh_converged_down_to_C=(("still-air", -30.0), ("thermal-chamber", -20.0)),
    cold_plate_contact_m2=math.pi * 0.018**2 / 4,  # end face of an 18 mm cylinder (18650)
    references=(
        Reference(
            "About:Energy Ltd., BPX example 'lfp_18650_cell_BPX.json' (Dec 2022), "
            "github.com/FaradayInstitution/BPX: all electrochemical, geometric and thermal values",
            "https://github.com/FaradayInstitution/BPX",
        ),
        Reference(
            "Nyman, Behm, Lindbergh, Electrochim. Acta 53, 6356 (2008): electrolyte transport",
            "doi:10.1016/j.electacta.2008.04.023",
        ),
        Reference(
            "O'Regan et al., Electrochim. Acta 425, 140700 (2022): graphite entropic coefficient",
            "doi:10.1016/j.electacta.2022.140700",
        ),
        Reference(
            "Gerver, Meyers, J. Electrochem. Soc. 158, A835 (2011): LFP entropic coefficient",
            "doi:10.1149/1.3591799",
        ),
        Reference(
            "Ye, Shi, Cai, Lee, He, J. Power Sources 199, 227 (2012): LFP diffusion activation energy "
            "35 kJ/mol (tabulated in LionPower, Parameters_LFPO_Graphite.m)",
            "https://github.com/hyuanmech/LionPower",
        ),
        Reference(
            "Electrochim. Acta 60, 269 (2012), 'Effects of temperature on charge/discharge behaviors of "
            "LiFePO4 cathode': LFP charge-transfer activation energy 40.9 kJ/mol (discharge, -20 to 20 degC)",
            "Electrochimica Acta 60 (2012) 269-273; abstract read in the periodicals index of CHERIC (Chemical "
            "Engineering Research Information Center, Korea), record 1185773, "
            "https://www.cheric.org/research/tech/periodicals/view.php?seq=1185773 (through a mirror of it)",
        ),
        Reference(
            "Ecker et al., J. Electrochem. Soc. 162, A1836 (2015): graphite and electrolyte activation "
            "energies (BPX's values; its 80 kJ/mol LFP diffusion value is Ecker's NCO one)",
            "doi:10.1149/2.0551509jes",
        ),
    ),
    notes=(
        "Mass = BPX density 1940 kg.m-3 x volume 1.7e-5 m3; specific heat 999 J.kg-1.K-1 "
        "(BPX, stated as estimated; the generic LFP-cell value of 1130 J.kg-1.K-1, "
        "reference EX-10, is 13 % higher). Cold refit: LFP diffusion (35 kJ/mol, Ye 2012) and "
        "charge-transfer (40.9 kJ/mol, measured -20 to 20 degC) activation energies replace BPX's "
        "80 (an NCO value) and 35 kJ/mol. Valid range -20 to 45 degC: the LFP kinetics were measured "
        "down to -20 degC; weakest number: the LFP diffusion activation energy (20 to 40 kJ/mol "
        "moves the -20 degC, 1C chamber capacity between 71 and 40 %)."
    ),
)
