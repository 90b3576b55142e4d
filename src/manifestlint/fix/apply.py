"""Turn a fix's edits into text changes on one document, touching only the lines they must.

Positions come from the loader's position tree (the same parse the linter reads, so a path means the
same node here as in the finding); new text comes from ``emit`` in the file's ``Style``. A mapping
gets new keys after its last entry, at its keys' column; a list gets new items after its last one,
at its dashes' column; flow collections (``{}``, ``[a, b]``) stay in flow style, except an empty ``{}``
that must hold a nested block. An edit that cannot be made without rewriting more (a value inside a
shell script, a list in an unusual layout) raises ``Unfixable`` and the finding stays.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from manifestlint.document import Document
from manifestlint.fix.edits import AppendDocument, AppendItem, Edit, FieldPath, Fix, MoveItem, RemoveKey, SetValue
from manifestlint.fix.emit import Style, block, inline, scalar, sequence
from manifestlint.position_tree import END
from manifestlint.positions import descend


class Unfixable(Exception):
    """The edit cannot be made in this text; the message says why."""


@dataclass(frozen=True, slots=True)
class TextEdit:
    """Replace ``text[start:end]`` by ``new`` (an insertion when ``start == end``)."""

    start: int
    end: int
    new: str


@dataclass(slots=True)
class _Node:
    value: Any
    pos: Any
    key: int | None  # the packed span of the key holding it (None for list items and the root)


def _span(pos: Any) -> tuple[int, int]:
    packed = pos if type(pos) is int else pos[0]
    return packed >> 32, packed & END


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return all(k in a and _same(a[k], v) for k, v in b.items())
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


class _Text:
    """The document's text with the line arithmetic the edits need."""

    def __init__(self, text: str, style: Style) -> None:
        self.text = text
        self.style = style
        self.nl = style.newline

    def line_start(self, index: int) -> int:
        return self.text.rfind("\n", 0, index) + 1

    def line_end(self, index: int) -> int:
        """The index of the line break ending the line of ``index`` (or the end of the text)."""
        end = self.text.find("\n", index)
        if end < 0:
            return len(self.text)
        return end - 1 if end > 0 and self.text[end - 1] == "\r" else end

    def column(self, index: int) -> int:
        return index - self.line_start(index)

    def is_flow(self, pos: Any) -> bool:
        return type(pos) is not int and self.text[_span(pos)[0]:_span(pos)[0] + 1] in ("{", "[")

    def content_end(self, pos: Any) -> int:
        """Where a node's text ends: its last scalar's end, closing brackets included."""
        start, end = _span(pos)
        if type(pos) is int:
            while end > start and self.text[end - 1] in " \t\r\n":
                end -= 1
            return end
        if len(pos) == 1:
            if self.is_flow(pos):
                return self._closing(start + 1) + 1
            return end
        last = pos[-1]
        end = self.content_end(last)
        return self._closing(end) + 1 if self.is_flow(pos) else end

    def _closing(self, index: int) -> int:
        """The index of the next closing bracket, passing over blanks, commas and comments."""
        text = self.text
        while index < len(text):
            char = text[index]
            if char in "]}":
                return index
            if char == "#":
                index = self.line_end(index)
                continue
            if char not in " \t\r\n,":
                raise Unfixable("unexpected text in a flow collection")
            index += 1
        raise Unfixable("unclosed flow collection")

    def indented(self, lines: Iterable[str], column: int) -> str:
        return "".join(self.nl + " " * column + line if line else self.nl for line in lines)


def walk(doc: Document, path: FieldPath) -> list[_Node]:
    """The nodes along ``path`` that exist, the root first."""
    return [_Node(doc.data, doc.pos, None), *(_Node(*step) for step in descend(doc.data, doc.pos, path))]


def plan(fix: Fix, doc: Document | None, text: str, style: Style) -> list[TextEdit]:
    """The text edits that make ``fix`` in ``text``; raises ``Unfixable``."""
    editor = _Text(text, style)
    edits: list[TextEdit] = []
    for edit in fix.edits:
        if not isinstance(edit, AppendDocument) and (doc is None or doc.pos is None):
            raise Unfixable("the document has no positions")
        edits += _plan(edit, doc, editor)
    return edits


def apply(text: str, edits: list[TextEdit]) -> str:
    """``text`` with ``edits`` made; they must not overlap."""
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        text = text[:edit.start] + edit.new + text[edit.end:]
    return text


def _plan(edit: Edit, doc: Document | None, t: _Text) -> list[TextEdit]:
    if isinstance(edit, AppendDocument):
        return [_append_document(edit.data, t)]
    assert doc is not None
    if isinstance(edit, SetValue):
        return _set(doc, edit.path, edit.value, t)
    if isinstance(edit, AppendItem):
        return _append_item(doc, edit.path, edit.value, t)
    if isinstance(edit, RemoveKey):
        return _remove(doc, edit.path, t)
    if isinstance(edit, MoveItem):
        return _move_last(doc, edit.path, edit.index, t)
    raise Unfixable(f"unknown edit {type(edit).__name__}")


def _set(doc: Document, path: FieldPath, value: Any, t: _Text) -> list[TextEdit]:
    nodes = walk(doc, path)
    if len(nodes) == len(path) + 1:
        node = nodes[-1]
        if _same(node.value, value):
            return []
        if isinstance(value, dict) and isinstance(node.value, dict):
            missing = {k: v for k, v in value.items() if k not in node.value}
            edits = _insert_into_mapping(node, missing, t) if missing else []
            for k, v in value.items():
                if k in node.value:
                    edits += _set(doc, (*path, k), v, t)
            return edits
        if type(node.pos) is int and not isinstance(value, (dict, list)):
            return [_replace_scalar(node, value, t)]
        if type(node.pos) is int and node.value is None and node.key is not None:
            return _fill_null(node, value, t)
        raise Unfixable(f"{_show(path)} holds a {type(node.value).__name__}, not what the fix expects")
    rest = [step for step in path[len(nodes) - 1:] if isinstance(step, str)]
    if len(rest) != len(path) - len(nodes) + 1:
        raise Unfixable(f"{_show(path)}: a list item it needs does not exist")
    fragment: Any = value
    for step in reversed(rest[1:]):
        fragment = {step: fragment}
    parent = nodes[-1]
    if isinstance(parent.value, dict):
        return _insert_into_mapping(parent, {rest[0]: fragment}, t)
    if parent.value is None and type(parent.pos) is int and parent.key is not None:
        return _fill_null(parent, {rest[0]: fragment}, t)
    raise Unfixable(f"{_show(path[:len(nodes) - 1]) or 'the document'} is not a mapping")


def _replace_scalar(node: _Node, value: Any, t: _Text) -> TextEdit:
    start, end = _span(node.pos)
    if start == end:  # `key:` with an empty (null) value
        return TextEdit(start, start, " " + scalar(value))
    first = t.text[start]
    if first in "|>":
        raise Unfixable("the value is a block scalar")
    quote = first if first in "'\"" and isinstance(value, str) else ""
    return TextEdit(start, t.content_end(node.pos), scalar(value, quote))


def _fill_null(node: _Node, value: Any, t: _Text) -> list[TextEdit]:
    """``key:`` (or ``key: null``) given a block value on the lines below it."""
    assert node.key is not None
    key_start = _span(node.key)[0]
    column = t.column(key_start)
    start, end = _span(node.pos)
    edits = []
    if end > start:
        blank = start
        while blank > 0 and t.text[blank - 1] in " \t":
            blank -= 1
        edits.append(TextEdit(blank, end, ""))
    if isinstance(value, dict) and value:
        lines, column = block(value, t.style), column + t.style.indent
    elif isinstance(value, list) and value:
        lines, column = sequence(value, t.style), column + t.style.sequence_offset
    else:
        return [TextEdit(start, end, ("" if end > start else " ") + inline(value))]
    at = t.line_end(max(start, end))
    edits.append(TextEdit(at, at, t.indented(lines, column)))
    return edits


def _insert_into_mapping(node: _Node, entries: dict[str, Any], t: _Text) -> list[TextEdit]:
    start, _ = _span(node.pos)
    if t.is_flow(node.pos):
        if len(node.pos) > 1:
            end = t.content_end(node.pos[-1])
            return [TextEdit(end, end, "".join(f", {scalar(k)}: {inline(v)}" for k, v in entries.items()))]
        close = t.content_end(node.pos)
        rest = t.text[close:t.line_end(close)].strip()
        if node.key is None or t.line_end(start) != t.line_end(close) or (rest and not rest.startswith("#")):
            return [TextEdit(start, close, inline(entries))]
        # `securityContext: {}` on a line of its own becomes a block: the entries go on the lines below.
        blank = start
        while blank > 0 and t.text[blank - 1] in " \t":
            blank -= 1
        column = t.column(_span(node.key)[0]) + t.style.indent
        at = t.line_end(close)
        return [TextEdit(blank, close, ""), TextEdit(at, at, t.indented(block(entries, t.style), column))]
    if len(node.pos) < 2:
        raise Unfixable("an empty block mapping")
    column = t.column(_span(node.pos[1])[0])
    at = t.line_end(t.content_end(node.pos))
    return [TextEdit(at, at, t.indented(block(entries, t.style), column))]


def _append_item(doc: Document, path: FieldPath, value: Any, t: _Text) -> list[TextEdit]:
    nodes = walk(doc, path)
    if len(nodes) < len(path) + 1:
        return _set(doc, path, [value], t)
    node = nodes[-1]
    if node.value is None and type(node.pos) is int and node.key is not None:
        return _fill_null(node, [value], t)
    if not isinstance(node.value, list):
        raise Unfixable(f"{_show(path)} is not a list")
    start, _ = _span(node.pos)
    if t.is_flow(node.pos):
        if len(node.pos) > 1:
            end = t.content_end(node.pos[-1])
            return [TextEdit(end, end, ", " + inline(value))]
        return [TextEdit(start, t.content_end(node.pos), inline([value]))]
    dash = _dash(node.pos[1], t)
    at = t.line_end(t.content_end(node.pos))
    return [TextEdit(at, at, t.indented(sequence([value], t.style), t.column(dash)))]


def _dash(item: Any, t: _Text) -> int:
    """The index of the ``-`` that opens a block list item, which must start its line."""
    start = _span(item)[0]
    line = t.line_start(start)
    dash = t.text.rfind("-", line, start + 1)
    if dash < 0 or t.text[line:dash].strip() or t.text[dash + 1:start].strip():
        raise Unfixable("a list item that does not start its own line")
    return dash


def _move_last(doc: Document, path: FieldPath, index: int, t: _Text) -> list[TextEdit]:
    nodes = walk(doc, path)
    if len(nodes) < len(path) + 1 or not isinstance(nodes[-1].value, list):
        raise Unfixable(f"{_show(path)} is not a list")
    pos = nodes[-1].pos
    if t.is_flow(pos):
        raise Unfixable("the list is in flow style")
    items = pos[1:]
    if not 0 <= index < len(items) or index == len(items) - 1:
        return []
    first = t.line_start(_dash(items[index], t))
    for item in items[index + 1:]:
        _dash(item, t)
    end = t.line_end(t.content_end(items[index]))
    after = end + (2 if t.text.startswith("\r\n", end) else 1)
    last = t.line_end(t.content_end(items[-1]))
    return [TextEdit(first, last, t.text[after:last] + t.nl + t.text[first:end])]


def _remove(doc: Document, path: FieldPath, t: _Text) -> list[TextEdit]:
    nodes = walk(doc, path)
    if len(nodes) < len(path) + 1:
        return []
    node, parent = nodes[-1], nodes[-2]
    if node.key is None or not isinstance(parent.value, dict):
        raise Unfixable(f"{_show(path)} is not a mapping entry")
    if type(node.pos) is not int:
        raise Unfixable(f"{_show(path)} holds a collection")
    keys = [_span(parent.pos[i])[0] for i in range(1, len(parent.pos), 2)]
    key_start = _span(node.key)[0]
    value_end = t.content_end(node.pos)
    position = keys.index(key_start)
    following = keys[position + 1] if position + 1 < len(keys) else None
    if t.is_flow(parent.pos):
        if following is not None:
            return [TextEdit(key_start, following, "")]
        if position > 0:
            previous = t.content_end(parent.pos[2 * position])
            return [TextEdit(previous, value_end, "")]
        return [TextEdit(key_start, value_end, "")]
    if len(keys) == 1:
        raise Unfixable(f"{_show(path)} is the only entry of its mapping")
    line = t.line_start(key_start)
    lead = t.text[line:key_start]
    if lead.strip() == "":
        end = t.line_end(value_end)
        comment = t.text[value_end:end].strip()
        if comment:
            return [TextEdit(line, end, lead + comment)]
        if end < len(t.text):
            return [TextEdit(line, end + (2 if t.text.startswith("\r\n", end) else 1), "")]
        return [TextEdit(max(0, line - len(t.nl)), end, "")]
    if lead.strip().replace(" ", "").strip("-") == "" and following is not None:
        if "#" in t.text[value_end:following]:
            raise Unfixable("a comment between the entry and the next")
        return [TextEdit(key_start, following, "")]
    raise Unfixable(f"{_show(path)} shares its line with other entries")


def _append_document(data: dict[str, Any], t: _Text) -> TextEdit:
    text = t.text
    end = len(text)
    prefix = "" if not text or text.endswith("\n") else t.nl
    last = text.rstrip().rsplit("\n", 1)[-1].strip() if text.strip() else "---"
    lines = ([] if last == "---" else ["---"]) + block(data, t.style)
    return TextEdit(end, end, prefix + t.nl.join(lines) + t.nl)


def _show(path: FieldPath) -> str:
    return ".".join(str(step) for step in path)
