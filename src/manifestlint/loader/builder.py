"""Build plain data and a packed position tree from YAML parse events, one handler per event kind.

``handlers`` returns functions named and called like PyYAML's event classes (``ScalarEvent(anchor,
tag, implicit, value, start_mark, end_mark, style)``, ...); ``event_feed`` calls them for each event
of a stream. They build JSON-like Python values (dict, list, str, int, float, bool, None) and, per
document, a ``position_tree``, without recursion, so deep input cannot overflow a stack. Scalars
resolve the way Kubernetes resolves them (see ``scalars``). Duplicate keys, unknown tags and breached
limits are recorded as problems of the document, never silently resolved.

These handlers run once per YAML node, so they keep the collection being built in closure variables
(``container``, its position ``slots``, and a ``mode``: what the next node is to it) and push the
enclosing ones on a stack as plain tuples; the commonest cases (a key, a value, an item) take a few
operations, and everything else goes through ``attach``.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Callable
from typing import Any

from manifestlint.loader.raw import LimitExceeded, Limits, Problem, RawDocument, SyntaxProblem, span_start
from manifestlint.loader.scalars import PLAIN_VALUES, key_to_string, resolve_tagged
from manifestlint.position_tree import END, OFFSET, REF, Node, child

MERGE_KEY = "<<"
STOP = object()  # what the stream's end returns, so a feed loop knows it is done

# What the next node is to the collection being built.
_KEY, _VALUE, _ITEM, _TOP, _MERGED = 0, 1, 2, 3, 4  # _MERGED: the value of a merge key `<<`
_CONTAINER_TAGS = frozenset({"!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:omap"})
_KEY_AT = -1  # Problem.line for problems placed by character index; the loader converts it


def handlers(limits: Limits, off: int, base: int, docs: list[RawDocument]) -> dict[str, Callable[..., Any]]:
    """The event handlers that append each finished document of a stream to ``docs``.

    ``off`` is added to line numbers and ``base`` to character indexes (a stream that starts
    inside a file, after a broken document).
    """
    intern = sys.intern
    plain_values = PLAIN_VALUES
    max_depth = limits.max_depth
    max_nodes = limits.max_nodes
    stack: list[tuple[Any, ...]] = []
    tree: list[int] = []  # the document's position tree; packed into an array when it ends
    anchors: dict[str, tuple[Any, int, int]] = {}
    problems: list[Problem] = []
    root: list[tuple[Any, int]] = []
    nodes = 0  # the document's nodes so far: children of closed collections, plus alias expansions
    doc_start = 0
    # The collection being built (none at the top of a document).
    container: Any = None
    slots: list[int] = []
    mode = _TOP
    key: Any = None
    kpos = 0
    opened_at: Any = None  # the start mark of the collection
    anchor_of: str | None = None
    merges: list[tuple[Any, int]] | None = None
    nodes_before = 0

    def attach(value: Any, pos: int, mark: Any, plain: bool) -> None:
        """Attach a finished node to the collection being built: every case, the rare ones included."""
        nonlocal mode, key, kpos, merges
        if mode == _ITEM:
            container.append(value)
            slots.append(pos)
        elif mode == _KEY:
            if pos & REF:
                pos = tree[pos & OFFSET]
                problems.append(Problem("key", "a mapping key must be a scalar", _KEY_AT, span_start(pos) + base))
            if type(value) is not str:
                value = key_to_string(value) if not isinstance(value, (dict, list)) else str(value)
            elif value == MERGE_KEY and plain:
                mode = _MERGED
                return
            key = intern(value)  # one copy of each key name for the whole run
            kpos = pos
            mode = _VALUE
        elif mode == _VALUE:
            mode = _KEY
            if key in container:
                index = 2 * list(container).index(key)
                problems.append(Problem("duplicate-key", f"duplicate key {key!r}: the API server rejects the object, "
                                        "and tools disagree on which value wins (first at line {first_line})",
                                        _KEY_AT, span_start(kpos) + base, span_start(slots[index]) + base))
                container[key] = value
                slots[index:index + 2] = [kpos, pos]
                return
            container[key] = value
            slots.append(kpos)
            slots.append(pos)
        elif mode == _MERGED:
            mode = _KEY
            if merges is None:
                merges = []
            merges.append((value, pos))
        else:
            root.append((value, pos))

    def scalar(anchor: str | None, tag: str | None, implicit: Any, text: str, start: Any, end: Any,
               style: str | None) -> None:
        nonlocal mode, key, kpos
        if tag is None:
            if style:
                value: Any = text
            else:
                value = plain_values[text]
        elif tag == "!":
            value = text
        else:
            value, known = resolve_tagged(text, tag)
            if not known:
                problems.append(Problem("tag", f"tag {tag!r} is not one Kubernetes accepts; its value was read "
                                        "as plain data", start.line + 1 + off, start.column + 1))
        pos = start.index << 32 | end.index
        if anchor is not None:
            anchors[anchor] = (value, pos, 1)
        # ``attach`` inlined for the commonest cases: a value, a key, an item
        if mode == _VALUE:
            if key not in container:
                container[key] = value
                slots.append(kpos)
                slots.append(pos)
                mode = _KEY
                return
        elif mode == _KEY:
            if type(value) is str and (style or value != MERGE_KEY):
                key = intern(value) if style else value  # plain words come interned
                kpos = pos
                mode = _VALUE
                return
        elif mode == _ITEM:
            container.append(value)
            slots.append(pos)
            return
        attach(value, pos, start, not style)

    def opener(new: Callable[[], Any], new_mode: int) -> Callable[..., None]:
        def opened(anchor: str | None, tag: str | None, implicit: Any, start: Any, end: Any, flow_style: Any) -> None:
            nonlocal container, slots, mode, key, kpos, opened_at, anchor_of, merges, nodes_before
            if len(stack) >= max_depth:
                raise LimitExceeded(f"nesting deeper than {max_depth} levels", start.line + 1 + off,
                                    start.column + 1)
            if tag is not None and tag not in _CONTAINER_TAGS:
                problems.append(Problem("tag", f"tag {tag!r} is not one Kubernetes accepts; its value was read "
                                        "as plain data", start.line + 1 + off, start.column + 1))
            stack.append((container, slots, mode, key, kpos, opened_at, anchor_of, merges, nodes_before))
            container, slots, mode, opened_at, anchor_of, merges, nodes_before = (
                new(), [], new_mode, start, anchor, None, nodes)
        return opened

    def closed(start: Any, end: Any) -> None:
        nonlocal container, slots, mode, key, kpos, opened_at, anchor_of, merges, nodes_before, nodes
        value, own, mark = container, slots, opened_at
        if merges:
            _apply_merges(value, own, merges, tree)
        count = len(own)
        nodes += count
        if nodes > max_nodes:
            raise LimitExceeded(f"document expands to more than {max_nodes:,} nodes (alias expansion, "
                                "'billion laughs')", mark.line + 1 + off, mark.column + 1)
        first = mark.index
        if count:
            last = own[-1]
            last_end = (tree[last & OFFSET] if last & REF else last) & END
        else:  # empty: `{}` or `[]`
            last_end = first + 2
        pos = REF | len(tree)
        tree.append(first << 32 | last_end)
        tree.append(count)
        tree.extend(own)
        if anchor_of is not None:
            anchors[anchor_of] = (value, pos, nodes - nodes_before + 1)
        container, slots, mode, key, kpos, opened_at, anchor_of, merges, nodes_before = stack.pop()
        if mode == _VALUE:  # ``attach`` inlined for the commonest cases
            if key not in container:
                container[key] = value
                slots.append(kpos)
                slots.append(pos)
                mode = _KEY
                return
        elif mode == _ITEM:
            container.append(value)
            slots.append(pos)
            return
        attach(value, pos, mark, False)

    def alias(anchor: str, start: Any, end: Any) -> None:
        nonlocal nodes
        target = anchors.get(anchor)
        if target is None:
            raise SyntaxProblem(f"alias *{anchor} refers to an anchor that is not defined before it"
                                " (or to the node that contains it)", start.line + 1 + off, start.column + 1)
        value, anchored, size = target
        span = start.index << 32 | end.index
        if anchored & REF:  # a collection: a copy of its slots under the alias's own span
            at = anchored & OFFSET
            pos = REF | len(tree)
            tree.append(span)
            tree.extend(tree[at + 1:at + 2 + tree[at + 1]])
        else:
            pos = span
        nodes += size - 1  # the alias's own slot counts when its collection closes
        if nodes > max_nodes:
            raise LimitExceeded(f"document expands to more than {max_nodes:,} nodes (alias expansion, "
                                "'billion laughs')", start.line + 1 + off, start.column + 1)
        attach(value, pos, start, False)

    def document_start(start: Any, end: Any, explicit: Any, version: Any, tags: Any) -> None:
        nonlocal anchors, problems, root, nodes, doc_start, tree
        anchors, problems, root, nodes, tree = {}, [], [], 0, []
        doc_start = start.line + 1 + off

    def document_end(start: Any, end: Any, explicit: Any) -> None:
        data, pos = root[0] if root else (None, None)
        packed = array("Q", tree)
        if base and pos is not None:
            pos = _shift(packed, pos, base)
        docs.append(RawDocument(data, None if pos is None else child(packed, pos), doc_start, end.line + 1 + off,
                                problems))

    def stream_start(start: Any, end: Any, encoding: Any) -> None:
        return None

    def stream_end(start: Any, end: Any) -> object:
        return STOP

    return {"ScalarEvent": scalar, "MappingStartEvent": opener(dict, _KEY), "SequenceStartEvent": opener(list, _ITEM),
            "MappingEndEvent": closed, "SequenceEndEvent": closed, "AliasEvent": alias,
            "DocumentStartEvent": document_start, "DocumentEndEvent": document_end,
            "StreamStartEvent": stream_start, "StreamEndEvent": stream_end}


def _shift(tree: array[int], pos: int, base: int) -> int:
    """Move every span of a document parsed from ``text[base:]`` to its index in the whole text."""
    shift = base << 32 | base
    at = 0
    while at < len(tree):  # collections follow one another: span, count, slots
        tree[at] += shift
        count = tree[at + 1]
        for i in range(at + 2, at + 2 + count):
            if not tree[i] & REF:
                tree[i] += shift
        at += 2 + count
    return pos if pos & REF else pos + shift


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
