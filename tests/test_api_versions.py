"""API versions by release (ML801-ML804): the lifecycle table, the target release, and every boundary."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from manifestlint.builtin.api_versions import lifecycle
from manifestlint.builtin.api_versions.release import parse_release
from manifestlint.config import Settings
from manifestlint.runner import load_catalogue
from manifestlint.testing import RuleCase, check_case, expectations, lint_paths

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "rules"
BOUNDARIES = sorted((FIXTURES / "ML801" / "boundaries").glob("*.yaml"))
RULES = ("ML801", "ML802", "ML803", "ML804")
CATALOGUE = load_catalogue(Settings())


def lint(path: Path, release: str | None = None, rules: tuple[str, ...] = RULES):
    options = {rule: {"kubernetes-version": release} for rule in rules} if release else None
    report = lint_paths([path], rules, rule_options=options, catalogue=CATALOGUE)
    assert not [n for n in report.notifications if n.kind == "rule-crash"]
    return report.findings


@pytest.mark.parametrize("path", BOUNDARIES, ids=[p.stem for p in BOUNDARIES])
def test_release_boundary(path: Path) -> None:
    text = path.read_text()
    release = re.search(r"^# kubernetes-version: (\S+)", text, re.M).group(1)
    findings = lint(path, release)
    for rule in RULES:
        case = RuleCase(rule, "fail", path, expectations(text))
        if not [e for e in case.expected if e.rule_id == rule]:
            case.outcome = "pass"
        problems = check_case(case, findings)
        assert not problems, "\n".join(problems)


def test_every_boundary_has_both_sides() -> None:
    names = {p.stem for p in BOUNDARIES}
    releases = {name.rsplit("-", 1)[0] for name in names}
    assert releases >= {"1.16", "1.22", "1.25", "1.26", "1.27", "1.29", "1.32", "1.33", "1.34", "1.37"}
    assert all(f"{r}-before" in names and f"{r}-at" in names for r in releases)


def test_removals_named_by_the_issue_are_in_the_table() -> None:
    for api_version, kind, removed in [
        ("extensions/v1beta1", "Deployment", (1, 16)), ("apps/v1beta1", "StatefulSet", (1, 16)),
        ("apps/v1beta2", "DaemonSet", (1, 16)), ("policy/v1beta1", "PodSecurityPolicy", (1, 25)),
        ("policy/v1beta1", "PodDisruptionBudget", (1, 25)), ("batch/v1beta1", "CronJob", (1, 25)),
        ("autoscaling/v2beta1", "HorizontalPodAutoscaler", (1, 25)),
        ("autoscaling/v2beta2", "HorizontalPodAutoscaler", (1, 26)),
        ("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema", (1, 26)),
        ("flowcontrol.apiserver.k8s.io/v1beta3", "PriorityLevelConfiguration", (1, 32)),
        ("storage.k8s.io/v1beta1", "CSIStorageCapacity", (1, 27)), ("extensions/v1beta1", "Ingress", (1, 22)),
    ]:
        entry = lifecycle.lookup(api_version, kind)
        assert entry is not None and entry.removed == removed, (api_version, kind)


def test_table_is_consistent() -> None:
    for entry in lifecycle.entries():
        if entry.deprecated and entry.removed:
            assert entry.deprecated < entry.removed, entry
        for name, _since in entry.replacements:
            assert "/" in name or name.split()[0] == "v1", name
        if entry.removed and entry.kind != "PodSecurityPolicy":
            assert entry.replacement(entry.removed), f"{entry} names no replacement at its removal"


@pytest.mark.parametrize(("api_version", "kind", "release", "expected"), [
    ("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema", "1.26", "flowcontrol.apiserver.k8s.io/v1beta3"),
    ("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema", "1.34", "flowcontrol.apiserver.k8s.io/v1"),
    ("extensions/v1beta1", "Ingress", "1.16", "networking.k8s.io/v1beta1"),
    ("extensions/v1beta1", "Ingress", "1.22", "networking.k8s.io/v1"),
    ("autoscaling/v2beta1", "HorizontalPodAutoscaler", "1.22", "autoscaling/v2beta2"),
    ("v1", "Endpoints", "1.34", "discovery.k8s.io/v1 EndpointSlice"),
    ("storage.k8s.io/v1beta1", "VolumeAttributesClass", "1.33", "storage.k8s.io/v1 (served from Kubernetes 1.34)"),
])
def test_replacement_is_the_newest_served_by_the_target(api_version, kind, release, expected) -> None:
    entry = lifecycle.lookup(api_version, kind)
    assert entry is not None and entry.replacement(parse_release(release)) == expected


@pytest.mark.parametrize(("text", "expected"), [("1.34", (1, 34)), ("v1.25.3", (1, 25)), (" 1.9 ", (1, 9)),
                                                ("2", (2, 0))])
def test_parse_release(text: str, expected: tuple[int, int]) -> None:
    assert parse_release(text) == expected


@pytest.mark.parametrize("text", ["", "latest", "1.x"])
def test_parse_release_rejects_garbage(text: str) -> None:
    with pytest.raises(ValueError):
        parse_release(text)


def test_psp_names_the_pod_security_admission_labels(tmp_path: Path) -> None:
    path = tmp_path / "psp.yaml"
    path.write_text("apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata: {name: restricted}\n")
    (finding,) = lint(path)
    assert finding.rule_id == "ML803" and finding.severity.value == "error" and finding.checklist == ("WL-5",)
    assert "pod-security.kubernetes.io/enforce" in finding.message and "1.25" in finding.message
    (finding,) = lint(path, "1.23")
    assert finding.severity.value == "warning" and "removed in 1.25" in finding.message
    assert lint(path, "1.20") == []


CRONJOB = b"apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: report}\n"


def test_cli_kubernetes_version_sets_the_target() -> None:
    from conftest import run_cli

    old = run_cli("--no-config", "--select", "ML8", "--kubernetes-version", "1.24", "-", stdin=CRONJOB)
    assert old.returncode == 1 and "ML802" in old.stdout and "removed" not in old.stdout, old.stdout + old.stderr
    new = run_cli("--no-config", "--select", "ML8", "--kubernetes-version", "v1.25.4", "-", stdin=CRONJOB)
    assert "ML801" in new.stdout and "(target 1.25): use batch/v1" in new.stdout
    too_old = run_cli("--no-config", "--select", "ML8", "--kubernetes-version", "1.20", "-", stdin=CRONJOB)
    assert too_old.returncode == 0, too_old.stdout
    bad = run_cli("--no-config", "--kubernetes-version", "latest", "-", stdin=CRONJOB)
    assert bad.returncode == 2 and "--kubernetes-version" in bad.stderr and "Traceback" not in bad.stderr


def test_config_kubernetes_version_and_rule_option_precedence(tmp_path: Path) -> None:
    from conftest import run_cli

    (tmp_path / ".manifestlint.yaml").write_text('kubernetes-version: "1.23"\nselect: [ML801, ML802]\n')
    (tmp_path / "cron.yaml").write_bytes(CRONJOB)
    proc = run_cli("cron.yaml", cwd=tmp_path)
    assert "ML802" in proc.stdout and "target 1.23" in proc.stdout, proc.stdout + proc.stderr
    proc = run_cli("cron.yaml", "--kubernetes-version", "1.30", cwd=tmp_path)
    assert "ML801" in proc.stdout and "target 1.30" in proc.stdout
    (tmp_path / ".manifestlint.yaml").write_text('kubernetes-version: "1.23"\nselect: [ML801, ML802]\n'
                                                  'rules: {ML802: {kubernetes-version: "1.20"}, '
                                                  'ML801: {kubernetes-version: "1.29"}}\n')
    proc = run_cli("cron.yaml", cwd=tmp_path)
    assert "ML801" in proc.stdout and "ML802" not in proc.stdout, proc.stdout
    (tmp_path / ".manifestlint.yaml").write_text('kubernetes-version: "one"\n')
    proc = run_cli("cron.yaml", cwd=tmp_path)
    assert proc.returncode == 2 and "kubernetes-version" in proc.stderr
