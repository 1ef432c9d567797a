"""One module per heating method; each defines one :class:`battsim.heating.base.HeatingMethod`."""
