"""Every rule fixture under fixtures/rules/<ID>/{fail,pass}/ is a test (discovered, not listed).

A fixture is a file, or a folder linted as one input (for whole-input rules); ``# scope: cluster``
in a fixture runs it with that scope.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from manifestlint.testing import RuleCase, check_case, default_catalogue, discover_cases, lint_paths

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "rules"
CASES = discover_cases(FIXTURES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rule_fixture(case: RuleCase) -> None:
    assert case.rule_id in default_catalogue().rules, f"rule {case.rule_id} is not known"
    report = lint_paths([case.path], [case.rule_id], scope=case.scope,
                        rule_options={case.rule_id: case.options} if case.options else None)
    crashes = [n.message for n in report.notifications if n.kind == "rule-crash"]
    assert not crashes, crashes
    problems = check_case(case, report.findings + report.suppressed)
    assert not problems, "\n".join(problems)
    for finding in report.findings:
        if finding.rule_id == case.rule_id:
            assert finding.message.strip(), "a finding must say what to change"
