"""Helm: findings of rendered output reported at the template line that writes the key."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import REPO, run_cli

from manifestlint.config import Settings
from manifestlint.helm.template_lines import locate, outline, pick
from manifestlint.runner import Options, load_catalogue, prepare, run

HELM = REPO / "fixtures" / "helm"
CHART = HELM / "kube-stack"
CORPUS = REPO.parent / "shared" / "corpus" / "helm-rendered"
RULES = ["ML101", "ML201", "ML203", "ML810"]


def lint(paths: list[str], chart_dirs: list[str] | None = None, rules: list[str] = RULES):
    catalogue = load_catalogue(Settings())
    settings = Settings(select=rules, chart_dirs=chart_dirs or [])
    report = run(Options(paths=paths, root=REPO, no_config=True), settings, catalogue, prepare(settings, catalogue))
    return report.findings


def where(findings) -> set[tuple[str, str, int, str]]:
    return {(f.rule_id, Path(f.path).name, f.line, f.obj.name) for f in findings}


EXPECTED = {
    ("ML101", "collectors.yaml", 30, "example-daemon"), ("ML101", "collectors.yaml", 30, "example-cluster"),
    ("ML810", "collectors.yaml", 24, "example-daemon"), ("ML810", "collectors.yaml", 24, "example-cluster"),
    ("ML201", "collectors.yaml", 27, "example-daemon"), ("ML201", "collectors.yaml", 27, "example-cluster"),
    ("ML201", "deployment.yaml", 29, "example-operator"),  # `resources:` receives toYaml .Values.resources
    ("ML201", "hook.yaml", 12, "example-operator-test"), ("ML203", "hook.yaml", 13, "example-operator-test"),
}


def test_chart_dir_moves_findings_to_the_template_lines() -> None:
    findings = lint([str(HELM / "rendered.yaml")], [str(CHART)])
    assert where(findings) == EXPECTED
    for finding in findings:
        (rendered_path, span, text), = finding.related
        assert rendered_path.endswith("rendered.yaml") and text == f"rendered at {rendered_path}:{span.line}"
    subchart = next(f for f in findings if f.obj.name == "example-operator")
    assert subchart.path == "fixtures/helm/kube-stack/charts/operator/templates/deployment.yaml"


def test_chart_in_the_scanned_tree_is_used_without_chart_dir() -> None:
    assert where(lint([str(HELM)])) == EXPECTED


def test_without_chart_sources_the_rendered_location_stays_primary(tmp_path: Path) -> None:
    shutil.copy(HELM / "rendered.yaml", tmp_path / "rendered.yaml")
    findings = lint([str(tmp_path / "rendered.yaml")])
    assert {Path(f.path).name for f in findings} == {"rendered.yaml"}
    assert all(f.helm_source and not f.related for f in findings)


def test_sarif_related_location_is_the_rendered_one() -> None:
    proc = run_cli("--no-config", "--select", "ML101", "--format", "sarif", "--chart-dir", str(CHART),
                   str(HELM / "rendered.yaml"))
    results = json.loads(proc.stdout)["runs"][0]["results"]
    assert len(results) == 2
    for result in results:
        primary = result["locations"][0]["physicalLocation"]
        assert primary["artifactLocation"]["uri"].endswith("kube-stack/templates/collectors.yaml")
        assert primary["region"]["startLine"] == 30
        related = result["relatedLocations"][0]
        assert related["physicalLocation"]["artifactLocation"]["uri"].endswith("rendered.yaml")
        assert related["physicalLocation"]["region"]["startLine"] in (66, 91)
        assert related["message"]["text"].startswith("rendered at ")


def test_stdin_render_is_mapped_with_chart_dir() -> None:
    proc = run_cli("--no-config", "--select", "ML101", "-", "--chart-dir", str(CHART),
                   stdin=(HELM / "rendered.yaml").read_bytes())
    assert proc.returncode == 1
    assert proc.stdout.count("kube-stack/templates/collectors.yaml:30:") == 2, proc.stdout + proc.stderr


def test_render_helm_without_helm_exits_2() -> None:
    if shutil.which("helm"):
        pytest.skip("helm is installed here")
    proc = run_cli("--no-config", "--render-helm", str(HELM))
    assert proc.returncode == 2 and "--render-helm needs the `helm` command" in proc.stderr


TEMPLATE = """\
{{- if .Values.enabled }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "x.fullname" . }}
  labels:
    {{- include "x.labels" . | nindent 4 }}
spec:
  {{- if not .Values.autoscaling.enabled }}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
  template:
    spec:
      containers:
        - name: {{ .Chart.Name }}
          securityContext:
            {{- toYaml .Values.securityContext | nindent 12 }}
          ports:
            - name: http
              containerPort: 80
        {{- range .Values.sidecars }}
        - name: {{ .name }}
          image: {{ .image }}
        {{- end }}
{{- end }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ include "x.fullname" . }}
  {{/* a comment
       over two lines */}}
spec:
  type: {{ .Values.service.type }}
"""


@pytest.mark.parametrize(("kind", "path", "line"), [
    ("Deployment", ("spec", "replicas"), 10),  # inside {{- if }}
    ("Deployment", ("spec", "template", "spec", "containers", 0, "securityContext", "privileged"), 16),  # toYaml
    ("Deployment", ("spec", "template", "spec", "containers", 0, "ports", 0, "containerPort"), 20),
    ("Deployment", ("spec", "template", "spec", "containers", 2, "image"), 23),  # range: its one item
    ("Deployment", ("metadata", "labels", "app"), 6),  # include: the key that receives it
    ("Deployment", ("spec", "selector"), 8),  # missing: the nearest ancestor written out
    ("Deployment", (), 2),  # the object itself: the top of its document
    ("Service", ("spec", "type"), 34),
])
def test_template_line_of_a_key(kind: str, path: tuple, line: int) -> None:
    doc = pick(outline(TEMPLATE), kind, 0)
    assert doc is not None and locate(doc, path)[0] == line


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus/helm-rendered is not present")
def test_corpus_renders_lint_end_to_end_with_real_lines() -> None:
    catalogue = load_catalogue(Settings())
    settings = Settings()
    report = run(Options(paths=[str(CORPUS)], root=CORPUS, no_config=True), settings, catalogue,
                 prepare(settings, catalogue))
    assert not [n for n in report.notifications if n.kind == "rule-crash"], report.notifications
    assert report.documents > 800 and report.findings
    assert sum(1 for f in report.findings if f.helm_source) > 100
    for finding in report.findings:
        lines = (CORPUS / finding.path).read_text(errors="replace").count("\n") + 1
        assert 1 <= finding.line <= lines, finding


def test_one_note_per_chart_says_how_to_lint_it() -> None:
    proc = run_cli("--no-config", "--select", "ML101", "--verbose", str(HELM))
    lines = proc.stderr.splitlines() + proc.stdout.splitlines()
    notes = [line for line in lines if "unrendered Helm templates" in line]
    assert len(notes) == 1, proc.stdout + proc.stderr
    assert "helm template fixtures/helm/kube-stack | manifestlint - --chart-dir fixtures/helm/kube-stack" in notes[0]


def test_render_helm_lints_what_helm_renders_and_maps_it(tmp_path: Path) -> None:
    # A stand-in for `helm template` that prints the fixture render (no real helm binary is needed).
    fake = tmp_path / "bin" / "helm"
    fake.parent.mkdir()
    fake.write_text(f"#!/bin/sh\n[ \"$1\" = template ] || exit 3\ncat '{HELM / 'rendered.yaml'}'\n")
    fake.chmod(0o755)
    env = {"PATH": f"{fake.parent}:/usr/bin:/bin"}
    proc = run_cli("--no-config", "--select", "ML101", "--render-helm", str(CHART), env=env)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert proc.stdout.count("fixtures/helm/kube-stack/templates/collectors.yaml:30:13: ML101") == 2
    fake.write_text("#!/bin/sh\necho 'Error: chart requires a dependency' >&2\nexit 1\n")
    proc = run_cli("--no-config", "--select", "ML101", "--render-helm", str(CHART), env=env)
    assert proc.returncode == 2 and "chart requires a dependency" in proc.stderr
