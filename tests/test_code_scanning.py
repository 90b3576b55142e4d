"""SARIF as GitHub code scanning takes it: categories, the result limit, and help that renders in the alert view."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import run_cli

from manifestlint import command
from manifestlint.model import Finding, ObjectRef, Severity, Span
from manifestlint.report import Report
from manifestlint.reporters import sarif
from manifestlint.reporters.sarif_serialize import to_data

POD = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  containers:\n  - name: c\n" \
      "    image: nginx:1.27\n    securityContext: {privileged: true}\n"


@pytest.mark.parametrize(("category", "expected"), [("prod-cluster", "prod-cluster/"),
                                                    ("clusters/prod/2024-06-01", "clusters/prod/2024-06-01")])
def test_category_becomes_automation_details(tmp_path: Path, category: str, expected: str) -> None:
    (tmp_path / "pod.yaml").write_text(POD)
    proc = run_cli("pod.yaml", "--no-config", "--format", "sarif", "--sarif-category", category, cwd=tmp_path)
    assert json.loads(proc.stdout)["runs"][0]["automationDetails"] == {"id": expected}
    side = tmp_path / "side.sarif"
    run_cli("pod.yaml", "--no-config", "--sarif-file", str(side), "--sarif-category", category, cwd=tmp_path)
    assert json.loads(side.read_text())["runs"][0]["automationDetails"] == {"id": expected}


def test_no_category_no_automation_details(tmp_path: Path) -> None:
    # upload-sarif then fills in its own category (from the workflow and job), as it should.
    (tmp_path / "pod.yaml").write_text(POD)
    proc = run_cli("pod.yaml", "--no-config", "--format", "sarif", cwd=tmp_path)
    assert "automationDetails" not in json.loads(proc.stdout)["runs"][0]


def _finding(i: int, severity: Severity) -> Finding:
    return Finding("ML101" if severity is Severity.ERROR else "ML204", "x", severity, f"message {i}", f"f{i:03}.yaml",
                   Span(1, 1, 1, 2), ObjectRef("Pod", "ns", f"p{i}"))


def test_results_beyond_the_limit_keep_the_most_severe(tmp_path: Path) -> None:
    catalogue, _ = command.rule_catalogue(None)
    findings = [_finding(i, Severity.ERROR if i % 10 == 0 else Severity.NOTE) for i in range(100)]
    report = Report(findings=findings, rules=[catalogue.rules["ML101"], catalogue.rules["ML204"]], root=str(tmp_path))
    run = to_data(sarif.build(report, max_results=25))["runs"][0]
    results = run["results"]
    assert len(results) == 25
    assert sum(1 for r in results if r["level"] == "error") == 10  # every error kept
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results]
    assert uris == sorted(uris)  # still in report order
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert any(n["descriptor"]["id"] == "truncated" and n["message"]["text"].startswith("75 results left out")
               for n in notes)
    assert sarif.MAX_RESULTS == 25_000
    assert "truncated" not in json.dumps(to_data(sarif.build(report)))


# What the alert view renders well: headings, paragraphs, lists, emphasis, code, and absolute links.
# Raw HTML is stripped, relative links lead nowhere (they resolve against github.com), images are
# not shown.
HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?>")
LINK = re.compile(r"(!?)\[([^\]]*)\]\(([^)\s]+)[^)]*\)")


def _prose(markdown: str) -> str:
    """The markdown without fenced code blocks and code spans (where anything goes)."""
    without_fences = re.sub(r"^```.*?^```[ \t]*$", "", markdown, flags=re.S | re.M)
    return re.sub(r"`[^`\n]*`", "", without_fences)


def test_every_rule_help_renders_in_the_alert_view(tmp_path: Path) -> None:
    (tmp_path / "pod.yaml").write_text(POD)
    proc = run_cli("pod.yaml", "--no-config", "--select", "ALL", "--format", "sarif", cwd=tmp_path)
    rules = json.loads(proc.stdout)["runs"][0]["tool"]["driver"]["rules"]
    assert len(rules) > 100
    for rule in rules:
        help_md = rule["help"]["markdown"]
        assert help_md.count("```") % 2 == 0, f"{rule['id']}: unbalanced code fence"
        prose = _prose(help_md)
        assert not HTML_TAG.search(prose), f"{rule['id']}: raw HTML {HTML_TAG.search(prose)[0]!r}"  # type: ignore[index]
        for image, _, target in LINK.findall(prose):
            assert not image, f"{rule['id']}: images are not shown"
            assert target.startswith(("https://", "http://")), f"{rule['id']}: relative link {target!r}"
        headings = re.findall(r"^(#+) ", prose, re.M)
        assert headings and headings[0] == "#" and set(headings) <= {"#", "##", "###"}, rule["id"]
        assert rule["help"]["text"].strip()


def test_sarif_fingerprints_do_not_shift_when_a_twin_is_baselined(tmp_path: Path) -> None:
    broken = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a\n"
    (tmp_path / "cm.yaml").write_text(broken)
    args = ("cm.yaml", "--no-config", "--select", "ML001")
    run_cli(*args, "--write-baseline", "baseline.json", cwd=tmp_path)
    (tmp_path / "cm.yaml").write_text(broken + "---\n" + broken)

    def ids(*extra: str) -> list[str]:
        log = json.loads(run_cli(*args, "--format", "sarif", *extra, cwd=tmp_path).stdout)
        return [r["fingerprints"]["manifestlint/v1"] for r in log["runs"][0]["results"]]

    assert ids("--baseline", "baseline.json") == ids()[1:]
