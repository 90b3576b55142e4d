"""Suppressions that survive ``helm template``: the object annotation and comment directives.

Annotation: ``manifestlint.io/ignore: "ML101,host-port -- reason"`` (or ``ML101=reason`` per entry).
Comments: ``# manifestlint: ignore=ML101`` on the line or the line above, ``# manifestlint: ignore-file``.
"""

from __future__ import annotations

from typing import Any

from manifestlint.loader.comments import Directives
from manifestlint.model import Finding

ANNOTATION = "manifestlint.io/ignore"


def annotation_rules(metadata: dict[str, Any]) -> dict[str, str]:
    """Rule id or name -> reason, from the object's ignore annotation."""
    annotations = metadata.get("annotations")
    if not isinstance(annotations, dict):
        return {}
    value = annotations.get(ANNOTATION)
    if not isinstance(value, str) or not value.strip():
        return {}
    entries, _, reason = value.partition(" -- ")
    rules: dict[str, str] = {}
    for entry in entries.split(","):
        name, _, own_reason = entry.partition("=")
        if name.strip():
            rules[name.strip()] = (own_reason or reason).strip()
    return rules


def suppress(finding: Finding, names: tuple[str, ...], by_annotation: dict[str, str], directives: Directives) -> None:
    """Mark ``finding`` suppressed when an annotation or a comment covers it."""
    for name in names:
        if name in by_annotation or "all" in by_annotation:
            reason = by_annotation.get(name, by_annotation.get("all", ""))
            finding.suppressed_by = f"annotation {ANNOTATION}" + (f" ({reason})" if reason else "")
            return
    if directives:
        finding.suppressed_by = directives.match(finding.span.line, names)
