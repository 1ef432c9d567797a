"""The pack: its layout (cells, masses, network) and its trip DAE."""

from battsim.models.pack.layout import Pack, sized_pack
from battsim.models.pack.model import PackModel, continued, get_pack_model
from battsim.models.pack.terms import (
           CommandTerms,
           HeaterTerms,
           PackHeatingContext,
           TripHeating,
)

__all__ = ["CommandTerms", "HeaterTerms", "Pack", "PackHeatingContext", "PackModel", "TripHeating",
           "continued", "get_pack_model", "sized_pack"]
