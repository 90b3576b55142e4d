"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` annotation per finding.

GitHub shows only ten annotations of each level per step, so the CLI prints the text report after
these lines. Escaping follows actions/toolkit (``escapeData`` / ``escapeProperty``).
"""

from __future__ import annotations

from manifestlint.model import Finding, Notification, Severity
from manifestlint.report import Report

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: Severity, message: str, **properties: object) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items()
                     if value is not None)
    return f"::{COMMANDS[level]}{' ' + props if props else ''}::{escape_data(message)}"


def finding_command(finding: Finding) -> str:
    span = finding.span
    message = finding.message
    if label := finding.obj.label():
        message += f" ({label})"
    if finding.helm_source:
        message += f" [from {finding.helm_source}]"
    # Columns only for a one-line span: GitHub ignores them when the annotation spans lines.
    same_line = span.end_line == span.line
    return command(finding.severity, message, file=finding.path, line=span.line,
                   col=span.column if same_line else None, endLine=span.end_line,
                   endColumn=span.end_column if same_line else None,
                   title=f"{finding.rule_id} {finding.rule_name}")


def notification_command(note: Notification) -> str | None:
    if note.kind == "skipped" or note.level is Severity.NOTE:
        return None
    return command(note.level, note.message, file=note.path, line=note.line, title="manifestlint")


def render(report: Report, *, color: bool = False) -> str:
    lines = [finding_command(f) for f in report.findings]
    lines += [line for n in report.notifications if (line := notification_command(n))]
    return "".join(line + "\n" for line in lines)
