"""The JSON format: manifestlint's own versioned report, described by ``schemas/report.schema.json``.

Bump ``VERSION`` on any change that is not a pure addition of optional fields.
"""

from __future__ import annotations

import json
from typing import Any

from manifestlint import __version__
from manifestlint.model import Finding, Notification, Severity
from manifestlint.report import Report
from manifestlint.reporters.fingerprint import fingerprints

VERSION = "1"
INFORMATION_URI = "https://github.com/manifestlint/manifestlint"


def render(report: Report, *, color: bool = False) -> str:
    """The report, indented, with one finding (or notification) per line.

    ``json.dumps(..., indent=2)`` runs the pure-Python encoder, six times slower than the C one that
    writes each record here; a record per line also keeps large reports easy to grep and diff.
    """
    fields = []
    for key, value in as_dict(report).items():
        if isinstance(value, list) and value:
            records = ",\n    ".join(json.dumps(item) for item in value)
            fields.append(f"  {json.dumps(key)}: [\n    {records}\n  ]")
        else:
            fields.append(f"  {json.dumps(key)}: {json.dumps(value)}")
    return "{\n" + ",\n".join(fields) + "\n}\n"


def as_dict(report: Report) -> dict[str, Any]:
    ids = fingerprints([*report.findings, *report.suppressed, *report.baselined])
    return {
        "version": VERSION,
        "tool": {"name": "manifestlint", "version": __version__, "information_uri": INFORMATION_URI},
        "root": report.root,
        "findings": [finding_record(f, ids[id(f)]) for f in report.findings],
        "suppressed": [{**finding_record(f, ids[id(f)]), "suppressed_by": f.suppressed_by or ""}
                       for f in report.suppressed],
        "notifications": [notification_record(n) for n in report.notifications],
        "summary": {
            "files": report.files,
            "documents": report.documents,
            "skipped_files": report.skipped_files,
            "findings": len(report.findings),
            "by_severity": {s.value: report.count(s) for s in Severity},
            "suppressed": len(report.suppressed),
            "baselined": len(report.baselined),
            "elapsed_seconds": round(report.elapsed, 3),
        },
    }


def finding_record(finding: Finding, fingerprint: str) -> dict[str, Any]:
    span, obj = finding.span, finding.obj
    return {
        "rule": finding.rule_id,
        "rule_name": finding.rule_name,
        "severity": finding.severity.value,
        "message": finding.message,
        "path": finding.path,
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "checklist": list(finding.checklist),
        "object": {"kind": obj.kind, "namespace": obj.namespace or None, "name": obj.name or None,
                   "api_version": obj.api_version or None} if obj.kind else None,
        "field_path": list(finding.field_path),
        "helm_source": finding.helm_source,
        "fingerprint": fingerprint,
    }


def notification_record(note: Notification) -> dict[str, Any]:
    return {"level": note.level.value, "kind": note.kind, "message": note.message, "path": note.path,
            "line": note.line, "rule": note.rule_id}
