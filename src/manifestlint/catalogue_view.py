"""Describe rules for people and tools: the ``rules`` listing, its JSON, and each rule's page."""

from __future__ import annotations

import json
from typing import Any

from manifestlint.registry import Catalogue
from manifestlint.rule import Rule


def rule_record(rule: Rule, enabled: bool) -> dict[str, Any]:
    meta = rule.meta
    return {
        "id": meta.id,
        "name": meta.name,
        "title": meta.title,
        "severity": meta.severity.value,
        "checklist": list(meta.checklist),
        "tags": list(meta.tags),
        "enabled": enabled,
        "enabled_by_default": meta.enabled,
        "description": meta.docs.what,
        "help_uri": meta.help_uri,
        "plugin": meta.plugin,
        "targets": sorted(meta.targets),
        "options_schema": meta.options_schema,
    }


def as_json(catalogue: Catalogue, enabled: set[str]) -> str:
    return json.dumps([rule_record(r, r.meta.id in enabled) for r in catalogue.rules.values()], indent=2)


def as_table(catalogue: Catalogue, enabled: set[str]) -> str:
    rows = [("ID", "NAME", "SEVERITY", "CHECKLIST", "ENABLED")]
    for rule in catalogue.rules.values():
        meta = rule.meta
        rows.append((meta.id, meta.name, meta.severity.value, ",".join(meta.checklist) or "-",
                     "yes" if meta.id in enabled else "no"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(lines) + "\n"


def rule_doc(rule: Rule, examples: tuple[str, str] | None = None) -> str:
    """The rule's page in Markdown: the same text as ``docs/rules/ID.md`` and SARIF ``help.markdown``."""
    meta = rule.meta
    docs = meta.docs
    lines = [f"# {meta.name} ({meta.id})", "", f"{meta.title}.", ""]
    lines.append(f"Severity: {meta.severity.value} · Checklist: {', '.join(meta.checklist) or '-'}"
                 f" · Tags: {', '.join(meta.tags) or '-'} · Plugin: {meta.plugin or '-'}"
                 f"{'' if meta.enabled else ' · Off by default'}")
    lines += ["", "## What it does", "", docs.what, "", "## Why is this bad?", "", docs.why, ""]
    if examples:
        bad, good = examples
        lines += ["## Example", "", "```yaml", bad.rstrip(), "```", "", "Use instead:", "", "```yaml",
                  good.rstrip(), "```", ""]
    lines += ["## How to fix", "", docs.fix, ""]
    if meta.fixable:
        lines += [f"Fix: `manifestlint --fix` {meta.fix_note or 'fixes some of its findings'}. `--diff` shows the "
                  "change without making it.", ""]
    if meta.options_schema:
        lines += ["## Options", ""]
        for key, spec in meta.options_schema.get("properties", {}).items():
            default = f" (default: `{json.dumps(spec['default'])}`)" if "default" in spec else ""
            lines.append(f"- `{key}`: {spec.get('description', '')}{default}")
        lines.append("")
    lines += ["## References", ""] + [f"- {ref}" for ref in docs.references] + [""]
    return "\n".join(lines)
