"""Network policies of every flavour in one shape: who they select, which directions they isolate,
and what each rule lets through.

Kinds read: ``networking.k8s.io`` NetworkPolicy; Calico ``NetworkPolicy`` and ``GlobalNetworkPolicy``
(``projectcalico.org/v3`` and ``crd.projectcalico.org/v1``); Cilium ``CiliumNetworkPolicy`` and
``CiliumClusterwideNetworkPolicy``.

Semantics kept from each API:

- Kubernetes: ``policyTypes`` defaults to Ingress, plus Egress when the policy has egress rules; an
  empty ``podSelector`` selects every pod of the namespace; a rule without ``from``/``to`` (or with an
  empty list) admits every peer; a rule without ``ports`` every port; a peer with only a
  ``podSelector`` means the policy's namespace, with a ``namespaceSelector`` the selected namespaces.
- Calico: ``types`` defaults to Ingress, or Egress when only egress rules exist, or both when both
  do; ``selector`` defaults to ``all()``; rules are ordered and carry an action (Allow, Deny, Pass,
  Log); an empty ``source``/``destination`` matches everything; ``nets`` with ``notNets`` subtract.
- Cilium: a direction is enforced when the policy has rules (or deny rules) for it, unless
  ``enableDefaultDeny`` turns that off; an empty rule ``{}`` matches nothing (it only enables default
  deny); a rule with ``toPorts`` only matches every peer on those ports; ``fromEntities: [all]`` is
  everything, ``world`` everything outside the cluster.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from manifestlint.cluster import calico_selectors
from manifestlint.cluster.cidr import EVERYWHERE, IPBlock
from manifestlint.cluster.objects import qualified
from manifestlint.cluster.selectors import EVERYTHING, LabelSelector, Requirement
from manifestlint.document import Document
from manifestlint.positions import FieldPath

INGRESS, EGRESS = "Ingress", "Egress"
NAME_LABEL = "kubernetes.io/metadata.name"
CALICO_GROUPS = ("projectcalico.org", "crd.projectcalico.org")
CILIUM_NAMESPACE_KEYS = frozenset({"io.kubernetes.pod.namespace", "k8s:io.kubernetes.pod.namespace"})
CILIUM_NAMESPACE_LABEL_PREFIXES = ("io.cilium.k8s.namespace.labels.", "k8s:io.cilium.k8s.namespace.labels.")
# Identities that mean "every peer" or "every peer outside the cluster" in Cilium.
CILIUM_EVERYTHING = frozenset({"all"})
CILIUM_OUTSIDE = frozenset({"world", "world-ipv4", "world-ipv6"})

POLICY_KINDS = frozenset({"NetworkPolicy", "GlobalNetworkPolicy", "CiliumNetworkPolicy",
                          "CiliumClusterwideNetworkPolicy"})


class Selects(Protocol):
    """What a pod or namespace selector of any flavour offers."""

    @property
    def everything(self) -> bool: ...

    def matches(self, labels: Mapping[str, str]) -> bool: ...

    def describe(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Port:
    """A port a rule admits: ``port`` is a number, a name, or None (every port of ``protocol``)."""

    protocol: str
    port: int | str | None
    end_port: int | None = None

    def describe(self) -> str:
        where = "every port" if self.port is None else str(self.port)
        if self.end_port is not None:
            where += f"-{self.end_port}"
        return f"{where}/{self.protocol}"


@dataclass(frozen=True, slots=True)
class Peer:
    """One source (ingress) or destination (egress) of a rule.

    Exactly one shape: ``pods`` with ``namespaces`` (None: the policy's own namespace), ``block`` (an
    IP block), ``entities`` (Cilium identities), or ``everything``; ``unknown`` marks forms this model
    does not evaluate (FQDNs, Services, service accounts).
    """

    path: FieldPath
    pods: Selects | None = None
    namespaces: Selects | None = None
    block: IPBlock | None = None
    entities: frozenset[str] = frozenset()
    everything: bool = False
    unknown: bool = False

    @property
    def every_namespace(self) -> bool:
        return self.namespaces is not None and self.namespaces.everything and self.pods is not None

    @property
    def outside_cluster(self) -> bool:
        """Whether it admits addresses outside the cluster, as far as the model knows."""
        return self.everything or self.block is not None or bool(self.entities & (CILIUM_EVERYTHING | CILIUM_OUTSIDE))


@dataclass(slots=True)
class PolicyRule:
    """One rule of a policy, in one direction."""

    path: FieldPath
    action: str = "Allow"  # Allow, Deny, Pass or Log
    peers: list[Peer] = field(default_factory=list)
    any_peer: bool = False  # no peer restriction: every source or destination
    ports: list[Port] = field(default_factory=list)  # empty: every port
    matches_nothing: bool = False

    @property
    def every_port(self) -> bool:
        return not self.ports

    def admits_port(self, number: int, protocol: str = "TCP") -> bool:
        """Whether traffic to port ``number`` goes through (a named port never matches an IP address)."""
        if not self.ports:
            return True
        for port in self.ports:
            if port.protocol not in (protocol, "ANY"):
                continue
            if port.port is None:
                return True
            if isinstance(port.port, int) and (port.port == number or port.port <= number <= (port.end_port or 0)):
                return True
        return False

    @property
    def only_dns(self) -> bool:
        """Whether the rule admits port 53 only (the usual "DNS anywhere" rule)."""
        return bool(self.ports) and all(p.port == 53 and p.end_port in (None, 53) for p in self.ports)

    def describe_ports(self) -> str:
        return "every port" if not self.ports else ", ".join(p.describe() for p in self.ports)

    def blocks(self) -> Iterator[tuple[Peer, list[IPBlock]]]:
        """Each peer that admits addresses, as IP blocks: ``everything`` and outside-cluster entities are
        ``0.0.0.0/0`` and ``::/0``; a rule without peers is one such peer at the rule's path."""
        if self.matches_nothing:
            return
        if self.any_peer:
            yield Peer(self.path, everything=True), _everywhere()
            return
        for peer in self.peers:
            if peer.block is not None:
                yield peer, [peer.block]
            elif peer.everything or peer.entities & (CILIUM_EVERYTHING | CILIUM_OUTSIDE):
                yield peer, _everywhere()


def _everywhere() -> list[IPBlock]:
    return [block for block in (IPBlock.parse(cidr) for cidr in EVERYWHERE) if block is not None]


@dataclass(slots=True)
class Policy:
    """A network policy of any flavour.

    ``namespace`` is None for cluster-wide kinds, whose ``namespace_filter`` (if any) says which
    namespaces' pods they apply to. ``selector`` is None when it could not be parsed.
    """

    doc: Document
    flavour: str  # "kubernetes", "calico" or "cilium"
    namespace: str | None
    selector: Selects | None
    selector_path: FieldPath
    namespace_filter: Selects | None = None
    ingress: bool = False
    egress: bool = False
    ingress_rules: list[PolicyRule] = field(default_factory=list)
    egress_rules: list[PolicyRule] = field(default_factory=list)
    selects_hosts_only: bool = False

    @property
    def label(self) -> str:
        return f"{self.doc.kind} {qualified(self.namespace, self.doc.name)}"

    def isolates(self, direction: str) -> bool:
        return self.ingress if direction == INGRESS else self.egress

    def rules(self, direction: str) -> list[PolicyRule]:
        return self.ingress_rules if direction == INGRESS else self.egress_rules

    def allow_rules(self, direction: str) -> list[PolicyRule]:
        return [r for r in self.rules(direction) if r.action == "Allow" and not r.matches_nothing]

    def admits_everything(self, direction: str) -> bool:
        """Whether some allow rule lets every peer through on every port (isolation in name only)."""
        return any(rule.every_port and (rule.any_peer or any(p.everything for p in rule.peers))
                   for rule in self.allow_rules(direction))

    def applies_to_namespace(self, namespace: str, labels: Mapping[str, str]) -> bool:
        if self.selects_hosts_only:
            return False
        if self.namespace is not None:
            return True
        return self.namespace_filter is None or self.namespace_filter.matches(labels)

    def selects_every_pod(self, namespace: str) -> bool:
        """Whether the policy applies to every pod of ``namespace`` (present and future)."""
        if self.selector is None or self.selects_hosts_only:
            return False
        if self.selector.everything:
            return True
        # A selector that only reads the implicit namespace label selects the whole namespace.
        implicit = implicit_pod_labels(self.flavour, namespace)
        keys: frozenset[str] = getattr(self.selector, "keys", frozenset())
        return bool(keys) and keys <= set(implicit) and self.selector.matches(implicit)


def implicit_pod_labels(flavour: str, namespace: str) -> dict[str, str]:
    """Labels the CNI adds to every pod, which its selectors may use."""
    if flavour == "calico":
        return {"projectcalico.org/namespace": namespace, "projectcalico.org/orchestrator": "k8s"}
    if flavour == "cilium":
        return {"io.kubernetes.pod.namespace": namespace, "k8s:io.kubernetes.pod.namespace": namespace}
    return {}


def flavour_of(doc: Document) -> str | None:
    """Which policy API ``doc`` belongs to, or None when it is not a network policy."""
    group = doc.api_group
    if doc.kind == "NetworkPolicy" and group in ("networking.k8s.io", "extensions"):
        return "kubernetes"
    if doc.kind in ("NetworkPolicy", "GlobalNetworkPolicy") and group in CALICO_GROUPS:
        return "calico"
    if doc.kind in ("CiliumNetworkPolicy", "CiliumClusterwideNetworkPolicy") and group == "cilium.io":
        return "cilium"
    return None


def parse_policy(doc: Document, namespace: str) -> list[Policy]:
    """The policies ``doc`` holds (Cilium's ``specs`` may hold several); ``namespace`` is its resolved one."""
    flavour = flavour_of(doc)
    if flavour == "kubernetes":
        return [_kubernetes(doc, namespace)]
    if flavour == "calico":
        return [_calico(doc, namespace)]
    if flavour == "cilium":
        return list(_cilium(doc, namespace))
    return []


# --- Kubernetes ---------------------------------------------------------------------------------

def _kubernetes(doc: Document, namespace: str) -> Policy:
    spec = doc.get(("spec",), {})
    spec = spec if isinstance(spec, dict) else {}
    raw_selector = spec.get("podSelector")
    selector = LabelSelector.parse(raw_selector if raw_selector is not None else {})
    policy = Policy(doc, "kubernetes", namespace, selector, ("spec", "podSelector"))
    types = spec.get("policyTypes")
    if isinstance(types, list) and types:
        policy.ingress, policy.egress = INGRESS in types, EGRESS in types
    else:
        policy.ingress, policy.egress = True, bool(spec.get("egress"))
    for direction, key, peers_key in ((INGRESS, "ingress", "from"), (EGRESS, "egress", "to")):
        rules = spec.get(key)
        if not policy.isolates(direction) or not isinstance(rules, list):
            continue
        target = policy.rules(direction)
        for i, raw in enumerate(rules):
            path: FieldPath = ("spec", key, i)
            if not isinstance(raw, dict):
                target.append(PolicyRule(path, matches_nothing=True))
                continue
            rule = PolicyRule(path, ports=_k8s_ports(raw.get("ports")))
            peers = raw.get(peers_key)
            if not isinstance(peers, list) or not peers:
                rule.any_peer = True
            else:
                rule.peers = [_k8s_peer((*path, peers_key, j), p) for j, p in enumerate(peers)]
            target.append(rule)
    return policy


def _k8s_peer(path: FieldPath, raw: Any) -> Peer:
    if not isinstance(raw, dict):
        return Peer(path, unknown=True)
    if "ipBlock" in raw:
        block = raw.get("ipBlock")
        parsed = IPBlock.parse(block.get("cidr"), block.get("except")) if isinstance(block, dict) else None
        return Peer((*path, "ipBlock"), block=parsed) if parsed else Peer(path, unknown=True)
    pods = LabelSelector.parse(raw.get("podSelector"))
    namespaces = LabelSelector.parse(raw.get("namespaceSelector"))
    if pods is None and namespaces is None:
        return Peer(path, unknown=True)
    return Peer(path, pods=pods or EVERYTHING, namespaces=namespaces)


def _k8s_ports(raw: Any) -> list[Port]:
    if not isinstance(raw, list):
        return []
    ports = []
    for item in raw:
        if not isinstance(item, dict):
            continue
        protocol = item.get("protocol") if isinstance(item.get("protocol"), str) else "TCP"
        port = item.get("port")
        end = item.get("endPort")
        ports.append(Port(str(protocol).upper(), port if isinstance(port, (int, str)) and not isinstance(port, bool)
                          else None, end if isinstance(end, int) and not isinstance(end, bool) else None))
    return ports


# --- Calico -------------------------------------------------------------------------------------

def _calico(doc: Document, namespace: str) -> Policy:
    spec = doc.get(("spec",), {})
    spec = spec if isinstance(spec, dict) else {}
    global_kind = doc.kind == "GlobalNetworkPolicy"
    selector = calico_selectors.parse(spec.get("selector"))
    policy = Policy(doc, "calico", None if global_kind else namespace, selector, ("spec", "selector"))
    if spec.get("serviceAccountSelector"):
        policy.selector = _Narrowed(selector) if selector else None  # some pods only
    if global_kind and spec.get("namespaceSelector"):
        policy.namespace_filter = _CalicoNamespaces(calico_selectors.parse(spec.get("namespaceSelector")))
    if global_kind and isinstance(spec.get("selector"), str) and "global()" in spec["selector"]:
        policy.selects_hosts_only = True
    types = spec.get("types")
    has_in, has_out = bool(spec.get("ingress")), bool(spec.get("egress"))
    if isinstance(types, list) and types:
        policy.ingress, policy.egress = INGRESS in types, EGRESS in types
    else:
        policy.ingress, policy.egress = has_in or not has_out, has_out
    for direction, key, side in ((INGRESS, "ingress", "source"), (EGRESS, "egress", "destination")):
        rules = spec.get(key)
        if not policy.isolates(direction) or not isinstance(rules, list):
            continue
        for i, raw in enumerate(rules):
            policy.rules(direction).append(_calico_rule(("spec", key, i), raw, side, global_kind))
    return policy


def _calico_rule(path: FieldPath, raw: Any, side: str, global_kind: bool) -> PolicyRule:
    if not isinstance(raw, dict):
        return PolicyRule(path, matches_nothing=True)
    action = raw.get("action") if raw.get("action") in ("Allow", "Deny", "Pass", "Log") else "Allow"
    rule = PolicyRule(path, action=str(action))
    destination: dict[str, Any] = raw["destination"] if isinstance(raw.get("destination"), dict) else {}
    protocol = raw.get("protocol")
    protocol = str(protocol).upper() if isinstance(protocol, (str, int)) else None
    ports = destination.get("ports")
    if isinstance(ports, list) and ports:
        rule.ports = [Port(protocol or "TCP", p if isinstance(p, (int, str)) else None) for p in ports]
    elif protocol:
        rule.ports = [Port(protocol, None)]
    peer_raw = raw.get(side)
    peer_path: FieldPath = (*path, side)
    if not isinstance(peer_raw, dict) or not any(peer_raw.get(k) for k in
                                                  ("selector", "namespaceSelector", "nets", "notNets",
                                                   "serviceAccounts", "services", "notSelector")):
        rule.any_peer = True
        return rule
    if peer_raw.get("serviceAccounts") or peer_raw.get("services"):
        rule.peers = [Peer(peer_path, unknown=True)]
        return rule
    if peer_raw.get("selector") or peer_raw.get("namespaceSelector") or peer_raw.get("notSelector"):
        pods = calico_selectors.parse(peer_raw.get("selector"))
        if peer_raw.get("notSelector"):
            pods = None  # negated pod sets are not evaluated
        namespaces: Selects | None = None
        if peer_raw.get("namespaceSelector"):
            namespaces = _CalicoNamespaces(calico_selectors.parse(peer_raw.get("namespaceSelector")))
        elif global_kind:
            namespaces = EVERYTHING
        rule.peers = [Peer(peer_path, pods=pods, namespaces=namespaces)] if pods is not None else \
            [Peer(peer_path, unknown=True)]
        return rule
    nets: list[Any] = peer_raw["nets"] if isinstance(peer_raw.get("nets"), list) else list(EVERYWHERE)
    not_nets: list[Any] = peer_raw["notNets"] if isinstance(peer_raw.get("notNets"), list) else []
    for j, cidr in enumerate(nets):
        block = IPBlock.parse(cidr, not_nets)
        at: FieldPath = (*peer_path, "nets", j) if peer_raw.get("nets") else (*peer_path, "notNets")
        rule.peers.append(Peer(at, block=block) if block else Peer(at, unknown=True))
    return rule


class _CalicoNamespaces:
    """A Calico namespace selector, evaluated over namespace labels plus ``projectcalico.org/name``."""

    def __init__(self, selector: calico_selectors.CalicoSelector | None) -> None:
        self.selector = selector

    @property
    def everything(self) -> bool:
        return self.selector is not None and self.selector.everything

    def matches(self, labels: Mapping[str, str]) -> bool:
        if self.selector is None:
            return False
        name = labels.get(NAME_LABEL, "")
        return self.selector.matches({**labels, "projectcalico.org/name": name})

    def describe(self) -> str:
        return self.selector.describe() if self.selector else "an unparsable selector"


class _Narrowed:
    """A pod selector further narrowed by something the model does not evaluate (service accounts)."""

    everything = False
    keys: frozenset[str] = frozenset({"<service account>"})

    def __init__(self, inner: Selects) -> None:
        self.inner = inner

    def matches(self, labels: Mapping[str, str]) -> bool:
        return self.inner.matches(labels)

    def describe(self) -> str:
        return f"{self.inner.describe()} (and some service accounts)"


# --- Cilium -------------------------------------------------------------------------------------

def _cilium(doc: Document, namespace: str) -> Iterator[Policy]:
    clusterwide = doc.kind == "CiliumClusterwideNetworkPolicy"
    specs: list[tuple[FieldPath, Any]] = []
    if isinstance(doc.data.get("spec"), dict):
        specs.append((("spec",), doc.data["spec"]))
    if isinstance(doc.data.get("specs"), list):
        specs += [(("specs", i), s) for i, s in enumerate(doc.data["specs"]) if isinstance(s, dict)]
    for base, spec in specs:
        yield _cilium_spec(doc, base, spec, None if clusterwide else namespace, clusterwide)


def _cilium_spec(doc: Document, base: FieldPath, spec: dict[str, Any], namespace: str | None,
                 clusterwide: bool) -> Policy:
    raw_selector = spec.get("endpointSelector")
    selector = LabelSelector.parse(_strip_cilium_prefixes(raw_selector) if raw_selector is not None else None)
    policy = Policy(doc, "cilium", namespace, selector, (*base, "endpointSelector"))
    if raw_selector is None:
        policy.selects_hosts_only = "nodeSelector" in spec
        policy.selector = None if policy.selects_hosts_only else selector
    elif clusterwide and selector is not None:
        own = _cilium_namespace_requirement(selector)
        if own is not None:
            policy.namespace_filter = LabelSelector((Requirement(NAME_LABEL, "In", own),))
            policy.selector = selector.without(CILIUM_NAMESPACE_KEYS)
    default_deny: dict[str, Any] = spec["enableDefaultDeny"] if isinstance(spec.get("enableDefaultDeny"), dict) else {}
    for direction, key, deny_key, side in ((INGRESS, "ingress", "ingressDeny", "from"),
                                           (EGRESS, "egress", "egressDeny", "to")):
        allow, deny = spec.get(key), spec.get(deny_key)
        has_rules = (isinstance(allow, list) and bool(allow)) or (isinstance(deny, list) and bool(deny))
        enforced = has_rules and default_deny.get(direction.lower()) is not False
        if direction == INGRESS:
            policy.ingress = enforced
        else:
            policy.egress = enforced
        if not has_rules:
            continue
        target = policy.rules(direction)
        for action, rules_key, rules in (("Deny", deny_key, deny), ("Allow", key, allow)):
            if not isinstance(rules, list):
                continue
            for i, raw in enumerate(rules):
                target.append(_cilium_rule((*base, rules_key, i), raw, side, action, clusterwide))
    return policy


def _strip_cilium_prefixes(raw: Any) -> Any:
    """Cilium selectors may prefix keys with their source (``k8s:app``); pod labels do not have it."""
    if not isinstance(raw, dict):
        return raw
    result = dict(raw)
    if isinstance(raw.get("matchLabels"), dict):
        result["matchLabels"] = {_strip_key(k): v for k, v in raw["matchLabels"].items()}
    if isinstance(raw.get("matchExpressions"), list):
        result["matchExpressions"] = [{**e, "key": _strip_key(e.get("key"))} if isinstance(e, dict) else e
                                      for e in raw["matchExpressions"]]
    return result


def _strip_key(key: Any) -> Any:
    if isinstance(key, str) and key.startswith(("k8s:", "any:")) and key not in CILIUM_NAMESPACE_KEYS:
        return key.split(":", 1)[1]
    return key


def _cilium_namespace_requirement(selector: LabelSelector) -> frozenset[str] | None:
    allowed: frozenset[str] | None = None
    for key in CILIUM_NAMESPACE_KEYS:
        values = selector.allowed_values(key)
        if values is not None:
            allowed = values if allowed is None else allowed & values
    return allowed


def _cilium_rule(path: FieldPath, raw: Any, side: str, action: str, clusterwide: bool) -> PolicyRule:
    rule = PolicyRule(path, action=action)
    if not isinstance(raw, dict):
        rule.matches_nothing = True
        return rule
    to_ports = raw.get("toPorts")
    if isinstance(to_ports, list):
        for entry in to_ports:
            items = entry.get("ports") if isinstance(entry, dict) else None
            for item in items if isinstance(items, list) else []:
                if isinstance(item, dict):
                    proto = str(item.get("protocol", "ANY")).upper()
                    port = item.get("port")
                    end = item.get("endPort")
                    rule.ports.append(Port(proto, _cilium_port(port), end if isinstance(end, int) else None))
    prefix = "from" if side == "from" else "to"
    endpoints = raw.get(f"{prefix}Endpoints")
    if isinstance(endpoints, list):
        for j, item in enumerate(endpoints):
            rule.peers.append(_cilium_endpoint_peer((*path, f"{prefix}Endpoints", j), item, clusterwide))
    entities = raw.get(f"{prefix}Entities")
    if isinstance(entities, list) and entities:
        names = frozenset(str(e).lower() for e in entities)
        rule.peers.append(Peer((*path, f"{prefix}Entities"), entities=names,
                               everything=bool(names & CILIUM_EVERYTHING)))
    cidrs = raw.get(f"{prefix}CIDR")
    if isinstance(cidrs, list):
        for j, cidr in enumerate(cidrs):
            block = IPBlock.parse(cidr)
            at: FieldPath = (*path, f"{prefix}CIDR", j)
            rule.peers.append(Peer(at, block=block) if block else Peer(at, unknown=True))
    cidr_sets = raw.get(f"{prefix}CIDRSet")
    if isinstance(cidr_sets, list):
        for j, item in enumerate(cidr_sets):
            at = (*path, f"{prefix}CIDRSet", j)
            block = IPBlock.parse(item.get("cidr"), item.get("except")) if isinstance(item, dict) else None
            rule.peers.append(Peer(at, block=block) if block else Peer(at, unknown=True))
    for other in ("FQDNs", "Services", "Groups", "Nodes", "Requires"):
        if raw.get(f"{prefix}{other}") and other != "Requires":
            rule.peers.append(Peer((*path, f"{prefix}{other}"), unknown=True))
    if not rule.peers:
        if rule.ports or raw.get("icmps"):
            rule.any_peer = True  # an L4-only rule: every peer on those ports
        else:
            rule.matches_nothing = True  # `{}`: enables default deny and admits nothing
    return rule


def _cilium_port(port: Any) -> int | str | None:
    if isinstance(port, int) and not isinstance(port, bool):
        return port or None
    if isinstance(port, str):
        if port.isdigit():
            return int(port) or None
        return port or None
    return None


def _cilium_endpoint_peer(path: FieldPath, raw: Any, clusterwide: bool) -> Peer:
    selector = LabelSelector.parse(_strip_cilium_prefixes(raw))
    if selector is None:
        return Peer(path, unknown=True)
    own = _cilium_namespace_requirement(selector)
    pods = selector.without(CILIUM_NAMESPACE_KEYS)
    namespace_label_keys = {r.key for r in pods.requirements if r.key.startswith(CILIUM_NAMESPACE_LABEL_PREFIXES)}
    if namespace_label_keys:
        namespaces = LabelSelector(tuple(
            Requirement(r.key.split("namespace.labels.", 1)[1], r.operator, r.values)
            for r in pods.requirements if r.key in namespace_label_keys))
        return Peer(path, pods=pods.without(frozenset(namespace_label_keys)), namespaces=namespaces)
    if own is not None:
        return Peer(path, pods=pods, namespaces=LabelSelector((Requirement(NAME_LABEL, "In", own),)))
    return Peer(path, pods=pods, namespaces=EVERYTHING if clusterwide else None)
