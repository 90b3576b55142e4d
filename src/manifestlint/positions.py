"""Find where a field path lives in a document, using the loader's position tree."""

from __future__ import annotations

from typing import Any

from manifestlint.model import Span

FieldPath = tuple[str | int, ...]


def locate(pos: Any, path: FieldPath) -> tuple[Span, int]:
    """The region for ``path`` and how many of its steps exist (``len(path)`` when it all exists).

    A mapping entry with a scalar value spans key to value (``privileged: true``); one whose value is
    a mapping or list spans only its key, so a finding stays on one line. When the path goes further
    than the document does, the region is that of the deepest existing node: the parent that should
    hold the missing field.
    """
    if pos is None:
        return Span(1, 1, 1, 2), 0
    node = pos
    entry = None
    depth = 0
    for step in path:
        children = node[4]
        if isinstance(step, str) and isinstance(children, dict):
            found = children.get(step)
            if found is None:
                break
            entry, node = found, found[4]
        elif isinstance(step, int) and isinstance(children, list) and -len(children) <= step < len(children):
            entry, node = None, children[step]
        else:
            break
        depth += 1
    return _region(entry, node), depth


def _region(entry: Any, node: Any) -> Span:
    if entry is not None:
        if node[4] is None and node[2] == entry[0]:
            return Span(entry[0], entry[1], node[2], node[3])
        return Span(entry[0], entry[1], entry[2], entry[3])
    children = node[4]
    if isinstance(children, dict) and children:
        first = next(iter(children.values()))
        return _region(first, first[4])
    if isinstance(children, list) and children:
        return _region(None, children[0])
    if node[2] == node[0]:
        return Span(node[0], node[1], node[2], max(node[3], node[1] + 1))
    return Span(node[0], node[1], node[0], node[1] + 1)
