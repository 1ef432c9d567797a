"""Every PyBaMM parameter, variable and event name battsim uses, in one place.

PyBaMM addresses parameters and variables by strings; a misspelt string fails only when a
model is solved. battsim's code names them through these constants, so a typo is a
``NameError`` at import and a rename is one line.

The module also holds the *sentinel* input values that switch an event off ("never"), so
"off" is written one way everywhere.
"""

from __future__ import annotations

# ----------------------------------------------------------------------------- sentinels

#: a temperature threshold input that no cell reaches: its event never fires [K]
NEVER_K = 1.0e6
#: a lower temperature threshold that no cell falls to [K]
NEVER_BELOW_K = 0.0
#: a distance target no trip reaches [m]
NEVER_M = 1.0e12
#: a warming-rate cap that never binds [K.s-1]
NEVER_K_PER_S = 1.0e6

# ------------------------------------------------------------------- PyBaMM's own names

TIME_S = "Time [s]"
#: the argument name of a PyBaMM function parameter of temperature
FUNCTION_TEMPERATURE = "Temperature [K]"
TIME_H = "Time [h]"
VOLTAGE = "Voltage [V]"
CURRENT = "Current [A]"
CURRENT_FUNCTION = "Current function [A]"
DISCHARGE_CAPACITY = "Discharge capacity [A.h]"
DISCHARGE_ENERGY = "Discharge energy [W.h]"
CELL_TEMPERATURE = "Volume-averaged cell temperature [K]"
AMBIENT_TEMPERATURE_VARIABLE = "Volume-averaged ambient temperature [K]"
SURFACE_TEMPERATURE = "Surface temperature [K]"
SURFACE_TEMPERATURE_AVERAGE = "Volume-averaged surface temperature [K]"
ENVIRONMENT_COOLING = "Environment total cooling [W]"
SURFACE_COOLING = "Surface total cooling [W]"
TOTAL_HEATING = "Total heating [W]"
CONTACT_HEATING = "Lumped contact resistance heating [W]"
CELL_THERMAL_VOLUME = "Cell thermal volume [m3]"
EFFECTIVE_HEAT_CAPACITY = "Volume-averaged effective heat capacity [J.K-1.m-3]"
ANODE_POTENTIAL = "Negative electrode surface potential difference at separator interface [V]"
LITHIUM_INTERFACE_CURRENT_DENSITY = "Lithium metal total interfacial current density [A.m-2]"

AMBIENT_TEMPERATURE = "Ambient temperature [K]"
INITIAL_TEMPERATURE = "Initial temperature [K]"
HEAT_TRANSFER_COEFFICIENT = "Total heat transfer coefficient [W.m-2.K-1]"
COOLING_SURFACE_AREA = "Cell cooling surface area [m2]"
INITIAL_C_NEGATIVE = "Initial concentration in negative electrode [mol.m-3]"
INITIAL_C_POSITIVE = "Initial concentration in positive electrode [mol.m-3]"
MAX_C_NEGATIVE = "Maximum concentration in negative electrode [mol.m-3]"
MAX_C_POSITIVE = "Maximum concentration in positive electrode [mol.m-3]"
ELECTRODE_HEIGHT = "Electrode height [m]"
ELECTRODE_WIDTH = "Electrode width [m]"
ELECTRODES_IN_PARALLEL = "Number of electrodes connected in parallel to make a cell"
POSITIVE_ACTIVE_FRACTION = "Positive electrode active material volume fraction"
POSITIVE_THICKNESS = "Positive electrode thickness [m]"

# ------------------------------------------------------------- battsim's cell thermal names

INTERNAL_HEAT_SOURCE = "Internal heat source [W]"
CELL_HEAT_CAPACITY = "Cell heat capacity [J.K-1]"
HEAT_CAPACITY_SCALE = "Cell heat capacity scale"
HEAT_FROM_SURFACE = "Heat from cell surface [W]"
CUMULATIVE_ELECTROCHEMICAL_HEAT = "Cumulative electrochemical heat [J]"
CUMULATIVE_INTERNAL_HEAT = "Cumulative internal heat source [J]"
CUMULATIVE_HEAT_FROM_SURFACE = "Cumulative heat from cell surface [J]"

NODE_TEMPERATURE = "External node temperature [K]"
NODE_TEMPERATURE_C = "External node temperature [C]"
NODE_HEAT_CAPACITY = "External node heat capacity [J.K-1]"
NODE_CONDUCTANCE = "External node to ambient conductance [W.K-1]"
NODE_HEATER_POWER = "External node heater power [W]"
NODE_INITIAL_TEMPERATURE = "External node initial temperature [K]"
NODE_HEAT_TO_AMBIENT = "External node heat to ambient [W]"
CUMULATIVE_NODE_HEATER = "Cumulative external node heater energy [J]"
CUMULATIVE_NODE_TO_AMBIENT = "Cumulative external node heat to ambient [J]"

# ----------------------------------------------------------------------- heating names

COMMAND = "Heating command"
TARGET = "Heating target temperature [K]"
LOWER = "Heating lower threshold [K]"
CURRENT_SETPOINT = "Cell current setpoint [A]"
INITIAL_SOC = "Initial state of charge"
STATE_OF_CHARGE = "State of charge"

HEATER_ELECTRIC = "Heater electrical power [W]"
HEATING_FROM_BATTERY = "Heating power from battery [W]"
HEATING_FROM_GRID = "Heating power from grid [W]"
HEATING_LOSSES = "Heating losses [W]"
HEAT_PUMPED = "Heat pumped from ambient [W]"
HEAT_PUMP_COP = "Heat pump COP"
FOIL_CURRENT = "Foil current [A]"

CUMULATIVE_HEATING_GRID = "Cumulative heating energy from grid [J]"
CUMULATIVE_HEATING_BATTERY = "Cumulative heating energy from battery [J]"
CUMULATIVE_HEATING_LOSSES = "Cumulative heating losses [J]"
CUMULATIVE_HEAT_PUMPED = "Cumulative heat pumped from ambient [J]"

# inputs of the heating methods and controllers
BATTERY_SHARE = "Heating from battery"
HEATER_POWER_LIMIT = "Heater power limit [W]"
HEATER_EFFICIENCY = "Heater efficiency"
NODE_LIMIT = "Node temperature limit [K]"
INVERTER_EFFICIENCY = "Inverter efficiency"
AC_AMPLITUDE_SCALE = "AC amplitude scale"
MAX_WARMING_RATE = "Maximum warming rate [K.s-1]"
FOIL_RESISTANCE = "Foil resistance [Ohm]"
PI_GAIN = "PI gain [K-1]"
PI_INTEGRAL_GAIN = "PI integral gain [K-1.s-1]"
PI_SETPOINT = "PI setpoint [K]"
PI_STATE = "PI integral state [K.s]"
PI_RAW = "PI raw command"
PI_ERROR = "PI error [K]"
HEATER_ENABLED = "Heater enabled"

# events
EVENT_TARGET = "Heating target reached"
EVENT_LOWER = "Heating lower threshold reached"
EVENT_SOC_FLOOR = "State of charge floor"
EVENT_DISTANCE = "Distance reached"
EVENT_MIN_VOLTAGE = "Minimum voltage"

# -------------------------------------------------------------------------- pack names

CELL_CURRENT = "Cell current [A]"
COOLANT_T = "Pack coolant temperature [K]"
ENCLOSURE_T = "Pack enclosure temperature [K]"
SERIES_CELLS = "Series cells"
PARALLEL_STRINGS = "Parallel strings"
COOLANT_HEAT_CAPACITY = "Coolant heat capacity [J.K-1]"
ENCLOSURE_HEAT_CAPACITY = "Enclosure heat capacity [J.K-1]"
PLATE_TO_ENCLOSURE = "Plate to enclosure conductance [W.K-1]"
INSULATION = "Insulation conductance [W.K-1]"
ZONE_CELL_COUNT = "Zone cell count"
CELL_TO_COOLANT = "Cell to coolant conductance [W.K-1]"
CELL_TO_ENCLOSURE = "Cell to enclosure conductance [W.K-1]"
VEHICLE_MASS = "Vehicle mass [kg]"
ROLLING_RESISTANCE = "Rolling resistance coefficient"
DRAG_AREA = "Drag area [m2]"
AIR_DENSITY = "Air density [kg.m-3]"
DRIVETRAIN_EFFICIENCY = "Drivetrain efficiency"
REGEN_EFFICIENCY = "Regeneration efficiency"
AUX_POWER = "Auxiliary power [W]"
CABIN_HEATER_POWER = "Cabin heater power [W]"
MOTOR_MAX_POWER = "Motor rated power [W]"
MOTOR_PEAK_EFFICIENCY = "Motor peak efficiency"
GEARBOX_EFFICIENCY = "Gearbox efficiency"
REGEN_SHARE = "Braking share to the motor"
DRIVETRAIN_MAP = "Drivetrain map on"
REGEN_MAP = "Regeneration map on"
CABIN_T = "Cabin temperature [K]"
#: the distance driven [m]: the trace's integral (battsim.models.pack.demand.trace_distance_m), not a state
CUMULATIVE_DISTANCE = "Cumulative distance [m]"
INITIAL_CABIN_TEMPERATURE = "Initial cabin temperature [K]"
CABIN_HEAT_CAPACITY = "Cabin heat capacity [J.K-1]"
CABIN_SHELL_HTC = "Cabin shell heat transfer coefficient [W.m-2.K-1]"
CABIN_STOPPED_HTC = "Cabin parked outside heat transfer coefficient [W.m-2.K-1]"
CABIN_LENGTH = "Cabin length [m]"
CABIN_WIDTH = "Cabin width [m]"
CABIN_SETPOINT = "Cabin set point [K]"
CABIN_GAIN = "Cabin controller gain [W.K-1]"
CABIN_PTC_MAX = "Cabin resistive heater power [W]"
CABIN_HEAT_PUMP_MAX = "Cabin heat pump electric power [W]"
CABIN_FRESH_AIR = "Cabin fresh air flow [kg.s-1]"
CABIN_SOLAR = "Cabin solar gain [W]"
CABIN_HEATER_ON = "Cabin heater on"
CABIN_FROM_GRID = "Cabin heating from grid"
DRIVING = "Driving"
DRIVE_START = "Drive start time [s]"
DISTANCE_TARGET = "Distance target [m]"
MIN_SOC = "Minimum state of charge"

#: zone-specific parameters of a pack (renamed with the zone's prefix)
ZONE_PARAMETERS = (HEAT_TRANSFER_COEFFICIENT, CELL_TO_COOLANT, CELL_TO_ENCLOSURE, ZONE_CELL_COUNT)
#: a pack zone's initial state (renamed with the zone's prefix: a trip that changes cell model at
#: departure starts each zone of the drive's model where the parked model left it)
ZONE_INITIAL_STATE = (INITIAL_TEMPERATURE, INITIAL_C_POSITIVE, INITIAL_C_NEGATIVE)
INITIAL_COOLANT_TEMPERATURE = "Initial coolant temperature [K]"
INITIAL_ENCLOSURE_TEMPERATURE = "Initial enclosure temperature [K]"


def zone_prefix(zone: str) -> str:
    """The prefix of a pack zone's copy of the cell model's names (``"Core "``)."""
    return zone.capitalize() + " "

# ---------------------------------------------------------------- the fast model (models/fast.py)

FAST_R0 = "Fast model series resistance [Ohm]"
FAST_R1 = "Fast model diffusion resistance [Ohm]"
FAST_TAU = "Fast model diffusion time constant [s]"
FAST_ANODE_SHARE = "Fast model anode share of the calibrated overpotential"
#: the same on charge (the element is calibrated for each direction of current)
FAST_R0_CHARGE = "Fast model series resistance on charge [Ohm]"
FAST_R1_CHARGE = "Fast model diffusion resistance on charge [Ohm]"
FAST_TAU_CHARGE = "Fast model diffusion time constant on charge [s]"
FAST_ANODE_SHARE_CHARGE = "Fast model anode share of the calibrated overpotential on charge"
CALIBRATED_DISCHARGE_WEIGHT = "Calibrated element discharge weight"
CALIBRATED_OVERPOTENTIAL = "Calibrated overpotential [V]"
CALIBRATED_DIFFUSION_OVERPOTENTIAL = "Calibrated diffusion overpotential [V]"
CALIBRATED_HEATING = "Calibrated overpotential heating [W]"
CALIBRATED_SOC = "Calibrated state of charge"
#: the positive electrode's average concentration at 0 and 100 % SOC (the fast model's SOC scale)
FAST_C_EMPTY = "Fast model positive particle concentration at 0 % SOC [mol.m-3]"
FAST_C_FULL = "Fast model positive particle concentration at 100 % SOC [mol.m-3]"
FUNCTION_SOC = "State of charge"
AVERAGE_POSITIVE_CONCENTRATION = "Average positive particle concentration [mol.m-3]"
#: PyBaMM's other names of the terminal voltage, and its contact-resistance terms
VOLTAGE_EXPRESSION = "Voltage expression [V]"
TERMINAL_VOLTAGE = "Terminal voltage [V]"
CONTACT_OVERPOTENTIAL = "Contact overpotential [V]"
CONTACT_HEATING_DENSITY = "Lumped contact resistance heating [W.m-3]"
