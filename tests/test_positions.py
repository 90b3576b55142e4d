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
