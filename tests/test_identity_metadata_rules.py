"""Behaviour of the identity (ML3xx) and metadata (ML4xx) rules that one fixture file cannot show:
option defaults, option validation, whole-input matching across files, and secret values never echoed."""

from __future__ import annotations

import base64
import contextlib
from pathlib import Path
from typing import Any

import pytest

from manifestlint.config import ConfigError, Settings
from manifestlint.model import Finding
from manifestlint.runner import load_catalogue, prepare
from manifestlint.testing import lint_paths

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "rules"
CATALOGUE = load_catalogue(Settings())


def lint(paths: list[Path], rule: str, root: Path, options: dict[str, Any] | None = None,
         jobs: int | None = None) -> list[Finding]:
    report = lint_paths(paths, [rule], root=root, rule_options={rule: options} if options else None, jobs=jobs,
                        catalogue=CATALOGUE)
    return [f for f in report.findings if f.rule_id == rule]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
{extra}spec:
  containers:
    - {{name: app, image: "nginx:1.27"}}
"""


def test_missing_namespace_is_not_reported_by_default(tmp_path: Path) -> None:
    bare = write(tmp_path, "bare.yaml", POD.format(extra=""))
    assert lint([bare], "ML403", tmp_path) == []
    assert len(lint([bare], "ML403", tmp_path, {"report-missing-namespace": True})) == 1
    in_default = write(tmp_path, "default.yaml", POD.format(extra="  namespace: default\n"))
    assert len(lint([in_default], "ML403", tmp_path)) == 1


def test_default_required_labels_accept_either_name_label(tmp_path: Path) -> None:
    labelled = write(tmp_path, "app.yaml", POD.format(extra="  labels: {app: web}\n"))
    assert lint([labelled], "ML401", tmp_path) == []
    bare = write(tmp_path, "bare.yaml", POD.format(extra=""))
    [finding] = lint([bare], "ML401", tmp_path)
    assert "'app.kubernetes.io/name' (or 'app')" in finding.message


@pytest.mark.parametrize("rule, options", [
    ("ML401", {"required-labels": [[]]}),
    ("ML401", {"required-labels": "app"}),
    ("ML403", {"report-missing-namespace": "yes"}),
    ("ML403", {"report-missing": True}),
])
def test_bad_options_are_config_errors(rule: str, options: dict[str, Any]) -> None:
    with pytest.raises(ConfigError, match=rule):
        prepare(Settings(select=[rule], rule_options={rule: options}), CATALOGUE)


SERVICE_ACCOUNT = """\
apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
  namespace: shop
automountServiceAccountToken: false
"""


@pytest.mark.parametrize("jobs", [1, 2])
def test_service_account_in_another_file_counts(tmp_path: Path, jobs: int) -> None:
    account = write(tmp_path, "sa.yaml", SERVICE_ACCOUNT)
    pod = write(tmp_path, "pod.yaml", POD.format(extra="  namespace: shop\n").replace(
        "spec:\n", "spec:\n  serviceAccountName: web\n"))
    assert len(lint([pod], "ML301", tmp_path, jobs=jobs)) == 1
    assert lint([account, pod], "ML301", tmp_path, jobs=jobs) == []


def _reported_values(text: str) -> list[str]:
    """The value on every line that carries an `# expect:` marker, and its base64 decoding when it has one."""
    values = []
    for line in text.splitlines():
        content, marker, _ = line.partition("# expect:")
        value = content.partition(": ")[2].strip().strip('"')
        if marker and value and value not in ("|", ">"):
            values.append(value)
            with contextlib.suppress(ValueError):
                values.append(base64.b64decode(value, validate=True).decode())
    # A bare lower-case word ("password") may appear in any English message: only distinctive values count.
    return [v for v in values if not v.isalpha()]


@pytest.mark.parametrize("rule", ["ML303", "ML304"])
def test_secret_values_are_never_echoed(tmp_path: Path, rule: str) -> None:
    fails = sorted((FIXTURES / rule / "fail").glob("*.yaml"))
    findings = lint(fails, rule, FIXTURES / rule)
    assert findings
    secrets = [v for path in fails for v in _reported_values(path.read_text())]
    assert len(secrets) >= 5
    for finding in findings:
        leaked = [v for v in secrets if v in finding.message]
        assert not leaked, f"{finding.rule_id} echoes {leaked} in {finding.message!r}"
