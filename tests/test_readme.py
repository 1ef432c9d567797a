"""The README stays true: its commands are the CI's, its config reference is the schema's."""

import re
from pathlib import Path

from battsim import config
from battsim.config.reference import reference_markdown

REPO = Path(__file__).parents[1]
README = (REPO / "README.md").read_text()


def test_ci_runs_exactly_the_readme_test_command():
    commands = re.findall(r"```bash\n(.+?)\n```", README)
    test_command = [c for c in commands if "pytest" in c]
    assert len(test_command) == 1
    ci = (REPO / ".ci" / "run").read_text()
    assert test_command[0] in ci.splitlines()


def test_quick_start_command_runs_the_quickstart_config():
    first = re.findall(r"```bash\n(.+?)\n```", README)[0]
    assert "pip install" in first and "configs/quickstart.toml" in first and "results/quickstart.h5" in first


def test_every_config_key_is_documented_with_its_default_and_unit():
    for section, field in config.keys():
        row = [line for line in README.splitlines() if line.startswith(f"| `{section}.{field.name}` |")]
        assert row, f"{section}.{field.name} missing from the README's configuration reference"
        cells = [c.strip() for c in row[0].strip("|").split("|")]
        default = field.default
        expected = ("—" if default is None else f'"{default}"' if isinstance(default, str)
                    else str(default).lower() if isinstance(default, bool) else repr(default))
        assert cells[1] == expected, (section, field.name, cells[1], expected)
        assert cells[2] == field.metadata["unit"]


def test_configuration_reference_is_the_generated_one():
    """Regenerate with `python -m battsim.config.reference` when the schema changes."""
    assert reference_markdown() in README
