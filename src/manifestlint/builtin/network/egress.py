"""ML605, ML606 and ML607: egress rules that reach internal networks, the Internet, or the metadata endpoint."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from manifestlint.cluster.cidr import METADATA_ENDPOINTS, PRIVATE_RANGES, Network, covered, networks, outside
from manifestlint.cluster.model import EGRESS, ClusterModel
from manifestlint.cluster.netpol import Peer, Policy, PolicyRule
from manifestlint.cluster.rules import ClusterRule, Finding
from manifestlint.rule import Context, Violation, define

# Addresses that are neither the Internet nor a network anyone routes to: loopback, "this network",
# multicast, reserved, documentation and benchmarking ranges.
NOT_INTERNET = ("0.0.0.0/8", "127.0.0.0/8", "224.0.0.0/4", "240.0.0.0/4", "192.0.2.0/24", "198.18.0.0/15",
                "198.51.100.0/24", "203.0.113.0/24", "::1/128", "::/128", "ff00::/8", "2001:db8::/32")
CIDR_LIST = {"type": "array", "items": {"type": "string"}}


def egress_rules(model: ClusterModel) -> Iterator[tuple[Policy, PolicyRule]]:
    for policy in model.policies:
        if policy.egress:
            for rule in policy.allow_rules(EGRESS):
                yield policy, rule


def what(peer: Peer) -> str:
    if peer.block is not None:
        return f"ipBlock {peer.block.describe()}"
    if peer.entities:
        return f"the entities {', '.join(sorted(peer.entities))}"
    return "a rule without `to` peers (every destination)"


@define(id="ML605", name="egress-to-internal-networks", title="Egress rule reaches whole internal networks",
        severity="warning", checklist=["NS-5"], tags=["security"], security_severity="5.0",
        options_schema={"type": "object", "additionalProperties": False, "properties": {
            "internal-cidrs": {**CIDR_LIST, "default": list(PRIVATE_RANGES),
                               "description": "Ranges that a rule must not open whole (default: RFC 1918, CGNAT, "
                                              "link-local, IPv6 unique-local and link-local)."},
            "cluster-cidrs": {**CIDR_LIST, "default": [],
                              "description": "The cluster's pod, service and node CIDRs: any overlap is reported."}}})
class EgressToInternalNetworks(ClusterRule):
    """
    ## What it does
    Flags egress allow rules whose destinations open a whole internal network: an `ipBlock` (or Calico
    `nets`, Cilium `toCIDR`/`toCIDRSet`, entities `world`/`all`, or a rule without `to`) that contains all
    of one of the `internal-cidrs` (private ranges by default) after its `except` entries are taken out,
    or that reaches any address of the `cluster-cidrs` you configure (pod, service and node ranges).
    CIDR arithmetic is exact (Python's `ipaddress`), per address family. A narrow block inside a
    private range (a database subnet) is not reported; rules that only open port 53 are left alone.

    ## Why is this bad?
    `0.0.0.0/0` without `except` entries is not "the Internet": it includes the pod network, the node
    subnet, the VPC and whatever is peered to it. A compromised pod can then reach databases, node
    ports and internal admin interfaces that the policy author meant to keep out of reach.

    ## How to fix
    Except the internal ranges from wide blocks, and open internal destinations one by one:

    ```yaml
    egress:
      - to:
          - ipBlock:
              cidr: 0.0.0.0/0
              except: [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 169.254.0.0/16, 100.64.0.0/10]
    ```

    Configure your cluster's ranges with `rules: {ML605: {cluster-cidrs: [10.244.0.0/16, 10.96.0.0/12]}}`.

    ## References
    - https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource
    - https://datatracker.ietf.org/doc/html/rfc1918
    """

    def check_model(self, model: ClusterModel, ctx: Context) -> Iterator[Finding]:
        internal = tuple(networks(ctx.options.get("internal-cidrs", PRIVATE_RANGES)))
        cluster = networks(ctx.options.get("cluster-cidrs", []))
        for policy, rule in egress_rules(model):
            if rule.only_dns:
                continue
            for peer, blocks in rule.blocks():
                opened = [str(n) for n in covered(tuple(blocks), internal)]
                opened += [f"{n} (a cluster range)" for n in cluster if any(b.reaches(n) for b in blocks)]
                if opened:
                    yield policy.doc, Violation(
                        peer.path,
                        f"this egress rule of {policy.label} opens {what(peer)} on {rule.describe_ports()}, "
                        f"which includes the internal networks {', '.join(opened)}: add them to `except` or name "
                        "the internal destinations one by one")


@define(id="ML606", name="egress-to-internet", title="Egress rule reaches the Internet", severity="note",
        checklist=["NS-5"], tags=["security"], security_severity="3.0")
class EgressToInternet(ClusterRule):
    """
    ## What it does
    Flags egress allow rules that reach public Internet addresses: what is left of the rule's
    destinations after taking out private, link-local, loopback, multicast and documentation ranges.
    A rule without `to` peers, `0.0.0.0/0` or `::/0` with or without `except` entries, and Cilium's `world`
    entity all count. Rules that only open port 53 (DNS) are left alone. This is a note: many workloads
    call external APIs; the point is to know which, and to keep the list short.

    ## Why is this bad?
    Outbound Internet access is what turns a compromised pod into an exfiltration channel or a
    command-and-control client, and what lets it download tools. The checklist asks to prevent it by
    default and allow it where needed.

    ## How to fix
    Allow only the destinations the workload needs: narrow CIDR blocks, or FQDN rules where the CNI has
    them (Cilium `toFQDNs`, Calico `domains`), or route egress through a proxy and allow only the
    proxy. Suppress the note with a reason where broad access is intended.

    ## References
    - https://kubernetes.io/docs/concepts/services-networking/network-policies/
    - https://docs.cilium.io/en/stable/security/policy/language/#dns-based
    """

    def check_model(self, model: ClusterModel, ctx: Context) -> Iterator[Finding]:
        private = tuple(networks([*PRIVATE_RANGES, *NOT_INTERNET]))
        for policy, rule in egress_rules(model):
            if rule.only_dns:
                continue
            for peer, blocks in rule.blocks():
                if outside(tuple(blocks), private):
                    yield policy.doc, Violation(
                        peer.path,
                        f"this egress rule of {policy.label} lets its pods reach the Internet ({what(peer)}) "
                        f"on {rule.describe_ports()}: allow only the destinations they need")


@define(id="ML607", name="egress-to-metadata-endpoint", title="Egress rule reaches the cloud metadata endpoint",
        severity="error", checklist=["NS-1"], tags=["security"], security_severity="8.0",
        options_schema={"type": "object", "additionalProperties": False, "properties": {
            "endpoints": {**CIDR_LIST, "default": list(METADATA_ENDPOINTS),
                          "description": "Metadata addresses (AWS, GCP and Azure use 169.254.169.254; AWS IPv6 "
                                         "fd00:ec2::254; add others, e.g. 100.100.100.200 on Alibaba Cloud)."}}})
class EgressToMetadataEndpoint(ClusterRule):
    """
    ## What it does
    Flags egress allow rules through which the selected pods can reach a cloud metadata endpoint
    (`169.254.169.254/32` and `fd00:ec2::254/128` by default) on port 80/TCP: an `ipBlock` (or Calico
    `nets`, Cilium `toCIDR`/`toCIDRSet`, entities `world`/`all`, or a rule without `to`) that contains the
    address after its `except` entries are taken out, with ports that include 80/TCP. An `except` that
    covers the address exactly (`169.254.169.254/32`) or a wider range (`169.254.0.0/16`) closes it.
    A Calico `Deny` rule or a Cilium `egressDeny` rule for the address in a policy that applies to every
    pod of the namespace (or cluster-wide) also closes it, as does an earlier `Deny` rule of the same
    Calico policy. Pods that no egress policy selects reach it too: that is ML602's finding.

    ## Why is this bad?
    The metadata endpoint hands out the node's cloud credentials (the instance role) to anyone who asks
    from the node's network, which includes pods. A single SSRF or compromised pod becomes access to
    the cloud account with the node's permissions.

    ## How to fix
    Except the metadata addresses from wide egress blocks:

    ```yaml
    egress:
      - to:
          - ipBlock:
              cidr: 0.0.0.0/0
              except: [169.254.169.254/32]
          - ipBlock:
              cidr: ::/0
              except: ["fd00:ec2::254/128"]
    ```

    Also require IMDSv2 with a hop limit of 1 on AWS, or use GKE Workload Identity / the metadata
    concealment of your provider, and give pods their own cloud identity (IRSA, Workload Identity).

    ## References
    - https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#restrict-access-to-the-instance-profile-assigned-to-the-worker-node
    - https://cloud.google.com/kubernetes-engine/docs/how-to/protecting-cluster-metadata
    - https://kubernetes.io/docs/concepts/services-networking/network-policies/
    """

    def check_model(self, model: ClusterModel, ctx: Context) -> Iterator[Finding]:
        endpoints = networks(ctx.options.get("endpoints", METADATA_ENDPOINTS))
        for policy, rule in egress_rules(model):
            if not rule.admits_port(80, "TCP"):
                continue
            blocked = _denied(model, policy, rule, endpoints)
            for peer, blocks in rule.blocks():
                reached = [e for e in endpoints if e not in blocked and any(b.reaches(e) for b in blocks)]
                if reached:
                    shown = ", ".join(str(e.network_address) for e in reached)
                    fix = (f"add {', '.join(map(str, reached))} to the block's `except` list" if peer.block else
                           f"replace it with ipBlocks whose `except` lists hold {', '.join(map(str, reached))}")
                    yield policy.doc, Violation(
                        peer.path,
                        f"this egress rule of {policy.label} lets its pods reach the cloud metadata endpoint "
                        f"{shown} ({what(peer)}): {fix}")


def _denied(model: ClusterModel, policy: Policy, rule: PolicyRule, endpoints: Sequence[Network]) -> set[Network]:
    """The endpoints that a deny rule closes before ``rule`` can open them."""
    closed: set[Network] = set()
    rules = policy.egress_rules
    for earlier in rules[:rules.index(rule)]:
        if earlier.action == "Deny":
            closed |= _covered(earlier, endpoints)
    namespaces = [policy.namespace] if policy.namespace is not None else [""]
    for namespace in namespaces:
        for other in model.policies_for(namespace):
            if other is policy or not other.egress or not other.selects_every_pod(namespace):
                continue
            for deny in other.egress_rules:
                if deny.action == "Deny":
                    closed |= _covered(deny, endpoints)
    return closed


def _covered(rule: PolicyRule, endpoints: Sequence[Network]) -> set[Network]:
    if not rule.admits_port(80, "TCP"):
        return set()
    return {e for e in endpoints for _, blocks in rule.blocks() if any(b.covers(e) for b in blocks)}
