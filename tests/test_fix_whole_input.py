"""--fix and whole-input rules: every fixed file is judged by them at once, each seeing the others as
fixed; a file that gains a whole-input finding is put back as it was, and the others are still fixed."""

from __future__ import annotations

from pathlib import Path

import pytest

from manifestlint import command
from manifestlint.fix import session
from manifestlint.fix.edits import Fix
from manifestlint.fix.run import fix_report

NAMESPACE = """\
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: baseline
"""
POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: {name}
  namespace: shop
spec:
  containers:
  - name: web
    image: nginx:1.27
"""
SELECT = ["ML107", "ML632"]  # allowPrivilegeEscalation (per object), rejected at admission (whole input)
PODS = 6


def lint(root: Path) -> command.Outcome:
    return command.check(command.Request(paths=[str(root)], no_config=True, select=SELECT, root=root, jobs=1))


def write_inputs(root: Path) -> None:
    (root / "namespace.yaml").write_text(NAMESPACE)
    for number in range(PODS):
        (root / f"pod{number}.yaml").write_text(POD.format(name=f"web{number}"))


def fix(outcome: command.Outcome, root: Path) -> session.FixRun:
    ruleset = command.prepare(outcome.settings, command.load_catalogue(outcome.settings))
    return fix_report(outcome.report, ruleset, outcome.settings, [str(root)], root, None, write=True)


def test_whole_input_rules_judge_every_fixed_file_in_one_lint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_inputs(tmp_path)
    calls: list[int] = []
    real = session.lint_input

    def counting(documents, ruleset, directives):  # type: ignore[no-untyped-def]
        calls.append(len(documents))
        return real(documents, ruleset, directives)

    monkeypatch.setattr(session, "lint_input", counting)
    outcome = command.check(command.Request(paths=[str(tmp_path)], no_config=True, select=SELECT, root=tmp_path,
                                            jobs=1, fix=True))
    assert outcome.fixes is not None and len(outcome.fixes.changed_files) == PODS
    assert calls == [PODS + 1]  # once, over every document, however many files were fixed
    assert "allowPrivilegeEscalation: false" in (tmp_path / "pod0.yaml").read_text()
    assert [f.rule_id for f in outcome.report.findings] == []


def test_a_fix_that_adds_a_whole_input_finding_is_put_back(tmp_path: Path) -> None:
    write_inputs(tmp_path)
    outcome = lint(tmp_path)
    findings = [f for f in outcome.report.findings if f.rule_id == "ML107"]
    assert len(findings) == PODS
    # pod0's fix also makes it privileged: its own rules see nothing wrong (ML101 is not selected), but the
    # baseline namespace would reject it (ML632), so the file stays as it was; the other pods are fixed.
    bad = next(f for f in findings if f.path == "pod0.yaml")
    bad.fix = Fix.set(("spec", "containers", 0, "securityContext"),
                      {"allowPrivilegeEscalation": False, "privileged": True})
    run = fix(outcome, tmp_path)
    assert (tmp_path / "pod0.yaml").read_text() == POD.format(name="web0")
    put_back = next(f for f in run.files if f.path == "pod0.yaml")
    assert put_back.error is not None and put_back.error.startswith("a fix would add a finding: ML632 ")
    assert [f.rule_id for f, _ in put_back.unfixed] == ["ML107"]
    assert sorted(f.path for f in run.changed_files) == [f"pod{n}.yaml" for n in range(1, PODS)]
    assert "pod0.yaml" in {f.path for f in outcome.report.findings}  # its finding is still reported
    assert not [f for f in outcome.report.findings if f.path != "pod0.yaml"]


def test_fixed_files_are_judged_with_the_others_as_fixed(tmp_path: Path) -> None:
    # Two pods made privileged by their fixes: both are put back, in one round or in two, and neither is written.
    write_inputs(tmp_path)
    outcome = lint(tmp_path)
    for finding in outcome.report.findings:
        if finding.path in ("pod1.yaml", "pod2.yaml"):
            finding.fix = Fix.set(("spec", "containers", 0, "securityContext"),
                                  {"allowPrivilegeEscalation": False, "privileged": True})
    run = fix(outcome, tmp_path)
    assert sorted(f.path for f in run.files if f.error) == ["pod1.yaml", "pod2.yaml"]
    assert len(run.changed_files) == PODS - 2
    for name in ("pod1.yaml", "pod2.yaml"):
        assert (tmp_path / name).read_text() == POD.format(name=name[:-5].replace("pod", "web"))
