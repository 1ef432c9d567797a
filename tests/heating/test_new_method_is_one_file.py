"""Adding a heating method is one file: a module dropped into battsim.heating.methods' path is
found by the registry, accepted by the config and run end to end, with nothing else edited."""

import textwrap

import pytest

import battsim as bs
from battsim import heating
from battsim.heating import methods

PLUGIN = '''
"""``blanket``: a resistive blanket around the cell, heating its node (a test plug-in)."""

from battsim.heating.base import HeatingMethod, PreparedHeating
from battsim.models import heating_submodels as hs
from battsim.models import names
from battsim.models.cell import HeatingDesign


class Blanket(HeatingMethod):
    name = "blanket"
    summary = "resistive blanket heating the cell's node"

    def cell_design(self, chemistry, settings, controller, capacity_Ah, initial_T_K, initial_soc):
        def method(param, options):
            return hs.ExternalHeater(param, options)

        inputs = {**controller.cell_inputs(settings), **self.base_inputs(settings),
                  names.HEATER_POWER_LIMIT: 2 * settings.heater_power_W, names.HEATER_EFFICIENCY: 1.0}
        design = HeatingDesign(key=f"{chemistry.name}/blanket/{controller.name}", method=method,
                               controller=controller.cell_submodel(), inputs=tuple(inputs))
        return PreparedHeating(design=design, inputs=inputs)
'''


@pytest.fixture
def blanket(tmp_path, monkeypatch):
    (tmp_path / "blanket.py").write_text(textwrap.dedent(PLUGIN))
    monkeypatch.setattr(methods, "__path__", [*methods.__path__, str(tmp_path)])
    heating._registry.cache_clear()
    yield
    heating._registry.cache_clear()


@pytest.mark.slow
def test_a_new_method_file_is_found_and_runs(blanket):
    assert "blanket" in heating.method_names()
    config = {"scenario": {"kind": "cell_heating"}, "climate": {"ambient_C": -10.0},
              "thermal": {"node_heat_capacity_J_per_K": 10.0, "node_to_ambient_W_per_K": 0.005},
              "heating": {"method": ["ptc", "blanket"], "controller": "thermostat", "target_C": 0.0}}
    ptc, blanket_result = bs.run(config)
    assert blanket_result.params["method"] == "blanket"
    # twice the heater power: the same target sooner, for about the same heat
    assert blanket_result.metrics["heating_time_s"] < ptc.metrics["heating_time_s"]
    assert blanket_result.metrics["heating_energy_kWh"] == pytest.approx(ptc.metrics["heating_energy_kWh"], rel=0.25)
