"""Build plain data and a position tree from libyaml's event stream.

The read path: PyYAML's C parser (libyaml) produces events with marks; this module turns them
into JSON-like Python values (dict, list, str, int, float, bool, None) plus a parallel tree of
positions, without recursion, so deep input cannot overflow a stack. Scalars resolve the way
Kubernetes resolves them (see ``scalars``). Duplicate keys, unknown tags and breached limits are
recorded as problems of the document, never silently resolved.

Position tree: each node is ``(line, column, end_line, end_column, children)`` with 1-based
lines and columns and an exclusive end column. ``children`` is ``None`` for a scalar, a list of
nodes for a sequence, and for a mapping a dict ``key -> (key_line, key_column, key_end_line,
key_end_column, value_node)``.
"""

from __future__ import annotations

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

from manifestlint.loader.scalars import key_to_string, resolve_plain, resolve_tagged

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


# (line, column, end_line, end_column, children): see the module docstring.
Pos = tuple[int, int, int, int, Any]

MERGE_KEY = "<<"


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds that keep hostile input from hanging or exhausting the process."""

    max_nodes: int = 1_000_000  # per document, counting every expansion of an alias
    max_depth: int = 256
    max_file_bytes: int = 16 * 1024 * 1024


@dataclass(slots=True)
class Problem:
    """Something wrong in the YAML itself, at a 1-based position."""

    code: str  # "syntax" | "duplicate-key" | "limit" | "tag" | "key"
    message: str
    line: int
    column: int


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


def parse_stream(text: str, limits: Limits, line_offset: int = 0) -> tuple[list[RawDocument], Problem | None]:
    """Every complete document of ``text``; stops at the first broken document and says why."""
    docs: list[RawDocument] = []
    parser = _Parser(text)
    try:
        _build(parser, limits, line_offset, docs)
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


def _build(parser: Any, limits: Limits, off: int, docs: list[RawDocument]) -> None:
    get_event = parser.get_event
    max_depth = limits.max_depth
    max_nodes = limits.max_nodes
    # A frame is [container, children, pending_key, start_mark, anchor, merges, size, kind]
    # kind: 0 mapping, 1 sequence
    stack: list[list[Any]] = []
    anchors: dict[str, tuple[Any, Pos, int]] = {}
    problems: list[Problem] = []
    root: list[Any] = []
    nodes = 0
    doc_start = 0
    while True:
        event = get_event()
        etype = type(event)
        if etype is ScalarEvent:
            sm = event.start_mark
            em = event.end_mark
            tag = event.tag
            text = event.value
            if tag is None:
                value: Any = resolve_plain(text) if not event.style else text
            elif tag == "!":
                value = text
            else:
                value, known = resolve_tagged(text, tag)
                if not known:
                    problems.append(Problem("tag", f"tag {tag!r} is not one Kubernetes accepts; its value was read as plain data",
                                            sm.line + 1 + off, sm.column + 1))
            pos: Pos = (sm.line + 1 + off, sm.column + 1, em.line + 1 + off, em.column + 1, None)
            size = 1
            if event.anchor is not None:
                anchors[event.anchor] = (value, pos, 1)
        elif etype is MappingStartEvent or etype is SequenceStartEvent:
            if len(stack) >= max_depth:
                sm = event.start_mark
                raise LimitExceeded(f"nesting deeper than {max_depth} levels", sm.line + 1 + off, sm.column + 1)
            if event.tag is not None and event.tag not in ("!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq",
                                                            "tag:yaml.org,2002:omap"):
                sm = event.start_mark
                problems.append(Problem("tag", f"tag {event.tag!r} is not one Kubernetes accepts; its value was read as plain data",
                                        sm.line + 1 + off, sm.column + 1))
            if etype is MappingStartEvent:
                stack.append([{}, {}, None, event.start_mark, event.anchor, None, 1, 0])
            else:
                stack.append([[], [], None, event.start_mark, event.anchor, None, 1, 1])
            continue
        elif etype is MappingEndEvent or etype is SequenceEndEvent:
            frame = stack.pop()
            value, children, _, sm, anchor, merges, size, kind = frame
            if merges:
                _apply_merges(value, children, merges)
            end = _last_end(children, kind, sm, off)
            pos = (sm.line + 1 + off, sm.column + 1, end[0], end[1], children)
            if anchor is not None:
                anchors[anchor] = (value, pos, size)
        elif etype is AliasEvent:
            sm = event.start_mark
            target = anchors.get(event.anchor)
            if target is None:
                raise SyntaxProblem(f"alias *{event.anchor} refers to an anchor that is not defined before it"
                                    " (or to the node that contains it)", sm.line + 1 + off, sm.column + 1)
            value, apos, size = target
            pos = (sm.line + 1 + off, sm.column + 1, event.end_mark.line + 1 + off, event.end_mark.column + 1, apos[4])
        elif etype is DocumentStartEvent:
            anchors = {}
            problems = []
            root = []
            nodes = 0
            doc_start = event.start_mark.line + 1 + off
            continue
        elif etype is DocumentEndEvent:
            if root:
                data, rpos = root[0]
            else:
                data, rpos = None, None
            docs.append(RawDocument(data, rpos, doc_start, event.end_mark.line + 1 + off, problems))
            continue
        elif etype is StreamEndEvent:
            return
        else:  # StreamStartEvent
            continue

        nodes += size
        if nodes > max_nodes:
            raise LimitExceeded(f"document expands to more than {max_nodes:,} nodes (alias expansion, 'billion laughs')",
                                pos[0], pos[1])
        if not stack:
            root.append((value, pos))
            continue
        frame = stack[-1]
        frame[6] += size
        if frame[7] == 1:
            frame[0].append(value)
            frame[1].append(pos)
        elif frame[2] is None:
            if pos[4] is not None:
                problems.append(Problem("key", "a mapping key must be a scalar", pos[0], pos[1]))
            frame[2] = (key_to_string(value) if not isinstance(value, (dict, list)) else str(value), pos,
                        etype is ScalarEvent and value == MERGE_KEY and not event.style)
        else:
            key, kpos, is_merge = frame[2]
            frame[2] = None
            if is_merge:
                if frame[5] is None:
                    frame[5] = []
                frame[5].append((value, pos))
                continue
            container = frame[0]
            if key in container:
                problems.append(Problem("duplicate-key", f"duplicate key {key!r}: the API server rejects the object, and"
                                        f" tools disagree on which value wins (first at line {frame[1][key][0]})",
                                        kpos[0], kpos[1]))
            container[key] = value
            frame[1][key] = (kpos[0], kpos[1], kpos[2], kpos[3], pos)


def _apply_merges(mapping: dict[str, Any], children: dict[str, Any], merges: list[tuple[Any, Pos]]) -> None:
    """YAML merge keys: explicit keys win, then earlier merged mappings over later ones."""
    explicit = set(mapping)
    for value, pos in merges:
        sources = value if isinstance(value, list) else [value]
        source_pos = pos[4] if isinstance(value, list) else [pos]
        for item, ipos in zip(sources, source_pos):
            if not isinstance(item, dict):
                continue
            for key, sub in item.items():
                if key not in explicit and key not in mapping:
                    mapping[key] = sub
                    entry = ipos[4].get(key) if isinstance(ipos[4], dict) else None
                    children[key] = entry if entry else (ipos[0], ipos[1], ipos[2], ipos[3], ipos)


def _last_end(children: Any, kind: int, start_mark: Any, off: int) -> tuple[int, int]:
    if children:
        last = children[-1] if kind == 1 else next(reversed(children.values()))[4]
        return last[2], last[3]
    return start_mark.line + 1 + off, start_mark.column + 3
