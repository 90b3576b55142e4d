"""Quantities and the `require` option of the resource rules (WL-3, RA-4) that fixtures cannot vary."""

from __future__ import annotations

from pathlib import Path

import pytest

from manifestlint.builtin.resources.common import quantity_state
from manifestlint.testing import lint_paths


@pytest.mark.parametrize(("value", "state"), [
    (None, "absent"), ("", "absent"), ("  ", "absent"), (True, "absent"), ({}, "absent"), ([], "absent"),
    (0, "zero"), (0.0, "zero"), ("0", "zero"), ("0m", "zero"), ("0Mi", "zero"), ("0.0", "zero"), ("0e3", "zero"),
    (1, "set"), (0.5, "set"), ("500m", "set"), ("1.5Gi", "set"), ("1e9", "set"), ("128974848", "set"),
    ("lots", "set"),
])
def test_quantity_state(value: object, state: str) -> None:
    assert quantity_state(value) == state


MANIFEST = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    spec:
      containers:
        - name: a
          image: acme/a:1.0
          resources:
            limits: {memory: 1Gi}
        - name: b
          image: acme/b:1.0
"""


def _findings(tmp_path: Path, rule: str, options: dict[str, object] | None = None) -> list[tuple[int, str]]:
    target = tmp_path / "deploy.yaml"
    target.write_text(MANIFEST)
    report = lint_paths([target], [rule], rule_options={rule: options} if options is not None else None)
    return [(f.line, f.message) for f in report.findings if f.rule_id == rule]


def test_require_option_lets_teams_run_without_cpu_limits(tmp_path: Path) -> None:
    assert [line for line, _ in _findings(tmp_path, "ML201")] == [11, 12]
    found = _findings(tmp_path, "ML201", {"require": ["memory"]})
    assert found == [(12, "container 'b' has no memory limit: set resources.limits.memory")]


def test_require_option_can_add_resources(tmp_path: Path) -> None:
    found = _findings(tmp_path, "ML202", {"require": ["memory", "ephemeral-storage"]})
    assert found == [
        (10, "container 'a' has no ephemeral-storage request: set resources.requests.ephemeral-storage"),
        (12, "container 'b' has no memory or ephemeral-storage request: set resources.requests.memory and "
             "resources.requests.ephemeral-storage"),
    ]
