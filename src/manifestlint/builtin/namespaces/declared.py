"""ML630 (scope cluster): namespaces that objects use but no Namespace object declares."""

from __future__ import annotations

from collections.abc import Iterator

from manifestlint.cluster.model import CLUSTER, SYSTEM_NAMESPACES, ClusterModel
from manifestlint.cluster.rules import ClusterRule, Finding
from manifestlint.rule import Context, Violation, define


@define(id="ML630", name="namespace-not-declared", title="Namespace used but not declared", severity="warning",
        checklist=["WL-1"])
class NamespaceNotDeclared(ClusterRule):
    """
    ## What it does
    With `--scope cluster` only (the input describes the whole cluster): flags each namespace that
    objects use (`metadata.namespace`, or `default` for namespaced objects that name none) but that no
    Namespace object declares, at the first object that uses it. `default`, `kube-system`,
    `kube-public` and `kube-node-lease` exist in every cluster and are not reported.

    ## Why is this bad?
    A namespace that is created implicitly (by `kubectl create namespace` in a script, or by a tool's
    `--create-namespace`) has none of the settings that make it a boundary: no Pod Security Admission
    labels, no default-deny policies, no quota. The other namespace-level rules cannot judge what is
    not described.

    ## How to fix
    Declare it, with its labels:

    ```yaml
    apiVersion: v1
    kind: Namespace
    metadata:
      name: my-namespace
      labels:
        pod-security.kubernetes.io/enforce: restricted
    ```

    ## References
    - https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/
    - https://kubernetes.io/docs/concepts/security/pod-security-admission/
    """

    def check_model(self, model: ClusterModel, ctx: Context) -> Iterator[Finding]:
        if model.scope != CLUSTER:
            return
        for info in model.namespaces.values():
            if info.declared or info.name in SYSTEM_NAMESPACES:
                continue
            doc = model.first_use.get(info.name)
            if doc is not None:
                yield doc, Violation(("metadata", "namespace") if doc.namespace else ("metadata",),
                                     f"namespace {info.name!r} is used here but no Namespace object declares it: add "
                                     "one, with its Pod Security Admission labels")
