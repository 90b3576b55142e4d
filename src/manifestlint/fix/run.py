"""``--fix`` and ``--diff`` for a finished run: fix, write (for ``--fix``), and update the report.

After ``--fix`` the report holds each fixed file's findings as they are now (at their new lines), so
what is printed is what remains; a file left untouched keeps its findings, and a note says why.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from manifestlint.config import Settings
from manifestlint.discovery import expand
from manifestlint.engine import RuleSet
from manifestlint.fix.session import Fixer, FixRun
from manifestlint.fix.write import WriteError, replace_contents
from manifestlint.model import Notification, Severity
from manifestlint.report import Report


def fix_report(report: Report, ruleset: RuleSet, settings: Settings, paths: Sequence[str], root: Path,
               stdin: tuple[str, bytes] | None, *, write: bool) -> FixRun:
    """Fix what ``report`` found; ``write`` replaces the files (``--fix``), else nothing changes (``--diff``)."""
    inputs = list(expand([p for p in paths if p != "-"], root, settings.exclude)) if any(p != "-" for p in paths) \
        else []
    run = Fixer(ruleset, settings.limits, inputs, stdin).fix(report.findings, report.suppressed)
    run.stdin = stdin[1] if stdin is not None else None
    for fixed in run.files:
        if fixed.error:
            run.notes.append(Notification(Severity.WARNING, f"not fixed: {fixed.error}", fixed.path, kind="info"))
        else:
            run.notes += [Notification(Severity.NOTE, f"{finding.rule_id} not fixed: {reason}", fixed.path,
                                       finding.line, finding.rule_id, kind="info") for finding, reason in fixed.unfixed]
    report.notifications += run.notes
    for fixed in run.files:
        if not write or not fixed.changed or fixed.fixed is None:
            continue
        if fixed.target is not None:
            try:
                replace_contents(fixed.target, fixed.fixed, fixed.original)
            except WriteError as exc:
                report.notifications.append(Notification(Severity.ERROR, f"cannot write the fixes: {exc}",
                                                         fixed.path, kind="unreadable"))
                continue
        fixed.written = True
        _replace_findings(report, fixed.path, fixed.findings or [])
    return run


def _replace_findings(report: Report, path: str, findings: list) -> None:  # type: ignore[type-arg]
    report.findings = [f for f in report.findings if f.path != path]
    report.suppressed = [f for f in report.suppressed if f.path != path]
    for finding in findings:
        (report.suppressed if finding.suppressed_by else report.findings).append(finding)
    report.findings.sort(key=lambda f: f.sort_key())
    report.suppressed.sort(key=lambda f: f.sort_key())


def summary(run: FixRun, report: Report, *, write: bool) -> str:
    """One line: how many findings were (or would be) fixed, in how many files, and how many remain."""
    count, files = run.fixed, len(run.changed_files)
    fixes = f"{count} finding{'s' if count != 1 else ''} in {files} file{'s' if files != 1 else ''}"
    if not write:
        return f"Would fix {fixes}." if count else "No fixes available."
    remaining = len(report.findings)
    fixable = sum(1 for f in report.findings if f.fix is not None)
    tail = f"{remaining} finding{' remains' if remaining == 1 else 's remain'}"
    if fixable:
        tail += f" ({fixable} with a fix that was not applied: see the notes)"
    return f"Fixed {fixes}; {tail}." if count else f"Nothing fixed; {tail}."
