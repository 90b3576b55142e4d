"""ML601's fix is opt-in: without ``fix-append-policy`` its findings carry no fix, and it never appends a
second policy of the name it would use."""

from __future__ import annotations

from pathlib import Path

import yaml

from manifestlint import command

NAMESPACE = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n"
# A policy of the fix's name that admits everything: the namespace is still open, but appending another
# `default-deny-ingress` would duplicate the object.
ALLOW_ALL = """\
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Ingress]
  ingress:
    - {}
"""


def findings(tmp_path: Path, text: str, options: dict[str, object] | None) -> list:
    path = tmp_path / "ns.yaml"
    path.write_text(text, encoding="utf-8")
    config = None
    if options is not None:
        config = tmp_path / ".manifestlint.yaml"
        config.write_text(yaml.safe_dump({"rules": {"ML601": options}}), encoding="utf-8")
    outcome = command.check(command.Request(paths=[str(path)], config=config, no_config=config is None,
                                            select=["ML601"], root=tmp_path))
    return [f for f in outcome.report.findings if f.rule_id == "ML601"]


def test_no_fix_by_default(tmp_path: Path) -> None:
    found = findings(tmp_path, NAMESPACE, None)
    assert len(found) == 1 and found[0].fix is None


def test_fix_with_the_option(tmp_path: Path) -> None:
    found = findings(tmp_path, NAMESPACE, {"fix-append-policy": True})
    assert len(found) == 1 and found[0].fix is not None


def test_no_second_policy_of_the_same_name(tmp_path: Path) -> None:
    found = findings(tmp_path, NAMESPACE + ALLOW_ALL, {"fix-append-policy": True})
    assert len(found) == 1 and found[0].fix is None
