"""Find where a field path lives in a document, using the loader's compact position tree.

See ``position_tree`` for the tree's layout: spans of character indexes packed into ints,
mapping entries in the order of the data dict's keys, so a key's entry is found through the data
it describes. Lines and columns come from the ``SourceText``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from manifestlint.model import Span
from manifestlint.position_tree import END, OFFSET, REF, Node
from manifestlint.source import SourceText

FieldPath = tuple[str | int, ...]


def _span_of(node: Any) -> int:
    return node if type(node) is int else node[0]


def locate(data: Any, pos: Any, path: FieldPath, source: SourceText) -> tuple[Span, int]:
    """The region for ``path`` and how many of its steps exist (``len(path)`` when it all exists).

    A mapping entry with a scalar value spans key to value (``privileged: true``); one whose value is
    a mapping or list spans only its key, so a finding stays on one line. When the path goes further
    than the document does, the region is that of the deepest existing node: the parent that should
    hold the missing field.
    """
    if pos is None:
        return Span(1, 1, 1, 2), 0
    walked = list(descend(data, pos, path))
    value, node, key = walked[-1] if walked else (data, pos, None)
    return _region(key, node, value, source), len(walked)


def descend(data: Any, pos: Any, path: FieldPath) -> Iterator[tuple[Any, Any, int | None]]:
    """``(value, position node, key span)`` for each step of ``path`` that exists, in order.

    The key span is None for list items. Stops at the first step the document does not have.
    """
    value, node = data, pos
    for step in path:
        if type(node) is not Node:
            return
        tree, at = node.tree, node.offset  # read the packed slots directly: this runs for every finding
        size = tree[at + 1]
        if isinstance(step, str) and isinstance(value, dict) and step in value:
            index = 2 * list(value).index(step)
            if index + 1 >= size:
                return
            key, slot, value = tree[at + 2 + index], tree[at + 3 + index], value[step]
        elif isinstance(step, int) and isinstance(value, list) and -len(value) <= step < len(value):
            step %= len(value)
            if step >= size:
                return
            key, slot, value = None, tree[at + 2 + step], value[step]
        else:
            return
        node = Node(tree, slot & OFFSET) if slot & REF else slot
        yield value, node, key


def _region(key: int | None, node: Any, value: Any, source: SourceText) -> Span:
    at = source.line_column  # only the ends each case needs: this runs for every finding
    if key is not None:
        key_line, key_column = at(key >> 32)
        if type(node) is int:
            end_line, end_column = at(node & END)
            if end_line == key_line:
                return Span(key_line, key_column, end_line, end_column)
        return Span(key_line, key_column, *at(key & END))
    if type(node) is not int and len(node) > 1:
        if isinstance(value, dict) and len(node) > 2:
            first_key = next(iter(value))
            return _region(node[1], node[2], value[first_key], source)
        if isinstance(value, list):
            return _region(None, node[1], value[0] if value else None, source)
    span = _span_of(node)
    line, column = at(span >> 32)
    end_line, end_column = at(span & END)
    if end_line == line:
        return Span(line, column, end_line, max(end_column, column + 1))
    return Span(line, column, line, column + 1)
