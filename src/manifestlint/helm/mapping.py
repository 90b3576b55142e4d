"""Report findings of rendered Helm output in the templates that produced them.

A finding in a document with a ``# Source: chart/templates/x.yaml`` whose chart folder is known moves
to the template file, at the line that writes its key (``template_lines``); the rendered location
becomes a related location (SARIF ``relatedLocations``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from manifestlint.discovery import display_path
from manifestlint.helm.charts import ChartIndex, chart_root, outermost_chart
from manifestlint.helm.template_lines import TemplateDoc, locate, outline, pick
from manifestlint.model import Finding, Notification, Severity, Span

_SOURCE = re.compile(r"^#\s*Source:\s*(\S.*?)\s*$")
_KIND = re.compile(r"^kind:\s*['\"]?([A-Za-z0-9]+)")
_SEPARATOR = re.compile(r"^---(\s|$)")


def chart_index(chart_dirs: Iterable[str], scanned: Iterable[tuple[Path, bool]]) -> ChartIndex:
    """Charts named on the command line or in the configuration, and those whose templates were scanned."""
    folders = [Path(d) for d in chart_dirs]
    seen: set[Path] = set()
    for path, in_templates in scanned:
        if in_templates:
            root = chart_root(path)
            for chart in (root, outermost_chart(root)) if root is not None else ():
                if chart not in seen:
                    seen.add(chart)
                    folders.append(chart)
    return ChartIndex(folders)


def map_findings(findings: Iterable[Finding], charts: ChartIndex, root: Path) -> int:
    """Move every finding of a rendered document whose template is known; returns how many moved.

    Paths are shown relative to ``root``, as the rendered files' are.
    """
    outlines: dict[Path, list[TemplateDoc]] = {}
    ordinals: dict[str, list[tuple[str | None, str | None]]] = {}
    moved = 0
    for finding in findings:
        if not finding.helm_source:
            continue
        template = charts.template_for(finding.helm_source)
        if template is None:
            continue
        if template not in outlines:
            try:
                outlines[template] = outline(template.read_text(encoding="utf-8", errors="replace"))
            except OSError:
                outlines[template] = []
        if finding.path not in ordinals:
            ordinals[finding.path] = _rendered_documents(root / finding.path)
        doc = pick(outlines[template], finding.obj.kind, _ordinal(ordinals[finding.path], finding))
        if doc is None:
            continue
        line, column, _depth = locate(doc, finding.field_path)
        rendered = f"{finding.path}:{finding.span.line}"
        finding.related.append((finding.path, finding.span, f"rendered at {rendered}"))
        finding.path = display_path(template, root)
        finding.span = Span.point(line, column)
        moved += 1
    return moved


def _rendered_documents(path: Path) -> list[tuple[str | None, str | None]]:
    """``(source, kind)`` of each document of a rendered file, in order (empty when it cannot be read)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    docs: list[tuple[str | None, str | None]] = []
    source = kind = None
    for line in text.splitlines():
        if _SEPARATOR.match(line):
            if kind is not None:
                docs.append((source, kind))
            source = kind = None
        elif match := _SOURCE.match(line):
            source = match.group(1)
        elif kind is None and (match := _KIND.match(line)):
            kind = match.group(1)
    if kind is not None:
        docs.append((source, kind))
    return docs


def _ordinal(docs: list[tuple[str | None, str | None]], finding: Finding) -> int:
    """How many documents of the same template and kind come before the finding's in the rendered file."""
    before = docs[:finding.document_index]
    return sum(1 for source, kind in before if source == finding.helm_source and kind == finding.obj.kind)


def one_note_per_chart(notifications: list[Notification], scanned: Iterable[tuple[Path, str, bool]],
                       root: Path) -> list[Notification]:
    """Replace the "unrendered template" note of each template file by one note per chart saying how to lint it.

    ``scanned`` holds ``(path, display path, in chart templates)`` of every file of the run.
    """
    chart_of = {display: chart_root(path) for path, display, in_templates in scanned if in_templates}
    chart_of = {display: outermost_chart(chart) for display, chart in chart_of.items() if chart is not None}
    kept: list[Notification] = []
    charts: dict[Path, None] = {}
    for note in notifications:
        chart = chart_of.get(note.path or "") if note.kind == "skipped" else None
        if chart is None:
            kept.append(note)
        else:
            charts.setdefault(chart, None)
    for chart in charts:
        shown = display_path(chart, root)
        advice = (f"Helm chart {shown}: unrendered Helm templates are not linted; lint what the chart renders: "
                  f"`helm template {shown} | manifestlint - --chart-dir {shown}` (or --render-helm where helm is "
                  "installed)")
        kept.append(Notification(Severity.NOTE, advice, shown, kind="skipped"))
    return kept
