"""Find the template line that produces a key path, reading the template's indentation around ``{{ }}``.

A Helm template is not YAML until rendered, but its structure is visible: lines that hold only template
actions (``{{- if … }}``, ``{{- end }}``, ``{{ include … | nindent 8 }}``) produce no key of their own, and
the keys written out keep their indentation. Walking a field path through that outline finds the line
of the key, or of the nearest ancestor written out (a block pasted with ``toYaml .Values.x`` is
reported at the key that receives it), or the top of the template.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from manifestlint.positions import FieldPath

_ACTION = re.compile(r"\{\{.*?\}\}", re.S)
_KEY = re.compile(r"""^(?:"([^"]+)"|'([^']+)'|([^\s:#'"{][^:#]*?))\s*:(?:\s|$)""")
_SEPARATOR = re.compile(r"^---(\s|$)")
_KIND = re.compile(r"^kind:\s*['\"]?([A-Za-z0-9]+)")


@dataclass(frozen=True, slots=True)
class Token:
    """One key or list item written out in the template."""

    line: int  # 1-based
    indent: int
    key: str | None  # None for a list item marker ("- ")


@dataclass(frozen=True, slots=True)
class TemplateDoc:
    first_line: int
    tokens: tuple[Token, ...]
    kind: str | None


def outline(text: str) -> list[TemplateDoc]:
    """The documents of a template (split at ``---``) with their written-out keys and list items."""
    docs: list[TemplateDoc] = []
    tokens: list[Token] = []
    first, kind = 0, None
    for number, line in enumerate(_without_actions(text), start=1):
        if _SEPARATOR.match(line):
            if tokens:
                docs.append(TemplateDoc(first, tuple(tokens), kind))
            tokens, first, kind = [], 0, None
            continue
        stripped = line.lstrip(" ")
        if not stripped.strip() or stripped.startswith("#"):
            continue
        indent = len(line) - len(stripped)
        first = first or number
        while stripped.startswith("- ") or stripped == "-":
            tokens.append(Token(number, indent, None))
            rest = stripped[1:].lstrip(" ")
            indent += len(stripped) - len(rest)
            stripped = rest
        match = _KEY.match(stripped)
        if match:
            key = next(g for g in match.groups() if g is not None).strip()
            tokens.append(Token(number, indent, key))
            if indent == 0 and kind is None and (found := _KIND.match(stripped)):
                kind = found.group(1)
    if tokens:
        docs.append(TemplateDoc(first, tuple(tokens), kind))
    return docs


def _without_actions(text: str) -> list[str]:
    """The template's lines with every ``{{ … }}`` action blanked (multi-line actions included)."""
    blanked = _ACTION.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    # An action-only line becomes blank; a key whose value is an action keeps "key:" and blanks.
    return blanked.split("\n")


def locate(doc: TemplateDoc, path: FieldPath) -> tuple[int, int, int]:
    """``(line, column, steps matched)`` of ``path`` in ``doc``: the deepest key written out."""
    tokens = doc.tokens
    start, end, parent_indent = 0, len(tokens), -1
    best = (doc.first_line or 1, 1, 0)
    for depth, step in enumerate(path, start=1):
        children = [i for i in range(start, end) if tokens[i].indent > parent_indent]
        if not children:
            break
        level = min(tokens[i].indent for i in children)
        at_level = [i for i in children if tokens[i].indent == level]
        if isinstance(step, int):
            items = [i for i in at_level if tokens[i].key is None]
            if not items:
                break
            index = items[min(step, len(items) - 1)]  # a `range` writes one item for many
        else:
            named = [i for i in at_level if tokens[i].key == step]
            if not named:
                break
            index = named[0]
        token = tokens[index]
        best = (token.line, token.indent + 1, depth)
        start, parent_indent = index + 1, token.indent
        end = next((i for i in range(start, len(tokens)) if tokens[i].indent <= token.indent
                    and tokens[i].line != token.line), len(tokens))
    return best


def pick(docs: list[TemplateDoc], kind: str, index: int) -> TemplateDoc | None:
    """The template document that rendered the ``index``-th document of ``kind`` from this template."""
    if not docs:
        return None
    same_kind = [d for d in docs if d.kind == kind]
    if same_kind:
        return same_kind[min(index, len(same_kind) - 1)]
    unnamed = [d for d in docs if d.kind is None]  # `kind: {{ … }}`
    return (unnamed or docs)[0]
