"""ML635 and ML636 (silent until a tenant label is configured): tenants sharing a namespace, and tenant
workloads not pinned to their node pool."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from manifestlint.cluster.model import ClusterModel
from manifestlint.cluster.objects import Workload, as_list
from manifestlint.cluster.rules import ClusterRule, Finding, quoted
from manifestlint.cluster.selectors import label_value
from manifestlint.rule import Context, Violation, define

TENANT_OPTION = {"tenant-label": {"type": "string", "default": "",
                                  "description": "The label that names a workload's tenant (empty: the rule is off)."}}


def tenant_of(workload: Workload, label: str) -> str | None:
    """The tenant of a workload: its pod label, else its own label."""
    if label in workload.labels:
        return workload.labels[label]
    own = workload.doc.metadata.get("labels")
    if isinstance(own, dict) and label in own:
        return label_value(own[label])
    return None


@define(id="ML635", name="tenants-share-namespace", title="Workloads of different tenants share a namespace",
        severity="warning", checklist=["WL-1"], tags=["security"], security_severity="4.0",
        options_schema={"type": "object", "additionalProperties": False, "properties": TENANT_OPTION})
class TenantsShareNamespace(ClusterRule):
    """
    ## What it does
    Silent until you name the tenant label (`rules: {ML635: {tenant-label: example.com/tenant}}`). Then
    flags the workloads whose tenant differs from the namespace's: the tenant label of the Namespace
    object when it has one, otherwise the tenant most workloads of the namespace carry. The finding is
    at the workload's tenant label.

    ## Why is this bad?
    The namespace is the unit of isolation in Kubernetes: RBAC, network policies, quotas and Pod
    Security Admission all apply per namespace. Two tenants in one namespace can read each other's
    Secrets, reach each other's pods and use each other's ServiceAccounts.

    ## How to fix
    Give each tenant its own namespace (or several), labelled with the tenant, and move the workload
    there.

    ## References
    - https://kubernetes.io/docs/concepts/security/multi-tenancy/
    - CIS Kubernetes Benchmark 5.6.1: Create administrative boundaries between resources using namespaces
    """

    def check_model(self, model: ClusterModel, ctx: Context) -> Iterator[Finding]:
        label = str(ctx.options.get("tenant-label") or "")
        if not label:
            return
        for namespace, workloads in sorted(model.workloads_by_namespace().items()):
            tenants = {id(w): tenant_of(w, label) for w in workloads}
            known = [t for t in tenants.values() if t is not None]
            if len(set(known)) < 2:
                continue
            owner = model.labels_of_namespace(namespace).get(label) or Counter(known).most_common(1)[0][0]
            for workload in workloads:
                tenant = tenants[id(workload)]
                if tenant is None or tenant == owner:
                    continue
                where = workload.labels_path if label in workload.labels else ("metadata", "labels")
                others = sorted(set(known) - {tenant})
                yield workload.doc, Violation(
                    (*where, label),
                    f"{workload.label} belongs to tenant {tenant!r} but {model.describe(namespace)} holds tenant "
                    f"{quoted(others)}: give each tenant its own namespace")


@define(id="ML636", name="tenant-not-on-node-pool", title="Tenant workload is not pinned to its node pool",
        severity="warning", checklist=["MS-6"], tags=["security"], security_severity="3.0",
        options_schema={"type": "object", "additionalProperties": False, "properties": {
            **TENANT_OPTION,
            "node-label": {"type": "string", "default": "",
                           "description": "The node label (and taint key) that marks a tenant's pool; default: the "
                                          "tenant label."},
            "require-toleration": {"type": "boolean", "default": True,
                                   "description": "Also require a toleration for the pool's taint."}}})
class TenantNotOnNodePool(ClusterRule):
    """
    ## What it does
    Silent until you name the tenant label (`rules: {ML636: {tenant-label: example.com/tenant}}`).
    Then flags each workload with that label whose pods do not select nodes by the pool label
    (`node-label`, by default the tenant label itself): neither `nodeSelector` nor a required node
    affinity term reads it. With `require-toleration` (default), the pods must also tolerate a taint
    with that key, or they could never run on a tainted pool. The finding is at the pod spec.

    ## Why is this bad?
    Containers share the node's kernel: a container escape, a noisy neighbour or a node-level
    credential leak crosses tenants unless each tenant's pods run on their own nodes. Pinning needs both
    halves: a selector keeps the tenant on its pool, a taint keeps the others off it.

    ## How to fix
    ```yaml
    spec:
      template:
        spec:
          nodeSelector:
            example.com/tenant: blue
          tolerations:
            - {key: example.com/tenant, operator: Equal, value: blue, effect: NoSchedule}
    ```

    and taint the pool's nodes with `example.com/tenant=blue:NoSchedule`.

    ## References
    - https://kubernetes.io/docs/concepts/security/multi-tenancy/#node-isolation
    - https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/
    """

    def check_model(self, model: ClusterModel, ctx: Context) -> Iterator[Finding]:
        label = str(ctx.options.get("tenant-label") or "")
        if not label:
            return
        node_label = str(ctx.options.get("node-label") or label)
        need_toleration = ctx.options.get("require-toleration", True)
        for workload in model.workloads:
            tenant = tenant_of(workload, label)
            if tenant is None:
                continue
            missing = []
            if not _selects_pool(workload.spec, node_label):
                missing.append(f"a nodeSelector or required node affinity on {node_label!r}")
            if need_toleration and not _tolerates(workload.spec, node_label):
                missing.append(f"a toleration for the {node_label!r} taint")
            if missing:
                yield workload.doc, Violation(
                    workload.spec_path,
                    f"{workload.label} belongs to tenant {tenant!r} but its pods lack {' and '.join(missing)}, so "
                    "they can run on other tenants' nodes: pin them to the tenant's node pool")


def _selects_pool(spec: dict[str, Any], key: str) -> bool:
    selector = spec.get("nodeSelector")
    if isinstance(selector, dict) and key in selector:
        return True
    terms: Any = spec.get("affinity")
    for step in ("nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"):
        terms = terms.get(step) if isinstance(terms, dict) else None
    if not isinstance(terms, list) or not terms:
        return False
    # Terms are ORed: every one of them must pin the pool.
    return all(isinstance(t, dict) and any(isinstance(e, dict) and e.get("key") == key
                                           and e.get("operator") in ("In", "Exists")
                                           for e in as_list(t.get("matchExpressions"))) for t in terms)


def _tolerates(spec: dict[str, Any], key: str) -> bool:
    tolerations = spec.get("tolerations")
    return isinstance(tolerations, list) and any(isinstance(t, dict) and t.get("key") == key for t in tolerations)
