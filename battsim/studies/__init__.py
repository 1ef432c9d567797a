"""Studies built on the public API: the heating tuner, the self-heating calibration, validation."""
