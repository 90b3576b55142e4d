"""Judge every K8S Production Checklist item from one run's findings.

An item's status, in this order of precedence:

- ``findings``: its rules (``meta.checklist``) reported open findings; the worst are listed;
- ``not-checkable``: the checklist says files cannot show it (``static: no``); the reason and what
  to do instead come from ``guidance.py``;
- ``not-checked``: no enabled rule names it (its rules are off by default, or ignored);
- ``needs-cluster``: only the whole cluster can show it (``static: scope``) and the run was not
  ``--scope cluster``;
- ``passed``: its enabled rules found nothing (with what files cannot show, for ``static: partial``).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from manifestlint import checklist
from manifestlint.model import Finding
from manifestlint.report import Report
from manifestlint.rule import Rule
from manifestlint.scorecard import guidance

WORST_LISTED = 5


class Status(str, enum.Enum):
    PASSED = "passed"
    FINDINGS = "findings"
    NEEDS_CLUSTER = "needs-cluster"
    NOT_CHECKABLE = "not-checkable"
    NOT_CHECKED = "not-checked"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {Status.PASSED: "passed", Status.FINDINGS: "findings", Status.NEEDS_CLUSTER: "needs --scope cluster",
           Status.NOT_CHECKABLE: "not checkable from files", Status.NOT_CHECKED: "not checked"}


@dataclass(frozen=True, slots=True)
class RuleRef:
    id: str
    name: str
    title: str
    doc: str  # URL of the rule's page


@dataclass(slots=True)
class ItemScore:
    """One checklist item's verdict."""

    id: str
    text: str
    status: Status
    detail: str
    rules: list[RuleRef] = field(default_factory=list)  # the enabled rules that check it
    off: list[RuleRef] = field(default_factory=list)  # rules that would check it but did not run
    findings: int = 0
    worst: list[tuple[Finding, RuleRef]] = field(default_factory=list)
    instead: str = ""  # what to do where files cannot tell


@dataclass(slots=True)
class SectionScore:
    id: str
    title: str
    items: list[ItemScore]

    def count(self, status: Status) -> int:
        return sum(1 for item in self.items if item.status is status)


@dataclass(slots=True)
class Scorecard:
    sections: list[SectionScore]
    scope: str
    files: int
    documents: int
    suppressed: int
    baselined: int

    @property
    def items(self) -> list[ItemScore]:
        return [item for section in self.sections for item in section.items]

    def count(self, status: Status) -> int:
        return sum(section.count(status) for section in self.sections)


def rule_ref(rule: Rule) -> RuleRef:
    meta = rule.meta
    return RuleRef(meta.id, meta.name, meta.title, meta.help_uri)


def build(report: Report, every_rule: Iterable[Rule], scope: str = "default") -> Scorecard:
    """The scorecard of a finished run; ``every_rule`` is the whole catalogue, enabled or not."""
    enabled = {rule.meta.id for rule in report.rules}
    by_item: dict[str, list[Rule]] = {}
    for rule in sorted(every_rule, key=lambda r: r.meta.id):
        for item_id in rule.meta.checklist:
            by_item.setdefault(item_id, []).append(rule)
    findings_by_item: dict[str, list[Finding]] = {}
    for finding in report.findings:
        for item_id in dict.fromkeys(finding.checklist):
            findings_by_item.setdefault(item_id, []).append(finding)
    refs = {rule.meta.id: rule_ref(rule) for rules in by_item.values() for rule in rules}
    security = _security_severities(report.rules)

    items = checklist.items()
    sections = []
    for section_id, title in checklist.sections().items():
        scores = [_score(item, [r for r in by_item.get(item.id, []) if r.meta.id in enabled],
                         [r for r in by_item.get(item.id, []) if r.meta.id not in enabled],
                         findings_by_item.get(item.id, []), refs, security, scope)
                  for item in items.values() if item.id.split("-")[0] == section_id]
        sections.append(SectionScore(section_id, title, scores))
    return Scorecard(sections, scope, report.files, report.documents, len(report.suppressed),
                     len(report.baselined))


def _score(item: checklist.ChecklistItem, running: Sequence[Rule], off: Sequence[Rule], findings: list[Finding],
           refs: dict[str, RuleRef], security: dict[str, float], scope: str) -> ItemScore:
    score = ItemScore(item.id, item.text, Status.PASSED, "", [rule_ref(r) for r in running], [rule_ref(r) for r in off])
    advice = guidance.GUIDANCE.get(item.id)
    static = static_level(item)
    if findings:
        worst = sorted(findings, key=lambda f: (-f.severity.rank, -security.get(f.rule_id, 0.0), f.sort_key()))
        score.status, score.findings = Status.FINDINGS, len(findings)
        score.worst = [(f, refs.get(f.rule_id) or RuleRef(f.rule_id, f.rule_name, "", ""))
                       for f in worst[:WORST_LISTED]]
        score.detail = f"{len(findings)} finding{'s' if len(findings) != 1 else ''}"
    elif static == "no":
        score.status = Status.NOT_CHECKABLE
        score.detail = advice.reason if advice else "the evidence is not in manifests or configuration files"
        score.instead = advice.instead if advice else ""
    elif not running:
        score.status = Status.NOT_CHECKED
        names = ", ".join(r.meta.id for r in off)
        score.detail = (f"its rules are not enabled ({names}): add `--extend-select {item.id}` or "
                        f"`extend-select: [{item.id}]` to run them" if off else "no installed rule checks it")
    elif static == "scope" and scope != "cluster":
        score.status = Status.NEEDS_CLUSTER
        score.detail = ("no findings in the namespaces whose Namespace object is in the input; only the whole "
                        "cluster can show this item: run `manifestlint checklist --scope cluster` on every "
                        "manifest of the cluster")
    else:
        rules = len(running)
        score.detail = f"its {rules} rule{'s' if rules != 1 else ''} found nothing in the files given"
        if static == "partial" and advice:
            score.detail += f"; files cannot show {advice.reason}"
            score.instead = advice.instead
    return score


def static_level(item: checklist.ChecklistItem) -> str:
    """``yes``, ``partial``, ``scope`` or ``no`` (the checklist's unquoted yes/no load as YAML 1.1 booleans)."""
    return {"True": "yes", "False": "no"}.get(item.static, item.static)


def _security_severities(rules: Iterable[Rule]) -> dict[str, float]:
    found = {}
    for rule in rules:
        try:
            found[rule.meta.id] = float(rule.meta.security_severity or 0)
        except ValueError:
            continue
    return found
