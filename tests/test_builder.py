"""What the loader's event handlers build in the rarer cases: merges, aliases, duplicate and complex
keys, limits, and documents after a broken one (their positions shifted into the whole file)."""

from __future__ import annotations

from manifestlint.loader import Limits, load_bytes
from manifestlint.loader.yaml_events import parse_stream


def _one(text: str, limits: Limits = Limits()):
    docs, problem = parse_stream(text, limits)
    assert problem is None, problem
    return docs[0]


def test_merge_keys_explicit_first_then_earlier_merges() -> None:  # (`y` would be the key `true`: YAML 1.1)
    doc = _one("a: &a {p: 1, q: 1}\nb: &b {q: 2, r: 2}\nc:\n  <<: [*a, *b]\n  p: 0\n")
    assert doc.data["c"] == {"p": 0, "q": 1, "r": 2}
    assert doc.problems == []


def test_a_quoted_merge_key_is_an_ordinary_key() -> None:
    assert _one('m: {"<<": 1}\n').data == {"m": {"<<": 1}}


def test_duplicate_key_keeps_the_later_value_and_says_where_the_first_was() -> None:
    loaded = load_bytes("x.yaml", b"apiVersion: v1\nkind: Pod\nspec:\n  a: 1\n  b: {c: 1}\n  a: 2\n", Limits())
    assert loaded.documents[0].data["spec"] == {"a": 2, "b": {"c": 1}}
    (problem,) = [p for p in loaded.problems if p.code == "duplicate-key"]
    assert (problem.line, problem.column) == (6, 3) and "first at line 4" in problem.message
    assert loaded.documents[0].locate(("spec", "a")) == (6, 3, 6, 7)


def test_a_mapping_used_as_a_key_is_a_problem_at_the_key() -> None:
    doc = _one("? {a: 1}\n: v\n")
    assert [p.code for p in doc.problems] == ["key"]


def test_an_alias_expands_to_its_anchor_and_counts_its_nodes() -> None:
    doc = _one("a: &x [1, 2, {k: v}]\nb: *x\n")
    assert doc.data["b"] == [1, 2, {"k": "v"}]
    items = ", ".join(map(str, range(10)))
    docs, problem = parse_stream(f"a: &x [{items}]\nb: [*x, *x, *x]\n", Limits(max_nodes=20))
    assert problem is not None and problem.code == "limit" and (problem.line, problem.column) == (2, 9)


def test_nesting_deeper_than_the_limit_stops_at_the_bracket_past_it() -> None:
    docs, problem = parse_stream("a: [[[[1]]]]\n", Limits(max_depth=3))
    assert problem is not None and problem.code == "limit" and (problem.line, problem.column) == (1, 6)


def test_documents_after_a_broken_one_keep_their_positions_in_the_file() -> None:
    text = (b"a: [\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels: &l {app: x}\n"
            b"  annotations: *l\ndata:\n  k: v\n")
    loaded = load_bytes("x.yaml", text, Limits())
    assert [p.code for p in loaded.problems] == ["syntax"]
    doc = loaded.documents[0]
    assert doc.locate(("data", "k")) == (10, 3, 10, 7)
    assert doc.locate(("metadata", "annotations")) == (8, 3, 8, 14)
    assert doc.locate(("metadata", "annotations", "app")) == (7, 15, 7, 21)  # where the anchor wrote it
