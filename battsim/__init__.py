"""battsim: what a cold climate costs an electric vehicle's battery.

.. code-block:: python

    import battsim as bs
    res = bs.run("configs/quickstart.toml", set={"climate.ambient_C": [25, -10]})
    res.summary

The package is layered; data flows config -> cases -> models -> metrics -> results, and
nothing imports upward (``pyproject.toml`` states the layers; import-linter checks them):

``battsim.cli``                        the ``battsim`` command
``battsim.studies``, ``battsim.reporting``  tuner, calibration, validation; plots and reports
``battsim.api``                        ``run``, ``open_results``, ``chemistries``, ``calibrate``
``battsim.sweep``                      many cases; failures recorded
``battsim.cases``                      one case: phases in order, 25 degC reference, metrics
``battsim.config``                     schema, TOML, ``--set``, expansion into cases
``battsim.heating``                    heating methods and controllers (one class each)
``battsim.cells``                      chemistries: PyBaMM parameter sets, limits, citations
``battsim.results``                    the result type and HDF5 files
``battsim.models``                     PyBaMM behind one adapter; cell and pack models
``battsim.vehicle``, ``battsim.metrics``   drive cycles, road load; metric functions
``battsim.units``, ``battsim.errors``  units and exceptions
"""

from battsim._version import __version__
from battsim.errors import BattsimError, ConfigError, SimulationError, ValidityWarning

_API = {"run", "open_results", "chemistries", "calibrate"}
_TYPES = {"Result", "Results"}


def __getattr__(name):
    # the API imports PyBaMM; importing battsim for its errors or config does not
    if name in _API:
        from battsim import api

        return getattr(api, name)
    if name in _TYPES:
        from battsim import results

        return getattr(results, name)
    raise AttributeError(f"module 'battsim' has no attribute {name!r}")


__all__ = ["BattsimError", "ConfigError", "Result", "Results", "SimulationError", "ValidityWarning",
           "__version__", "calibrate", "chemistries", "open_results", "run"]
