"""Feed a YAML stream's parse events to the builder's handlers, straight from libyaml when possible.

PyYAML's C parser turns each libyaml event into an instance of a ``yaml.events`` class, which it
finds by name among its module's globals; the class's Python ``__init__`` stores up to seven
attributes, which a builder then reads back. That costs as much as libyaml's own parsing. While one
stream is parsed, ``feed`` puts the builder's handlers in those names' place, so each event becomes
one call with its fields as arguments, and restores them before it returns. Module globals are
shared by every thread, so the shortcut is taken only while the process runs a single thread (the
CLI, and each ``--jobs`` worker); otherwise another thread's YAML loading could see the handlers.

The shortcut is checked once, on a small stream: when PyYAML is built without libyaml, or no longer
builds its events this way, events are read as objects and passed on (slower, same result).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import yaml

from manifestlint.loader.builder import STOP

_cyaml: Any
_CParser: Any
try:
    from yaml import _yaml as _cyaml

    _CParser = _cyaml.CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _cyaml = _CParser = None

Handlers = dict[str, Callable[..., Any]]

# How each event's fields are passed: the order of the event class's constructor arguments.
_FIELDS = {
    "ScalarEvent": ("anchor", "tag", "implicit", "value", "start_mark", "end_mark", "style"),
    "MappingStartEvent": ("anchor", "tag", "implicit", "start_mark", "end_mark", "flow_style"),
    "SequenceStartEvent": ("anchor", "tag", "implicit", "start_mark", "end_mark", "flow_style"),
    "MappingEndEvent": ("start_mark", "end_mark"),
    "SequenceEndEvent": ("start_mark", "end_mark"),
    "AliasEvent": ("anchor", "start_mark", "end_mark"),
    "DocumentStartEvent": ("start_mark", "end_mark", "explicit", "version", "tags"),
    "DocumentEndEvent": ("start_mark", "end_mark", "explicit"),
    "StreamStartEvent": ("start_mark", "end_mark", "encoding"),
    "StreamEndEvent": ("start_mark", "end_mark"),
}


def feed(text: str, handlers: Handlers) -> None:
    """Parse ``text``, calling the handler named after each event; parse errors propagate."""
    if threading.active_count() == 1 and _direct_calls_work():
        _feed_direct(text, handlers)
    else:
        _feed_objects(text, handlers)


def _feed_direct(text: str, handlers: Handlers) -> None:
    parser = _CParser(text)
    module = vars(_cyaml)
    module.update(handlers)
    try:
        deque(iter(parser.get_event, STOP), maxlen=0)  # the loop runs in C; each event calls a handler
    finally:
        module.update(_ORIGINALS)  # a plain try, not _events_as: this runs once per file
        parser.dispose()


@contextmanager
def _events_as(handlers: Handlers) -> Iterator[None]:
    module = vars(_cyaml)
    saved = {name: module[name] for name in _FIELDS}
    module.update(handlers)
    try:
        yield
    finally:
        module.update(saved)


def _feed_objects(text: str, handlers: Handlers) -> None:
    parser = _CParser(text) if _CParser is not None else _python_parser(text)
    try:
        while True:
            event = parser.get_event()
            name = type(event).__name__
            if handlers[name](*(getattr(event, field) for field in _FIELDS[name])) is STOP:
                return
    finally:
        if hasattr(parser, "dispose"):
            parser.dispose()


def _python_parser(text: str) -> Any:
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class PythonParser(Reader, Scanner, Parser):
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)

    return PythonParser(text)


_checked: list[bool] = []
_ORIGINALS: Handlers = {}  # PyYAML's event classes, saved when the shortcut is checked


def _direct_calls_work() -> bool:
    """Whether PyYAML's C parser builds events through the names ``_feed_direct`` replaces."""
    if not _checked:
        _checked.append(_probe())
        if _checked[0]:
            _ORIGINALS.update({name: vars(_cyaml)[name] for name in _FIELDS})
    return _checked[0]


def _probe() -> bool:
    if _cyaml is None or any(name not in vars(_cyaml) for name in _FIELDS):
        return False
    seen: list[str] = []

    def recorder(name: str) -> Callable[..., Any]:
        def record(*args: Any) -> Any:
            seen.append(name)
            return STOP if name == "StreamEndEvent" else None
        return record

    parser = _CParser("a: [b]\n")
    try:
        with _events_as({name: recorder(name) for name in _FIELDS}):
            for _ in range(12):  # bounded: if the names are not used, events never say STOP
                if parser.get_event() is STOP:
                    break
    except (yaml.YAMLError, TypeError):
        return False
    finally:
        parser.dispose()
    return seen == ["StreamStartEvent", "DocumentStartEvent", "MappingStartEvent", "ScalarEvent",
                    "SequenceStartEvent", "ScalarEvent", "SequenceEndEvent", "MappingEndEvent",
                    "DocumentEndEvent", "StreamEndEvent"]
