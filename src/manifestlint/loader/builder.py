"""Build plain data and a packed position tree from YAML parse events, one handler per event kind.

``handlers`` returns functions named and called like PyYAML's event classes (``ScalarEvent(anchor,
tag, implicit, value, start_mark, end_mark, style)``, ...); ``event_feed`` calls them for each event
of a stream. They build JSON-like Python values (dict, list, str, int, float, bool, None) and, per
document, a ``position_tree``, without recursion, so deep input cannot overflow a stack. Scalars
resolve the way Kubernetes resolves them (see ``scalars``). Duplicate keys, unknown tags and breached
limits are recorded as problems of the document, never silently resolved.

A frame of the stack is a flat list, ``[container, slots, pending_key, start_mark, anchor, merges,
nodes_before, kind, pending_key_pos]`` (kind 0 a mapping, 1 a sequence; ``nodes_before`` the node
count when it opened, so its size is known when it closes): these handlers run once per YAML node,
so they avoid objects and calls where they can.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from manifestlint.loader.raw import LimitExceeded, Limits, Problem, RawDocument, SyntaxProblem, span_start
from manifestlint.loader.scalars import _NUMBER_START, _SPECIAL, key_to_string, resolve_plain, resolve_tagged
from manifestlint.position_tree import END, OFFSET, REF, Node, child, new_tree

MERGE_KEY = "<<"
STOP = object()  # what the stream's end returns, so a feed loop knows it is done

_NO_KEY = object()  # a mapping frame waiting for its next key
_MERGE = object()  # the pending key is the merge key `<<`
_NOT_SPECIAL = object()
_CONTAINER_TAGS = frozenset({"!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:omap"})
_KEY_AT = -1  # Problem.line for problems placed by character index; the loader converts it


def handlers(limits: Limits, off: int, base: int, docs: list[RawDocument]) -> dict[str, Callable[..., Any]]:
    """The event handlers that append each finished document of a stream to ``docs``.

    ``off`` is added to line numbers and ``base`` to character indexes (a stream that starts
    inside a file, after a broken document).
    """
    intern = sys.intern
    max_depth = limits.max_depth
    max_nodes = limits.max_nodes
    stack: list[list[Any]] = []
    tree = new_tree()
    anchors: dict[str, tuple[Any, int, int]] = {}
    problems: list[Problem] = []
    root: list[tuple[Any, int]] = []
    nodes = 0
    doc_start = 0

    def add(value: Any, pos: int, size: int, mark: Any, plain: bool) -> None:
        """Attach a finished node to its parent (as an item, a key, or a key's value)."""
        nonlocal nodes
        nodes += size
        if nodes > max_nodes:
            raise LimitExceeded(f"document expands to more than {max_nodes:,} nodes (alias expansion, "
                                "'billion laughs')", mark.line + 1 + off, mark.column + 1)
        if not stack:
            root.append((value, pos))
            return
        frame = stack[-1]
        if frame[7] == 1:
            frame[0].append(value)
            frame[1].append(pos)
        elif frame[2] is _NO_KEY:
            if pos & REF:
                pos = tree[pos & OFFSET]
                problems.append(Problem("key", "a mapping key must be a scalar", _KEY_AT, span_start(pos)))
            if type(value) is not str:
                value = key_to_string(value) if not isinstance(value, (dict, list)) else str(value)
            elif value == MERGE_KEY and plain:
                value = _MERGE
            else:  # one copy of each key name for the whole run: documents repeat them thousands of times
                value = intern(value)
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
                return
            container = frame[0]
            slots = frame[1]
            if key in container:
                index = 2 * list(container).index(key)
                problems.append(Problem("duplicate-key", f"duplicate key {key!r}: the API server rejects the object, "
                                        "and tools disagree on which value wins (first at line {first_line})",
                                        _KEY_AT, span_start(kpos), span_start(slots[index])))
                container[key] = value
                slots[index:index + 2] = [kpos, pos]
                return
            container[key] = value
            slots.append(kpos)
            slots.append(pos)

    def scalar(anchor: str | None, tag: str | None, implicit: Any, text: str, start: Any, end: Any,
               style: str | None) -> None:
        nonlocal nodes
        if tag is None:
            if style:
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
                                        "as plain data", start.line + 1 + off, start.column + 1))
        pos = (start.index + base) << 32 | (end.index + base)
        if anchor is not None:
            anchors[anchor] = (value, pos, 1)
        if stack and nodes < max_nodes:  # ``add`` inlined for the commonest cases: an item, a key, a value
            frame = stack[-1]
            key = frame[2]
            if frame[7] == 1:
                frame[0].append(value)
                frame[1].append(pos)
            elif key is _NO_KEY:
                if type(value) is not str or (value == MERGE_KEY and not style):
                    add(value, pos, 1, start, not style)
                    return
                frame[2] = intern(value)
                frame[8] = pos
            elif key is _MERGE or key in frame[0]:
                add(value, pos, 1, start, not style)
                return
            else:
                frame[0][key] = value
                frame[1].append(frame[8])
                frame[1].append(pos)
                frame[2] = _NO_KEY
            nodes += 1
            return
        add(value, pos, 1, start, not style)

    def opener(kind: int, new: Callable[[], Any]) -> Callable[..., None]:
        def opened(anchor: str | None, tag: str | None, implicit: Any, start: Any, end: Any, flow_style: Any) -> None:
            if len(stack) >= max_depth:
                raise LimitExceeded(f"nesting deeper than {max_depth} levels", start.line + 1 + off,
                                    start.column + 1)
            if tag is not None and tag not in _CONTAINER_TAGS:
                problems.append(Problem("tag", f"tag {tag!r} is not one Kubernetes accepts; its value was read "
                                        "as plain data", start.line + 1 + off, start.column + 1))
            stack.append([new(), [], _NO_KEY, start, anchor, None, nodes, kind, 0])
        return opened

    def closed(start: Any, end: Any) -> None:
        value, slots, _, mark, anchor, merges, before, _, _ = stack.pop()
        if merges:
            _apply_merges(value, slots, merges, tree)
        first = mark.index + base
        if slots:
            last = slots[-1]
            last_end = (tree[last & OFFSET] if last & REF else last) & END
        else:  # empty: `{}` or `[]`
            last_end = first + 2
        pos = REF | len(tree)
        tree.append(first << 32 | last_end)
        tree.append(len(slots))
        tree.extend(slots)
        if anchor is not None:
            anchors[anchor] = (value, pos, nodes - before + 1)
        add(value, pos, 1, mark, False)

    def alias(anchor: str, start: Any, end: Any) -> None:
        target = anchors.get(anchor)
        if target is None:
            raise SyntaxProblem(f"alias *{anchor} refers to an anchor that is not defined before it"
                                " (or to the node that contains it)", start.line + 1 + off, start.column + 1)
        value, anchored, size = target
        span = (start.index + base) << 32 | (end.index + base)
        if anchored & REF:  # a collection: a copy of its slots under the alias's own span
            at = anchored & OFFSET
            pos = REF | len(tree)
            tree.append(span)
            tree.extend(tree[at + 1:at + 2 + tree[at + 1]])
        else:
            pos = span
        add(value, pos, size, start, False)

    def document_start(start: Any, end: Any, explicit: Any, version: Any, tags: Any) -> None:
        nonlocal anchors, problems, root, nodes, doc_start, tree
        anchors, problems, root, nodes, tree = {}, [], [], 0, new_tree()
        doc_start = start.line + 1 + off

    def document_end(start: Any, end: Any, explicit: Any) -> None:
        data, pos = root[0] if root else (None, None)
        docs.append(RawDocument(data, None if pos is None else child(tree, pos), doc_start, end.line + 1 + off,
                                problems))

    def stream_start(start: Any, end: Any, encoding: Any) -> None:
        return None

    def stream_end(start: Any, end: Any) -> object:
        return STOP

    return {"ScalarEvent": scalar, "MappingStartEvent": opener(0, dict), "SequenceStartEvent": opener(1, list),
            "MappingEndEvent": closed, "SequenceEndEvent": closed, "AliasEvent": alias,
            "DocumentStartEvent": document_start, "DocumentEndEvent": document_end,
            "StreamStartEvent": stream_start, "StreamEndEvent": stream_end}


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
