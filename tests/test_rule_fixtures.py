"""Every rule fixture under fixtures/rules/<ID>/{fail,pass}/ is a test (discovered, not listed).

A fixture is a file, or a folder linted as one input (for whole-input rules); ``# scope: cluster``
in a fixture runs it with that scope.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from manifestlint.config import Settings
from manifestlint.runner import Options, load_catalogue, prepare, run
from manifestlint.testing import RuleCase, check_case, discover_cases

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "rules"
CASES = discover_cases(FIXTURES)


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(Settings())


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rule_fixture(case: RuleCase, catalogue) -> None:
    settings = Settings(select=[case.rule_id], rule_options={case.rule_id: case.options} if case.options else {},
                        scope=case.scope)
    ruleset = prepare(settings, catalogue)
    assert case.rule_id in ruleset.active, f"rule {case.rule_id} is not known"
    root = case.path if case.is_folder else case.path.parent
    options = Options(paths=[str(case.path)], root=root, no_config=True)
    report = run(options, settings, catalogue, ruleset)
    crashes = [n.message for n in report.notifications if n.kind == "rule-crash"]
    assert not crashes, crashes
    problems = check_case(case, report.findings + report.suppressed)
    assert not problems, "\n".join(problems)
    for finding in report.findings:
        if finding.rule_id == case.rule_id:
            assert finding.message.strip(), "a finding must say what to change"
