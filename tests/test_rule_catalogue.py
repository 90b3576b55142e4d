"""Every rule is documented, has pass and fail fixtures, and uses known checklist ids."""

from __future__ import annotations

from pathlib import Path

import pytest

from manifestlint import checklist
from manifestlint.config import Settings
from manifestlint.plugins import BUILTIN_PLUGINS
from manifestlint.rule import RULE_ID, RULE_NAME
from manifestlint.runner import load_catalogue
from manifestlint.testing import discover_cases

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "rules"
CATALOGUE = load_catalogue(Settings())
# Third-party plugins (the example plugin is installed in CI) carry their own fixtures.
RULES = [r for r in CATALOGUE.rules.values() if r.meta.plugin in BUILTIN_PLUGINS]
CASES = discover_cases(FIXTURES)


def test_builtin_rules_load_without_complaint() -> None:
    assert not CATALOGUE.notifications, [n.message for n in CATALOGUE.notifications]
    assert len(RULES) >= 7


@pytest.mark.parametrize("rule", RULES, ids=[r.meta.id for r in RULES])
def test_rule_is_documented(rule) -> None:
    meta = rule.meta
    assert RULE_ID.match(meta.id) and RULE_NAME.match(meta.name)
    assert not meta.docs.missing(), f"{meta.id} lacks doc sections {meta.docs.missing()}"
    assert meta.title and not meta.title.endswith(".")
    assert set(meta.checklist) <= set(checklist.items())
    if "input" not in meta.tags:
        assert meta.checklist, f"{meta.id} names no checklist item"
    if "security" in meta.tags:
        assert meta.security_severity is not None and 0.1 <= float(meta.security_severity) <= 10.0


@pytest.mark.parametrize("rule", RULES, ids=[r.meta.id for r in RULES])
def test_rule_has_pass_and_fail_fixtures(rule) -> None:
    outcomes = {c.outcome for c in CASES if c.rule_id == rule.meta.id}
    assert outcomes == {"pass", "fail"}, f"{rule.meta.id} needs fixtures/rules/{rule.meta.id}/pass and /fail"
    fails = [c for c in CASES if c.rule_id == rule.meta.id and c.outcome == "fail"]
    assert any(e.message_part for c in fails for e in c.expected), \
        f"{rule.meta.id}: at least one `# expect:` marker must quote part of the message"


def test_fixture_dirs_name_known_rules() -> None:
    unknown = {c.rule_id for c in CASES} - set(CATALOGUE.rules)
    assert not unknown, f"fixtures for unknown rules: {unknown}"


def test_ids_and_names_are_unique() -> None:
    assert len({r.meta.id for r in RULES}) == len(RULES)
    assert len({r.meta.name for r in RULES}) == len(RULES)
