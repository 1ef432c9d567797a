"""``solid-state-li-metal``: lithium metal | Li6PS5Cl | NMC811 composite, an all-solid-state pouch cell.

No published DFN parameter set exists for a lithium-metal argyrodite cell (reference
SS-18), so this one is assembled from cited parts on PyBaMM's lithium-metal half-cell DFN
(option ``"working electrode": "positive"``: a planar lithium-metal negative electrode with
Butler-Volmer interface kinetics, a separator and a porous positive electrode):

* **Solid electrolyte** Li6PS5Cl, a single-ion conductor: cation transference number 1,
  so the electrolyte concentration stays uniform and only Ohmic transport remains. Its
  conductivity follows Arrhenius from the room-temperature value and activation energy
  measured together by Singh et al. [1]_:
  :math:`\\sigma(T) = 0.195\\,\\mathrm{S\\,m^{-1}}\\,\\exp[-E_a/R\\,(1/T - 1/298.15\\,K)]`,
  :math:`E_a = 0.37\\,\\mathrm{eV} = 35.7\\,\\mathrm{kJ\\,mol^{-1}}` (reference SS-05 gives
  2.19 mS/cm for the same material, within 12 %).
* **Geometry** after the Samsung argyrodite cell of Lee et al. [2]_: 100 um composite
  cathode per side, 30 um Li6PS5Cl separator sheet, 85:15:3:1.5 (NMC : Li6PS5Cl : carbon
  fibre : PTFE) by weight, 12 um Al and 10 um stainless-steel current collectors,
  53 x 88 mm cathodes. battsim stacks 20 electrode pairs and puts a 30 um lithium-metal
  layer on the negative side (the plated lithium thickness assumed in [2]'s Table S3).
  With densities 4917 kg/m3 (NMC811 solid, [3]'s dry electrode 3270 kg/m3 over its 0.665
  solid fraction), 1865 kg/m3 (Li6PS5Cl, see below), 2000 and 2200 kg/m3 (carbon, PTFE)
  the weight ratio gives volume fractions 0.63 NMC, 0.29 Li6PS5Cl, 0.08 carbon + binder
  in a fully dense (warm-isostatically pressed) composite; 0.62 / 0.29 are used.
* **Positive electrode electrochemistry** is the LG M50 NMC811 of O'Regan et al. [3]_
  (PyBaMM ``ORegan2022``: open-circuit potential, entropic coefficient, Arrhenius solid
  diffusivity and exchange-current density). No exchange-current density has been
  published for coated NMC811 | Li6PS5Cl; the liquid-electrolyte value of [3] at the
  nominal 1000 mol/m3 is used and flagged as an assumption.
* **Lithium-metal interface**: exchange-current density 5.1 A/m2 at 25 degC with
  activation energy 54 kJ/mol, from the interface resistance of [2] (50 Ohm cm2 at 25 degC,
  5 Ohm cm2 at 60 degC, Supplementary Fig. 15) through :math:`i_0 = RT/(F R_{ct})`.
* **Critical current density** (lithium voiding / dendrite limit), reported as a limit:
  :math:`CCD(T) = 9\\,\\mathrm{A\\,m^{-2}}\\,\\exp[-E_{CCD}/R\\,(1/T - 1/298.15\\,K)]` with
  the room-temperature value 0.4 mA/cm2 of Singh et al. [1]_ for the coarse-grained
  Li6PS5Cl whose conductivity (1.95 mS/cm) this cell uses (their fine-grained pellet, 1.56 mS/cm,
  reached 0.9 mA/cm2; 265 MPa fabrication, no stack pressure) and
  :math:`E_{CCD} = 33.9\\,\\mathrm{kJ\\,mol^{-1}}` fitted to the 0.25 mA/cm2 (60 degC) and
  0.5 mA/cm2 (80 degC) of Spencer-Jolly et al. [4]_ (1 MPa, below 0.25 mA/cm2 at 25 degC);
  it falls to 0.036 mA/cm2 at -20 degC. Below 25 degC it is an extrapolation: no CCD of
  lithium on Li6PS5Cl has been published there.
* **Thermal**: layer-weighted heat capacity as PyBaMM's lumped model computes it, with
  lithium 534 kg/m3 and 3582 J/(kg K) (CRC Handbook [5]_), the NMC811 solid part of the
  composite from [3] (temperature-dependent), aluminium from PyBaMM's ``ORegan2022``
  (CRC), AISI 304 steel 8000 kg/m3 and 500 J/(kg K) [6]_, and for Li6PS5Cl the
  crystallographic density 1865 kg/m3 (F-43m, Z = 4, M = 268.4 g/mol, a = 9.85 A) and
  the Dulong-Petit heat capacity 3R x 13 atoms / M = 1208 J/(kg K). No measured heat
  capacity of Li6PS5Cl is published (Ayadi et al. [7]_), so this classical limit is an
  upper bound; it is the least certain number here, worth about 12 % of the cell's heat
  capacity.

References
----------
.. [1] Singh, D. K. et al. "Li6PS5Cl microstructure and influence on dendrite growth in
   solid-state batteries with lithium metal anode." Cell Rep. Phys. Sci. 3, 101043 (2022),
   doi:10.1016/j.xcrp.2022.101043.
.. [2] Lee, Y.-G. et al. "High-energy long-cycling all-solid-state lithium metal batteries
   enabled by silver-carbon composite anodes." Nature Energy 5, 299-308 (2020),
   doi:10.1038/s41560-020-0575-z.
.. [3] O'Regan, K. et al. "Thermal-electrochemical parameters of a high energy lithium-ion
   cylindrical battery." Electrochimica Acta 425, 140700 (2022),
   doi:10.1016/j.electacta.2022.140700.
.. [4] Spencer-Jolly, D. et al. "Temperature dependence of lithium anode voiding in
   argyrodite solid-state batteries." ACS Appl. Mater. Interfaces 13, 22708-22716 (2021),
   doi:10.1021/acsami.1c06706.
.. [5] Haynes, W. M. (ed.) CRC Handbook of Chemistry and Physics, 97th ed. (2016):
   lithium density and heat capacity.
.. [6] ASM Handbook Vol. 1, Properties and Selection: Irons, Steels, and High-Performance
   Alloys (1990), AISI 304 typical properties, doi:10.31399/asm.hb.v01.9781627081610.
.. [7] Ayadi, T., Nastar, M., Bruneval, F. "Structural and thermodynamic properties of the
   Li6PS5Cl solid electrolyte using first-principles calculations." J. Mater. Chem. A
   (2024), doi:10.1039/d4ta05159a.
"""

import numpy as np

from battsim.cells.base import GAS_CONSTANT, Chemistry, Reference, SolidElectrolyte
from battsim.models._pybamm import pybamm
from battsim.models.mesh import Mesh
from battsim.models.names import CELL_HEAT_CAPACITY
from battsim.units import FARADAY_C_PER_MOL

_T_REF_K = 298.15

LI6PS5CL = SolidElectrolyte(
    material="Li6PS5Cl (argyrodite)",
    conductivity_25C_S_per_m=0.195,  # 1.95 mS/cm, Singh et al. 2022 [1]
    activation_energy_J_per_mol=0.37 * FARADAY_C_PER_MOL,  # 0.37 eV [1] -> 35.7 kJ/mol
)

# Stack design (per electrode pair) after Lee et al. 2020 [2]
N_PAIRS = 20
CATHODE_AREA_M2 = 0.053 * 0.088
L_LI_M = 30e-6
L_SEPARATOR_M = 30e-6
L_CATHODE_M = 100e-6
L_AL_M = 6e-6  # half of a 12 um double-sided Al collector
L_STEEL_M = 5e-6  # half of a 10 um double-sided stainless-steel collector
EPS_AM = 0.62
EPS_SE_CATHODE = 0.29

# Densities [kg.m-3] and specific heats [J.kg-1.K-1]
RHO_LI, CP_LI = 534.0, 3582.0  # CRC [5]
RHO_SE = 1865.0  # Li6PS5Cl crystallographic density (see module docstring)
CP_SE = 3 * GAS_CONSTANT * 13 / 0.26837  # Dulong-Petit limit, 1208 J/(kg K)
RHO_NMC_DRY, SOLID_FRACTION_NMC_DRY = 3270.0, 0.665  # dry porous LG M50 cathode [3]
RHO_STEEL, CP_STEEL = 8000.0, 500.0  # AISI 304 [6]
RHO_AL = 2702.0  # PyBaMM ORegan2022 (CRC)

# Interface kinetics and limits
I0_LI_25C_A_PER_M2 = 5.1  # from 50 Ohm cm2 at 25 degC [2]
EA_LI_J_PER_MOL = 54.3e3  # from 50 -> 5 Ohm cm2, 25 -> 60 degC [2]
CCD_25C_A_PER_M2 = 4.0  # 0.4 mA/cm2, the coarse-grained 1.95 mS/cm pellet of [1]
EA_CCD_J_PER_MOL = 33.9e3  # fitted to [4]


def _arrhenius(Ea, T):
    return np.exp(-Ea / GAS_CONSTANT * (1 / T - 1 / _T_REF_K))


def electrolyte_conductivity(c_e, T):
    """Li6PS5Cl ionic conductivity [S.m-1]: Arrhenius law of [1] (independent of c_e)."""
    return LI6PS5CL.conductivity_S_per_m(T)


def electrolyte_diffusivity(c_e, T):
    """Salt diffusivity [m2.s-1]; inert for a single-ion conductor (t+ = 1 keeps c_e uniform)."""
    return 1e-12 * _arrhenius(LI6PS5CL.activation_energy_J_per_mol, T)


def lithium_exchange_current_density(c_e, c_Li, T):
    """Li metal | Li6PS5Cl exchange-current density [A.m-2] from [2]'s interface resistance."""
    return I0_LI_25C_A_PER_M2 * _arrhenius(EA_LI_J_PER_MOL, T)


def critical_current_density_A_per_m2(T_K):
    """Critical current density of the lithium | Li6PS5Cl interface [A.m-2] at ``T_K`` [K].

    Room-temperature value of Singh et al. [1], temperature dependence fitted to
    Spencer-Jolly et al. [4]; above it, lithium voids on stripping and dendrites grow on
    plating.
    """
    return CCD_25C_A_PER_M2 * float(_arrhenius(EA_CCD_J_PER_MOL, T_K))


def _nmc_dry_volumetric_heat_capacity(T):
    """Dry porous NMC811 electrode, rho*cp [J.m-3.K-1] of [3] (PyBaMM ORegan2022 fit)."""
    cp_dry = -8.414e-4 * T**3 + 0.7892 * T**2 - 241.3 * T + 2.508e4
    return RHO_NMC_DRY * cp_dry


_SOLID_SCALE = (1 - EPS_SE_CATHODE) / SOLID_FRACTION_NMC_DRY
RHO_CATHODE = _SOLID_SCALE * RHO_NMC_DRY + EPS_SE_CATHODE * RHO_SE


def cathode_heat_capacity(T):
    """Composite cathode specific heat [J.kg-1.K-1]: NMC811 solids of [3] + Li6PS5Cl."""
    return (
        _SOLID_SCALE * _nmc_dry_volumetric_heat_capacity(T) + EPS_SE_CATHODE * RHO_SE * CP_SE
    ) / RHO_CATHODE


def aluminium_heat_capacity(T):
    """Aluminium specific heat [J.kg-1.K-1], CRC fit of PyBaMM's ORegan2022."""
    return 4.503e-6 * T**3 - 6.256e-3 * T**2 + 3.281 * T + 355.7


def cell_heat_capacity(T):
    """Whole-cell heat capacity [J.K-1]: PyBaMM's lumped ``rho_c_p_eff(T)`` x cell volume."""
    param = pybamm.LithiumIonParameters({"working electrode": "positive"})
    return param.therm.rho_c_p_eff(T) * param.V_cell


_L_PAIR_M = L_LI_M + L_SEPARATOR_M + L_CATHODE_M + L_AL_M + L_STEEL_M
CELL_VOLUME_M3 = N_PAIRS * CATHODE_AREA_M2 * _L_PAIR_M
MASS_KG = (
    N_PAIRS
    * CATHODE_AREA_M2
    * (
        L_LI_M * RHO_LI
        + L_SEPARATOR_M * RHO_SE
        + L_CATHODE_M * RHO_CATHODE
        + L_AL_M * RHO_AL
        + L_STEEL_M * RHO_STEEL
    )
)


def parameter_values():
    """PyBaMM parameter values of the cell (a new object on every call)."""
    oregan = pybamm.ParameterValues("ORegan2022")
    xu = pybamm.ParameterValues("Xu2019")
    values = {
        "chemistry": "lithium_ion",
        "Reference temperature [K]": _T_REF_K,
        "Ambient temperature [K]": _T_REF_K,
        "Initial temperature [K]": _T_REF_K,
        "Lower voltage cut-off [V]": 2.5,
        "Upper voltage cut-off [V]": 4.2,
        "Open-circuit voltage at 0% SOC [V]": 2.5,
        "Open-circuit voltage at 100% SOC [V]": 4.2,
        "Nominal cell capacity [A.h]": 5.0,
        "Current function [A]": 5.0,
        "Contact resistance [Ohm]": 0.0,
        "Electrode height [m]": 0.088,
        "Electrode width [m]": 0.053,
        "Number of electrodes connected in parallel to make a cell": float(N_PAIRS),
        "Number of cells connected in series to make a battery": 1.0,
        "Cell volume [m3]": CELL_VOLUME_M3,
        "Cell cooling surface area [m2]": 2 * 0.057 * 0.092,  # pouch faces [2]
        "Total heat transfer coefficient [W.m-2.K-1]": 10.0,
        CELL_HEAT_CAPACITY: cell_heat_capacity,
        # lithium-metal negative electrode (PyBaMM Xu2019 for the metal's own values)
        "Negative electrode thickness [m]": L_LI_M,
        "Negative electrode OCP [V]": 0.0,
        "Negative electrode OCP entropic change [V.K-1]": 0.0,
        "Negative electrode conductivity [S.m-1]": xu["Negative electrode conductivity [S.m-1]"],
        "Lithium metal partial molar volume [m3.mol-1]": xu["Lithium metal partial molar volume [m3.mol-1]"],
        "Exchange-current density for lithium metal electrode [A.m-2]": lithium_exchange_current_density,
        "Negative electrode charge transfer coefficient": 0.5,
        # 20 uF/cm2, a typical double layer (Bard & Faulkner, Electrochemical Methods, 2nd ed. (2001), ch. 13)
        "Negative electrode double-layer capacity [F.m-2]": 0.2,
        "Negative electrode density [kg.m-3]": RHO_LI,
        "Negative electrode specific heat capacity [J.kg-1.K-1]": CP_LI,
        "Negative electrode thermal conductivity [W.m-1.K-1]": 84.7,
        # current collectors: stainless steel (negative), aluminium (positive)
        "Negative current collector thickness [m]": L_STEEL_M,
        "Negative current collector conductivity [S.m-1]": 1.4e6,
        "Negative current collector density [kg.m-3]": RHO_STEEL,
        "Negative current collector specific heat capacity [J.kg-1.K-1]": CP_STEEL,
        "Negative current collector thermal conductivity [W.m-1.K-1]": 16.2,
        "Positive current collector thickness [m]": L_AL_M,
        "Positive current collector conductivity [S.m-1]": oregan["Positive current collector conductivity [S.m-1]"],
        "Positive current collector density [kg.m-3]": RHO_AL,
        "Positive current collector specific heat capacity [J.kg-1.K-1]": aluminium_heat_capacity,
        "Positive current collector thermal conductivity [W.m-1.K-1]": 237.0,
        # Li6PS5Cl separator sheet: its measured pellet conductivity is the effective one
        "Separator thickness [m]": L_SEPARATOR_M,
        "Separator porosity": 1.0,
        "Separator Bruggeman coefficient (electrolyte)": 0.0,
        "Separator density [kg.m-3]": RHO_SE,
        "Separator specific heat capacity [J.kg-1.K-1]": CP_SE,
        "Separator thermal conductivity [W.m-1.K-1]": 0.5,
        # single-ion solid electrolyte
        "Initial concentration in electrolyte [mol.m-3]": 1000.0,
        "Cation transference number": 1.0,
        "Thermodynamic factor": 1.0,
        "Electrolyte conductivity [S.m-1]": electrolyte_conductivity,
        "Electrolyte diffusivity [m2.s-1]": electrolyte_diffusivity,
        # NMC811 | Li6PS5Cl composite positive electrode
        "Positive electrode thickness [m]": L_CATHODE_M,
        "Positive electrode porosity": EPS_SE_CATHODE,
        "Positive electrode active material volume fraction": EPS_AM,
        "Positive electrode Bruggeman coefficient (electrolyte)": 1.5,
        "Positive electrode Bruggeman coefficient (electrode)": 0.0,
        "Positive electrode density [kg.m-3]": RHO_CATHODE,
        "Positive electrode specific heat capacity [J.kg-1.K-1]": cathode_heat_capacity,
        "Positive electrode thermal conductivity [W.m-1.K-1]":
            oregan["Positive electrode thermal conductivity [W.m-1.K-1]"],
    }
    for key in (
        "Maximum concentration in positive electrode [mol.m-3]",
        "Positive particle radius [m]",
        "Positive particle diffusivity [m2.s-1]",
        "Positive electrode OCP [V]",
        "Positive electrode OCP entropic change [V.K-1]",
        "Positive electrode exchange-current density [A.m-2]",
        "Positive electrode conductivity [S.m-1]",
        "Positive electrode charge transfer coefficient",
        "Positive electrode double-layer capacity [F.m-2]",
    ):
        values[key] = oregan[key]
    # fully charged: the NMC811 stoichiometry of the LG M50 at 100 % SOC; set per case
    values["Initial concentration in positive electrode [mol.m-3]"] = oregan[
        "Initial concentration in positive electrode [mol.m-3]"
    ]
    return pybamm.ParameterValues(values)


CHEMISTRY = Chemistry(
    name="solid-state-li-metal",
    summary="Li metal | Li6PS5Cl | NMC811 composite, 20-layer pouch (design after Lee et al. 2020)",
    cell_format="pouch, 20 electrode pairs of 53 x 88 mm",
    nominal_capacity_Ah=5.0,
    voltage_window_V=(2.5, 4.2),
    mass_kg=MASS_KG,
    valid_temperature_C=(-20.0, 80.0),
    negative_electrode="lithium metal",
    electrolyte="Li6PS5Cl argyrodite (solid, single-ion, t+ = 1)",
    parameter_values=parameter_values,
    # 3C at 0 degC and below needs 40 points along the NMC radius (validation/mesh_convergence.md)
    mesh=Mesh(10, 40, 40),
    mesh_converged_down_to_C=(("still-air", -30.0), ("thermal-chamber", -30.0)),
    cold_plate_contact_m2=0.057 * 0.092,  # one face of the 57 x 92 mm pouch [2]
    solid_electrolyte=LI6PS5CL,
    critical_current_density_A_per_m2=critical_current_density_A_per_m2,
    references=(
        Reference(
            "Singh et al., Cell Rep. Phys. Sci. 3, 101043 (2022): Li6PS5Cl conductivity "
            "1.95 mS/cm at 25 degC, Ea 0.37 eV, CCD 0.4 mA/cm2 (the same coarse-grained pellet)",
            "doi:10.1016/j.xcrp.2022.101043",
        ),
        Reference(
            "Lee et al., Nature Energy 5, 299 (2020): cell design, Li interface resistance",
            "doi:10.1038/s41560-020-0575-z",
        ),
        Reference(
            "O'Regan et al., Electrochim. Acta 425, 140700 (2022): NMC811 electrochemistry "
            "and heat capacity (PyBaMM ORegan2022)",
            "doi:10.1016/j.electacta.2022.140700",
        ),
        Reference(
            "Spencer-Jolly et al., ACS Appl. Mater. Interfaces 13, 22708 (2021): CCD vs temperature",
            "doi:10.1021/acsami.1c06706",
        ),
        Reference("CRC Handbook of Chemistry and Physics, 97th ed. (2016): lithium", "ISBN 978-1498754286"),
        Reference("ASM Handbook Vol. 1 (1990): AISI 304 steel", "doi:10.31399/asm.hb.v01.9781627081610"),
        Reference(
            "Ayadi, Nastar, Bruneval, J. Mater. Chem. A (2024): no measured Li6PS5Cl heat capacity exists",
            "doi:10.1039/d4ta05159a",
        ),
        Reference("Xu et al., J. Electrochem. Soc. 166, A3456 (2019): lithium metal (PyBaMM Xu2019)",
                  "doi:10.1149/2.0991914jes"),
    ),
    notes=(
        "Assumptions: NMC811|Li6PS5Cl charge-transfer kinetics equal to NMC811|liquid of "
        "O'Regan 2022; Li6PS5Cl density from its crystal structure and heat capacity at the "
        "Dulong-Petit limit (no measurement published); the lithium interface resistance of "
        "Lee 2020 is a whole-cell value. The critical current density combines the 25 degC "
        "value of Singh 2022 with the temperature dependence of Spencer-Jolly 2021 and is "
        "strongly pressure- and microstructure-dependent; it is reported, not enforced."
    ),
)
