"""The JSON, GitHub and JUnit formats, end to end through the CLI and on crafted reports."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from manifestlint.model import Finding, Notification, ObjectRef, Severity, Span
from manifestlint.report import Report
from manifestlint.reporters import github, json_report, junit
from manifestlint.reporters.fingerprint import fingerprints

REPO = Path(__file__).resolve().parents[1]
INPUTS = REPO / "fixtures" / "inputs" / "reports"
SELECT = ("--select", "ML001,ML101,ML102", "--no-config")
BASE = "fixtures/inputs/reports/"


@pytest.fixture(scope="module")
def report_validator() -> Draft202012Validator:
    schema = json.loads((REPO / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def assert_valid(data: dict[str, Any], validator: Draft202012Validator) -> None:
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]
    assert not errors, "\n".join(errors)


def _finding(severity: Severity = Severity.ERROR, **changes: Any) -> Finding:
    fields: dict[str, Any] = dict(rule_id="ML101", rule_name="privileged-container", severity=severity,
                                  message="container 'app' runs privileged", path="a.yaml", span=Span(3, 5, 3, 21),
                                  obj=ObjectRef("Pod", "ns", "p", "v1"), field_path=("spec", "containers", 0))
    fields.update(changes)
    return Finding(**fields)


# JSON

def test_cli_json_validates_and_reports_everything(cli, report_validator) -> None:
    proc = cli(str(INPUTS), "--format", "json", *SELECT)
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    assert_valid(data, report_validator)
    assert data["version"] == "1" and data["tool"]["name"] == "manifestlint"
    rows = [(f["rule"], f["path"], f["line"]) for f in data["findings"]]
    assert rows == [("ML001", BASE + "broken.yaml", 7), ("ML101", BASE + "helm rendered.yaml", 20),
                    ("ML102", BASE + "workload.yaml", 14), ("ML101", BASE + "workload.yaml", 19)]
    broken, helm, host, privileged = data["findings"]
    assert broken["object"] is None and broken["field_path"] == []
    assert helm["helm_source"] == "web/templates/deployment.yaml"
    assert privileged == {
        "rule": "ML101", "rule_name": "privileged-container", "severity": "error",
        "message": privileged["message"], "path": BASE + "workload.yaml", "line": 19, "column": 13,
        "end_line": 19, "end_column": 29, "checklist": ["WL-5"],
        "object": {"kind": "Deployment", "namespace": "shop", "name": "web", "api_version": "apps/v1"},
        "field_path": ["spec", "template", "spec", "containers", 0, "securityContext", "privileged"],
        "helm_source": None, "fingerprint": privileged["fingerprint"]}
    assert "container 'app'" in privileged["message"]
    (suppressed,) = data["suppressed"]
    assert suppressed["object"]["name"] == "debug"
    assert suppressed["suppressed_by"].startswith("annotation manifestlint.io/ignore (break-glass")
    summary = data["summary"]
    assert {k: summary[k] for k in ("files", "documents", "skipped_files", "findings", "suppressed")} == {
        "files": 5, "documents": 4, "skipped_files": 1, "findings": 4, "suppressed": 1}
    assert summary["by_severity"] == {"error": 4, "warning": 0, "note": 0}
    skipped = [n for n in data["notifications"] if n["kind"] == "skipped"]
    assert [(n["path"], n["level"]) for n in skipped] == [(BASE + "not-kubernetes.yaml", "note")]


def test_json_of_a_crafted_report_validates(report_validator) -> None:
    report = Report(findings=[_finding(obj=ObjectRef("Namespace", "", "", "v1"))],
                    suppressed=[_finding(Severity.NOTE, suppressed_by="comment")],
                    notifications=[Notification(Severity.ERROR, "boom", "a.yaml", 3, "ML101", kind="rule-crash")],
                    files=1, documents=1, elapsed=0.25)
    data = json_report.as_dict(report)
    assert_valid(data, report_validator)
    assert data["findings"][0]["object"] == {"kind": "Namespace", "namespace": None, "name": None,
                                             "api_version": "v1"}
    assert data["notifications"] == [{"level": "error", "kind": "rule-crash", "message": "boom", "path": "a.yaml",
                                      "line": 3, "rule": "ML101"}]
    assert data["summary"]["by_severity"] == {"error": 1, "warning": 0, "note": 0}
    assert json.loads(json_report.render(report)) == data


def test_json_schema_rejects_unknown_fields(report_validator) -> None:
    data = json_report.as_dict(Report(findings=[_finding()]))
    data["findings"][0]["surprise"] = 1
    assert list(report_validator.iter_errors(data))


# Fingerprints

def test_fingerprints_survive_line_shifts_and_suppression() -> None:
    before = _finding()
    after = _finding(span=Span(30, 7, 30, 23), suppressed_by="comment")
    assert fingerprints([before])[id(before)] == fingerprints([after])[id(after)]


def test_fingerprints_tell_findings_apart() -> None:
    base = _finding()
    others = [_finding(rule_id="ML102"), _finding(path="b.yaml"), _finding(obj=ObjectRef("Pod", "ns", "q", "v1")),
              _finding(obj=ObjectRef("Pod", "other", "p", "v1")), _finding(field_path=("spec", "containers", 1))]
    ids = fingerprints([base, *others])
    assert len(set(ids.values())) == 6


def test_fingerprints_of_identical_identities_are_numbered_by_order() -> None:
    first = _finding(rule_id="ML001", obj=ObjectRef(), field_path=(), span=Span(2, 1, 2, 2))
    second = _finding(rule_id="ML001", obj=ObjectRef(), field_path=(), span=Span(9, 1, 9, 2))
    ids = fingerprints([second, first])
    assert ids[id(first)] != ids[id(second)]
    assert fingerprints([first])[id(first)] == ids[id(first)]


# GitHub workflow commands

def test_cli_github_annotations_then_text_report(cli) -> None:
    proc = cli(str(INPUTS), "--format", "github", *SELECT)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    commands = [line for line in lines if line.startswith("::")]
    assert commands[0] == (f"::error file={BASE}broken.yaml,line=7,col=1,endLine=7,endColumn=2,"
                           "title=ML001 yaml-syntax-error::while scanning a quoted scalar, found unexpected end "
                           "of stream (the construct began at line 5)")
    assert commands[3].startswith(f"::error file={BASE}workload.yaml,line=19,col=13,endLine=19,endColumn=29,"
                                  "title=ML101 privileged-container::container 'app' runs privileged")
    assert commands[3].endswith("(Deployment shop/web)")
    assert "[from web/templates/deployment.yaml]" in commands[1]
    assert not any("not-kubernetes" in c for c in commands), "skipped files are not annotations"
    assert lines[-1].startswith("Found 4 findings"), "the full text report follows the annotations"


def test_github_escaping() -> None:
    finding = _finding(Severity.NOTE, message="50% done\r\nnext: a, b", path="dir/a,b:c.yaml",
                       rule_name="x", obj=ObjectRef(), span=Span(1, 2, 1, 3))
    assert github.finding_command(finding) == (
        "::notice file=dir/a%2Cb%3Ac.yaml,line=1,col=2,endLine=1,endColumn=3,title=ML101 x::"
        "50%25 done%0D%0Anext: a, b")
    assert github.escape_property("100%,\n:") == "100%25%2C%0A%3A"


def test_github_levels_and_multiline_spans() -> None:
    warning = _finding(Severity.WARNING, span=Span(3, 5, 6, 2))
    line = github.finding_command(warning)
    assert line.startswith("::warning file=a.yaml,line=3,endLine=6,title=")
    assert "col=" not in line and "endColumn=" not in line
    report = Report(findings=[_finding(), warning, _finding(Severity.NOTE)],
                    suppressed=[_finding(suppressed_by="comment")],
                    notifications=[Notification(Severity.ERROR, "cannot read file", "b.yaml", kind="unreadable"),
                                   Notification(Severity.NOTE, "skipped: not Kubernetes", "c.yaml", kind="skipped")])
    out = github.render(report).splitlines()
    assert [line.split(" ", 1)[0] for line in out] == ["::error", "::warning", "::notice", "::error"]
    assert out[-1] == "::error file=b.yaml,title=manifestlint::cannot read file"
    assert github.render(Report()) == ""


# JUnit

def test_cli_junit_one_case_per_file(cli) -> None:
    proc = cli(str(INPUTS), "--format", "junit", *SELECT)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(proc.stdout)
    (suite,) = root.findall("testsuite")
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert sorted(cases) == sorted(BASE + name for name in ("broken.yaml", "clean.yaml", "helm rendered.yaml",
                                                             "not-kubernetes.yaml", "workload.yaml"))
    assert all(case.get("classname") == "manifestlint" for case in cases.values())
    assert list(cases[BASE + "clean.yaml"]) == [], "a file without findings passes"
    assert [f.get("type") for f in cases[BASE + "workload.yaml"].findall("failure")] == ["ML102", "ML101"]
    failure = cases[BASE + "workload.yaml"].findall("failure")[1]
    assert failure.get("message").startswith("ML101 privileged-container: container 'app' runs privileged")
    assert failure.text.startswith(f"{BASE}workload.yaml:19:13: ML101 [error]")
    assert failure.text.endswith("(Deployment shop/web)")
    assert cases[BASE + "not-kubernetes.yaml"].find("skipped") is not None
    counts = (suite.get("tests"), suite.get("failures"), suite.get("errors"), suite.get("skipped"))
    assert counts == ("5", "4", "0", "1")


def test_junit_escapes_what_xml_cannot_hold() -> None:
    nasty = _finding(message='<b>&"quoted"\x00\x1b]', path="we<ird>&.yaml")
    report = Report(findings=[nasty], paths=["clean.yaml", "we<ird>&.yaml"],
                    notifications=[Notification(Severity.ERROR, "rule crashed", "clean.yaml", 2, "ML101",
                                                kind="rule-crash"),
                                   Notification(Severity.WARNING, "plugin failed", kind="plugin")])
    root = ET.fromstring(junit.render(report))
    suite = root.find("testsuite")
    assert suite is not None
    (failure,) = suite.iter("failure")
    assert failure.get("message") == 'ML101 privileged-container: <b>&"quoted"\\x00\\x1b]'
    case = next(c for c in suite.iter("testcase") if c.get("name") == "clean.yaml")
    error = case.find("error")
    assert error is not None and error.get("type") == "rule-crash" and error.text == "clean.yaml:2: rule crashed"
    assert suite.findtext("system-err") == "warning: plugin failed"
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("2", "1", "1")


# Output plumbing

def test_text_runs_do_not_import_the_machine_formats() -> None:
    code = ("import sys\nfrom manifestlint.cli import main\n"
            f"main([{str(INPUTS / 'clean.yaml')!r}, '--no-config', '--select', 'ML101'])\n"
            "print(sorted(m for m in ('sarif_om', 'manifestlint.reporters.sarif', 'xml.etree.ElementTree',"
            " 'manifestlint.reporters.junit') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("fmt", ["json", "sarif", "github", "junit"])
def test_machine_formats_write_to_output(cli, fmt: str, tmp_path) -> None:
    out = tmp_path / f"report.{fmt}"
    proc = cli(str(INPUTS / "clean.yaml"), "--format", fmt, "--output", str(out), "--color", "always", *SELECT)
    assert proc.returncode == 0, proc.stderr
    body = out.read_text(encoding="utf-8")
    assert "\033[" not in body, "machine formats are never coloured"
    if fmt in ("json", "sarif"):
        json.loads(body)
    elif fmt == "junit":
        ET.fromstring(body)
    else:
        assert body.startswith("Found 0 findings")
