"""Run the enabled rules over loaded files and turn violations into positioned findings.

Per-object rules are indexed by the kinds they target and called directly; a rule that raises
becomes a notification naming the rule and the object, and the run goes on. Whole-input rules run
once, after every file, on the documents they target.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from manifestlint.document import Document
from manifestlint.loader import LoadedFile
from manifestlint.loader.comments import Directives
from manifestlint.model import Finding, Notification, ObjectRef, Severity, Span
from manifestlint.rule import Context, Gate, InputRule, Rule, Violation
from manifestlint.suppression import annotation_rules, suppress

_NO_DIRECTIVES = Directives()

# Loader problem code -> the built-in rule that reports it.
PROBLEM_RULES = {
    "syntax": "ML001",
    "duplicate-key": "ML002",
    "limit": "ML003",
    "shape": "ML004",
    "tag": "ML005",
    "key": "ML005",
}


@dataclass(slots=True)
class ActiveRule:
    """A rule as it runs: with its effective severity and options."""

    rule: Rule
    severity: Severity
    context: Context

    @property
    def names(self) -> tuple[str, str]:
        return self.rule.meta.id, self.rule.meta.name


# The per-object rules for one kind of document: those always called, and groups behind a shared gate.
Dispatch = tuple[list[ActiveRule], list[tuple[Gate, list[ActiveRule]]]]


@dataclass(slots=True)
class RuleSet:
    """The enabled rules, indexed for dispatch by document kind."""

    active: dict[str, ActiveRule]
    _by_kind: dict[tuple[str, str], Dispatch] = field(default_factory=dict)
    _retained_kinds: dict[tuple[str, str], bool] = field(default_factory=dict)
    _input_rules: list[ActiveRule] | None = None

    @property
    def input_rules(self) -> list[ActiveRule]:
        if self._input_rules is None:
            self._input_rules = [a for a in self.active.values() if isinstance(a.rule, InputRule)]
        return self._input_rules

    def for_document(self, doc: Document) -> Dispatch:
        """The per-object rules that target ``doc``'s kind: ungated, then grouped by gate."""
        key = (doc.category, doc.kind)
        dispatch = self._by_kind.get(key)
        if dispatch is None:
            always: list[ActiveRule] = []
            gated: dict[Gate, list[ActiveRule]] = {}
            for active in self.active.values():
                if active.rule.per_object and _targets(active, doc.category, doc.kind):
                    gate = active.rule.gate
                    (always if gate is None else gated.setdefault(gate, [])).append(active)
            dispatch = self._by_kind[key] = (always, list(gated.items()))
        return dispatch

    def retains(self, doc: Document) -> bool:
        """Whether a whole-input rule will need this document after its file is done."""
        key = (doc.category, doc.kind)
        retained = self._retained_kinds.get(key)
        if retained is None:
            retained = any(_targets(a, doc.category, doc.kind) for a in self.input_rules)
            self._retained_kinds[key] = retained
        return retained


def _targets(active: ActiveRule, category: str, kind: str) -> bool:
    meta = active.rule.meta
    return category in meta.categories and (not meta.targets or kind in meta.targets)


@dataclass(slots=True)
class FileResult:
    """What linting one file produced."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)
    documents: int = 0
    skipped: str | None = None
    retained: list[Document] = field(default_factory=list)


def lint_file(loaded: LoadedFile, ruleset: RuleSet) -> FileResult:
    """Every finding of one loaded file, suppressions applied."""
    result = FileResult(loaded.path, documents=len(loaded.documents), skipped=loaded.skipped)
    if loaded.skipped:
        result.notifications.append(Notification(Severity.NOTE, f"skipped: {loaded.skipped}", loaded.path,
                                                 kind="skipped"))
    for problem in loaded.problems:
        active = ruleset.active.get(PROBLEM_RULES[problem.code])
        if active is None:
            continue
        finding = _finding(active, problem.message, loaded.path, Span.point(problem.line, problem.column))
        suppress(finding, active.names, {}, loaded.directives)
        result.findings.append(finding)
    for doc in loaded.documents:
        by_annotation = annotation_rules(doc.metadata)
        always, gated = ruleset.for_document(doc)
        _check(doc, always, by_annotation, loaded.directives, result)
        for gate, rules in gated:
            try:
                passed = gate(doc)
            except Exception as exc:
                result.notifications.append(crash_notification(rules[0], doc, exc))
                continue
            if passed:
                _check(doc, rules, by_annotation, loaded.directives, result)
        if ruleset.input_rules and ruleset.retains(doc):
            result.retained.append(doc)
    for doc in result.retained[-1:]:  # the documents of one file share their source
        doc.source.compact()
    return result


def _check(doc: Document, rules: list[ActiveRule], by_annotation: dict[str, str], directives: Any,
           result: FileResult) -> None:
    for active in rules:
        try:
            violations = list(active.rule.check(doc, active.context))
        except Exception as exc:
            result.notifications.append(crash_notification(active, doc, exc))
            continue
        for violation in violations:
            finding = make_finding(active, doc, violation)
            suppress(finding, active.names, by_annotation, directives)
            result.findings.append(finding)


def lint_input(documents: Sequence[Document], ruleset: RuleSet, directives: dict[str, Any]) -> FileResult:
    """Run the whole-input rules over the retained documents of every file."""
    result = FileResult("")
    keys = [(doc.category, doc.kind) for doc in documents]
    kinds = set(keys)
    # Each selection is a list of the engine's own, made once per call and never changed, so rules can
    # cache what they derive from it by its identity (``cluster.model.model_for``).
    selections: dict[frozenset[tuple[str, str]], Sequence[Document]] = {frozenset(kinds): list(documents)}
    for active in ruleset.input_rules:
        wanted = frozenset(key for key in kinds if _targets(active, *key))
        targeted = selections.get(wanted)
        if targeted is None:  # rules share a few selections (most want every object): make each once
            targeted = selections[wanted] = [doc for doc, key in zip(documents, keys, strict=True) if key in wanted]
        try:
            pairs = list(active.rule.check_input(targeted, active.context))  # type: ignore[attr-defined]
        except Exception as exc:
            result.notifications.append(crash_notification(active, None, exc))
            continue
        for doc, violation in pairs:
            finding = make_finding(active, doc, violation)
            suppress(finding, active.names, annotation_rules(doc.metadata), directives.get(doc.path, _NO_DIRECTIVES))
            result.findings.append(finding)
    return result


def make_finding(active: ActiveRule, doc: Document, violation: Violation) -> Finding:
    finding = _finding(active, violation.message, doc.path, doc.locate(violation.path), doc.ref, violation.path)
    finding.helm_source = doc.helm_source
    finding.document_index = doc.index
    finding.fix = violation.fix
    if violation.severity is not None and active.severity == active.rule.meta.severity:
        finding.severity = violation.severity
    return finding


def _finding(active: ActiveRule, message: str, path: str, span: Span, obj: ObjectRef | None = None,
             field_path: tuple[str | int, ...] = ()) -> Finding:
    meta = active.rule.meta
    return Finding(meta.id, meta.name, active.severity, message, path, span, obj or ObjectRef(), field_path,
                   meta.checklist)


def crash_notification(active: ActiveRule, doc: Document | None, exc: Exception) -> Notification:
    where = f" on {doc.ref.label() or 'document'} in {doc.path}" if doc else ""
    return Notification(Severity.ERROR, f"rule {active.rule.meta.id} ({active.rule.meta.name}) crashed{where}: "
                        f"{type(exc).__name__}: {exc}", doc.path if doc else None,
                        doc.locate(()).line if doc else None, active.rule.meta.id, kind="rule-crash")


def build_ruleset(rules: Iterable[Rule], severity: dict[str, Severity], options: dict[str, dict[str, Any]],
                  scope: str = "default") -> RuleSet:
    """Attach effective severities and validated options to the enabled rules."""
    active = {}
    for rule in rules:
        meta = rule.meta
        level = severity.get(meta.id) or severity.get(meta.name) or meta.severity
        merged = {**meta.default_options(), **options.get(meta.id, {}), **options.get(meta.name, {})}
        active[meta.id] = ActiveRule(rule, level, Context(merged, scope))
    return RuleSet(active)
