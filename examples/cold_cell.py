# %% [markdown]
# # A cell in the cold: what a 1C discharge delivers at 25, 0, -10 and -20 degC
#
# We take one LG M50 21700 cell (`nmc811-graphite`: NMC811 / graphite-SiOx, 5.0 Ah,
# 2.5-4.2 V), charge it full, let it sit at the ambient temperature until it is there, and
# discharge it at 1C (5 A) to its lower voltage limit. battsim solves PyBaMM's
# Doyle-Fuller-Newman model with temperature-dependent kinetics, diffusivities, electrolyte
# and heat capacity, and a lumped thermal model: the cell warms itself with its own losses
# while it loses heat to the cold air.
#
# Run it as a script (`python examples/cold_cell.py`) or cell by cell (`# %%`) in VS Code,
# Spyder or Jupyter (jupytext) from the repository root. Environment variables:
#
# * `BATTSIM_EXAMPLE_OUT`: folder for the figures (default `results/examples`);
# * `BATTSIM_EXAMPLE_QUICK=1`: two temperatures instead of four (what the tests run).

# %%
import os
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure  # no pyplot: nothing opens a window, any backend is fine

import battsim as bs

QUICK = os.environ.get("BATTSIM_EXAMPLE_QUICK", "0") not in ("", "0")
OUT = Path(os.environ.get("BATTSIM_EXAMPLE_OUT", "results/examples"))
OUT.mkdir(parents=True, exist_ok=True)

# %% [markdown]
# ## 1. The test, as a config
#
# A config is the same as a TOML file, given here as a dict of sections. A list as a value
# means one case per value: `ambient_C = [25, 0, -10, -20]` is four cases. The cell starts at
# ambient (`cell.initial_temperature_C` is not given), and each case is compared with the same
# test at 25 degC, which battsim runs (or reuses) itself.

# %%
ambients_C = [25, -20] if QUICK else [25, 0, -10, -20]
config = {
    "scenario": {"kind": "cell_discharge", "name": "LG M50, 1C discharge in the cold"},
    "cell": {"chemistry": "nmc811-graphite", "model": "DFN", "initial_soc": 1.0},
    "climate": {"ambient_C": ambients_C},
    "discharge": {"c_rate": 1.0},
}
res = bs.run(config)
print(res)

# %% [markdown]
# ## 2. The summary table
#
# `res.summary` is a pandas DataFrame, one row per case: the case's parameters under their
# config names, then every metric. The units are in `summary.attrs["units"]`.
#
# * `delivered_capacity_Ah`: charge delivered down to 2.5 V;
# * `delivered_capacity_pct_of_25C`: the same against the 25 degC test;
# * `delivered_energy_Wh`, `mean_voltage_V`: energy at the terminals and its mean voltage;
# * `end_temperature_C`, `max_temperature_C`: how far the cell warmed itself;
# * `min_anode_potential_V`: lowest graphite potential against Li/Li+ (below 0 V lithium
#   can plate; on discharge it stays well above).

# %%
summary = res.summary
columns = ["ambient_C", "delivered_capacity_Ah", "delivered_capacity_pct_of_25C", "delivered_energy_Wh",
           "mean_voltage_V", "end_temperature_C", "max_temperature_C", "min_anode_potential_V", "duration_s"]
units = {"ambient_C": "degC", **summary.attrs["units"]}  # the parameters' units are the config's
print(summary[columns].rename(columns={c: f"{c} [{units[c]}]" for c in columns})
      .to_string(index=False, float_format=lambda v: f"{v:.3f}"))

# %% [markdown]
# ## 3. Delivered capacity against temperature
#
# The colder the cell, the slower its electrolyte and solid diffusion and the slower its
# charge-transfer kinetics: the voltage reaches its lower limit earlier, and less of the
# stored charge comes out. None of it is lost; it comes back when the cell is warm.

# %%
by_temperature = summary.sort_values("ambient_C", ascending=False)
for _, row in by_temperature.iterrows():
    print(f"{row['ambient_C']:6.0f} degC: {row['delivered_capacity_Ah']:.3f} Ah "
          f"({row['delivered_capacity_pct_of_25C']:5.1f} % of 25 degC), {row['delivered_energy_Wh']:.2f} Wh")

fig = Figure(figsize=(5.5, 4), layout="constrained")
ax = fig.add_subplot()
ax.plot(by_temperature["ambient_C"], by_temperature["delivered_capacity_pct_of_25C"], "o-")
for _, row in by_temperature.iterrows():
    ax.annotate(f"{row['delivered_capacity_Ah']:.2f} Ah", (row["ambient_C"], row["delivered_capacity_pct_of_25C"]),
                textcoords="offset points", xytext=(0, -14), ha="center", fontsize=8)
ax.margins(x=0.08, y=0.15)  # room for the labels
ax.set_xlabel("ambient and initial temperature [degC]")
ax.set_ylabel("delivered capacity [% of 25 degC]")
ax.set_title("LG M50 (nmc811-graphite), 1C discharge from full")
ax.grid(alpha=0.3)
capacity_png = OUT / "cold_cell_capacity.png"
fig.savefig(capacity_png, dpi=120)
print(f"wrote {capacity_png}")

# %% [markdown]
# ## 4. Voltage and temperature through each discharge
#
# `res[i].to_dataframe()` gives the time series of case `i` (temperatures in degC, everything
# else in SI). In the cold the voltage starts lower (larger overpotentials) and the cell heats
# itself by several kelvin; that heat is what lets it recover some of its voltage late in the
# discharge.

# %%
fig = Figure(figsize=(7, 6), layout="constrained")
ax_v, ax_T = fig.subplots(2, 1, sharex=True)
for result in sorted(res, key=lambda r: -r.params["ambient_C"]):
    df = result.to_dataframe()
    label = f"{result.params['ambient_C']:g} degC"
    minutes = df["time_s"] / 60
    ax_v.plot(minutes, df["voltage_V"], label=label)
    ax_T.plot(minutes, df["temperature_C"], label=label)
ax_v.set_ylabel("voltage [V]")
ax_T.set_ylabel("cell temperature [degC]")
ax_T.set_xlabel("time [min]")
ax_v.legend(title="ambient")
for ax in (ax_v, ax_T):
    ax.grid(alpha=0.3)
fig.suptitle("1C discharge of an LG M50 from full, starting at ambient")
series_png = OUT / "cold_cell_voltage_temperature.png"
fig.savefig(series_png, dpi=120)
print(f"wrote {series_png}")

# %% [markdown]
# ## 5. Check the physics
#
# Colder must mean less delivered capacity, the 25 degC case is its own reference (100 %),
# and every cell must end warmer than the air around it, since a discharging cell releases
# heat.

# %%
capacities = by_temperature["delivered_capacity_Ah"].to_numpy()
assert np.all(np.diff(capacities) < 0), f"delivered capacity does not fall as it gets colder: {capacities}"
reference = by_temperature[by_temperature["ambient_C"] == 25]
assert np.allclose(reference["delivered_capacity_pct_of_25C"], 100.0), "the 25 degC case is not its own reference"
assert np.all(by_temperature["end_temperature_C"] > by_temperature["ambient_C"]), "a cell ended below ambient"
print("checks passed: colder -> less delivered capacity; every cell warmed above ambient")
