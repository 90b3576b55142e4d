"""ML603: workloads whose pods no ingress policy selects, in namespaces that do use ingress policies."""

from __future__ import annotations

from collections.abc import Iterator

from manifestlint.cluster.model import INGRESS, ClusterModel
from manifestlint.cluster.rules import ClusterRule, Finding
from manifestlint.rule import Context, Violation, define


@define(id="ML603", name="pod-not-selected-by-ingress-policy", title="Pods that no ingress network policy selects",
        severity="warning", checklist=["NS-4", "NS-6"], tags=["security", "cis:5.3.2"], security_severity="5.0")
class PodNotSelectedByIngressPolicy(ClusterRule):
    """
    ## What it does
    In each namespace where some network policy isolates pods for ingress, flags the workloads whose
    pods no such policy selects, at their pod template's labels. Selection is evaluated exactly:
    `matchLabels` and `matchExpressions` (In, NotIn, Exists, DoesNotExist) for Kubernetes and Cilium
    policies, Calico selector expressions for Calico ones, and cluster-wide policies (Calico
    `GlobalNetworkPolicy`, `CiliumClusterwideNetworkPolicy`) with their namespace selectors. Pods that
    run with `hostNetwork` are left to ML608.

    A namespace with no ingress policy at all is ML601's finding, once, at its Namespace object; this
    rule reports the gaps of a namespace that is only partly covered, wherever its Namespace object is.

    ## Why is this bad?
    A pod that no ingress policy selects is not isolated: every other pod of the cluster can connect to
    it on every port. Policies written per workload tend to miss the workload added later, or the one
    whose labels changed.

    ## How to fix
    Add a default-deny ingress policy to the namespace (see ML601), or a policy whose `podSelector`
    matches the workload's pod labels. Check the labels: a typo in a selector leaves pods open.

    ## References
    - https://kubernetes.io/docs/concepts/services-networking/network-policies/#isolated-and-non-isolated-pods
    - https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
    """

    def check_model(self, model: ClusterModel, ctx: Context) -> Iterator[Finding]:
        for namespace, workloads in sorted(model.workloads_by_namespace().items()):
            if not any(p.isolates(INGRESS) for p in model.policies_for(namespace)):
                continue
            isolated = model.isolated_workloads(namespace, INGRESS)
            for workload in workloads:
                if id(workload) in isolated or workload.host_network:
                    continue
                shown = ", ".join(f"{k}={v}" for k, v in sorted(workload.labels.items())) or "none"
                where = model.describe(namespace)
                yield workload.doc, Violation(
                    workload.labels_path,
                    f"no network policy with Ingress in {where} selects the pods of {workload.label} (labels: "
                    f"{shown}), so they accept connections from anywhere: add a default-deny ingress policy to the "
                    "namespace or a policy whose podSelector matches these labels")
