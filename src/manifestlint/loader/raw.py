"""What parsing one YAML stream produces: raw documents, problems, and the limits it runs under."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# An int (a scalar's packed span) or a position_tree.Node (a mapping or sequence).
Pos = Any


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


def span_start(pos: Pos) -> int:
    """The character index where a position-tree node (an int or a ``Node``) starts."""
    packed = pos if type(pos) is int else pos[0]
    return int(packed >> 32)
