"""The resource, image and probe rules (ML201-ML208) never crash on wrongly typed fields."""

from __future__ import annotations

from pathlib import Path

from manifestlint.testing import lint_paths

RULES = ["ML201", "ML202", "ML203", "ML204", "ML205", "ML206", "ML207", "ML208"]
ODD = """\
apiVersion: v1
kind: Pod
metadata: {name: odd, namespace: [x]}
spec:
  restartPolicy: {Never: true}
  initContainers:
    - {name: i, image: 5, restartPolicy: [Always], resources: [1, 2], readinessProbe: yes}
  containers:
    - name: a
      image: {repo: nginx}
      imagePullPolicy: [Always]
      resources: {limits: "1Gi", requests: {cpu: {x: 1}, memory: [1], 7: 1}}
      livenessProbe: "/healthz"
    - name: b
      image: "@sha256:abc"
      imagePullPolicy: yes
      resources: {limits: {cpu: .inf, memory: -1}}
    - just-a-string
    - null
  ephemeralContainers: {name: e}
---
apiVersion: v1
kind: LimitRange
metadata: {name: lr}
spec:
  limits: [{type: Container, default: [cpu]}, "x", {type: [Container], max: {cpu: 1}}, {type: Container, min: null}]
---
apiVersion: v1
kind: LimitRange
metadata: {name: lr2}
spec: {limits: {type: Container}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec: {template: {spec: {containers: {name: x}}}}
"""


def test_odd_shapes_do_not_crash_the_workload_rules(tmp_path: Path) -> None:
    target = tmp_path / "odd.yaml"
    target.write_text(ODD)
    report = lint_paths([target], RULES, rule_options={"ML205": {"allowed-registries": ["ghcr.io"]}})
    assert not [n.message for n in report.notifications if n.kind == "rule-crash"]
    assert {f.rule_id for f in report.findings} >= {"ML201", "ML202", "ML206"}
