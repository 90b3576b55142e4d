"""Positions from the packed position tree: every kind of node the loader builds is found again."""

from __future__ import annotations

import pytest

from manifestlint.loader import Limits, load_bytes
from manifestlint.position_tree import Node

STREAM = b"""\
apiVersion: v1
kind: ConfigMap
metadata:
  name: demo
  labels: &labels
    app: web
    tier: front
  annotations:
    copy: *labels
    flow: {a: 1, b: [x, y]}
    merged:
      <<: *labels
      own: yes
data:
  empty: ""
---
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Secret
  metadata: {name: s}
"""


def _documents():
    loaded = load_bytes("demo.yaml", STREAM, Limits(), check_path=False)
    assert not loaded.problems
    return loaded.documents


@pytest.mark.parametrize(("path", "where"), [
    ((), (1, 1)),
    (("kind",), (2, 1)),
    (("metadata", "labels", "tier"), (7, 5)),
    (("metadata", "annotations", "copy"), (9, 5)),
    (("metadata", "annotations", "copy", "app"), (6, 5)),  # inside an alias: where the anchor wrote it
    (("metadata", "annotations", "flow", "b", 1), (10, 25)),
    (("metadata", "annotations", "merged", "tier"), (7, 5)),  # a merged key: where it is written
    (("metadata", "annotations", "merged", "own"), (13, 7)),
    (("metadata", "missing", "deeper"), (3, 1)),  # the deepest part that exists
])
def test_a_path_is_located_at_its_node(path, where):
    span = _documents()[0].locate(path)
    assert (span.line, span.column) == where


def test_an_alias_of_a_mapping_reads_like_the_anchored_one():
    doc = _documents()[0]
    assert isinstance(doc.pos, Node)
    span = doc.locate(("metadata", "annotations", "copy"))
    assert (span.line, span.column, span.end_line) == (9, 5, 9)


def test_list_items_keep_their_own_positions():
    secret = _documents()[1]
    assert secret.kind == "Secret"
    assert (secret.locate(("metadata", "name")).line, secret.locate(("metadata", "name")).column) == (22, 14)


def test_a_node_reads_like_the_list_layout():
    doc = _documents()[0]
    root = doc.pos
    assert len(root) == 1 + 2 * len(doc.data)
    assert root[-1] is not None and root[1:3] == [root[1], root[2]]
    with pytest.raises(IndexError):
        root[len(root)]


# --- lines and columns -----------------------------------------------------------------------------

TEXTS = [
    "a: 1\nb: 2\n", "a: 1\nb: 2", "a: 1\r\nb: 2\r\n", "a: 1\rb: 2", "a: 1\u2028b: 2\x85c: 3",
    "a: \"x\fy\"\nb: 2", "\n\n", "", "k: ü\nl: 字\n",
]


def _reference(text: str, index: int) -> tuple[int, int]:
    """Line and column as YAML counts breaks (CRLF is one), walking the text."""
    line, start, i = 1, 0, 0
    while i < index:
        if text[i] == "\r" and text[i + 1:i + 2] == "\n":
            i += 1
        if text[i] in "\r\n\x85\u2028\u2029":
            line, start = line + 1, i + 1
        i += 1
    return line, index - start + 1


@pytest.mark.parametrize("text", TEXTS)
def test_lines_and_columns(text: str) -> None:
    from manifestlint.source import SourceText

    source = SourceText(text)
    for index in range(len(text) + 1):
        if text[index - 1:index + 1] == "\r\n":
            continue  # inside a CRLF: no node starts or ends there
        assert source.line_column(index) == _reference(text, index), (text, index)


def test_a_value_at_the_end_of_a_file_without_a_newline_spans_key_to_value() -> None:
    # The end of the last line was taken for the start of a line after it, so the region fell back to the key.
    loaded = load_bytes("x.yaml", b"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ambient", Limits())
    doc = loaded.documents[0]
    assert doc.locate(("metadata", "name")) == (4, 3, 4, 16)
    big = b"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ambient\n  labels:\n" + b"".join(
        b"    k%d: v\n" % i for i in range(40)) + b"    last: x"
    doc = load_bytes("x.yaml", big, Limits()).documents[0]
    assert doc.locate(("metadata", "labels", "last")) == (46, 5, 46, 12)
