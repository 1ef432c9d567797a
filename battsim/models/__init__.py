"""The model layer: PyBaMM behind one adapter.

Only this layer imports PyBaMM (through :mod:`battsim.models._pybamm`). It holds every PyBaMM
name (:mod:`~battsim.models.names`), the cell-model protocol (:mod:`~battsim.models.protocol`),
the cell model (:mod:`~battsim.models.cell`), battsim's thermal and heating submodels, the
impedance tables and the pack model (:mod:`~battsim.models.pack`). It receives chemistries as
objects and never resolves a name.
"""
