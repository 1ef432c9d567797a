"""The README's configuration reference, generated from the schema (``python -m battsim.config.reference``)."""

from __future__ import annotations

import typing
from typing import Literal

from battsim.config.schema import SECTIONS, keys


def reference_markdown() -> str:
    """The README's configuration reference table, generated from the schema.

    ``python -m battsim.config.reference`` prints it.
    """
    rows = ["| key | default | unit | allowed | meaning |", "| --- | --- | --- | --- | --- |"]
    for section, f in keys():
        default = f.default
        shown = ("—" if default is None else f'"{default}"' if isinstance(default, str)
                 else str(default).lower() if isinstance(default, bool) else repr(default))
        meta = f.metadata
        hint = typing.get_type_hints(SECTIONS[section])[f.name]
        choices = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(choices) == 1 and typing.get_origin(choices[0]) is Literal:  # optional choice
            hint = choices[0]
        if typing.get_origin(hint) is Literal:
            allowed = " \\| ".join(f"`{a}`" for a in typing.get_args(hint))
        elif meta.get("registry"):
            allowed = " \\| ".join(f"`{a}`" for a in meta["registry"]())
        else:
            bounds = [f"{word} {meta[k]:g}" for k, word in (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<"))
                      if meta.get(k) is not None]
            allowed = ", ".join(bounds) or "—"
        rows.append(f"| `{section}.{f.name}` | {shown} | {meta['unit']} | {allowed} | {meta['doc']} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(reference_markdown())

