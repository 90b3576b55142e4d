"""ML608: hostNetwork pods that network policies select, and do not protect."""

from __future__ import annotations

from collections.abc import Iterator

from manifestlint.cluster.model import EGRESS, INGRESS, ClusterModel
from manifestlint.cluster.rules import ClusterRule, Finding
from manifestlint.rule import Context, Violation, define


@define(id="ML608", name="host-network-pod-bypasses-policy", title="Network policy selects a hostNetwork pod",
        severity="warning", checklist=["NS-1", "NS-4"], tags=["security"], security_severity="5.0")
class HostNetworkPodBypassesPolicy(ClusterRule):
    """
    ## What it does
    Flags workloads with `hostNetwork: true` whose pods some network policy selects, at `hostNetwork`,
    naming the policies. Such pods use the node's network namespace, which NetworkPolicy does not
    govern (with most CNIs; Calico and Cilium host policies are separate objects). ML102 reports
    `hostNetwork` as a Pod Security Standards breach for every workload; this rule points out the
    policies that look as if they protected these pods.

    ## Why is this bad?
    The policy gives a false sense of safety: a default-deny egress policy does not keep a hostNetwork
    pod from the cloud metadata endpoint, the kubelet or any other node-local service, and ingress
    policies do not keep other pods away from it.

    ## How to fix
    Drop `hostNetwork` unless the workload is a node agent that needs it (CNI, node exporters). For
    those, protect the node with host firewall policies (Calico `HostEndpoint` policies, Cilium host
    policies) and accept that NetworkPolicy does not apply.

    ## References
    - https://kubernetes.io/docs/concepts/services-networking/network-policies/#what-you-can-t-do-with-network-policies-at-least-not-yet
    - https://docs.cilium.io/en/stable/security/host-firewall/
    """

    def check_model(self, model: ClusterModel, ctx: Context) -> Iterator[Finding]:
        for namespace, workloads in sorted(model.workloads_by_namespace().items()):
            hosted = [w for w in workloads if w.host_network]
            if not hosted:
                continue
            selecting: dict[int, list[str]] = {}
            for policy in model.policies_for(namespace):
                if policy.isolates(INGRESS) or policy.isolates(EGRESS):
                    for workload in model.selected_by(policy, namespace):
                        selecting.setdefault(id(workload), []).append(policy.label)
            for workload in hosted:
                names = selecting.get(id(workload))
                if names:
                    yield workload.doc, Violation(
                        (*workload.spec_path, "hostNetwork"),
                        f"{workload.label} runs with hostNetwork: true, so the network policies that select it "
                        f"({', '.join(names)}) do not apply to it: drop hostNetwork, or protect the node with host "
                        "firewall policies")
