"""ML604: ingress rules that admit every source, every namespace, or the whole Internet."""

from __future__ import annotations

from collections.abc import Iterator

from manifestlint.cluster.model import INGRESS, ClusterModel
from manifestlint.cluster.netpol import Peer, PolicyRule
from manifestlint.cluster.rules import ClusterRule, Finding
from manifestlint.positions import FieldPath
from manifestlint.rule import Context, Violation, define


@define(id="ML604", name="ingress-from-anywhere", title="Network policy admits every source or every namespace",
        severity="warning", checklist=["NS-4", "NS-6"], tags=["security"], security_severity="5.0")
class IngressFromAnywhere(ClusterRule):
    """
    ## What it does
    Flags allow rules of ingress policies that admit:

    - every source: a rule without `from` (or with an empty list), a Calico rule without `source`
      selectors or nets, a Cilium rule with only `toPorts`, or `fromEntities: [all]`;
    - every namespace: a peer with `namespaceSelector: {}`;
    - the whole Internet: an `ipBlock` (or Calico `nets`, Cilium `fromCIDR`/`fromCIDRSet`) of
      `0.0.0.0/0` or `::/0`, or Cilium's `world` entity.

    The finding is at the rule (or the peer) and says which ports it opens. Deny rules are not reported.

    ## Why is this bad?
    Such a rule undoes the isolation that the policy sets up: the selected pods again accept connections
    from every pod of every namespace (a compromised pod anywhere reaches them) or from anywhere on the
    network. Only the edge of the cluster, such as an ingress controller's public ports, needs that.

    ## How to fix
    Name the sources: a `podSelector` for pods of the same namespace, a `namespaceSelector` with
    `matchLabels` (for example `kubernetes.io/metadata.name: ingress-nginx`) plus a `podSelector` for
    pods elsewhere, and narrow `ipBlock` ranges for outside clients. Where a workload really faces the
    Internet, keep the rule to its public ports and suppress the finding with the reason.

    ## References
    - https://kubernetes.io/docs/concepts/services-networking/network-policies/#behavior-of-to-and-from-selectors
    - https://kubernetes.io/docs/concepts/services-networking/network-policies/#targeting-a-namespace-by-its-name
    """

    def check_model(self, model: ClusterModel, ctx: Context) -> Iterator[Finding]:
        for policy in model.policies:
            if not policy.ingress:
                continue
            for rule in policy.allow_rules(INGRESS):
                for path, what in _open_parts(rule):
                    yield policy.doc, Violation(
                        path, f"this ingress rule of {policy.label} admits {what} on {rule.describe_ports()}: name "
                              "the sources with podSelector/namespaceSelector matchLabels or narrow ipBlock ranges")


def _open_parts(rule: PolicyRule) -> Iterator[tuple[FieldPath, str]]:
    if rule.any_peer:
        yield rule.path, "every source (it has no `from` peers)"
        return
    for peer in rule.peers:
        what = _peer_openness(peer)
        if what:
            yield peer.path, what


def _peer_openness(peer: Peer) -> str | None:
    if peer.everything:
        return "every source"
    if peer.every_namespace:
        pods = peer.pods.describe() if peer.pods is not None else "every pod"
        return f"pods of every namespace ({'every pod' if pods == 'every pod' else 'pods with ' + pods})"
    if peer.block is not None and peer.block.is_everywhere:
        return f"the whole Internet ({peer.block.describe()})"
    if peer.entities & {"world", "world-ipv4", "world-ipv6"}:
        return "the whole Internet (entity world)"
    return None

