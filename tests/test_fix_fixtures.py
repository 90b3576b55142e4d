"""Every fix fixture is a test: ``fixtures/rules/<ID>/fix/<case>.yaml`` fixed with only that rule selected
must equal ``<case>.fixed.yaml`` byte for byte, and fixing again must change nothing.

The same holds with CRLF line breaks and a UTF-8 byte-order mark (the variants are made here), and every
fixable rule has at least one case.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
import yaml

from manifestlint import command
from manifestlint.config import Settings
from manifestlint.plugins import BUILTIN_PLUGINS
from manifestlint.runner import load_catalogue

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "rules"
CASES = sorted(p for p in FIXTURES.glob("*/fix/*.yaml") if not p.name.endswith((".fixed.yaml", ".options.yaml")))


def fix(path: Path, rule_id: str, case: Path | None = None) -> command.Outcome:
    """``manifestlint --fix PATH --select RULE`` with the case's options (``<case>.options.yaml``) or the
    rule's (``options.yaml``)."""
    options_file = FIXTURES / rule_id / "options.yaml"
    if case is not None and case.with_name(case.name.removesuffix(".yaml") + ".options.yaml").is_file():
        options_file = case.with_name(case.name.removesuffix(".yaml") + ".options.yaml")
    config = None
    if options_file.is_file():
        config = path.parent / ".manifestlint.yaml"
        options = yaml.safe_load(options_file.read_text(encoding="utf-8")) or {}
        config.write_text(yaml.safe_dump({"rules": {rule_id: options}}), encoding="utf-8")
    return command.check(command.Request(paths=[str(path)], config=config, no_config=config is None,
                                         select=[rule_id], fix=True, root=path.parent))


def expected_of(case: Path) -> bytes:
    return case.with_name(case.name.removesuffix(".yaml") + ".fixed.yaml").read_bytes()


@pytest.mark.parametrize("variant", ["lf", "crlf-bom"])
@pytest.mark.parametrize("case", CASES, ids=[f"{c.parents[1].name}-{c.stem}" for c in CASES])
def test_fix_fixture(case: Path, variant: str, tmp_path: Path) -> None:
    rule_id = case.parents[1].name
    source, expected = case.read_bytes(), expected_of(case)
    assert source != expected, "a fix fixture must change something"
    if variant == "crlf-bom":
        source = codecs.BOM_UTF8 + source.replace(b"\n", b"\r\n")
        expected = codecs.BOM_UTF8 + expected.replace(b"\n", b"\r\n")
    work = tmp_path / case.name
    work.write_bytes(source)
    outcome = fix(work, rule_id, case)
    crashes = [n.message for n in outcome.report.notifications if n.kind == "rule-crash"]
    assert not crashes, crashes
    assert outcome.fixes is not None and outcome.fixes.fixed > 0, [n.message for n in outcome.fixes.notes]
    assert work.read_bytes().decode("utf-8") == expected.decode("utf-8")
    assert work.read_bytes() == expected
    again = fix(work, rule_id, case)
    assert again.fixes is not None and again.fixes.fixed == 0
    assert work.read_bytes() == expected, "a second --fix must change nothing"


def test_every_fixable_rule_has_fix_fixtures() -> None:
    catalogue = load_catalogue(Settings())
    fixable = {r.meta.id for r in catalogue.rules.values() if r.meta.fixable and r.meta.plugin in BUILTIN_PLUGINS}
    covered = {c.parents[1].name for c in CASES}
    assert fixable <= covered, f"fixable rules without fixtures/rules/<ID>/fix/: {sorted(fixable - covered)}"
    assert covered <= fixable, f"fix fixtures for rules not marked fixable: {sorted(covered - fixable)}"
    for rule in catalogue.rules.values():
        if rule.meta.fixable:
            assert rule.meta.fix_note, f"{rule.meta.id} is fixable: say how in fix_note"


def test_every_case_has_its_expectation() -> None:
    for case in CASES:
        assert expected_of(case), case
