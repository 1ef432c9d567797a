"""Vehicles: drive cycles, road load, cabin and auxiliary loads -> battery power demand."""
