"""Read one file (or stdin) into positioned Kubernetes documents.

``load_bytes`` never raises for bad input: a broken document becomes a ``Problem`` at its line and
parsing resumes at the next ``---``, so one bad document does not hide the others.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

from manifestlint.document import Document
from manifestlint.loader.classify import HELM_TEMPLATE_NOTE, classify, is_list_kind, skip_reason_for_path
from manifestlint.loader.comments import Directives, directives, helm_sources
from manifestlint.loader.decoding import DecodeError, decode
from manifestlint.loader.raw import Limits, Problem, RawDocument, span_start
from manifestlint.loader.yaml_events import parse_stream
from manifestlint.position_tree import Node
from manifestlint.source import SourceText

__all__ = ["Limits", "LoadedFile", "Problem", "load_bytes"]

_SEPARATOR = re.compile(r"^(---|\.\.\.)(?=[ \t\r\n]|$)", re.M)


@dataclass(slots=True)
class LoadedFile:
    """What a file holds: its Kubernetes documents, what was wrong with it, or why it was skipped."""

    path: str
    documents: list[Document] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: str | None = None
    directives: Directives = field(default_factory=Directives)


def load_bytes(path: str, data: bytes, limits: Limits, *, in_chart_templates: bool = False,
               check_path: bool = True) -> LoadedFile:
    """Parse ``data`` (the contents of ``path``) into documents, problems and directives."""
    loaded = LoadedFile(path)
    if check_path:
        reason = skip_reason_for_path(path)
        if reason:
            loaded.skipped = reason
            return loaded
    if len(data) > limits.max_file_bytes:
        loaded.problems.append(Problem("limit", f"file is {len(data):,} bytes, over the limit of "
                                       f"{limits.max_file_bytes:,} (setting max-file-size)", 1, 1))
        return loaded
    text = decode(data)
    if isinstance(text, DecodeError):
        loaded.problems.append(Problem("syntax", text.message, text.line, text.column))
        return loaded
    if in_chart_templates and "{{" in text:
        loaded.skipped = HELM_TEMPLATE_NOTE
        return loaded
    raw_docs, problems = _parse_recovering(text, limits)
    if "{{" in text and (problems or any(p.code == "key" for raw in raw_docs for p in raw.problems)):
        # Go template actions do not survive YAML parsing: `name: {{ .Release.Name }}` reads as a
        # mapping used as a key, `{{- if … }}` as a syntax error. Rendered output keeps `{{` only in strings.
        loaded.skipped = HELM_TEMPLATE_NOTE
        return loaded
    loaded.problems.extend(problems)
    loaded.directives = directives(text)
    source = SourceText(text)
    _collect_documents(loaded, raw_docs, helm_sources(text), source)
    for problem in loaded.problems:
        if problem.line < 0:  # placed by character index while building the position tree
            problem.line, problem.column = source.line_column(problem.column)
            if problem.first_index is not None:
                first_line = source.line_column(problem.first_index)[0]
                problem.message = problem.message.replace("{first_line}", str(first_line))
    return loaded


def _parse_recovering(text: str, limits: Limits) -> tuple[list[RawDocument], list[Problem]]:
    """Parse every document, resuming after a broken one at the next document separator."""
    docs, problem = parse_stream(text, limits)
    if problem is None:
        return docs, []
    problems = [problem]
    separators = [(text.count("\n", 0, m.start()) + 1, m.start(), m.group(1)) for m in _SEPARATOR.finditer(text)]
    last_resume = 0
    while problem is not None:
        resume = next((s for s in separators if s[0] >= problem.line and s[0] > last_resume), None)
        if resume is None:
            break
        line, offset, marker = resume
        last_resume = line
        if marker == "...":
            newline = text.find("\n", offset)
            if newline < 0:
                break
            offset, line = newline + 1, line + 1
        more, problem = parse_stream(text[offset:], limits, line_offset=line - 1, index_offset=offset)
        docs.extend(more)
        if problem is not None:
            problems.append(problem)
    return docs, problems


def _collect_documents(loaded: LoadedFile, raw_docs: list[RawDocument], sources: list[tuple[int, str]],
                       source: SourceText) -> None:
    source_lines = [line for line, _ in sources]
    k8s_seen = False
    invalid: list[RawDocument] = []
    index = 0
    for raw in raw_docs:
        loaded.problems.extend(raw.problems)
        data = raw.data
        if data is None:
            continue
        category, _reason = classify(data)
        if category is None:
            if not isinstance(data, dict):
                invalid.append(raw)
            elif _reason and _reason != "no apiVersion or kind" and not loaded.skipped:
                loaded.skipped = _reason
            continue
        k8s_seen = True
        helm_source = _source_for(raw, sources, source_lines, source)
        if is_list_kind(data):
            items_pos = _child(data, raw.pos, "items")
            for i, item in enumerate(data["items"]):
                item_category = classify(item)[0] if isinstance(item, dict) else None
                if item_category:
                    item_pos = items_pos[i + 1] if isinstance(items_pos, Node) and i + 1 < len(items_pos) else None
                    loaded.documents.append(Document(loaded.path, index, item, item_pos, source, helm_source,
                                                     item_category))
                    index += 1
            continue
        loaded.documents.append(Document(loaded.path, index, data, raw.pos, source, helm_source, category))
        index += 1
    if not k8s_seen and not loaded.problems:
        loaded.skipped = loaded.skipped or "no Kubernetes objects (no document has apiVersion or kind)"
        return
    if k8s_seen:
        for raw in invalid:
            kind = "list" if isinstance(raw.data, list) else "scalar"
            line, column = source.line_column(span_start(raw.pos)) if raw.pos is not None else (raw.start_line, 1)
            loaded.problems.append(Problem("shape", f"document is a {kind}, not a Kubernetes object "
                                           "(a mapping with apiVersion and kind)", line, column))
    loaded.skipped = None if k8s_seen else loaded.skipped


def _child(data: dict[str, Any], pos: Any, key: str) -> Any:
    """The position node of ``data[key]``."""
    if not isinstance(pos, Node) or key not in data:
        return None
    index = 2 + 2 * list(data).index(key)
    return pos[index] if index < len(pos) else None


def _source_for(raw: RawDocument, sources: list[tuple[int, str]], source_lines: list[int],
                source: SourceText) -> str | None:
    """The Helm template a rendered document came from: the last ``# Source:`` above its first key."""
    if not sources or raw.pos is None:
        return None
    i = bisect.bisect_left(source_lines, source.line_column(span_start(raw.pos))[0]) - 1
    if i >= 0 and source_lines[i] >= raw.start_line - 1:
        return sources[i][1]
    return None
