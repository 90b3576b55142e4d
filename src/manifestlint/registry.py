"""Collect every rule that the registered plugins provide, checked for clashes and bad metadata."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import pluggy

from manifestlint import checklist
from manifestlint.declarative import DeclarativeRuleError, load_rule_dir
from manifestlint.model import Notification, Severity
from manifestlint.plugins import BUILTIN_PLUGINS
from manifestlint.rule import RULE_ID, RULE_NAME, Rule


@dataclass(slots=True)
class Catalogue:
    """All known rules, by id, in id order."""

    rules: dict[str, Rule] = field(default_factory=dict)
    notifications: list[Notification] = field(default_factory=list)

    def by_name(self) -> dict[str, Rule]:
        return {rule.meta.name: rule for rule in self.rules.values()}

    def find(self, key: str) -> Rule | None:
        """A rule by id or name."""
        return self.rules.get(key.upper()) or self.by_name().get(key)


def collect_rules(pm: pluggy.PluginManager) -> Catalogue:
    """Instantiate the rules of every registered plugin; a bad rule is reported and left out."""
    catalogue = Catalogue()
    names: dict[str, str] = {}
    known_items = checklist.items()
    candidates: list[tuple[str, Rule]] = []
    for impl in pm.hook.manifestlint_rules.get_hookimpls():
        plugin = pm.get_name(impl.plugin) or "?"
        try:
            classes = cast(Iterable[type[Rule]], impl.function() or ())
            for cls in classes:
                candidates.append((plugin, cls()))
        except Exception as exc:
            catalogue.notifications.append(
                _bad(f"plugin {plugin!r} failed to provide rules: {type(exc).__name__}: {exc}"))
    for impl in pm.hook.manifestlint_rule_dirs.get_hookimpls():
        plugin = pm.get_name(impl.plugin) or "?"
        try:
            directories = cast(Iterable[Path], impl.function() or ())
            for directory in directories:
                # Built-in rule files are validated by the test suite; skipping it here saves the
                # jsonschema import on every start-up. Third-party files are validated when loaded.
                rules = load_rule_dir(Path(directory), plugin, validate=plugin not in BUILTIN_PLUGINS)
                candidates.extend((plugin, rule) for rule in rules)
        except (DeclarativeRuleError, OSError) as exc:
            catalogue.notifications.append(_bad(f"plugin {plugin!r}: {exc}"))
    for plugin, rule in candidates:
        meta = getattr(rule, "meta", None)
        if meta is None:
            catalogue.notifications.append(_bad(f"plugin {plugin!r}: {type(rule).__name__} has no meta"))
            continue
        if not meta.plugin:
            object.__setattr__(meta, "plugin", plugin)
        problem = _check_meta(rule, known_items)
        if not problem and meta.id in catalogue.rules:
            problem = f"rule id {meta.id} is already used by {catalogue.rules[meta.id].meta.plugin!r}"
        if not problem and meta.name in names:
            problem = f"rule name {meta.name!r} is already used by rule {names[meta.name]}"
        if problem:
            catalogue.notifications.append(_bad(f"plugin {plugin!r}, rule {meta.id}: {problem}; rule skipped"))
            continue
        catalogue.rules[meta.id] = rule
        names[meta.name] = meta.id
    catalogue.rules = dict(sorted(catalogue.rules.items()))
    return catalogue


def _check_meta(rule: Rule, known_items: Mapping[str, object]) -> str | None:
    meta = rule.meta
    if not RULE_ID.match(meta.id):
        return "id must be 2-5 capital letters and 3 digits"
    if not RULE_NAME.match(meta.name):
        return f"name {meta.name!r} must be kebab-case"
    unknown = [item for item in meta.checklist if item not in known_items]
    if unknown:
        return f"unknown checklist item(s) {', '.join(unknown)}"
    return None


def _bad(message: str) -> Notification:
    return Notification(Severity.WARNING, message, kind="plugin")
