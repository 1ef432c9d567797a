"""battsim: what a cold climate costs an electric vehicle's battery.

The package is layered (data flows top to bottom, nothing imports upward):

``battsim.cells``     chemistries: PyBaMM parameter sets, limits, citations
``battsim.thermal``   PyBaMM submodels: internal heat source, external thermal node
``battsim.simulation`` the adapter that builds a PyBaMM model once and solves it many times
``battsim.scenario``  sequencing of one case (a cell test today)
``battsim.metrics``   pure functions of a time series
``battsim.io``        HDF5 result files
``battsim.cli``       the ``battsim`` command
"""

from battsim._version import __version__

__all__ = ["__version__"]
