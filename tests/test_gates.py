"""Rule gates: asked once per document for all the rules sharing them; a closed gate skips them all."""

from __future__ import annotations

from manifestlint.config import Settings
from manifestlint.engine import lint_file
from manifestlint.loader import Limits, load_bytes
from manifestlint.rule import Rule, Violation, define
from manifestlint.runner import load_catalogue, prepare

STREAM = b"""\
apiVersion: v1
kind: ConfigMap
metadata: {name: open, labels: {gate: open}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: shut}
"""

asked: list[str] = []
checked: list[tuple[str, str]] = []


def labelled(doc) -> bool:
    asked.append(doc.name)
    return "gate" in doc.metadata.get("labels", {})


def broken(doc) -> bool:
    raise ValueError("no")


def _rule(rule_id: str, gate):
    @define(id=rule_id, name=f"gated-{rule_id.lower()}", title="Gated", severity="warning", checklist=["WL-1"])
    class Gated(Rule):
        """## What it does\nx"""

        def check(self, doc, ctx):
            checked.append((rule_id, doc.name))
            yield Violation(("metadata",), f"{rule_id} saw {doc.name}")

    Gated.gate = staticmethod(gate)
    return Gated()


def _lint(*rules):
    catalogue = load_catalogue(Settings())
    for rule in rules:
        catalogue.rules[rule.meta.id] = rule
    ruleset = prepare(Settings(select=[r.meta.id for r in rules]), catalogue)
    return lint_file(load_bytes("g.yaml", STREAM, Limits()), ruleset)


def test_a_shared_gate_is_asked_once_per_document_and_a_closed_one_skips_its_rules():
    asked.clear()
    checked.clear()
    result = _lint(_rule("TST801", labelled), _rule("TST802", labelled))
    assert asked == ["open", "shut"]
    assert checked == [("TST801", "open"), ("TST802", "open")]
    assert [f.message for f in result.findings] == ["TST801 saw open", "TST802 saw open"]


def test_a_gate_that_raises_is_a_notification_and_other_rules_still_run():
    checked.clear()
    result = _lint(_rule("TST803", broken), _rule("TST804", labelled))
    assert checked == [("TST804", "open")]
    crashes = [n for n in result.notifications if n.kind == "rule-crash"]
    assert len(crashes) == 2 and all("TST803" in n.message and "ValueError: no" in n.message for n in crashes)
