"""The README's configuration reference, generated from the schema (``python -m battsim.config.reference``)."""

from __future__ import annotations

import typing

from battsim.config.schema import SECTIONS, keys, literal_choices


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
        choices = literal_choices(hint)
        if choices is not None:
            allowed = " \\| ".join(f"`{a}`" for a in choices)
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

