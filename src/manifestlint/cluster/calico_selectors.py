"""Calico's selector expressions (``app == 'web' && has(tier)``), parsed into a predicate over labels.

Grammar (Calico's docs): ``all()``, ``global()``, ``k == 'v'``, ``k != 'v'``, ``has(k)``, ``k in {'a','b'}``,
``k not in {...}``, ``k contains 's'``, ``k starts with 's'``, ``k ends with 's'``, ``!e``, ``e && e``,
``e || e`` and parentheses. An empty expression is ``all()``. Text that does not parse gives ``None``:
the rules then treat the selector as unknown rather than guess.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

Predicate = Callable[[Mapping[str, str]], bool]

_TOKEN = re.compile(r"""\s*(?:(?P<str>'[^']*'|"[^"]*")|(?P<op>&&|\|\||==|!=|[!(){},])|(?P<word>[A-Za-z0-9_./\-]+))""")


@dataclass(frozen=True, slots=True)
class CalicoSelector:
    """A parsed Calico selector: its predicate, the label keys it reads, and whether it is ``all()``."""

    text: str
    predicate: Predicate
    keys: frozenset[str]
    everything: bool

    def matches(self, labels: Mapping[str, str]) -> bool:
        return self.predicate(labels)

    def describe(self) -> str:
        return self.text.strip() or "all()"


def parse(text: object) -> CalicoSelector | None:
    """The selector ``text`` (``None``/empty: ``all()``), or None when it does not parse."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return CalicoSelector("all()", lambda labels: True, frozenset(), True)
    if not isinstance(text, str):
        return None
    tokens = _tokenize(text)
    if tokens is None:
        return None
    parser = _Parser(tokens)
    try:
        predicate = parser.expression()
        if parser.pos != len(tokens):
            return None
    except _SyntaxError:
        return None
    everything = tokens in (["all", "(", ")"],)
    return CalicoSelector(text, predicate, frozenset(parser.keys), everything)


class _SyntaxError(Exception):
    pass


def _tokenize(text: str) -> list[str] | None:
    tokens: list[str] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            return None
        tokens.append(match.group("str") or match.group("op") or match.group("word"))
        pos = match.end()
    return tokens


class _Parser:
    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.keys: set[str] = set()

    def peek(self, offset: int = 0) -> str | None:
        i = self.pos + offset
        return self.tokens[i] if i < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            raise _SyntaxError(f"expected {expected!r} at token {self.pos}")
        self.pos += 1
        return token

    def expression(self) -> Predicate:
        left = self.conjunction()
        while self.peek() == "||":
            self.take()
            right = self.conjunction()
            left = (lambda a, b: lambda labels: a(labels) or b(labels))(left, right)
        return left

    def conjunction(self) -> Predicate:
        left = self.unary()
        while self.peek() == "&&":
            self.take()
            right = self.unary()
            left = (lambda a, b: lambda labels: a(labels) and b(labels))(left, right)
        return left

    def unary(self) -> Predicate:
        token = self.peek()
        if token == "!":
            self.take()
            inner = self.unary()
            return lambda labels: not inner(labels)
        if token == "(":
            self.take()
            inner = self.expression()
            self.take(")")
            return inner
        if token in ("all", "global") and self.peek(1) == "(":
            self.take()
            self.take("(")
            self.take(")")
            if token == "global":
                return lambda labels: False  # non-namespaced endpoints: never a pod
            return lambda labels: True
        if token == "has" and self.peek(1) == "(":
            self.take()
            self.take("(")
            key = self.key()
            self.take(")")
            return lambda labels: key in labels
        return self.comparison()

    def key(self) -> str:
        token = self.take()
        if token[0] in "'\"" or not re.match(r"[A-Za-z0-9_./\-]+$", token):
            raise _SyntaxError(f"bad key {token!r}")
        self.keys.add(token)
        return token

    def string(self) -> str:
        token = self.take()
        if token[0] not in "'\"":
            raise _SyntaxError(f"expected a quoted string, got {token!r}")
        return token[1:-1]

    def comparison(self) -> Predicate:
        key = self.key()
        op = self.take()
        if op == "==":
            value = self.string()
            return lambda labels: labels.get(key) == value
        if op == "!=":
            value = self.string()
            return lambda labels: labels.get(key) != value
        if op == "in":
            values = self.set()
            return lambda labels: labels.get(key) in values
        if op == "not" and self.peek() == "in":
            self.take()
            values = self.set()
            return lambda labels: labels.get(key) not in values
        if op == "contains":
            part = self.string()
            return lambda labels: key in labels and part in labels[key]
        if op in ("starts", "ends") and self.peek() == "with":
            self.take()
            part = self.string()
            if op == "starts":
                return lambda labels: key in labels and labels[key].startswith(part)
            return lambda labels: key in labels and labels[key].endswith(part)
        raise _SyntaxError(f"unknown operator {op!r}")

    def set(self) -> frozenset[str]:
        self.take("{")
        values: set[str] = set()
        while self.peek() != "}":
            values.add(self.string())
            if self.peek() == ",":
                self.take()
        self.take("}")
        return frozenset(values)
