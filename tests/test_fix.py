"""--fix and --diff: style detection, safe writes, what is never fixed, stdin, and the checks before writing."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from conftest import run_cli, sarif_schema

from manifestlint import command
from manifestlint.fix.emit import scalar
from manifestlint.fix.edits import Fix
from manifestlint.fix.style import detect
from manifestlint.fix.write import WriteError, replace_contents

POD = """\
# comment on top
apiVersion: v1
kind: Pod
metadata:
  name: web  # the name
spec:
  containers:
  - name: web
    image: nginx:1.27
"""
FIXED = POD + "    securityContext:\n      allowPrivilegeEscalation: false\n"
SELECT = ["ML107"]


def check(path: Path, *, select: list[str] = SELECT, **kwargs) -> command.Outcome:
    return command.check(command.Request(paths=[str(path)], no_config=True, select=select, root=path.parent,
                                         **kwargs))


def test_scalars_read_back_as_written() -> None:
    assert scalar("false") == '"false"' and scalar("yes") == '"yes"' and scalar("0") == '"0"'
    assert scalar(False) == "false" and scalar("RuntimeDefault") == "RuntimeDefault"
    assert scalar("--anonymous-auth=false") == "--anonymous-auth=false"
    assert scalar("a: b") == '"a: b"' and scalar("Always", "'") == "'Always'"


@pytest.mark.parametrize(("text", "indent", "offset"), [
    ("a:\n  b:\n    - c\n", 2, 2),
    ("a:\n    b:\n    - c\n", 4, 0),
    ("a:\n  b:\n  - c\n  d:\n  - e\n", 2, 0),
    ("a: 1\n", 2, 2),
])
def test_indentation_style_is_detected(text: str, indent: int, offset: int) -> None:
    style = detect(text)
    assert (style.indent, style.sequence_offset) == (indent, offset)
    assert detect(text.replace("\n", "\r\n")).newline == "\r\n"


def test_fix_keeps_permissions_and_every_other_byte(tmp_path: Path) -> None:
    path = tmp_path / "pod.yaml"
    path.write_text(POD)
    path.chmod(0o640)
    outcome = check(path, fix=True)
    assert path.read_text() == FIXED
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert outcome.fixes is not None and outcome.fixes.fixed == 1
    assert outcome.report.findings == []
    assert [p.name for p in tmp_path.iterdir()] == ["pod.yaml"], "no temporary file is left behind"


def test_diff_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "pod.yaml"
    path.write_text(POD)
    proc = run_cli("--no-config", "--select", "ML107", "--diff", str(path), cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert path.read_text() == POD
    assert proc.stdout.startswith("--- a/pod.yaml\n+++ b/pod.yaml\n@@ ")
    assert "+    securityContext:\n+      allowPrivilegeEscalation: false\n" in proc.stdout
    assert "Would fix 1 finding in 1 file." in proc.stderr
    path.write_text(FIXED)
    proc = run_cli("--no-config", "--select", "ML107", "--diff", str(path), cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (0, "")


def test_fix_from_stdin_prints_the_fixed_stream(tmp_path: Path) -> None:
    proc = run_cli("--no-config", "--select", "ML107", "--fix", "-", stdin=POD.encode(), cwd=tmp_path)
    assert proc.stdout == FIXED
    assert "Fixed 1 finding in 1 file; 0 findings remain." in proc.stderr
    assert proc.returncode == 0
    proc = run_cli("--no-config", "--select", "ML101", "--fix", "-", stdin=POD.encode(), cwd=tmp_path)
    assert proc.stdout == POD, "nothing to fix: the stream as it came"


def test_fix_in_place_on_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "pod.yaml"
    path.write_text(POD)
    proc = run_cli("--no-config", "--select", "ML107,ML115", "--fix", "pod.yaml", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Fixed 2 findings in 1 file; 0 findings remain." in proc.stdout
    assert "readOnlyRootFilesystem: true" in path.read_text()


def test_select_narrows_the_fixes(tmp_path: Path) -> None:
    path = tmp_path / "pod.yaml"
    path.write_text(POD)
    check(path, select=["ML107"], fix=True)
    assert "readOnlyRootFilesystem" not in path.read_text() and "allowPrivilegeEscalation" in path.read_text()
    check(path, select=["WL-5"], ignore=["ML106", "ML108", "ML109", "ML115"], fix=True)
    assert "readOnlyRootFilesystem" not in path.read_text()


def test_helm_rendered_streams_are_never_fixed(tmp_path: Path) -> None:
    path = tmp_path / "rendered.yaml"
    text = "---\n# Source: web/templates/pod.yaml\n" + POD
    path.write_text(text)
    outcome = check(path, fix=True)
    assert path.read_text() == text
    assert outcome.fixes is not None and outcome.fixes.fixed == 0
    assert any("fix the chart's values or templates" in n.message for n in outcome.fixes.notes)
    assert len(outcome.report.findings) == 1


def test_a_fix_that_adds_a_finding_leaves_the_file_untouched(tmp_path: Path) -> None:
    from manifestlint.fix.run import fix_report
    from manifestlint.fix.session import Fixer

    path = tmp_path / "pod.yaml"
    path.write_text(POD)
    outcome = check(path, select=["ML101", "ML107"])
    finding = outcome.report.findings[0]
    # A fix that makes the container privileged: the re-lint finds ML101, so nothing is written.
    finding.fix = Fix.set(("spec", "containers", 0, "securityContext", "privileged"), True)
    assert Fixer is not None
    settings = outcome.settings
    catalogue = command.load_catalogue(settings)
    ruleset = command.prepare(settings, catalogue)
    run = fix_report(outcome.report, ruleset, settings, [str(path)], tmp_path, None, write=True)
    assert path.read_text() == POD
    assert run.fixed == 0 and "would add a finding: ML101" in (run.files[0].error or "")


def test_a_file_changed_since_it_was_read_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "pod.yaml"
    path.write_text("new\n")
    with pytest.raises(WriteError):
        replace_contents(path, b"fixed\n", b"old\n")
    assert path.read_text() == "new\n"


def test_a_symlink_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_text(POD)
    link = tmp_path / "link.yaml"
    os.symlink(real, link)
    replace_contents(link, FIXED.encode(), POD.encode())
    assert link.is_symlink() and real.read_text() == FIXED


def test_files_with_yaml_problems_are_not_fixed(tmp_path: Path) -> None:
    path = tmp_path / "pod.yaml"
    text = POD.replace("  name: web  # the name\n", "  name: web  # the name\n  name: again\n")
    path.write_text(text)
    outcome = check(path, fix=True)
    assert path.read_text() == text
    assert outcome.fixes is not None and "fix them first" in (outcome.fixes.files[0].error or "")


def test_sarif_results_carry_schema_valid_fixes(tmp_path: Path) -> None:
    import json

    from jsonschema import Draft4Validator, FormatChecker

    from manifestlint.fix.apply import TextEdit, apply

    path = tmp_path / "pod.yaml"
    path.write_text(POD)
    outcome = check(path, select=["ML101", "ML107", "ML115"])
    log = json.loads(outcome.render("sarif"))
    schema = sarif_schema()
    errors = [e.message for e in Draft4Validator(schema, format_checker=FormatChecker()).iter_errors(log)]
    assert not errors, errors
    results = log["runs"][0]["results"]
    assert len(results) == 2 and all(len(r["fixes"]) == 1 for r in results)
    lines = POD.splitlines(keepends=True)
    for result in results:
        change = result["fixes"][0]["artifactChanges"][0]
        assert change["artifactLocation"] == result["locations"][0]["physicalLocation"]["artifactLocation"]
        edits = []
        for replacement in change["replacements"]:
            region = replacement["deletedRegion"]
            start = sum(map(len, lines[:region["startLine"] - 1])) + region["startColumn"] - 1
            end = sum(map(len, lines[:region["endLine"] - 1])) + region["endColumn"] - 1
            edits.append(TextEdit(start, end, replacement.get("insertedContent", {}).get("text", "")))
        fixed = apply(POD, edits)
        key = "allowPrivilegeEscalation" if result["ruleId"] == "ML107" else "readOnlyRootFilesystem"
        assert fixed.startswith(POD) and f"    securityContext:\n      {key}: " in fixed
