"""Tuning a heating controller: scipy optimisation of its settings under the same limits.

The tuner varies a few settings of a ``cell_heating`` config (by default, per method: the AC
or pulse frequency of a fixed-setting controller, the heater power of a PTC or heat pump,
the foil resistance of a self-heating cell; see :func:`default_knobs`) and minimises

* ``time``: the time to the target;
* ``energy``: the heating energy (grid + battery);
* ``time_with_budget``: the time to the target with the energy at most ``budget_Wh``.

A setting is infeasible when the target is not reached, lithium plating is possible
(``plating_time_s > 0``), or the AC voltage swing leaves the cell's voltage window; infeasible
settings are penalised, never chosen. The search is scipy's: :func:`scipy.optimize.brute` over
the impedance table's frequencies for AC and pulse, bounded Brent
(:func:`scipy.optimize.minimize_scalar`) for one continuous setting, and
:func:`scipy.optimize.differential_evolution` for several (all derivative-free: the objective
is a simulation with a terminal event). Every evaluated setting is kept, so the time-energy
trade-off curve (the Pareto front) comes for free.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

import numpy as np
from scipy import optimize

from battsim import api
from battsim.cells import get_chemistry
from battsim.config import Config
from battsim.errors import ConfigError
from battsim.heating import Knob, get_method
from battsim.models.impedance import impedance_table

OBJECTIVES = ("time", "energy", "time_with_budget")


def default_knobs(cfg: Config) -> list[Knob]:
    """What to tune for the config's method: the method's own knobs (:meth:`HeatingMethod.knobs`).

    AC and pulse: the frequency, on the impedance table's grid, with the amplitude set to the
    largest one the limits allow at the start (``ac_amplitude_A`` left at its default): the
    start is the coldest, most constrained state, so a larger fixed amplitude would plate or
    leave the voltage window, and a smaller one only heats slower. PTC and heat pump: the
    heater power. Self-heating: the foil resistance.
    """
    return get_method(cfg.heating.method).knobs(cfg.heating)


@dataclass
class Evaluation:
    settings: dict[str, float]
    time_s: float
    energy_Wh: float
    feasible: bool
    reason: str = ""


@dataclass
class TuneResult:
    objective: str
    best: Evaluation | None
    evaluations: list[Evaluation] = field(default_factory=list)

    def pareto(self) -> list[Evaluation]:
        """Feasible settings not beaten in both time and energy by another one, fastest first."""
        feasible = sorted((e for e in self.evaluations if e.feasible), key=lambda e: (e.time_s, e.energy_Wh))
        front, best_energy = [], math.inf
        for e in feasible:
            if e.energy_Wh < best_energy - 1e-12:
                front.append(e)
                best_energy = e.energy_Wh
        return front


def evaluate(cfg: Config, settings: dict[str, float]) -> Evaluation:
    """Run the heating phase with ``settings`` applied to ``[heating]``."""
    heating = dataclasses.replace(cfg.heating, **settings)
    candidate = dataclasses.replace(cfg, heating=heating)
    (result,) = api.run(candidate.to_dict(), errors="record")
    if result.status != "ok":
        return Evaluation(settings, math.inf, math.inf, False, result.error)
    m = result.metrics
    energy_Wh = 1000 * m["heating_energy_kWh"]
    reason = ""
    if m["heating_target_reached"] != 1.0:
        reason = "target not reached"
    elif m.get("plating_time_s", 0.0) > 0:
        reason = "plating margin crossed"
    elif "ac_voltage_max_V" in result.timeseries:
        v_min, v_max = get_chemistry(cfg.cell.chemistry).voltage_window_V
        if (result.timeseries["ac_voltage_max_V"].max() > v_max + 1e-9
                or result.timeseries["ac_voltage_min_V"].min() < v_min - 1e-9):
            reason = "voltage window left"
    return Evaluation(settings, m["heating_time_s"] if not reason else math.inf, energy_Wh, not reason, reason)


def tune(cfg: Config, objective: str = "time", budget_Wh: float | None = None,
         knobs: list[Knob] | None = None, max_evaluations: int = 60, seed: int = 1) -> TuneResult:
    """Optimise the heating settings of ``cfg`` for ``objective``.

    Raises
    ------
    ConfigError
        For a config that is not a single ``cell_heating`` case, an unknown objective, or a
        missing budget.
    """
    _check_request(cfg, objective, budget_Wh)
    internal = get_method(cfg.heating.method).internal
    if internal and cfg.heating.controller == "rapid":
        cfg = dataclasses.replace(cfg, heating=dataclasses.replace(cfg.heating, controller="thermostat"))
    knobs = knobs or default_knobs(cfg)
    result = TuneResult(objective=objective, best=None)
    penalty = 10.0 * cfg.heating.max_duration_s

    grid = impedance_table(get_chemistry(cfg.cell.chemistry)).frequencies_Hz if internal else None

    def settings_of(x):
        settings = {k.key: float(np.exp(v) if k.log else v) for k, v in zip(knobs, x)}
        if grid is not None and "ac_frequency_Hz" in settings:
            # the table's frequencies: one cell model per frequency, reused for every amplitude
            settings["ac_frequency_Hz"] = float(grid[np.argmin(np.abs(np.log(grid / settings["ac_frequency_Hz"])))])
        return settings

    def cost(x):
        evaluation = evaluate(cfg, settings_of(x))
        result.evaluations.append(evaluation)
        if not evaluation.feasible:
            return penalty
        if objective == "time":
            return evaluation.time_s
        if objective == "energy":
            return evaluation.energy_Wh
        over = max(0.0, evaluation.energy_Wh - budget_Wh) / budget_Wh
        return evaluation.time_s + penalty * over

    _search(cost, knobs, grid, max_evaluations, seed)
    feasible = [e for e in result.evaluations if e.feasible and
                (objective != "time_with_budget" or e.energy_Wh <= budget_Wh)]
    if feasible:
        key = (lambda e: e.energy_Wh) if objective == "energy" else (lambda e: e.time_s)
        result.best = min(feasible, key=key)
    return result


def _check_request(cfg: Config, objective: str, budget_Wh: float | None) -> None:
    if cfg.scenario.kind != "cell_heating":
        raise ConfigError(f"scenario.kind = '{cfg.scenario.kind}': the tuner needs 'cell_heating'")
    if objective not in OBJECTIVES:
        raise ConfigError(f"objective '{objective}': must be one of {', '.join(OBJECTIVES)}")
    if objective == "time_with_budget" and (budget_Wh is None or budget_Wh <= 0):
        raise ConfigError("objective 'time_with_budget' needs a positive energy budget (--energy-budget-Wh)")


def _search(cost, knobs: list[Knob], grid, max_evaluations: int, seed: int) -> None:
    """Minimise ``cost`` over the knobs: brute force on the table's frequencies, bounded Brent for one
    continuous knob, differential evolution for several (all derivative-free)."""
    bounds = [(math.log(k.lower), math.log(k.upper)) if k.log else (k.lower, k.upper) for k in knobs]
    if grid is not None and len(knobs) == 1:
        # a search over the table's frequencies (each one a built model, reused)
        points = np.log(grid[(grid >= knobs[0].lower) & (grid <= knobs[0].upper)])
        step = max(1, int(np.ceil(len(points) / max(2, max_evaluations))))
        optimize.brute(lambda x: cost([x[0]]), [(points[0], points[-1] + 1e-9)], Ns=len(points[::step]),
                       finish=None)
    elif len(knobs) == 1:
        for end in bounds[0]:  # Brent never tries the bounds, where monotone optima sit
            cost([end])
        optimize.minimize_scalar(lambda x: cost([x]), bounds=bounds[0], method="bounded",
                                 options={"maxiter": max(1, max_evaluations - 2), "xatol": 1e-3})
    else:
        popsize = max(2, max_evaluations // (len(knobs) * 4))
        optimize.differential_evolution(cost, bounds, seed=seed, popsize=popsize, maxiter=3, polish=False,
                                        tol=1e-3, init="sobol")
