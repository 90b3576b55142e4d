"""Parse one YAML stream into raw documents: plain data, packed positions and problems.

The read path is libyaml through PyYAML's C parser: ``event_feed`` passes each parse event to the
``builder``'s handlers, which make the data and the position tree. A parse error ends the stream;
the documents before it are kept, and the error becomes a problem at its line.
"""

from __future__ import annotations

from typing import Any

import yaml

from manifestlint.loader.builder import handlers
from manifestlint.loader.event_feed import feed
from manifestlint.loader.raw import LimitExceeded, Limits, Problem, RawDocument, SyntaxProblem

__all__ = ["Limits", "Problem", "RawDocument", "parse_stream"]


def parse_stream(text: str, limits: Limits, line_offset: int = 0, index_offset: int = 0
                 ) -> tuple[list[RawDocument], Problem | None]:
    """Every complete document of ``text``; stops at the first broken document and says why."""
    docs: list[RawDocument] = []
    try:
        feed(text, handlers(limits, line_offset, index_offset, docs))
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
