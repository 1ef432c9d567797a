"""The one place battsim imports PyBaMM.

PyBaMM asks an interactive telemetry question the first time it is imported on a machine
without a PyBaMM config file. battsim runs unattended on clusters, so telemetry is switched
off through PyBaMM's documented opt-out variable *before* the import, and disabled again
afterwards in case a config file had opted in. PyBaMM's log level is left as the user set it.
"""

import os

os.environ.setdefault("PYBAMM_DISABLE_TELEMETRY", "true")

import pybamm  # noqa: E402
from pybamm.expression_tree import tree_util  # noqa: E402

pybamm.telemetry.disable()

__all__ = ["pybamm", "tree_util"]
