# %% [markdown]
# # Heating a cold cell: every method and controller from -20 to 10 degC
#
# One LG M50 cell (`nmc811-graphite`) at 80 % state of charge has soaked at -20 degC in its
# module: it exchanges heat with a coolant/plate node (its share of the pack's coolant and
# plate), which loses heat to the cold air through the pack insulation. We heat it to 10 degC
# with each heating method under each controller, and compare how long it takes, how much
# energy it costs (and who pays: grid or battery) and whether the graphite electrode was
# pushed into the lithium-plating region on the way.
#
# The methods (`heating.method`):
#
# * `ptc`: a resistive coolant heater (heats the node, which heats the cell);
# * `heat_pump`: the same node heated by a heat pump (COP above 1, falling in the cold);
# * `ac`: an alternating current through the cell, heating it from inside;
# * `pulse`: charge/discharge pulses, likewise.
#
# (`self_heating`, a nickel foil inside the cell switched across its own terminals, is for cells
# built for it: `configs/heating_self_heating.toml`.)
#
# The controllers (`heating.controller`): an on/off `thermostat`, a `pi` controller, and a
# constraint-aware `rapid` controller (as fast as the cell's limits allow).
#
# Run it as a script (`python examples/heating_comparison.py`) or cell by cell (`# %%`) in
# VS Code, Spyder or Jupyter from the repository root. Environment variables:
#
# * `BATTSIM_EXAMPLE_OUT`: folder for the figures (default `results/examples`);
# * `BATTSIM_EXAMPLE_QUICK=1`: two methods, two controllers and at most 30 minutes of heating
#   instead of all 12 cases and an hour (what the tests run).

# %%
import math
import os
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure  # no pyplot: nothing opens a window, any backend is fine

import battsim as bs

QUICK = os.environ.get("BATTSIM_EXAMPLE_QUICK", "0") not in ("", "0")
OUT = Path(os.environ.get("BATTSIM_EXAMPLE_OUT", "results/examples"))
OUT.mkdir(parents=True, exist_ok=True)
try:
    REPO = Path(__file__).resolve().parents[1]
except NameError:  # run cell by cell in an interactive window, started from the repository root
    REPO = Path.cwd()

# %% [markdown]
# ## 1. Run the comparison
#
# `configs/heating_comparison.toml` lists four methods and three controllers: 12 cases. Its
# comments give where the module's thermal numbers come from (and why foil self-heating is left
# out for this cell). `set=` overrides any key the way `battsim run --set` does; the quick mode
# keeps the two methods that need no impedance tables (`ptc` and `heat_pump`, both from outside
# the cell) and two controllers.

# %%
overrides = {}
if QUICK:
    overrides = {"heating.method": ["ptc", "heat_pump"], "heating.controller": ["thermostat", "pi"],
                 "heating.max_duration_s": 1800}
res = bs.run(REPO / "configs" / "heating_comparison.toml", set=overrides)
print(res)

# %% [markdown]
# ## 2. Time, energy and plating per method and controller
#
# The energies are per cell (multiply by the number of cells for the pack): electrical energy
# drawn for heating in total and by source, in Wh. `plating_time_s` is the time the
# negative-electrode potential spent below the plating margin (`heating.plating_margin_V`, 0 V
# against Li/Li+ by default): for AC and pulses it is the bottom of each current swing that
# counts. A case that did not reach the target within `max_duration_s` has no heating time.

# %%
summary = res.summary
table = summary[["method", "controller", "heating_target_reached", "heating_time_s", "heating_energy_kWh",
                 "heating_energy_grid_kWh", "heating_energy_battery_kWh", "heating_soc_consumed_pct",
                 "min_anode_potential_V", "plating_time_s", "end_temperature_C", "binding_limit"]].copy()
table["reached"] = table.pop("heating_target_reached").astype(bool)
table["heating_time_min"] = table.pop("heating_time_s") / 60
for source in ("", "_grid", "_battery"):
    table[f"energy{source}_Wh"] = 1000 * table.pop(f"heating_energy{source}_kWh")
table = table.set_index(["method", "controller"])
print(table[["reached", "heating_time_min", "energy_Wh", "energy_grid_Wh", "energy_battery_Wh",
             "heating_soc_consumed_pct", "min_anode_potential_V", "plating_time_s", "end_temperature_C"]]
      .to_string(float_format=lambda v: f"{v:.3g}"))

# %% [markdown]
# The same as one number per method and controller: minutes to the target.

# %%
methods = list(dict.fromkeys(summary["method"]))
controllers = list(dict.fromkeys(summary["controller"]))
minutes = table["heating_time_min"].unstack("controller").reindex(index=methods, columns=controllers)
print(minutes.to_string(float_format=lambda v: f"{v:.1f}", na_rep="-"))

# %% [markdown]
# ## 3. Cell temperature through the heating
#
# One panel per method, one line per controller (where they coincide, the controllers
# command the same full power all the way); the dashed line is the target. Heating from
# outside (`ptc`, `heat_pump`) has to warm the coolant and plate first and pass the heat
# through the cell's surface. Heating from inside warms the cell directly, but `ac` and `pulse`
# are held back by their limits: in the cold only a small current swing keeps the graphite above
# 0 V against Li/Li+, and the current limit (3C) caps the rest, so only a controller that raises
# the amplitude as the limits allow (`rapid`) gets there within the hour; `binding_limit` names
# the limit that held it back longest.

# %%
columns = min(3, len(methods))
rows = math.ceil(len(methods) / columns)
fig = Figure(figsize=(4.2 * columns, 3.4 * rows), layout="constrained")
axes = np.atleast_1d(fig.subplots(rows, columns, sharey=True, squeeze=False)).ravel()
# dashes of different lengths, so that controllers that give the same curve stay visible
linestyles = ["-", (0, (6, 3)), (0, (2, 2)), (0, (8, 2, 2, 2))]
styles = {c: {"ls": linestyles[i % len(linestyles)], "lw": max(0.8, 2.4 - 0.6 * i)} for i, c in enumerate(controllers)}
for ax, method in zip(axes, methods):
    for result in (r for r in res if r.params["method"] == method):
        df = result.to_dataframe()
        controller = result.params["controller"]
        ax.plot(df["time_s"] / 60, df["temperature_C"], label=controller, **styles[controller])
    target = summary.loc[summary["method"] == method, "target_C"].iloc[0]
    ax.axhline(target, color="k", ls="--", lw=0.8)
    ax.set_title(method)
    ax.set_xlabel("time [min]")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
for ax in axes[len(methods):]:
    ax.set_visible(False)
for ax in axes[::columns]:
    ax.set_ylabel("cell temperature [degC]")
fig.suptitle("LG M50 in its module, -20 degC -> 10 degC")
temperature_png = OUT / "heating_comparison_temperature.png"
fig.savefig(temperature_png, dpi=120)
print(f"wrote {temperature_png}")

# %% [markdown]
# ## 4. Check the physics
#
# Every case that reports the target as reached must have its cell at or above the target when
# the heating phase ended, and its heating time must be the first time the cell temperature
# series crosses the target; a case that did not reach it must have stayed below. Heating costs
# energy, never gives it.

# %%
assert summary["heating_target_reached"].any(), "no case reached the target"
for result in res:
    m, p = result.metrics, result.params
    df = result.to_dataframe()
    name = f"{p['method']}/{p['controller']}"
    assert m["heating_energy_kWh"] > 0, f"{name}: heating took no energy"
    if m["heating_target_reached"]:
        assert m["end_temperature_C"] >= p["target_C"] - 1e-3, f"{name}: reached, but ended at {m['end_temperature_C']}"
        first = df["time_s"][df["temperature_C"] >= p["target_C"] - 1e-3].iloc[0]
        assert math.isclose(first, m["heating_time_s"], rel_tol=1e-6), f"{name}: heating time {m['heating_time_s']}"
    else:
        assert df["temperature_C"].max() < p["target_C"], f"{name}: crossed the target but is not reported as reached"
print(f"checks passed: {int(summary['heating_target_reached'].sum())} of {len(res)} cases reached "
      "the target and ended at or above it")
