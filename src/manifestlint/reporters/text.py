"""The console format, in the flake8/ruff habit: ``path:line:col: ID [severity] message (Kind ns/name)``."""

from __future__ import annotations

from manifestlint.model import Finding, Notification, Severity
from manifestlint.report import Report

_COLORS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.NOTE: "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


def finding_line(finding: Finding, *, color: bool = False) -> str:
    obj = finding.obj.label()
    where = f"{finding.path}:{finding.span.line}:{finding.span.column}:"
    severity = f"[{finding.severity.value}]"
    rule_id = finding.rule_id
    if color:
        where = f"{_BOLD}{where}{_RESET}"
        rule_id = f"{_BOLD}{rule_id}{_RESET}"
        severity = f"{_COLORS[finding.severity]}{severity}{_RESET}"
    text = f"{where} {rule_id} {severity} {finding.message}"
    if obj:
        text += f" ({obj})"
    if finding.helm_source:
        text += f" [from {finding.helm_source}]"
    if finding.suppressed_by:
        suppressed = f"[suppressed by {finding.suppressed_by}]"
        text += f" {_DIM}{suppressed}{_RESET}" if color else f" {suppressed}"
    return text


def summary(report: Report, *, verbose: bool = False) -> str:
    counts = [f"{n} {s.value}{'s' if n != 1 else ''}" for s in Severity if (n := report.count(s))]
    total = len(report.findings)
    head = f"Found {total} finding{'s' if total != 1 else ''}" + (f" ({', '.join(counts)})" if counts else "")
    scanned = f"{report.files} file{'s' if report.files != 1 else ''}, {report.documents} document" \
              f"{'s' if report.documents != 1 else ''}"
    tail = [scanned]
    if report.suppressed:
        tail.append(f"{len(report.suppressed)} suppressed")
    if report.baselined:
        tail.append(f"{len(report.baselined)} in the baseline")
    if report.skipped_files:
        skipped = f"{report.skipped_files} file{'s' if report.skipped_files != 1 else ''} skipped"
        tail.append(skipped if verbose else f"{skipped} (--verbose says why)")
    return f"{head} in {'; '.join(tail)}."


def render(report: Report, *, color: bool = False, verbose: bool = False, summary_line: bool = True,
           notes: bool = True, errors: bool = True) -> str:
    """The report as text.

    ``verbose`` adds the skipped files and why; ``summary_line=False`` and ``notes=False`` leave
    only the findings (``--quiet``); ``errors=False`` leaves out error notifications, which the
    command line then prints on stderr.
    """
    findings = report.findings
    if report.show_suppressed and report.suppressed:
        findings = sorted([*report.findings, *report.suppressed], key=lambda f: f.sort_key())
    lines = [finding_line(f, color=color) for f in findings]
    for note in report.notifications if notes else ():
        if note.kind == "skipped" and not verbose or note.level is Severity.ERROR and not errors:
            continue
        lines.append(notification_line(note, color=color))
    if summary_line:
        lines.append(summary(report, verbose=verbose))
    return "".join(line + "\n" for line in lines)


def notification_line(note: Notification, *, color: bool = False) -> str:
    where = f"{note.path}{':' + str(note.line) if note.line else ''}: " if note.path else ""
    level = note.level.value
    if color:
        level = f"{_COLORS[note.level]}{level}{_RESET}"
    return f"{where}{level}: {note.message}"
