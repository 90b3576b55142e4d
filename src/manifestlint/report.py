"""The result of a run, as every reporter receives it."""

from __future__ import annotations

from dataclasses import dataclass, field

from manifestlint.model import Finding, Notification, Severity
from manifestlint.rule import Rule


@dataclass(slots=True)
class Report:
    """Findings (open and suppressed), notifications and counts of one run."""

    findings: list[Finding] = field(default_factory=list)
    suppressed: list[Finding] = field(default_factory=list)
    baselined: list[Finding] = field(default_factory=list)  # accepted by --baseline: not reported
    notifications: list[Notification] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    severities: dict[str, Severity] = field(default_factory=dict)
    files: int = 0
    paths: list[str] = field(default_factory=list)  # every file read, as reported (junit lists clean ones)
    documents: int = 0
    skipped_files: int = 0
    root: str = "."
    elapsed: float = 0.0
    show_suppressed: bool = False

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    def failed(self, fail_on: Severity | None) -> bool:
        return fail_on is not None and any(f.severity.rank >= fail_on.rank for f in self.findings)

    @property
    def internal_errors(self) -> list[Notification]:
        return [n for n in self.notifications if n.kind == "rule-crash"]
