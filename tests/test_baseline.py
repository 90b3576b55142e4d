"""Baselines: --write-baseline records today's findings, --baseline reports only new ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli

from manifestlint import baseline

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          securityContext: {privileged: true}
"""
SELECT = ("--no-config", "--select", "ML101,ML102,ML104,ML203")


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "web.yaml").write_text(DEPLOYMENT)
    return tmp_path


def lint(project: Path, *args: str):  # type: ignore[no-untyped-def]
    return run_cli("deploy", *SELECT, *args, cwd=project)


def test_write_then_read(project: Path) -> None:
    written = lint(project, "--write-baseline", "baseline.json")
    assert written.returncode == 0, written.stderr
    assert "wrote 1 finding to the baseline baseline.json" in written.stderr
    assert "1 in the baseline" in written.stdout

    again = lint(project, "--baseline", "baseline.json")
    assert again.returncode == 0, again.stdout + again.stderr
    assert again.stdout.strip() == "Found 0 findings in 1 file, 1 document; 1 in the baseline."


def test_inserted_lines_do_not_bring_a_finding_back(project: Path) -> None:
    lint(project, "--write-baseline", "baseline.json")
    moved = "# a comment\n# and another\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop}\n" \
            "---\n" + DEPLOYMENT.replace("    spec:\n", "    spec:\n      # the pod\n      hostname: web\n")
    (project / "deploy" / "web.yaml").write_text(moved)
    proc = lint(project, "--baseline", "baseline.json")
    assert proc.returncode == 0, proc.stdout
    assert "1 in the baseline" in proc.stdout


def test_new_findings_are_reported(project: Path) -> None:
    lint(project, "--write-baseline", "baseline.json")
    grown = DEPLOYMENT.replace("image: nginx:1.27", "image: nginx:latest\n          ports: [{containerPort: 80, "
                               "hostPort: 80}]")
    (project / "deploy" / "web.yaml").write_text(grown)
    proc = lint(project, "--baseline", "baseline.json")
    assert proc.returncode == 1
    reported = {line.split()[1] for line in proc.stdout.splitlines() if line.startswith("deploy/")}
    assert reported == {"ML104", "ML203"}
    assert "Found 2 findings (1 error, 1 warning) in 1 file, 1 document; 1 in the baseline." in proc.stdout


def test_fixed_findings_leave_the_baseline_on_the_next_write(project: Path) -> None:
    (project / "deploy" / "web.yaml").write_text(DEPLOYMENT.replace("nginx:1.27", "nginx:latest"))
    lint(project, "--write-baseline", "baseline.json")
    assert {e["rule"] for e in json.loads((project / "baseline.json").read_text())["findings"]} == {"ML101", "ML203"}
    (project / "deploy" / "web.yaml").write_text(DEPLOYMENT.replace("privileged: true", "privileged: false")
                                                 .replace("nginx:1.27", "nginx:latest"))
    lint(project, "--baseline", "baseline.json", "--write-baseline", "baseline.json")
    assert [e["rule"] for e in json.loads((project / "baseline.json").read_text())["findings"]] == ["ML203"]


def test_file_is_sorted_json_one_finding_per_line(project: Path) -> None:
    (project / "deploy" / "a.yaml").write_text(DEPLOYMENT.replace("name: web,", "name: api,")
                                               .replace("nginx:1.27", "nginx:latest"))
    lint(project, "--write-baseline", "baseline.json")
    text = (project / "baseline.json").read_text()
    data = json.loads(text)
    assert data["manifestlint-baseline"] == baseline.FORMAT_VERSION
    lines = text.splitlines()
    assert lines[:3] == ["{", '  "manifestlint-baseline": 1,', '  "findings": [']
    entries = [json.loads(line.strip().rstrip(",")) for line in lines[3:-2]]
    assert entries == data["findings"]
    assert [(e["path"], e["rule"]) for e in entries] == [("deploy/a.yaml", "ML101"), ("deploy/a.yaml", "ML203"),
                                                         ("deploy/web.yaml", "ML101")]
    first = entries[0]
    assert list(first) == ["fingerprint", "rule", "path", "object", "field", "message"]
    assert first["object"] == "Deployment shop/api"
    assert first["field"] == "spec.template.spec.containers[0].securityContext.privileged"
    assert "line" not in first
    # The fingerprint is the one the JSON report gives the finding.
    report = json.loads(lint(project, "--format", "json").stdout)
    assert first["fingerprint"] in {f["fingerprint"] for f in report["findings"]}


def test_reports_count_baselined_findings(project: Path) -> None:
    lint(project, "--write-baseline", "baseline.json")
    report = json.loads(lint(project, "--baseline", "baseline.json", "--format", "json").stdout)
    assert report["findings"] == [] and report["summary"]["baselined"] == 1
    sarif = json.loads(lint(project, "--baseline", "baseline.json", "--format", "sarif").stdout)
    assert sarif["runs"][0]["results"] == []


def test_empty_baseline(project: Path) -> None:
    (project / "deploy" / "web.yaml").write_text(DEPLOYMENT.replace("privileged: true", "privileged: false"))
    assert lint(project, "--write-baseline", "baseline.json").returncode == 0
    assert json.loads((project / "baseline.json").read_text()) == {"manifestlint-baseline": 1, "findings": []}


@pytest.mark.parametrize(("content", "message"), [
    (None, "baseline file baseline.json not found (create it with --write-baseline baseline.json)"),
    ("{not json", "baseline baseline.json is not valid JSON"),
    ('{"findings": []}', "baseline.json is not a manifestlint baseline"),
    ('{"manifestlint-baseline": 9, "findings": []}', "has format 9"),
    ('{"manifestlint-baseline": 1, "findings": [{"rule": "ML101"}]}', '"findings" must be a list of objects'),
])
def test_bad_baseline_files_exit_2(project: Path, content: str | None, message: str) -> None:
    if content is not None:
        (project / "baseline.json").write_text(content)
    proc = lint(project, "--baseline", "baseline.json")
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr


def test_field_text() -> None:
    assert baseline.field_text(("spec", "containers", 0, "image")) == "spec.containers[0].image"
    assert baseline.field_text(()) == ""


def test_new_findings_keep_their_fingerprint_beside_baselined_twins(project: Path) -> None:
    # Two parse errors in one file share rule, file, object and field: their order tells them apart.
    broken = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a\n"
    (project / "deploy" / "web.yaml").write_text(broken)
    run_cli("deploy", "--no-config", "--select", "ML001", "--write-baseline", "baseline.json", cwd=project)
    (project / "deploy" / "web.yaml").write_text(broken + "---\n" + broken)
    plain = json.loads(run_cli("deploy", "--no-config", "--select", "ML001", "--format", "json", cwd=project).stdout)
    assert len(plain["findings"]) == 2
    new = json.loads(run_cli("deploy", "--no-config", "--select", "ML001", "--baseline", "baseline.json",
                             "--format", "json", cwd=project).stdout)
    assert [f["fingerprint"] for f in new["findings"]] == [plain["findings"][1]["fingerprint"]]
