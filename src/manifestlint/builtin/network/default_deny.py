"""ML601 and ML602: namespaces without a default-deny ingress or egress policy."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from manifestlint.cluster.model import EGRESS, INGRESS, ClusterModel
from manifestlint.cluster.objects import NamespaceInfo
from manifestlint.cluster.rules import ClusterRule, Finding, at_namespace
from manifestlint.fix.edits import AppendDocument, Fix
from manifestlint.rule import Context, define

POLICY_NAME = "default-deny-ingress"
INGRESS_OPTIONS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "fix-append-policy": {
            "description": "Let --fix append a default-deny ingress NetworkPolicy to the file that declares the "
                           "Namespace. Off by default: the policy blocks every connection into the namespace "
                           "that no other policy allows.",
            "type": "boolean",
            "default": False,
        },
    },
}


def missing_default_deny(model: ClusterModel, direction: str, consequence: str) -> Iterator[Finding]:
    """A finding at each judged namespace that no policy isolates for every pod in ``direction``."""
    for info in model.judged_namespaces():
        if any(model.isolating(info.name, direction)):
            continue
        yield from at_namespace(
            model, info,
            f"namespace {info.name!r} has no default-deny {direction.lower()} policy, so {consequence}: add a "
            f"NetworkPolicy in {info.name!r} with `podSelector: {{}}`, `policyTypes: [{direction}]` and no "
            f"{direction.lower()} rules (see the rule's docs for the YAML)")


@define(id="ML601", name="namespace-without-default-deny-ingress", title="Namespace has no default-deny ingress policy",
        severity="warning", checklist=["WL-2", "NS-6", "NS-4"], tags=["security", "cis:5.3.2"],
        security_severity="6.0", options_schema=INGRESS_OPTIONS, fixable=True,
        fix_note="appends a `default-deny-ingress` NetworkPolicy document to the file that declares the Namespace, "
                 "only with the rule option `fix-append-policy: true`: off by default, since the policy changes "
                 "traffic (once applied, the namespace's pods accept only what other policies allow, so add "
                 "those first)")
class NamespaceWithoutDefaultDenyIngress(ClusterRule):
    """
    ## What it does
    Flags each namespace in which no network policy isolates every pod for ingress: a Kubernetes
    NetworkPolicy with an empty `podSelector` and `Ingress` in its `policyTypes`, or the Calico
    (`NetworkPolicy`/`GlobalNetworkPolicy` with `selector: all()`) or Cilium
    (`CiliumNetworkPolicy`/`CiliumClusterwideNetworkPolicy` with an empty `endpointSelector` and an
    `ingress` section, `- {}` included) equivalent. A policy that selects every pod and then admits every
    source on every port does not count. The finding is on the Namespace object.

    By default only namespaces whose Namespace object is in the input are judged, so that linting one
    application folder does not report policies kept elsewhere; with `--scope cluster` every namespace
    that an object uses is judged, at the first object that uses it when it has no Namespace object.

    ## Why is this bad?
    A pod that no ingress policy selects accepts connections from every pod of the cluster and from
    anything that can route to it. A default-deny policy turns that around: nothing gets in until a
    policy says so, which is the only way new workloads start isolated.

    ## How to fix
    Add this policy to the namespace, then allow what each workload needs with further policies:

    ```yaml
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata:
      name: default-deny-ingress
      namespace: my-namespace
    spec:
      podSelector: {}
      policyTypes: [Ingress]
    ```

    ## References
    - https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-ingress-traffic
    - https://docs.tigera.io/calico/latest/network-policy/get-started/kubernetes-default-deny
    - https://docs.cilium.io/en/stable/security/policy/language/
    - CIS Kubernetes Benchmark 5.3.2: Ensure that all Namespaces have Network Policies defined
    """

    def check_model(self, model: ClusterModel, ctx: Context) -> Iterator[Finding]:
        findings = missing_default_deny(model, INGRESS, "every pod in it accepts connections from anywhere")
        if not ctx.options.get("fix-append-policy"):
            return findings
        return self._with_fixes(model, findings)

    @staticmethod
    def _with_fixes(model: ClusterModel, findings: Iterator[Finding]) -> Iterator[Finding]:
        for doc, violation in findings:
            info = model.namespaces.get(doc.name or "") if doc.kind == "Namespace" else None
            if info is not None and info.doc is doc and not _policy_named(model, info, POLICY_NAME):
                violation = dataclasses.replace(violation, fix=Fix(
                    f"append NetworkPolicy {POLICY_NAME!r} for namespace {info.name!r}",
                    (AppendDocument(_default_deny_ingress(info.name)),)))
            yield doc, violation


def _policy_named(model: ClusterModel, info: NamespaceInfo, name: str) -> bool:
    """Whether the namespace already has a policy of that name (appending one would duplicate it)."""
    return any(policy.doc.kind == "NetworkPolicy" and policy.namespace == info.name and policy.doc.name == name
               for policy in model.policies_for(info.name))


def _default_deny_ingress(namespace: str) -> dict[str, Any]:
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": POLICY_NAME, "namespace": namespace},
        "spec": {"podSelector": {}, "policyTypes": ["Ingress"]},
    }


@define(id="ML602", name="namespace-without-default-deny-egress", title="Namespace has no default-deny egress policy",
        severity="warning", checklist=["NS-5", "NS-1"], tags=["security"], security_severity="5.0")
class NamespaceWithoutDefaultDenyEgress(ClusterRule):
    """
    ## What it does
    Flags each namespace in which no network policy isolates every pod for egress: a Kubernetes
    NetworkPolicy with an empty `podSelector` and `Egress` in its `policyTypes`, or the Calico or
    Cilium equivalent (see ML601). A policy that selects every pod and then admits every destination on
    every port does not count. The finding is on the Namespace object; the scope works as for ML601.

    ## Why is this bad?
    Without egress isolation every pod can connect anywhere: to the Internet, to every other pod and
    node, and to the cloud provider's metadata endpoint (169.254.169.254), which hands out the node's
    cloud credentials. A compromised pod then exfiltrates data and moves sideways unhindered.

    ## How to fix
    Add a default-deny egress policy that still allows DNS, then allow what each workload needs:

    ```yaml
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata:
      name: default-deny-egress
      namespace: my-namespace
    spec:
      podSelector: {}
      policyTypes: [Egress]
      egress:
        - to:
            - namespaceSelector:
                matchLabels:
                  kubernetes.io/metadata.name: kube-system
              podSelector:
                matchLabels:
                  k8s-app: kube-dns
          ports:
            - {port: 53, protocol: UDP}
            - {port: 53, protocol: TCP}
    ```

    ## References
    - https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-egress-traffic
    - https://docs.aws.amazon.com/eks/latest/best-practices/network-security.html
    """

    def check_model(self, model: ClusterModel, ctx: Context) -> Iterator[Finding]:
        return missing_default_deny(model, EGRESS, "every pod in it can connect anywhere, the cloud metadata "
                                                   "endpoint included")
