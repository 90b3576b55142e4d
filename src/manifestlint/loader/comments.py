"""Read the comments that matter: Helm's ``# Source:`` lines and ``# manifestlint:`` directives.

Comments are not in libyaml's event stream, so they are found in the text. Both kinds survive
``helm template`` (the directives when written in the template itself).

Directives, each optionally followed by `` -- reason``:

- ``# manifestlint: ignore=ML101,host-port`` at the end of a line covers that line; on a line of its
  own it covers the next line that holds YAML (blank and comment lines in between are passed over).
- ``# manifestlint: ignore`` (no list) covers every rule on that line.
- ``# manifestlint: ignore-file`` / ``ignore-file=ML102`` covers the whole file; in a Helm-rendered
  stream, every document rendered from the same template (the same ``# Source:``).

A ``#`` inside a quoted string or a block scalar (``|``, ``>``) is text, not a comment, and a
directive that does not parse (``ignore ML101`` without ``=``) is not a directive.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

_SOURCE = re.compile(r"^#\s*Source:\s*(\S.*?)\s*$", re.M)
_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9_.:]|-(?!-))*"
_DIRECTIVE = re.compile(
    rf"manifestlint:\s*(?P<scope>ignore-file|ignore)(?![\w-])"
    rf"(?:\s*=\s*(?P<names>{_NAME}(?:\s*,\s*{_NAME})*))?"
    r"\s*(?:--\s*(?P<reason>.*?))?\s*$"
)
_BLOCK_SCALAR = re.compile(r"(?:^|[\s:?-])[|>][+-]?[1-9]?[+-]?$")
_LEAD = re.compile(r"^( *)((?:-[ \t]+)*)")
_SPECIAL = re.compile(r"[#\"'\\]")
_LINES = re.compile(r"\r\n|\r|\n")  # libyaml's line breaks (str.splitlines knows more)


@dataclass(frozen=True, slots=True)
class Directive:
    """One ``# manifestlint: ignore…`` comment."""

    line: int
    scope: str  # "ignore" or "ignore-file"
    rules: tuple[str, ...] = ()  # as written; empty: every rule
    reason: str = ""

    def covers(self, names: tuple[str, ...]) -> bool:
        if not self.rules:
            return True
        wanted = {rule.lower() for rule in self.rules}
        return any(name.lower() in wanted for name in names)

    def describe(self) -> str:
        text = f"comment on line {self.line}: # manifestlint: {self.scope}"
        if self.rules:
            text += "=" + ",".join(self.rules)
        return text + (f" ({self.reason})" if self.reason else "")


@dataclass(slots=True)
class Directives:
    """Suppression comments of one file: per line, and for the whole file (or Helm template)."""

    file: list[Directive] = field(default_factory=list)
    lines: dict[int, list[Directive]] = field(default_factory=dict)
    sources: list[tuple[int, str]] = field(default_factory=list)

    def match(self, line: int, names: tuple[str, ...]) -> str | None:
        """What suppresses a finding of a rule known by ``names`` (id, name) at ``line``, if anything."""
        for directive in self.lines.get(line, ()):
            if directive.covers(names):
                return directive.describe()
        for directive in self.file:
            if directive.covers(names) and self._same_template(directive.line, line):
                return directive.describe()
        return None

    def _same_template(self, directive_line: int, line: int) -> bool:
        own = self._source_at(directive_line)
        return own is None or own == self._source_at(line)

    def _source_at(self, line: int) -> str | None:
        i = bisect.bisect_right([start for start, _ in self.sources], line) - 1
        return self.sources[i][1] if i >= 0 else None

    def __bool__(self) -> bool:
        return bool(self.file or self.lines)


def helm_sources(text: str) -> list[tuple[int, str]]:
    """``(line, template path)`` of every ``# Source:`` comment, in order."""
    if "Source:" not in text:
        return []
    found = []
    line, counted = 1, 0
    at = text.find("Source:")
    while at >= 0:  # str.find to each candidate, then the pattern at its line start: faster than a scan
        start = text.rfind("\n", 0, at) + 1
        match = _SOURCE.match(text, start)
        if match is not None:
            line += text.count("\n", counted, start)  # counted from the previous comment on
            counted = start
            found.append((line, match.group(1)))
        at = text.find("Source:", match.end() if match is not None else at + 7)
    return found


def directives(text: str) -> Directives:
    """Every ``# manifestlint: ignore…`` comment of ``text``."""
    found = Directives()
    if "manifestlint:" not in text:
        return found
    pending: list[Directive] = []
    for line, comment, own_line in _comments(text):
        if comment is None:  # a line holding YAML: what the comments above it point at
            if pending:
                found.lines.setdefault(line, []).extend(pending)
                pending = []
            continue
        match = _DIRECTIVE.fullmatch(comment.strip().lstrip("#").strip())
        if match is None:
            continue
        names = tuple(n.strip() for n in match["names"].split(",")) if match["names"] else ()
        directive = Directive(line, match["scope"], names, (match["reason"] or "").strip())
        if directive.scope == "ignore-file":
            found.file.append(directive)
        elif own_line:
            pending.append(directive)
        else:
            found.lines.setdefault(line, []).append(directive)
    if found.file:
        found.sources = helm_sources(text)
    return found


def _comments(text: str) -> Iterator[tuple[int, str | None, bool]]:
    """``(line, comment, own_line)`` for each comment, and ``(line, None, False)`` for each YAML line.

    A small scanner, not a parser: it follows quoted scalars (also across lines) and block
    scalars well enough to tell a comment from a ``#`` in text.
    """
    quote: str | None = None
    block_parent: int | None = None  # inside a block scalar: the indentation its lines must exceed
    for number, line in enumerate(_LINES.split(text), 1):
        if block_parent is not None:
            body = line.lstrip(" ")
            if not body.strip():
                continue
            if len(line) - len(body) > block_parent:
                yield number, None, False
                continue
            block_parent = None
        if line.startswith(("---", "...")) and line[3:4] in ("", " ", "\t"):
            quote = None  # a document marker ends any quoted scalar left open
        hash_at, quote = _scan(line, quote)
        content = line if hash_at is None else line[:hash_at]
        if content.strip():
            yield number, None, False
        if hash_at is not None:
            yield number, line[hash_at:], not content.strip()
        if quote is None and _BLOCK_SCALAR.search(content.rstrip()):
            block_parent = _parent_indent(content)


def _scan(line: str, quote: str | None) -> tuple[int | None, str | None]:
    """Where a comment starts on ``line`` (if it does), and the quote still open at its end."""
    skip_to = 0
    for match in _SPECIAL.finditer(line):
        i, c = match.start(), match.group()
        if i < skip_to:
            continue
        if quote == '"':
            if c == "\\":
                skip_to = i + 2
            elif c == '"':
                quote = None
        elif quote == "'":
            if c == "'":
                if line.startswith("'", i + 1):
                    skip_to = i + 2
                else:
                    quote = None
        elif c == "#" and (i == 0 or line[i - 1] in " \t"):
            return i, None
        elif c in "\"'" and _starts_scalar(line, i):
            quote = c
    return None, quote


def _starts_scalar(line: str, i: int) -> bool:
    """Whether a quote at ``i`` opens a quoted scalar (not an apostrophe inside plain text)."""
    before = line[:i].rstrip()
    if not before:
        return True
    if before[-1] in "[{,":
        return True
    return before[-1] in ":-?" and i > len(before)  # `key: "x"`, `- 'x'`: a space after the indicator


def _parent_indent(content: str) -> int:
    """The indentation a block scalar's lines must exceed, from the line that opens it."""
    lead = _LEAD.match(content)
    assert lead is not None
    spaces, dashes = lead.group(1), lead.group(2)
    rest = content[lead.end():]
    if dashes and rest.lstrip()[:1] in ("|", ">"):  # `- |`: the sequence entry's own column
        return len(spaces) + len(dashes.rstrip()) - 1
    return len(spaces) + len(dashes)
