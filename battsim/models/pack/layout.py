"""A battery pack: its cells, masses, heat capacities and thermal network.

Thermal network (per pack; temperatures are states of the one DAE of
:mod:`battsim.models.pack.model`)::

    core cells --G_cp--+
                       +-- coolant/plate node (heater) --G_pe-- enclosure --G_ins-- ambient
    edge cells --G_cp--+                                          |
         \\-----------------------------G_ee----------------------+

Cells are represented by one DFN cell per thermal zone: ``core`` (inside the modules) and
``edge`` (next to the enclosure walls, with an extra path to them). Every cell carries the
same current (parallel strings share it equally: the spread of current between warm and cold
parallel cells is not modelled).

Defaults and their sources:

* cell mass / pack mass 0.62: VW MEB packs, 206/345, 232/376 and 309/493 kg of cells in
  55/62/82 kWh systems (Skoda Storyboard "Get to know the MEB platform"; LG E78 cells of
  1.073 kg, PushEVs 2020) give 0.60-0.63;
* of the other 38 %, 87 % enclosure and structure (housing is ~33 % of a pack in disassembly
  data, electronics ~4 %; secondary source) treated as aluminium (900 J/(kg K), CRC), the rest
  (cooling plates, electronics) on the coolant node, also as aluminium;
* coolant 5 L of 50 % ethylene glycol, 3.44 kJ/(L K) at 0 degC (Melinder 2010, via CoolProp):
  no published pack loop volume was found, so this is an assumption to override;
* cell to plate: a 1 mm gap pad of 2 W/(m K) (NREL module test of gap fillers, sponsored by
  LORD, 2019) over the cell's plate contact area (chemistry ``cold_plate_contact_m2``);
* edge cells to enclosure: natural convection, 10 W/(m2 K) (EX-14: below 20 for natural
  convection) over a quarter of the cell surface;
* plate to enclosure 20 W/K and enclosure to ambient (insulation) 10 W/K per pack: no
  published parked cool-down time constant exists (reference EX-15); with them a 66 kWh pack
  cools with a time constant of about 14 h. Override them with measured values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from battsim.models import names
from battsim.models.protocol import ChemistryLike

ALUMINIUM_CP = 900.0  # J/(kg K), CRC Handbook (PyBaMM ORegan2022's aluminium fit gives 897 at 25 degC)
GLYCOL_J_PER_LK = 3440.0  # 50 % ethylene glycol at 0 degC: 1075 kg/m3 x 3.20 kJ/(kg K), Melinder 2010
TIM_W_PER_MK, TIM_THICKNESS_M = 2.0, 1e-3
NATURAL_CONVECTION_W_PER_M2K = 10.0  # EX-14


@dataclass(frozen=True)
class Pack:
    """A pack of ``series`` x ``parallel`` cells and its thermal network.

    Parameters
    ----------
    chemistry : ChemistryLike
        The cell (a :class:`battsim.cells.Chemistry`).
    series, parallel : int
    edge_fraction : float
        Share of cells in the edge zone [-]; 0 gives a single (core) zone.
    cell_to_pack_mass_ratio : float
        Cell mass over pack mass [-]; 1 means no housing at all.
    coolant_L : float
        Coolant volume [L].
    plate_to_enclosure_W_per_K, insulation_W_per_K : float
        Conductances of the network [W.K-1].
    """

    chemistry: ChemistryLike
    series: int
    parallel: int
    edge_fraction: float = 0.25
    cell_to_pack_mass_ratio: float = 0.62
    coolant_L: float = 5.0
    plate_to_enclosure_W_per_K: float = 20.0
    insulation_W_per_K: float = 10.0

    @property
    def cell(self) -> ChemistryLike:
        return self.chemistry

    @property
    def n_cells(self) -> int:
        return self.series * self.parallel

    @property
    def zones(self) -> dict[str, float]:
        """Thermal zones and their share of the cells."""
        if self.edge_fraction <= 0:
            return {"core": 1.0}
        return {"core": 1.0 - self.edge_fraction, "edge": self.edge_fraction}

    @property
    def nominal_energy_kWh(self) -> float:
        cell = self.cell
        return self.n_cells * cell.nominal_capacity_Ah * _nominal_voltage(cell, 3.6) / 1000

    @property
    def cell_mass_kg(self) -> float:
        return self.n_cells * self.cell.mass_kg

    @property
    def non_cell_mass_kg(self) -> float:
        return self.cell_mass_kg * (1 / self.cell_to_pack_mass_ratio - 1)

    @property
    def mass_kg(self) -> float:
        return self.cell_mass_kg + self.non_cell_mass_kg

    @property
    def enclosure_heat_capacity_J_per_K(self) -> float:
        return 0.87 * self.non_cell_mass_kg * ALUMINIUM_CP

    @property
    def coolant_heat_capacity_J_per_K(self) -> float:
        return 0.13 * self.non_cell_mass_kg * ALUMINIUM_CP + self.coolant_L * GLYCOL_J_PER_LK

    def cell_to_coolant_W_per_K(self) -> float:
        """Conductance from one cell to the cooling plate [W.K-1]."""
        return TIM_W_PER_MK * self.cell.cold_plate_contact_m2 / TIM_THICKNESS_M

    def edge_to_enclosure_W_per_K(self) -> float:
        """Extra conductance from one edge cell to the enclosure [W.K-1]."""
        area = float(self.cell.parameter_values()[names.COOLING_SURFACE_AREA])
        return 0.25 * NATURAL_CONVECTION_W_PER_M2K * area

    def heat_capacity_J_per_K(self, T_K: float = 298.15) -> float:
        """Total heat capacity of the pack [J.K-1] at ``T_K``."""
        return (self.n_cells * self.cell.heat_capacity_J_per_K(T_K)
                + self.coolant_heat_capacity_J_per_K + self.enclosure_heat_capacity_J_per_K)


def _nominal_voltage(cell: ChemistryLike, fallback: float) -> float:
    """Nominal voltage [V] of the chemistries (mid-window for graphite cells)."""
    nominal = {"nmc811-graphite": 3.63, "lfp-graphite": 3.2, "nco-graphite-power": 3.7,
               "solid-state-li-metal": 3.7}
    return nominal.get(cell.name, fallback)


def sized_pack(chemistry: ChemistryLike, energy_kWh: float, series: int | None = None, **kwargs) -> Pack:
    """A pack of ``chemistry`` sized to ``energy_kWh`` [kW.h]: ``series`` for about 355 V, then parallel."""
    cell = chemistry
    V = _nominal_voltage(cell, 3.6)
    series = series or max(1, round(355.0 / V))
    parallel = max(1, math.ceil(energy_kWh * 1000 / (series * cell.nominal_capacity_Ah * V) - 1e-9))
    return Pack(chemistry, series, parallel, **kwargs)
