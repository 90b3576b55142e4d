"""ML610: kube-system open to ingress beyond kube-dns on port 53."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from manifestlint.cluster.model import INGRESS, ClusterModel
from manifestlint.cluster.netpol import Policy, PolicyRule
from manifestlint.cluster.rules import ClusterRule, Finding, at_namespace
from manifestlint.cluster.selectors import LabelSelector, label_value
from manifestlint.rule import Context, Violation, define

KUBE_SYSTEM = "kube-system"


@define(id="ML610", name="kube-system-ingress-open", title="kube-system admits traffic beyond kube-dns on port 53",
        severity="warning", checklist=["NS-7"], tags=["security"], security_severity="6.0",
        options_schema={"type": "object", "additionalProperties": False, "properties": {
            "dns-labels": {"type": "object", "additionalProperties": {"type": "string"},
                           "default": {"k8s-app": "kube-dns"},
                           "description": "The labels of the DNS pods that may receive traffic."},
            "dns-ports": {"type": "array", "items": {"type": ["integer", "string"]},
                          "default": [53, "dns", "dns-tcp"],
                          "description": "Ports (numbers or names) the DNS pods may receive traffic on."}}})
class KubeSystemIngressOpen(ClusterRule):
    """
    ## What it does
    Judges the `kube-system` namespace (when its Namespace object is in the input, or with
    `--scope cluster`):

    - it must have a default-deny ingress policy (see ML601); the finding is on the Namespace object;
    - every ingress allow rule of a policy that applies there (its own policies, and cluster-wide Calico
      or Cilium policies that reach it) must target only the DNS pods (`k8s-app: kube-dns`, option
      `dns-labels`): the policy's pod selector must require those labels;
    - and open only the DNS ports (53, or the port names `dns` and `dns-tcp`, option `dns-ports`), with
      a protocol of UDP or TCP; a rule without `ports` opens every port.

    ## Why is this bad?
    kube-system runs the cluster's most privileged pods: the CNI and CSI agents, the cloud controllers,
    metrics-server, sometimes the control plane itself. Their endpoints hold credentials that reach
    every node. Only cluster DNS needs to accept traffic from workloads.

    ## How to fix
    ```yaml
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: default-deny-ingress, namespace: kube-system}
    spec:
      podSelector: {}
      policyTypes: [Ingress]
    ---
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: allow-dns, namespace: kube-system}
    spec:
      podSelector:
        matchLabels: {k8s-app: kube-dns}
      policyTypes: [Ingress]
      ingress:
        - ports:
            - {port: 53, protocol: UDP}
            - {port: 53, protocol: TCP}
    ```

    Components that must be reached (metrics-server from the API server, webhooks) need their own
    narrow policies; suppress the finding on those with the reason.

    ## References
    - https://kubernetes.io/docs/concepts/services-networking/network-policies/
    - https://kubernetes.io/docs/tasks/administer-cluster/dns-custom-nameservers/
    """

    def check_model(self, model: ClusterModel, ctx: Context) -> Iterator[Finding]:
        info = next((i for i in model.judged_namespaces() if i.name == KUBE_SYSTEM), None)
        if info is None:
            return
        labels = {str(k): label_value(v) for k, v in ctx.options.get("dns-labels", {"k8s-app": "kube-dns"}).items()}
        ports = list(ctx.options.get("dns-ports", [53, "dns", "dns-tcp"]))
        if not any(model.isolating(KUBE_SYSTEM, INGRESS)):
            yield from at_namespace(model, info, "kube-system has no default-deny ingress policy, so every pod in it "
                                                 "accepts connections from anywhere: add a NetworkPolicy with "
                                                 "`podSelector: {}` and `policyTypes: [Ingress]`, then allow only "
                                                 "kube-dns on port 53")
        for policy in model.policies_for(KUBE_SYSTEM):
            if not policy.ingress:
                continue
            for rule in policy.allow_rules(INGRESS):
                problem = _problem(policy, rule, labels, ports)
                if problem:
                    yield policy.doc, Violation(rule.path, f"{policy.label} {problem}: in kube-system allow only the "
                                                           "DNS pods on port 53 (UDP and TCP)")


def _pins(selector: object, labels: dict[str, str]) -> bool:
    """Whether the selector only matches pods that carry every one of ``labels``."""
    if not isinstance(selector, LabelSelector):
        return False
    for key, value in labels.items():
        allowed = selector.allowed_values(key)
        if not allowed or not allowed <= {value}:
            return False
    return True


def _problem(policy: Policy, rule: PolicyRule, labels: dict[str, str], ports: list[Any]) -> str | None:
    selector = policy.selector
    if not _pins(selector, labels):
        shown = selector.describe() if selector is not None else "an unknown selector"
        return f"admits ingress to pods other than the DNS pods (its selector is {shown})"
    if rule.every_port:
        return "admits ingress to the DNS pods on every port"
    bad = [p.describe() for p in rule.ports
           if p.port not in ports or p.end_port not in (None, p.port) or p.protocol not in ("UDP", "TCP")]
    if bad:
        return f"admits ingress to the DNS pods on {', '.join(bad)}"
    return None
