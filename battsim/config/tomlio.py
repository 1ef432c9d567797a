"""TOML in and out: read a config file, write a config (or any ``{section: {key: value}}``)."""

from __future__ import annotations

import math
import stat
import tomllib
from pathlib import Path
from typing import Any

from battsim.errors import ConfigError


def read_toml(path: str | Path) -> dict:
    """Parse a TOML file; a missing, special or malformed file is a :class:`ConfigError`."""
    path = Path(path)
    if not path.exists():
        raise ConfigError(f"config file '{path}' not found")
    if not stat.S_ISREG(path.stat().st_mode):
        kind = "a directory" if path.is_dir() else "not a regular file"
        raise ConfigError(f"config file '{path}' is {kind}; give a TOML file")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from error
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: not a UTF-8 text file") from error
    except OSError as error:
        raise ConfigError(f"config file '{path}' cannot be read: {error.strerror}") from error


def dumps_toml(data: dict[str, dict[str, Any]]) -> str:
    """TOML text of ``{section: {key: value}}`` with scalar, list or inline-table values (always
    valid TOML)."""
    lines = []
    for section, table in data.items():
        lines.append(f"[{_key(section)}]")
        lines += [f"{_key(key)} = {_toml_value(value)}" for key, value in table.items()]
        lines.append("")
    return "\n".join(lines)


def _key(key: str) -> str:
    bare = key and all(c.isascii() and (c.isalnum() or c in "_-") for c in key)
    return key if bare else _string(key)


def _string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and every control character escaped."""
    out = []
    for c in text:
        if c == '"':
            out.append('\\"')
        elif c == "\\":
            out.append("\\\\")
        elif c in "\n\t\r":
            out.append({"\n": "\\n", "\t": "\\t", "\r": "\\r"}[c])
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append(f"\\u{ord(c):04X}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):  # an inline table
        return "{" + ", ".join(f"{_key(str(k))} = {_toml_value(v)}" for k, v in value.items()) + "}"
    if hasattr(value, "item"):  # a NumPy scalar
        return _toml_value(value.item())
    raise TypeError(f"cannot write {value!r} as TOML")
