"""The libyaml shortcut of ``event_feed`` builds exactly what reading PyYAML's event objects builds."""

from __future__ import annotations

from pathlib import Path

import pytest

from manifestlint.loader import event_feed
from manifestlint.loader.raw import Limits
from manifestlint.loader.yaml_events import parse_stream
from manifestlint.position_tree import Node

REPO = Path(__file__).resolve().parent.parent
SAMPLES = sorted(p for p in (REPO / "fixtures").rglob("*") if p.suffix in (".yaml", ".yml", ".json"))


def _positions(pos):
    """A position tree as nested lists, for comparison."""
    if isinstance(pos, Node):
        return [pos[0], *(_positions(pos[i]) for i in range(1, len(pos)))]
    return pos


def _parsed(text: str):
    docs, problem = parse_stream(text, Limits(max_nodes=5000))
    return ([(d.data, _positions(d.pos), d.start_line, d.end_line, d.problems) for d in docs], problem)


def test_the_shortcut_is_in_use():
    assert event_feed._direct_calls_work()


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: str(p.relative_to(REPO)))
def test_both_feeds_build_the_same_documents(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = path.read_bytes().decode("utf-8", errors="replace")
    direct = _parsed(text)
    monkeypatch.setattr(event_feed, "_direct_calls_work", lambda: False)
    assert _parsed(text) == direct
    monkeypatch.setattr(event_feed, "_CParser", None)  # PyYAML built without libyaml
    python = _parsed(text)
    if direct[1] is None:  # error messages differ between the parsers; documents must not
        assert python == direct
    else:
        assert python[0] == direct[0] and python[1] is not None


def test_the_event_names_are_restored_after_a_parse_error():
    import yaml

    docs, problem = parse_stream("a: [1, 2\nb: {", Limits())
    assert problem is not None and problem.code == "syntax"
    assert yaml.safe_load("k: [1]") == {"k": [1]}
    assert list(yaml.load_all("x: 1\n---\ny: 2\n", Loader=yaml.CSafeLoader)) == [{"x": 1}, {"y": 2}]


def test_with_other_threads_running_events_are_read_as_objects(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(event_feed, "_feed_direct", lambda text, handlers: calls.append("direct"))
    monkeypatch.setattr(event_feed.threading, "active_count", lambda: 2)
    docs, problem = parse_stream("a: 1\n", Limits())
    assert calls == [] and problem is None and docs[0].data == {"a": 1}

