"""The whole-input model: selectors, Calico selectors, CIDR arithmetic, policy semantics, scope, RBAC, cost,
and the real corpus end to end."""

from __future__ import annotations

import ipaddress
import json
import random
from pathlib import Path

import pytest
from conftest import REPO, run_cli

from manifestlint.cluster import calico_selectors
from manifestlint.cluster.cidr import IPBlock, network
from manifestlint.cluster.labels import LabelIndex, SelectorIndex
from manifestlint.cluster.model import EGRESS, INGRESS, ClusterModel
from manifestlint.cluster.selectors import LabelSelector
from manifestlint.document import Document
from manifestlint.loader import Limits, load_bytes

CORPUS = REPO.parent / "shared" / "corpus" / "real"


def documents(text: str, path: str = "app/manifests.yaml") -> list[Document]:
    return list(load_bytes(path, text.encode(), Limits(), check_path=False).documents)


# --- label selectors --------------------------------------------------------------------------

def sel(raw: object) -> LabelSelector:
    parsed = LabelSelector.parse(raw)
    assert parsed is not None
    return parsed


@pytest.mark.parametrize(("raw", "labels", "expected"), [
    ({}, {}, True),
    ({}, {"app": "web"}, True),
    ({"matchLabels": {"app": "web"}}, {"app": "web", "tier": "x"}, True),
    ({"matchLabels": {"app": "web"}}, {"app": "api"}, False),
    ({"matchLabels": {"app": "web"}}, {}, False),
    # NotIn and DoesNotExist are satisfied by a missing key.
    ({"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["batch"]}]}, {}, True),
    ({"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["batch"]}]}, {"tier": "batch"}, False),
    ({"matchExpressions": [{"key": "legacy", "operator": "DoesNotExist"}]}, {"legacy": ""}, False),
    ({"matchExpressions": [{"key": "legacy", "operator": "DoesNotExist"}]}, {"app": "x"}, True),
    ({"matchExpressions": [{"key": "tier", "operator": "Exists"}]}, {"tier": ""}, True),
    ({"matchExpressions": [{"key": "app", "operator": "In", "values": ["a", "b"]}]}, {"app": "b"}, True),
    # matchLabels and matchExpressions are ANDed.
    ({"matchLabels": {"app": "a"}, "matchExpressions": [{"key": "app", "operator": "In", "values": ["b"]}]},
     {"app": "a"}, False),
    # YAML 1.1 values compare as the strings the API stores.
    ({"matchLabels": {"enabled": True, "version": 2}}, {"enabled": "true", "version": "2"}, True),
])
def test_selector_semantics(raw: object, labels: dict[str, str], expected: bool) -> None:
    assert sel(raw).matches(labels) is expected


@pytest.mark.parametrize("raw", [
    {"matchExpressions": [{"key": "app", "operator": "In", "values": []}]},   # In needs values
    {"matchExpressions": [{"key": "app", "operator": "Exists", "values": ["x"]}]},  # Exists must have none
    {"matchExpressions": [{"key": "app", "operator": "Equals", "values": ["x"]}]},  # unknown operator
    {"matchLabels": ["app"]},
    "app=web",
])
def test_invalid_selector_selects_nothing(raw: object) -> None:
    selector = sel(raw)
    assert not selector.valid and not selector.everything
    assert not selector.matches({"app": "x"}) and not selector.matches({})


def test_missing_selector_is_not_the_empty_one() -> None:
    assert LabelSelector.parse(None) is None
    assert sel({}).everything
    assert LabelSelector.from_map({}) is None
    assert sel({"matchLabels": {"k8s-app": "kube-dns"}}).allowed_values("k8s-app") == {"kube-dns"}


def test_label_index_agrees_with_brute_force() -> None:
    rng = random.Random(4)
    keys, values = ["app", "tier", "team", "zone"], ["a", "b", "c", ""]
    items = [{k: rng.choice(values) for k in rng.sample(keys, rng.randint(0, 4))} for _ in range(400)]
    index = LabelIndex(items, lambda labels: labels)
    operators = ["In", "NotIn", "Exists", "DoesNotExist"]
    for _ in range(300):
        expressions = []
        for _ in range(rng.randint(0, 3)):
            op = rng.choice(operators)
            expression: dict[str, object] = {"key": rng.choice(keys), "operator": op}
            if op in ("In", "NotIn"):
                expression["values"] = rng.sample(values, rng.randint(1, 3))
            expressions.append(expression)
        raw = {"matchExpressions": expressions}
        if rng.random() < 0.5:
            raw["matchLabels"] = {rng.choice(keys): rng.choice(values)}
        selector = sel(raw)
        assert [id(i) for i in index.select(selector)] == [id(i) for i in items if selector.matches(i)]


def test_selector_index_agrees_with_brute_force() -> None:
    rng = random.Random(5)
    keys, values = ["app", "tier", "team"], ["a", "b", "c"]
    selectors = []
    for _ in range(200):
        raw: dict[str, object] = {"matchExpressions": [
            {"key": rng.choice(keys), "operator": rng.choice(["In", "NotIn", "Exists", "DoesNotExist"])}
            for _ in range(rng.randint(0, 2))]}
        for expression in raw["matchExpressions"]:  # type: ignore[union-attr]
            if expression["operator"] in ("In", "NotIn"):
                expression["values"] = rng.sample(values, rng.randint(1, 2))
        if rng.random() < 0.5:
            raw["matchLabels"] = {rng.choice(keys): rng.choice(values)}
        selectors.append(LabelSelector.parse(raw))
    index = SelectorIndex(selectors, lambda s: s)
    for _ in range(200):
        labels = {k: rng.choice(values) for k in rng.sample(keys, rng.randint(0, 3))}
        expected = [s for s in selectors if s is not None and s.matches(labels)]
        assert [id(s) for s in index.matching(labels)] == [id(s) for s in expected]


def test_label_index_reads_only_candidates() -> None:
    """Near-linear cost: an equality selector looks at its posting list, not at every object."""
    items = [{"app": f"app-{i}", "tier": "web"} for i in range(10_000)]
    reads = 0

    def labels(item: dict[str, str]) -> dict[str, str]:
        nonlocal reads
        reads += 1
        return item

    index = LabelIndex(items, labels)
    reads = 0
    assert index.select(sel({"matchLabels": {"app": "app-42", "tier": "web"}})) == [items[42]]
    assert reads == 1


# --- Calico selectors -------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "labels", "expected"), [
    ("", {}, True),
    ("all()", {"x": "y"}, True),
    ("global()", {"x": "y"}, False),
    ("app == 'web'", {"app": "web"}, True),
    ('app == "web"', {"app": "api"}, False),
    ("app != 'web'", {}, True),
    ("has(tier)", {"tier": ""}, True),
    ("!has(tier)", {"tier": ""}, False),
    ("app in {'a', 'b'}", {"app": "b"}, True),
    ("app not in {'a', 'b'}", {"app": "c"}, True),
    ("app contains 'we'", {"app": "web"}, True),
    ("app starts with 'w' && app ends with 'b'", {"app": "web"}, True),
    # && binds tighter than ||.
    ("a == '1' || b == '1' && c == '1'", {"a": "1"}, True),
    ("(a == '1' || b == '1') && c == '1'", {"a": "1"}, False),
])
def test_calico_selector(text: str, labels: dict[str, str], expected: bool) -> None:
    parsed = calico_selectors.parse(text)
    assert parsed is not None
    assert parsed.matches(labels) is expected


@pytest.mark.parametrize("text", ["app = 'web'", "app == web", "has(", "app in {'a'", "&& a == 'b'", 42])
def test_calico_selector_that_does_not_parse(text: object) -> None:
    assert calico_selectors.parse(text) is None


# --- CIDR arithmetic --------------------------------------------------------------------------

METADATA = network("169.254.169.254/32")
METADATA6 = network("fd00:ec2::254/128")


def block(cidr: str, *excepts: str) -> IPBlock:
    parsed = IPBlock.parse(cidr, list(excepts))
    assert parsed is not None
    return parsed


@pytest.mark.parametrize(("ip_block", "reaches"), [
    (block("0.0.0.0/0"), True),
    (block("0.0.0.0/0", "169.254.169.254/32"), False),  # the except covers the address exactly
    (block("0.0.0.0/0", "169.254.0.0/16"), False),
    (block("0.0.0.0/0", "169.254.169.253/32", "169.254.169.255/32"), True),  # neighbours only
    (block("169.254.169.254/31", "169.254.169.254/32"), False),
    (block("169.254.169.255/32"), False),
    (block("169.254.169.254/24"), True),  # host bits are accepted, as the API does
    (block("10.0.0.0/8"), False),
    (block("::/0"), False),  # another address family
])
def test_metadata_reachability_ipv4(ip_block: IPBlock, reaches: bool) -> None:
    assert METADATA is not None
    assert ip_block.reaches(METADATA) is reaches


def test_metadata_reachability_ipv6() -> None:
    assert METADATA6 is not None
    assert block("::/0").reaches(METADATA6)
    assert not block("::/0", "fd00:ec2::254/128").reaches(METADATA6)
    assert not block("::/0", "fd00::/8").reaches(METADATA6)
    assert block("::/0", "fd00:ec2::255/128").reaches(METADATA6)
    assert block("fd00:ec2::/64").covers(METADATA6)


def test_cover_and_reach_of_ranges() -> None:
    private = ipaddress.ip_network("10.0.0.0/8")
    assert block("0.0.0.0/0").covers(private)
    assert not block("0.0.0.0/0", "10.1.0.0/16").covers(private)
    assert block("0.0.0.0/0", "10.1.0.0/16").reaches(private)
    assert not block("0.0.0.0/0", "10.0.0.0/9", "10.128.0.0/9").reaches(private)  # excepts add up
    assert IPBlock.parse("not-a-cidr") is None
    assert IPBlock.parse("10.0.0.0/33") is None
    assert block("10.0.0.0/8", "bogus").excepts == ()


# --- network policy semantics -------------------------------------------------------------------

NAMESPACE = """
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {team: web}
---
"""


def model(text: str, scope: str = "default", path: str = "app/manifests.yaml") -> ClusterModel:
    return ClusterModel(documents(text, path), scope)


def test_policy_types_default() -> None:
    m = model(NAMESPACE + """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: no-types, namespace: shop}
spec:
  podSelector: {}
  egress:
    - to: [{podSelector: {}}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ingress-only, namespace: shop}
spec:
  podSelector: {}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress-only, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Egress]
  ingress: [{}]
""")
    by_name = {p.doc.name: p for p in m.policies}
    assert (by_name["no-types"].ingress, by_name["no-types"].egress) == (True, True)
    assert (by_name["ingress-only"].ingress, by_name["ingress-only"].egress) == (True, False)
    assert (by_name["egress-only"].ingress, by_name["egress-only"].egress) == (False, True)
    assert by_name["egress-only"].ingress_rules == []  # ignored by the API


def test_empty_from_means_everyone_and_ports_default_to_tcp() -> None:
    m = model("""
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {}
  ingress:
    - from: []
      ports: [{port: 443}, {port: 53, protocol: UDP}, {port: 30000, endPort: 32767}]
    - from:
        - namespaceSelector:
            matchLabels: {kubernetes.io/metadata.name: shop}
""")
    first, second = m.policies[0].ingress_rules
    assert first.any_peer and [p.describe() for p in first.ports] == ["443/TCP", "53/UDP", "30000-32767/TCP"]
    assert first.admits_port(31000, "TCP") and not first.admits_port(80, "TCP")
    peer = second.peers[0]
    # namespaceSelector alone: every pod of the selected namespaces; the name label is always there.
    assert peer.pods is not None and peer.pods.everything
    assert peer.namespaces is not None
    assert peer.namespaces.matches(m.labels_of_namespace("shop"))
    assert not peer.namespaces.matches(m.labels_of_namespace("other"))


def test_cilium_and_calico_semantics() -> None:
    m = model(NAMESPACE + """
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: deny, namespace: shop}
spec:
  endpointSelector: {}
  ingress: [{}]
  egress:
    - toPorts: [{ports: [{port: "443", protocol: TCP}]}]
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: not-default-deny, namespace: shop}
spec:
  endpointSelector: {}
  enableDefaultDeny: {ingress: false}
  ingress:
    - fromEndpoints: [{matchLabels: {"k8s:app": web}}]
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: calico-egress, namespace: shop}
spec:
  egress:
    - action: Allow
""")
    by_name = {p.doc.name: p for p in m.policies}
    deny = by_name["deny"]
    assert deny.ingress and deny.ingress_rules[0].matches_nothing and not deny.allow_rules(INGRESS)
    assert deny.egress and deny.egress_rules[0].any_peer and deny.egress_rules[0].admits_port(443)
    relaxed = by_name["not-default-deny"]
    assert not relaxed.ingress
    assert relaxed.ingress_rules[0].peers[0].pods is not None
    assert relaxed.ingress_rules[0].peers[0].pods.matches({"app": "web"})  # the k8s: prefix is dropped
    calico = by_name["calico-egress"]
    assert (calico.ingress, calico.egress) == (False, True)  # only egress rules: types [Egress]
    assert [p.doc.name for p in m.isolating("shop", INGRESS)] == ["deny"]
    # calico-egress allows everything; deny's port-443-only rule still isolates.
    assert [p.doc.name for p in m.isolating("shop", EGRESS)] == ["deny"]


def test_selection_is_per_namespace_and_exact() -> None:
    m = model(NAMESPACE + """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector:
    matchExpressions: [{key: app, operator: In, values: [web]}]
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: other, labels: {app: web}}
spec: {containers: [{name: c, image: x}]}
""")
    policy = m.policies[0]
    assert [(w.doc.namespace, w.doc.name) for w in m.selected_by(policy, "shop")] == [("shop", "web")]
    assert m.selected_by(policy, "other") == []


# --- namespaces and scope -----------------------------------------------------------------------

APP = """
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: orders}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Service
metadata: {name: api}
spec: {selector: {app: api}}
"""


def test_default_scope_judges_declared_namespaces_only() -> None:
    m = model(APP)
    assert [i.name for i in m.judged_namespaces()] == ["shop"]
    # The only namespace the input declares is where its namespace-less objects go.
    assert m.services[0].namespace == "shop"


def test_cluster_scope_judges_every_namespace_used() -> None:
    m = model(APP, scope="cluster")
    assert sorted(i.name for i in m.judged_namespaces()) == ["default", "orders", "shop"]
    assert m.services[0].namespace == "default"  # applied as is: kubectl's default namespace


def test_namespace_less_objects_share_their_folder() -> None:
    docs = documents("""
apiVersion: v1
kind: Service
metadata: {name: a}
spec: {selector: {app: a}}
""", "one/svc.yaml") + documents("""
apiVersion: v1
kind: Pod
metadata: {name: a, labels: {app: a}}
spec: {containers: [{name: c, image: x}]}
""", "two/pod.yaml") + documents("""
apiVersion: v1
kind: Pod
metadata: {name: b, labels: {app: a}}
spec: {containers: [{name: c, image: x}]}
""", "one/pod.yaml")
    m = ClusterModel(docs)
    service = m.services[0]
    assert [w.doc.name for w in m.select(service.namespace, service.selector)] == ["b"]
    assert m.describe(service.namespace) == "the namespace it is applied to"


def test_scope_on_the_command_line_and_in_the_config(tmp_path: Path) -> None:
    (tmp_path / "app.yaml").write_text(APP)
    default = run_cli("--no-config", "--select", "ML601,ML630", "-f", "json", str(tmp_path))
    cluster = run_cli("--no-config", "--select", "ML601,ML630", "-f", "json", "--scope", "cluster", str(tmp_path))
    (tmp_path / ".manifestlint.yaml").write_text("scope: cluster\nselect: [ML601, ML630]\n")
    configured = run_cli("-f", "json", "app.yaml", cwd=tmp_path)

    def found(proc: object) -> list[tuple[str, str]]:
        report = json.loads(proc.stdout)  # type: ignore[attr-defined]
        return sorted((f["rule"], f["object"]["name"]) for f in report["findings"])

    assert found(default) == [("ML601", "shop")]
    # orders (at the Pod) and default (at the namespace-less Service) are judged too; only orders is undeclared.
    expected = [("ML601", "api"), ("ML601", "api"), ("ML601", "shop"), ("ML630", "api")]
    assert found(cluster) == found(configured) == expected
    (tmp_path / ".manifestlint.yaml").write_text("scope: everything\n")
    bad = run_cli("app.yaml", cwd=tmp_path)
    assert bad.returncode == 2 and "scope" in bad.stderr


# --- RBAC ---------------------------------------------------------------------------------------

def test_rbac_matching_and_aggregation() -> None:
    m = model("""
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: parent}
aggregationRule:
  clusterRoleSelectors: [{matchLabels: {agg: "yes"}}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: child, labels: {agg: "yes"}}
rules:
  - {apiGroups: [""], resources: ["*/exec"], verbs: [create]}
  - {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: pods, labels: {rbac.authorization.k8s.io/aggregate-to-edit: "true"}}
rules:
  - {apiGroups: [""], resources: [pods], verbs: [get]}
""")
    rbac = m.rbac
    parent = rbac.cluster_roles["parent"]
    assert rbac.is_superuser(parent)
    child_rules = rbac.cluster_roles["child"].rules
    assert child_rules[0].grants("create", "pods/exec")  # */exec matches the subresource
    assert not child_rules[0].grants("create", "pods")
    edit = rbac.role_of(type("B", (), {"role_kind": "ClusterRole", "role_name": "edit", "namespace": None})())
    assert edit is not None and edit.doc is None
    assert any(r.doc is not None for r in rbac.rules_of(edit))  # aggregate-to-edit joins the built-in role


# --- the real corpus, end to end ----------------------------------------------------------------

@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the shared corpus is not at {CORPUS}")
@pytest.mark.parametrize("scope", ["default", "cluster"])
def test_real_corpus_end_to_end(scope: str) -> None:
    proc = run_cli("--no-config", "--scope", scope, "-f", "json", "--select", "ML6,ML7", str(CORPUS))
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
    report = json.loads(proc.stdout)
    crashes = [n for n in report["notifications"] if n.get("kind") == "rule-crash"]
    assert not crashes, crashes
    rules = {f["rule"] for f in report["findings"]}
    # Findings read and judged right on this corpus (see the closing note).
    assert {"ML601", "ML604", "ML607", "ML705", "ML721"} <= rules
    if scope == "cluster":
        assert "ML630" in rules
    else:
        assert "ML630" not in rules and not rules & {"ML740", "ML741", "ML742", "ML743", "ML744"}


# --- manifestlint admins ------------------------------------------------------------------------

def test_admins_command_lists_the_inventory() -> None:
    fixtures = REPO / "fixtures" / "rules"
    proc = run_cli("admins", "--no-config", str(fixtures / "ML703" / "fail"), str(fixtures / "ML704" / "fail"),
                   str(fixtures / "ML704" / "pass"))
    assert proc.returncode == 0, proc.stderr
    assert "ServiceAccount ci/deployer" in proc.stdout and "Group team-shop" in proc.stdout
    assert "User system:anonymous" in proc.stdout
    assert "system:public-info-viewer" not in proc.stdout  # bootstrap discovery bindings are not admins
    as_json = json.loads(run_cli("admins", "--no-config", "-f", "json", str(fixtures / "ML703" / "fail")).stdout)
    assert {(e["subject"], e["power"]) for e in as_json} == {
        ("ServiceAccount ci/deployer", "admin"), ("Group system:masters", "system:masters"),
        ("Group team-shop", "admin")}
    missing = run_cli("admins", "--no-config", "no/such/path")
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


# --- robustness ---------------------------------------------------------------------------------

ODD_VALUES = (None, [], {}, "x", 7, True, [None], {"a": None}, ["*"])


def _paths(node: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    found: list[tuple[object, ...]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            found.append((*prefix, key))
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found.append((*prefix, i))
            found += _paths(value, (*prefix, i))
    return found


def _set(node: object, path: tuple[object, ...], value: object) -> None:
    for step in path[:-1]:
        node = node[step]  # type: ignore[index]
    node[path[-1]] = value  # type: ignore[index]


def test_odd_value_shapes_never_make_a_cluster_rule_raise() -> None:
    from manifestlint.config import Settings
    from manifestlint.rule import Context
    from manifestlint.runner import load_catalogue

    catalogue = load_catalogue(Settings())
    rules = [r for r in catalogue.rules.values() if r.meta.id[:3] in ("ML6", "ML7")]
    rng = random.Random(7)
    files = sorted(p for p in (REPO / "fixtures" / "rules").glob("ML[67]*/fail/*.yaml"))
    for path in files:
        text = path.read_text()
        for _ in range(6):
            docs = documents(text, "odd/" + path.name)
            for doc in docs:
                for target in rng.sample(_paths(doc.data), min(4, len(_paths(doc.data)))):
                    try:
                        _set(doc.data, target, rng.choice(ODD_VALUES))
                    except (KeyError, IndexError, TypeError):
                        continue
            for scope in ("default", "cluster"):
                for rule in rules:
                    ctx = Context(rule.meta.default_options(), scope)
                    if hasattr(rule, "check_input"):
                        list(rule.check_input(docs, ctx))
                    else:
                        for doc in docs:
                            list(rule.check(doc, ctx))



def test_admins_rejects_conflicting_options(tmp_path: Path) -> None:
    both = run_cli("admins", "--config", str(tmp_path / "c.yaml"), "--no-config", str(tmp_path))
    assert both.returncode == 2 and "--config and --no-config cannot be used together" in both.stderr


def test_admins_says_which_files_it_could_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from manifestlint.admins import inventory

    (tmp_path / "secret.yaml").write_text("kind: ClusterRoleBinding\n")
    read_bytes = Path.read_bytes

    def refuse(path: Path) -> bytes:
        if path.name == "secret.yaml":
            raise PermissionError(13, "Permission denied")
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    monkeypatch.chdir(tmp_path)
    assert inventory(["."], None, True, []) == []
    assert "secret.yaml: cannot read file: Permission denied; left out of the inventory" in capsys.readouterr().err
