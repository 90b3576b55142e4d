"""Write the YAML of new values: scalars that read back exactly as meant, and block or flow fragments.

A string is written plain only when Kubernetes' YAML 1.1 resolution (the linter's own, in
``loader.scalars``) reads it back as that same string: ``"false"``, ``"0"``, ``"yes"`` and ``"on"`` are
quoted. Fragments follow the file's ``Style``: the mapping indent and whether sequences are indented
under their key or flush with it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from manifestlint.loader.scalars import resolve_plain

_PLAIN = re.compile(r"^[A-Za-z0-9_./$(][A-Za-z0-9_./=:,@+$()-]*$|^--?[A-Za-z0-9][A-Za-z0-9_./=:,@+-]*$")


@dataclass(frozen=True, slots=True)
class Style:
    """How a file writes YAML: line breaks, the mapping indent, and the sequence offset (the columns
    between a key and the ``-`` of its items: 0 flush, 2 indented)."""

    newline: str = "\n"
    indent: int = 2
    sequence_offset: int = 2


def scalar(value: Any, quote: str = "") -> str:
    """``value`` as a YAML scalar; ``quote`` (``'`` or ``"``) keeps the quoting of the text it replaces."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    if quote == "'" and "\n" not in text:
        return "'" + text.replace("'", "''") + "'"
    if quote != '"' and _PLAIN.match(text) and ": " not in text and not text.endswith(":") \
            and resolve_plain(text) == text:
        return text
    return json.dumps(text, ensure_ascii=False)


def inline(value: Any) -> str:
    """``value`` in flow style, on one line: ``[ALL]``, ``{type: RuntimeDefault}``."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{scalar(k)}: {inline(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(inline(v) for v in value) + "]"
    return scalar(value)


def is_collection(value: Any) -> bool:
    return isinstance(value, (dict, list)) and bool(value)


def block(value: dict[str, Any], style: Style) -> list[str]:
    """The lines of a mapping in block style, not indented (the caller adds the column)."""
    lines: list[str] = []
    for key, item in value.items():
        head = f"{scalar(key)}:"
        if isinstance(item, dict) and item:
            lines.append(head)
            lines += [" " * style.indent + line for line in block(item, style)]
        elif isinstance(item, list) and item:
            lines.append(head)
            lines += [" " * style.sequence_offset + line for line in sequence(item, style)]
        else:
            lines.append(f"{head} {inline(item)}")
    return lines


def sequence(items: list[Any], style: Style) -> list[str]:
    """The lines of a block sequence: ``- item``, mappings continued two columns in."""
    lines: list[str] = []
    for item in items:
        if isinstance(item, dict) and item:
            first, *rest = block(item, style)
            lines.append("- " + first)
            lines += ["  " + line for line in rest]
        else:
            lines.append("- " + inline(item))
    return lines
