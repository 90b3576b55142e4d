"""Declarative rules: a YAML file holding a JSON Schema that a part of each object must satisfy.

The format is ``schemas/rule-file.schema.json``. ``at`` picks the part (``object``, ``pod-spec`` or
``container``); every schema error becomes a finding at the offending field (or, for a missing
field, at the parent that should hold it). With ``fix: {remove: true}`` a finding at an entry with a
scalar value carries a fix that removes the entry. Schemas are compiled once with ``jsonschema-rs``, so a
declarative rule costs about a microsecond per document.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import jsonschema_rs
import yaml

from manifestlint.document import Document
from manifestlint.fix.edits import Fix, RemoveKey
from manifestlint.k8s.workloads import CONTAINER_LISTS, WORKLOAD_KINDS, containers, pod_spec
from manifestlint.model import Severity
from manifestlint.rule import Context, Rule, RuleDocs, RuleMeta, Violation

KIND_GROUPS = {"workloads": WORKLOAD_KINDS}


class DeclarativeRuleError(ValueError):
    """A rule file that cannot be compiled; the message names the file."""


class SchemaRule(Rule):
    """A rule compiled from a rule file."""

    def __init__(self, meta: RuleMeta, at: str, schema: dict[str, Any], message: str,
                 container_groups: tuple[str, ...], remove: bool = False) -> None:
        self.meta = meta  # type: ignore[misc]
        self._at = at
        self._validator = jsonschema_rs.validator_for(schema)
        self._message = message
        self._groups = container_groups
        self._remove = remove

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        for base, subject, container in self._subjects(doc):
            if self._validator.is_valid(subject):
                continue
            seen: set[tuple[Any, ...]] = set()
            for error in self._validator.iter_errors(subject):
                path = (*base, *error.instance_path)
                if path in seen:
                    continue
                seen.add(path)
                field = _last_field(path)
                fix = None
                if self._remove and _is_scalar_entry(subject, error.instance_path):
                    fix = Fix(f"remove {field}", (RemoveKey(path),))
                yield Violation(path, self._message.format(container=container, field=field), fix=fix)

    def _subjects(self, doc: Document) -> Iterable[tuple[tuple[str | int, ...], Any, str]]:
        if self._at == "object":
            return [((), doc.data, "")]
        if self._at == "pod-spec":
            found = pod_spec(doc)
            return [(found[0], found[1], "")] if found else []
        return [(c.path, c.data, c.describe()) for c in containers(doc, self._groups)]


def _last_field(path: tuple[str | int, ...]) -> str:
    for step in reversed(path):
        if isinstance(step, str):
            return step
    return ""


def _is_scalar_entry(subject: Any, steps: Iterable[str | int]) -> bool:
    """Whether ``steps`` lead to a mapping entry with a scalar value: the only thing ``remove`` removes
    (a ``required`` error names the parent mapping, which must stay)."""
    value, key = subject, None
    for step in steps:
        if isinstance(value, dict) and step in value:
            value, key = value[step], step
        elif isinstance(value, list) and isinstance(step, int) and 0 <= step < len(value):
            value, key = value[step], None
        else:
            return False
    return isinstance(key, str) and not isinstance(value, (dict, list))


def rule_file_problem(spec: dict[str, Any]) -> str | None:
    """What is wrong with a rule file's content by ``schemas/rule-file.schema.json``, if anything."""
    import jsonschema

    from manifestlint._resources import schema

    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema("rule-file.schema.json"))
                                             .iter_errors(spec))
    if error is None:
        return None
    where = ".".join(str(p) for p in error.absolute_path) or "(top level)"
    return f"{where}: {error.message}"


def load_rule_file(path: Path, plugin: str, *, validate: bool = True) -> SchemaRule:
    """Compile one rule file; ``validate`` checks it against the rule-file schema first (a cold path)."""
    try:
        with open(path, encoding="utf-8") as handle:
            spec = yaml.load(handle, Loader=yaml.CSafeLoader)
    except (OSError, yaml.YAMLError) as exc:
        raise DeclarativeRuleError(f"{path}: cannot read rule file: {exc}") from None
    if not isinstance(spec, dict):
        raise DeclarativeRuleError(f"{path}: a rule file must be a mapping")
    if validate:
        problem = rule_file_problem(spec)
        if problem:
            raise DeclarativeRuleError(f"{path}: {problem}")
    targets: set[str] = set()
    for target in spec.get("targets", []):
        targets |= KIND_GROUPS.get(target, {target})
    if spec["at"] in ("pod-spec", "container") and not targets:
        targets = set(WORKLOAD_KINDS)
    docs = spec["docs"]
    fix = spec.get("fix") or {}
    try:
        meta = RuleMeta(
            id=spec["id"], name=spec["name"], title=spec["title"], severity=Severity.parse(spec["severity"]),
            checklist=tuple(spec["checklist"]), tags=tuple(spec.get("tags", ())), targets=frozenset(targets),
            enabled=spec.get("enabled", True), security_severity=spec.get("security-severity"),
            docs=RuleDocs(docs.get("what", ""), docs.get("why", ""), docs.get("fix", ""),
                          tuple(docs.get("references", ()))),
            plugin=plugin, fixable=bool(fix.get("remove")), fix_note=fix.get("note", ""),
        )
        return SchemaRule(meta, spec["at"], spec["schema"], spec["message"],
                          tuple(spec.get("containers", CONTAINER_LISTS)), remove=bool(fix.get("remove")))
    except (ValueError, TypeError, KeyError) as exc:
        raise DeclarativeRuleError(f"{path}: {exc}") from None


def load_rule_dir(directory: Path, plugin: str, *, validate: bool = True) -> list[SchemaRule]:
    return [load_rule_file(path, plugin, validate=validate) for path in sorted(directory.glob("*.yaml"))]
