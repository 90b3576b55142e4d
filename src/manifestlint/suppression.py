"""Suppressions that survive ``helm template``: the object annotation and comment directives.

Annotation on the object's own ``metadata``: ``manifestlint.io/ignore: "ML101,host-port -- reason"``
(rule ids or names, any case; ``all`` for every rule; ``ML101=reason`` gives one entry its own
reason). Comments: see ``manifestlint.loader.comments``.
"""

from __future__ import annotations

from typing import Any

from manifestlint.loader.comments import Directives
from manifestlint.model import Finding

ANNOTATION = "manifestlint.io/ignore"
EVERY_RULE = ("all", "*")


def annotation_rules(metadata: dict[str, Any]) -> dict[str, str]:
    """Lower-cased rule id or name -> reason, from the object's ignore annotation."""
    annotations = metadata.get("annotations")
    if not isinstance(annotations, dict):
        return {}
    value = annotations.get(ANNOTATION)
    if not isinstance(value, str) or not value.strip():
        return {}
    entries, _, reason = value.partition("--")
    rules: dict[str, str] = {}
    for entry in entries.replace("\n", ",").split(","):
        name, _, own_reason = entry.partition("=")
        if name.strip():
            rules[name.strip().lower()] = (own_reason or reason).strip()
    return rules


def suppress(finding: Finding, names: tuple[str, ...], by_annotation: dict[str, str], directives: Directives) -> None:
    """Mark ``finding`` suppressed when an annotation or a comment covers it; say which in ``suppressed_by``."""
    if by_annotation:
        for name in (*names, *EVERY_RULE):
            reason = by_annotation.get(name.lower())
            if reason is not None:
                finding.suppressed_by = f"annotation {ANNOTATION}" + (f" ({reason})" if reason else "")
                return
    if directives:
        finding.suppressed_by = directives.match(finding.span.line, names)
