"""Build plain data and a position tree from libyaml's event stream.

The read path: PyYAML's C parser (libyaml) produces events with marks; this module turns them
into JSON-like Python values (dict, list, str, int, float, bool, None) plus a parallel tree of
positions, without recursion, so deep input cannot overflow a stack. Scalars resolve the way
Kubernetes resolves them (see ``scalars``). Duplicate keys, unknown tags and breached limits are
recorded as problems of the document, never silently resolved.

Positions go into one packed array per document (see ``position_tree``): a scalar's node is its
span (``start << 32 | end`` in character indexes), a collection's is written when it ends; lines and
columns are computed from the text only for the few nodes that are reported. ``positions`` reads it.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from manifestlint.loader.scalars import _NUMBER_START, _SPECIAL, key_to_string, resolve_plain, resolve_tagged
from manifestlint.position_tree import END, OFFSET, REF, Node, child, new_tree

try:
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml.parser import Parser as _PyParser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, _PyParser):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            _PyParser.__init__(self)


# An int for a scalar, a position_tree.Node for a mapping or sequence.
Pos = Any

MERGE_KEY = "<<"


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds that keep hostile input from hanging or exhausting the process."""

    max_nodes: int = 1_000_000  # per document, counting every expansion of an alias
    max_depth: int = 256
    max_file_bytes: int = 16 * 1024 * 1024


@dataclass(slots=True)
class Problem:
    """Something wrong in the YAML itself, at a 1-based position.

    A problem found while building the position tree is placed by character index (``line`` is
    ``-1`` and ``column`` the index) until the loader, which has the text, resolves it; a
    ``first_index`` fills ``{first_line}`` in the message.
    """

    code: str  # "syntax" | "duplicate-key" | "limit" | "tag" | "key" | "shape"
    message: str
    line: int
    column: int
    first_index: int | None = None


@dataclass(slots=True)
class RawDocument:
    """One YAML document: its value, its position tree and what was wrong with it."""

    data: Any
    pos: Pos | None
    start_line: int
    end_line: int
    problems: list[Problem] = field(default_factory=list)


class LimitExceeded(Exception):
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


class SyntaxProblem(Exception):
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


def parse_stream(text: str, limits: Limits, line_offset: int = 0, index_offset: int = 0
                 ) -> tuple[list[RawDocument], Problem | None]:
    """Every complete document of ``text``; stops at the first broken document and says why."""
    docs: list[RawDocument] = []
    parser = _Parser(text)
    try:
        _build(parser, limits, line_offset, index_offset, docs)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + line_offset) if mark else line_offset + 1
        column = (mark.column + 1) if mark else 1
        return docs, Problem("syntax", _describe(exc, _char_at(text, mark)), line, column)
    except yaml.YAMLError as exc:
        return docs, Problem("syntax", str(exc).strip() or type(exc).__name__, line_offset + 1, 1)
    except SyntaxProblem as exc:
        return docs, Problem("syntax", str(exc), exc.line, exc.column)
    except LimitExceeded as exc:
        return docs, Problem("limit", str(exc), exc.line, exc.column)
    finally:
        parser.dispose()
    return docs, None


def _char_at(text: str, mark: Any) -> str:
    if mark is None:
        return ""
    lines = text.split("\n", mark.line + 1)
    if mark.line >= len(lines):
        return ""
    line = lines[mark.line]
    return line[mark.column] if mark.column < len(line) else ""


def _describe(exc: yaml.MarkedYAMLError, char: str = "") -> str:
    parts = [p for p in (exc.context, exc.problem) if p]
    text = ", ".join(parts) if parts else type(exc).__name__
    if exc.context_mark is not None and exc.problem_mark is not None and exc.context_mark.line != exc.problem_mark.line:
        text += f" (the construct began at line {exc.context_mark.line + 1})"
    if char == "\t" or "'\\t'" in text:
        text += " (a tab: YAML does not allow tabs for indentation; use spaces)"
    return text


def _build(parser: Any, limits: Limits, off: int, base: int, docs: list[RawDocument]) -> None:
    get_event = parser.get_event
    _intern = sys.intern
    max_depth = limits.max_depth
    max_nodes = limits.max_nodes
    # A frame is [container, slots, pending_key, start_mark, anchor, merges, size, kind, pending_key_pos];
    # kind 0 is a mapping, 1 a sequence. ``slots`` are the node's child slots, written to ``tree`` when it
    # ends. Flat lists, not objects: this loop runs once per YAML node.
    stack: list[list[Any]] = []
    tree = new_tree()
    anchors: dict[str, tuple[Any, Any, int]] = {}
    problems: list[Problem] = []
    root: list[Any] = []
    nodes = 0
    doc_start = 0
    pos: Any
    while True:
        event = get_event()
        etype = type(event)
        if etype is ScalarEvent:
            sm = event.start_mark
            em = event.end_mark
            tag = event.tag
            text = event.value
            if tag is None:
                if event.style:
                    value: Any = text
                else:  # inlined fast path of resolve_plain: most plain scalars are words
                    value = _SPECIAL.get(text, _NOT_SPECIAL)
                    if value is _NOT_SPECIAL:
                        value = resolve_plain(text) if text[0] in _NUMBER_START else text
            elif tag == "!":
                value = text
            else:
                value, known = resolve_tagged(text, tag)
                if not known:
                    problems.append(Problem("tag", f"tag {tag!r} is not one Kubernetes accepts; its value was read "
                                            "as plain data", sm.line + 1 + off, sm.column + 1))
            pos = (sm.index + base) << 32 | (em.index + base)
            size = 1
            if event.anchor is not None:
                anchors[event.anchor] = (value, pos, 1)
        elif etype is MappingStartEvent or etype is SequenceStartEvent:
            if len(stack) >= max_depth:
                sm = event.start_mark
                raise LimitExceeded(f"nesting deeper than {max_depth} levels", sm.line + 1 + off, sm.column + 1)
            if event.tag is not None and event.tag not in _CONTAINER_TAGS:
                sm = event.start_mark
                problems.append(Problem("tag", f"tag {event.tag!r} is not one Kubernetes accepts; its value was read "
                                        "as plain data", sm.line + 1 + off, sm.column + 1))
            if etype is MappingStartEvent:
                stack.append([{}, [], _NO_KEY, event.start_mark, event.anchor, None, 1, 0, 0])
            else:
                stack.append([[], [], _NO_KEY, event.start_mark, event.anchor, None, 1, 1, 0])
            continue
        elif etype is MappingEndEvent or etype is SequenceEndEvent:
            value, slots, _, sm, anchor, merges, size, kind, _ = stack.pop()
            if merges:
                _apply_merges(value, slots, merges, tree)
            start = sm.index + base
            if slots:
                last = slots[-1]
                end = (tree[last & OFFSET] if last & REF else last) & END
            else:  # empty: `{}` or `[]`
                end = start + 2
            pos = REF | len(tree)
            tree.append(start << 32 | end)
            tree.append(len(slots))
            tree.extend(slots)
            if anchor is not None:
                anchors[anchor] = (value, pos, size)
        elif etype is AliasEvent:
            sm = event.start_mark
            em = event.end_mark
            target = anchors.get(event.anchor)
            if target is None:
                raise SyntaxProblem(f"alias *{event.anchor} refers to an anchor that is not defined before it"
                                    " (or to the node that contains it)", sm.line + 1 + off, sm.column + 1)
            value, apos, size = target
            span = (sm.index + base) << 32 | (em.index + base)
            if apos & REF:  # a collection: a copy of its slots under the alias's own span
                at = apos & OFFSET
                pos = REF | len(tree)
                tree.append(span)
                tree.extend(tree[at + 1:at + 2 + tree[at + 1]])
            else:
                pos = span
        elif etype is DocumentStartEvent:
            anchors = {}
            problems = []
            root = []
            tree = new_tree()
            nodes = 0
            doc_start = event.start_mark.line + 1 + off
            continue
        elif etype is DocumentEndEvent:
            data, rpos = root[0] if root else (None, None)
            docs.append(RawDocument(data, None if rpos is None else child(tree, rpos), doc_start,
                                    event.end_mark.line + 1 + off, problems))
            continue
        elif etype is StreamEndEvent:
            return
        else:  # StreamStartEvent
            continue

        nodes += size
        if nodes > max_nodes:
            sm = event.start_mark
            raise LimitExceeded(f"document expands to more than {max_nodes:,} nodes (alias expansion, "
                                "'billion laughs')", sm.line + 1 + off, sm.column + 1)
        if not stack:
            root.append((value, pos))
            continue
        frame = stack[-1]
        frame[6] += size
        if frame[7] == 1:
            frame[0].append(value)
            frame[1].append(pos)
        elif frame[2] is _NO_KEY:
            if pos & REF:
                pos = tree[pos & OFFSET]
                problems.append(Problem("key", "a mapping key must be a scalar", _KEY_AT, span_start(pos)))
            if type(value) is not str:
                value = key_to_string(value) if not isinstance(value, (dict, list)) else str(value)
            elif value == MERGE_KEY and etype is ScalarEvent and not event.style:
                value = _MERGE
            else:  # one copy of each key name for the whole run: documents repeat them thousands of times
                value = _intern(value)
            frame[2] = value
            frame[8] = pos
        else:
            key = frame[2]
            kpos = frame[8]
            frame[2] = _NO_KEY
            if key is _MERGE:
                if frame[5] is None:
                    frame[5] = []
                frame[5].append((value, pos))
                continue
            container = frame[0]
            if key in container:
                index = 2 * list(container).index(key)
                problems.append(Problem("duplicate-key", f"duplicate key {key!r}: the API server rejects the object, "
                                        "and tools disagree on which value wins (first at line {first_line})",
                                        _KEY_AT, span_start(kpos), span_start(frame[1][index])))
                container[key] = value
                frame[1][index:index + 2] = [kpos, pos]
                continue
            container[key] = value
            frame[1].append(kpos)
            frame[1].append(pos)


_NO_KEY = object()  # a mapping frame waiting for its next key
_MERGE = object()  # the pending key is the merge key `<<`
_NOT_SPECIAL = object()
_CONTAINER_TAGS = frozenset({"!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:omap"})
_KEY_AT = -1  # Problem.line for problems placed by character index; the loader converts it


def span_start(pos: Any) -> int:
    """The character index where a position-tree node (an int or a ``Node``) starts."""
    packed = pos if type(pos) is int else pos[0]
    return int(packed >> 32)


def _apply_merges(mapping: dict[str, Any], slots: list[int], merges: list[tuple[Any, int]], tree: Any) -> None:
    """YAML merge keys: explicit keys win, then earlier merged mappings over later ones."""
    explicit = set(mapping)
    for value, pos in merges:
        if isinstance(value, list) and pos & REF:
            sources, source_slots = value, list(Node(tree, pos & OFFSET).slots())
        else:
            sources, source_slots = [value], [pos]
        for item, slot in zip(sources, source_slots, strict=False):
            if not isinstance(item, dict) or not slot & REF:
                continue
            entries = Node(tree, slot & OFFSET).slots()
            for i, (key, sub) in enumerate(item.items()):
                if key not in explicit and key not in mapping:
                    mapping[key] = sub
                    slots.append(entries[2 * i])
                    slots.append(entries[2 * i + 1])
