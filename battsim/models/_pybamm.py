"""The one place battsim imports PyBaMM.

PyBaMM asks an interactive telemetry question the first time it is imported on a machine
without a PyBaMM config file. battsim runs unattended on clusters, so telemetry is switched
off through PyBaMM's documented opt-out variable *before* the import, and disabled again
afterwards in case a config file had opted in. PyBaMM's log level is left as the user set it.

PyBaMM's machine-code compile (``[solver] compile``) builds with ``-march=native`` and caches the
libraries under ``$PYBAMM_CASADI_AOT_CACHE`` keyed by the equations only. On a cluster whose nodes
share that folder, a node with an older processor would load a library built for a newer one and
die of an illegal instruction. battsim therefore points PyBaMM at a subfolder named after this
processor (:func:`processor_key`): nodes of one kind share their compiled equations, others compile
their own.
"""

import hashlib
import os
import platform
import tempfile

os.environ.setdefault("PYBAMM_DISABLE_TELEMETRY", "true")

#: PyBaMM's compile-cache variable, and its default folder (pybamm.codegen.compilation)
AOT_CACHE_VARIABLE = "PYBAMM_CASADI_AOT_CACHE"
AOT_CACHE_DEFAULT = os.path.join(tempfile.gettempdir(), "pybamm_casadi_aot")


def processor_key(cpuinfo: str | None = None) -> str:
    """``<machine>-<12 hex digits>`` from the processor's model name and instruction-set flags
    (``/proc/cpuinfo``'s first processor; elsewhere :func:`platform.processor`): what ``-march=native``
    compiles for."""
    if cpuinfo is None:
        try:
            with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
                cpuinfo = f.read()
        except OSError:
            cpuinfo = platform.processor()
    first = cpuinfo.split("\n\n")[0]
    wanted = [line.split(":", 1)[1].strip() for line in first.splitlines()
              if line.split(":", 1)[0].strip() in ("model name", "flags", "Features", "CPU part")]
    text = "\n".join(wanted) or first
    return f"{platform.machine() or 'cpu'}-{hashlib.sha256(text.encode()).hexdigest()[:12]}"


def processor_cache_dir(current: str | None, key: str) -> str:
    """The compile-cache folder for ``key`` under ``current`` (the variable's value, else PyBaMM's
    default); unchanged if it already is one (a worker inherits its parent's environment)."""
    base = current or AOT_CACHE_DEFAULT
    return base if os.path.basename(os.path.normpath(base)) == key else os.path.join(base, key)


os.environ[AOT_CACHE_VARIABLE] = processor_cache_dir(os.environ.get(AOT_CACHE_VARIABLE), processor_key())

import pybamm  # noqa: E402
from pybamm.expression_tree import tree_util  # noqa: E402

pybamm.telemetry.disable()

__all__ = ["pybamm", "tree_util"]
