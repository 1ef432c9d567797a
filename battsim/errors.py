"""battsim's exceptions and warnings.

Every :class:`BattsimError` is a problem the user can act on; the CLI prints its message on
one line and exits with status 2, without a traceback.
"""

import difflib


class BattsimError(Exception):
    """Base class of the errors battsim reports to its user."""


class ConfigError(BattsimError, ValueError):
    """A configuration key, value or file is not acceptable."""


class ChemistryError(BattsimError, KeyError):
    """An unknown chemistry, or a chemistry used outside what it supports."""

    def __str__(self):  # KeyError quotes its message; we want it plain
        return str(self.args[0]) if self.args else ""


class SimulationError(BattsimError, RuntimeError):
    """The solver failed or a case could not be simulated.

    ``str(error)`` is one line with the physical reason; ``detail`` holds the solver's full
    message (written to the result file, not printed).
    """

    def __init__(self, message: str, detail: str = ""):
        super().__init__(message)
        self.detail = detail


class ResultFileError(BattsimError, OSError):
    """A result file is missing, unreadable or of an unknown schema."""


class ValidityWarning(UserWarning):
    """A model is asked to run where it is known to lose validity."""


def did_you_mean(word, choices) -> str:
    """``" (did you mean 'x'?)"`` for the closest of ``choices`` to ``word``, or ``""``."""
    choices = [str(c) for c in choices]
    prefixed = [c for c in choices if c.lower().startswith(str(word).lower())]
    close = prefixed[:1] if len(prefixed) == 1 else difflib.get_close_matches(str(word), choices, n=1, cutoff=0.5)
    return f" (did you mean '{close[0]}'?)" if close else ""


class ConfigWarning(UserWarning):
    """A config is valid but says something the scenario ignores."""
