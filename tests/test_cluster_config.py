"""Cluster configuration files: the flag model, kubelet resolution, strict schemas, links, and the real corpus."""

from __future__ import annotations

import copy
import importlib.util
import json
from pathlib import Path

import jsonschema_rs
import pytest
from conftest import REPO, run_cli

from manifestlint.builtin.cluster_config import kinds
from manifestlint.builtin.cluster_config.links import ConfigFileUnlinked
from manifestlint.document import Document
from manifestlint.k8s import flags
from manifestlint.k8s.components import component_configs
from manifestlint.k8s.kubelet import kubelet_instances
from manifestlint.loader import Limits, load_bytes
from manifestlint.rule import Context, InputRule

CORPUS = REPO.parent / "shared" / "corpus" / "cluster-config"
SCHEMAS = REPO / "schemas" / "kinds"


def load(text: str, path: str = "input.yaml") -> list[Document]:
    loaded = load_bytes(path, text.encode(), Limits())
    assert not loaded.problems, loaded.problems
    return loaded.documents


def tokens(*words: str) -> list[flags.Token]:
    return [flags.Token(w, ("args", i)) for i, w in enumerate(words)]


# --- flags ----------------------------------------------------------------------------------------


def test_flag_forms_and_last_wins() -> None:
    parsed = flags.parse(tokens("--a=1", "--b", "2", "--a", "3", "positional", "--c"), booleans=())
    effective = flags.last_wins(parsed)
    assert {n: f.value for n, f in effective.items()} == {"a": "3", "b": "2", "c": ""}
    assert effective["a"].path == ("args", 3)


def test_boolean_flag_does_not_read_the_next_word() -> None:
    parsed = flags.last_wins(flags.parse(tokens("--anonymous-auth", "false", "--profiling"),
                                         booleans={"anonymous-auth", "profiling"}))
    assert parsed["anonymous-auth"].value == "true"
    assert parsed["anonymous-auth"].stray == ("args", 1)
    assert parsed["profiling"].value == "true" and parsed["profiling"].stray is None


def test_single_dash_only_for_etcd_and_double_dash_ends_flags() -> None:
    assert [f.name for f in flags.parse(tokens("-cert-file", "x"), single_dash=True)] == ["cert-file"]
    assert flags.parse(tokens("-cert-file", "x")) == []
    assert [f.name for f in flags.parse(tokens("--a=1", "--", "--b=2"))] == ["a"]


@pytest.mark.parametrize("value,expected", [("true", True), ("1", True), ("F", False), ("false", False),
                                            ("yes", None), (None, None)])
def test_parse_bool_is_go_strconv(value: str | None, expected: bool | None) -> None:
    assert flags.parse_bool(value) is expected


# --- components -----------------------------------------------------------------------------------

_POD = """
apiVersion: v1
kind: Pod
metadata: {{name: p, namespace: kube-system}}
spec:
  containers:
    - name: c
      image: example
{body}
"""


def component(body: str) -> list[tuple[str, dict[str, str]]]:
    docs = load(_POD.format(body=body))
    return [(c.component, {n: f.value for n, f in c.flags.items()}) for c in component_configs(docs[0])]


@pytest.mark.parametrize("body,binary,flag", [
    ("      command: [/usr/local/bin/kube-apiserver, --profiling=false]", "kube-apiserver", "profiling"),
    ("      command: [kube-scheduler]\n      args: [--bind-address, 127.0.0.1]", "kube-scheduler", "bind-address"),
    ("      args: [etcd, --cert-file=/x]", "etcd", "cert-file"),
    ("      command: [/go-runner]\n      args: [--also-stdout, /usr/local/bin/kube-apiserver, --v=2]",
     "kube-apiserver", "v"),
    ("      command: [/hyperkube, controller-manager, --profiling=false]", "kube-controller-manager", "profiling"),
    ("      command: [sh, -c, 'exec kubelet --read-only-port=0 && echo done --x=y']", "kubelet", "read-only-port"),
])
def test_binary_by_basename_wrapper_or_shell(body: str, binary: str, flag: str) -> None:
    found = component(body)
    assert [name for name, _ in found] == [binary] and flag in found[0][1]
    assert "x" not in found[0][1]


@pytest.mark.parametrize("body", [
    "      command: [/ko-app/etcd-manager, --cert-file=/x]",
    "      args: [--ca-cert=/secrets/ca.crt]",
    "      command: [/bin/echo, kube-apiserver]",
    "      command: [sh, -c, 'echo \"unclosed']",
])
def test_other_programs_are_not_components(body: str) -> None:
    assert component(body) == []


def test_etcd_environment_variables_yield_to_flags() -> None:
    found = component("      command: [etcd, --client-cert-auth=true]\n      env:\n"
                      "        - {name: ETCD_CLIENT_CERT_AUTH, value: 'false'}\n"
                      "        - {name: ETCD_KEY_FILE, value: /k}")
    assert found[0][1]["client-cert-auth"] == "true" and found[0][1]["key-file"] == "/k"


@pytest.mark.parametrize("version,args", [
    ("v1beta3", "    authorization-config: /etc/authz.yaml\n    profiling: false"),
    ("v1beta4", "    - {name: authorization-config, value: /etc/authz.yaml}\n    - {name: profiling, value: false}"),
])
def test_kubeadm_extra_args_both_forms_and_defaults(version: str, args: str) -> None:
    doc = load(f"apiVersion: kubeadm.k8s.io/{version}\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n"
               f"{args}\n")[0]
    apiserver = next(c for c in component_configs(doc) if c.component == "kube-apiserver")
    assert apiserver.value("profiling") == "false"
    # kubeadm omits --authorization-mode when structured authorization is configured
    assert apiserver.value("authorization-mode") is None
    assert apiserver.value("enable-admission-plugins") == "NodeRestriction"
    etcd = next(c for c in component_configs(doc) if c.component == "etcd")
    assert etcd.value("client-cert-auth") == "true"


def test_kubeadm_external_etcd_has_no_etcd_component() -> None:
    doc = load("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\netcd:\n  external:\n"
               "    endpoints: [https://e:2379]\n    caFile: /ca\n")[0]
    configs = {c.component: c for c in component_configs(doc)}
    assert "etcd" not in configs
    assert configs["kube-apiserver"].value("etcd-cafile") == "/ca"
    assert configs["kube-apiserver"].value("etcd-certfile") is None


_KCP = """apiVersion: controlplane.cluster.x-k8s.io/{version}
kind: KubeadmControlPlane
metadata: {{name: cp}}
spec:
  kubeadmConfigSpec:
    clusterConfiguration:
      apiServer:
        extraArgs:
{args}
    joinConfiguration:
      nodeRegistration:
        kubeletExtraArgs:
{kubelet}
"""


@pytest.mark.parametrize("version,args,kubelet", [
    ("v1beta1", "          profiling: 'false'", "          read-only-port: '10255'"),
    ("v1beta2", "          - {name: profiling, value: 'false'}", "          - {name: read-only-port, value: '10255'}"),
])
def test_cluster_api_objects_embed_kubeadm(version: str, args: str, kubelet: str) -> None:
    docs = load(_KCP.format(version=version, args=args, kubelet=kubelet))
    configs = {c.component: c for c in component_configs(docs[0])}
    assert set(configs) == {"kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd"}
    apiserver = configs["kube-apiserver"]
    assert apiserver.value("profiling") == "false" and apiserver.value("authorization-mode") == "Node,RBAC"
    assert apiserver.list_form is (version == "v1beta2")
    [kubelet_of] = kubelet_instances(docs)
    assert kubelet_of.label == "kubelet of KubeadmControlPlane joinConfiguration"
    resolved = kubelet_of.resolve("read-only-port")
    assert resolved is not None and (resolved.value, resolved.origin) == (10255, "flag")


def test_worker_bootstrap_config_without_cluster_configuration_has_no_control_plane() -> None:
    doc = load("apiVersion: bootstrap.cluster.x-k8s.io/v1beta2\nkind: KubeadmConfigTemplate\nmetadata: {name: w}\n"
               "spec:\n  template:\n    spec:\n      joinConfiguration: {}\n")[0]
    assert component_configs(doc) == []
    assert [k.label for k in kubelet_instances([doc])] == ["kubelet of KubeadmConfigTemplate joinConfiguration"]


# --- kubelet --------------------------------------------------------------------------------------


def resolve(text: str, key: str, path: str = "input.yaml") -> list[object]:
    found = []
    for instance in kubelet_instances(load(text, path)):
        resolved = instance.resolve(key)
        found.append(None if resolved is None else (resolved.value, resolved.origin))
    return found


def test_file_and_flag_defaults_differ() -> None:
    file_only = "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"
    assert resolve(file_only, "anonymous") == [(False, "file-default")]
    pod = _POD.format(body="      command: [kubelet, --kubeconfig=/k]")
    assert resolve(pod, "anonymous") == [(True, "flag-default")]
    assert resolve(pod, "authorization-mode") == [("AlwaysAllow", "flag-default")]


def test_kubeadm_extra_args_override_the_file_of_the_same_input() -> None:
    text = ("apiVersion: kubeadm.k8s.io/v1beta3\nkind: InitConfiguration\nnodeRegistration:\n  kubeletExtraArgs:\n"
            "    anonymous-auth: 'true'\n---\napiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"
            "authentication: {anonymous: {enabled: false}}\nrotateCertificates: false\n")
    assert resolve(text, "anonymous") == [(True, "flag")]
    # kubeadm forces rotateCertificates and fills in the client CA
    assert resolve(text, "rotate-certificates") == [(True, "kubeadm")]
    assert resolve(text, "client-ca") == [("/etc/kubernetes/pki/ca.crt", "kubeadm")]


def test_config_flag_links_a_kubelet_configuration_by_file_name() -> None:
    pod = _POD.format(body="      command: [kubelet, --config=/var/lib/kubelet/kubelet.yaml]")
    config = "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nreadOnlyPort: 10255\n"
    linked = resolve(pod + "---\n" + config, "read-only-port", "kubelet.yaml")
    assert linked == [(10255, "file")]
    # --config names a file the input does not hold: unset settings are unknown, not defaulted
    assert resolve(pod, "read-only-port", "other.yaml") == [None]


# --- schemas --------------------------------------------------------------------------------------


def _generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("gen_kind_schemas", REPO / "tools" / "gen_kind_schemas.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_schemas_match_the_generator() -> None:
    generator = _generator()
    expected = {f"{g}/{v}/{k}.json": generator.render(s) for (g, v, k), s in generator.all_schemas().items()}
    committed = {p.relative_to(SCHEMAS).as_posix(): p.read_text(encoding="utf-8") for p in SCHEMAS.rglob("*.json")}
    assert committed == expected, "run `python tools/gen_kind_schemas.py`"


def test_every_schema_compiles_and_belongs_to_a_known_kind() -> None:
    for path in SCHEMAS.rglob("*.json"):
        group, version, kind = path.relative_to(SCHEMAS).with_suffix("").parts
        jsonschema_rs.validator_for(json.loads(path.read_text(encoding="utf-8")))
        known = kinds.known_kinds(group, version)
        assert known is not None and kind in known[0], path
    assert (SCHEMAS / "PROVENANCE.md").is_file()


def test_schema_messages_never_echo_key_material(tmp_path: Path) -> None:
    secret = "c2VjcmV0IGlzIHNlY3VyZQ=="
    config = tmp_path / "enc.yaml"
    config.write_text("apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n"
                      "  - resources: [configmaps]\n    providers:\n"
                      f"      - identity: {{}}\n      - aesgcm:\n          keys:\n            - name: {secret}\n"
                      f"              secret: {secret}\n              secrte: {secret}\n"
                      f"      - secretbox: {{keys: [{{name: k, secret: [{secret}]}}]}}\n")
    proc = run_cli(str(config), "--no-config", "--select", "ML5", "--format", "json")
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    assert {"ML503", "ML504", "ML571"} <= {f["rule"] for f in report["findings"]}
    assert secret not in proc.stdout and secret not in proc.stderr


def test_rule_options_raise_the_audit_retention_minimums(tmp_path: Path) -> None:
    pod = tmp_path / "apiserver.yaml"
    pod.write_text(_POD.format(body="      command: [kube-apiserver, --audit-log-path=/l, --audit-log-maxage=30,"
                                    " --audit-log-maxbackup=10, --audit-log-maxsize=100]"))
    config = tmp_path / ".manifestlint.yaml"
    config.write_text("rules:\n  ML561:\n    min-age-days: 90\n")
    proc = run_cli(str(pod), "--config", str(config), "--select", "ML561")
    assert proc.returncode == 1 and "at least 90 (days)" in proc.stdout, proc.stdout + proc.stderr


def test_links_cross_folders_only_in_cluster_scope() -> None:
    apiserver = load(_POD.format(body="      command: [kube-apiserver]"), "manifests/kube-apiserver.yaml")
    policy = load("apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: Metadata}]\n", "config/audit.yaml")
    rule = ConfigFileUnlinked()
    assert list(rule.check_input(apiserver + policy, Context({}, "default"))) == []
    found = list(rule.check_input(apiserver + policy, Context({}, "cluster")))
    assert len(found) == 1 and "config/audit.yaml" in found[0][1].message


def test_the_config_files_page_names_every_rule() -> None:
    from manifestlint.config import Settings
    from manifestlint.runner import load_catalogue

    page = (REPO / "docs" / "config-files.md").read_text(encoding="utf-8")
    ours = [r.meta.id for r in load_catalogue(Settings()).rules.values() if r.meta.plugin == "cluster_config"]
    assert len(ours) >= 50
    assert [rule for rule in ours if f"[{rule}](rules/{rule}.md)" not in page] == []


def _paths(node: object, prefix: tuple[str | int, ...] = (), depth: int = 0):  # type: ignore[no-untyped-def]
    if depth > 5:
        return
    items = node.items() if isinstance(node, dict) else enumerate(node[:2]) if isinstance(node, list) else ()
    for key, value in items:
        yield (*prefix, key)
        yield from _paths(value, (*prefix, key), depth + 1)


def test_odd_shapes_never_crash_a_rule() -> None:
    """Every value of every first fail fixture replaced by each odd type: no rule raises."""
    from manifestlint.config import Settings
    from manifestlint.runner import load_catalogue

    rules = [r for r in load_catalogue(Settings()).rules.values() if r.meta.plugin == "cluster_config"]
    fixtures = [sorted((REPO / "fixtures" / "rules" / r.meta.id / "fail").glob("*.yaml"))[0] for r in rules]
    for fixture in fixtures:
        for doc in load_bytes(str(fixture), fixture.read_bytes(), Limits()).documents:
            for path in list(_paths(doc.data)):
                for odd in (None, 7, "x", [], {"a": [1]}):
                    data = copy.deepcopy(doc.data)
                    node = data
                    for step in path[:-1]:
                        node = node[step]
                    node[path[-1]] = odd
                    mutated = copy.copy(doc)
                    mutated.data, mutated.pos = data, None
                    for rule in rules:
                        context = Context(rule.meta.default_options())
                        if isinstance(rule, InputRule):
                            list(rule.check_input([mutated], context))
                        else:
                            list(rule.check(mutated, context))


# --- the real corpus ------------------------------------------------------------------------------


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the shared corpus is not checked out at {CORPUS}")
def test_lint_the_cluster_config_corpus_end_to_end() -> None:
    proc = run_cli(str(CORPUS), "--no-config", "--format", "json", "--fail-on", "never")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    report = json.loads(proc.stdout)
    crashes = [n["message"] for n in report["notifications"] if n.get("kind") == "rule-crash"
               or "crashed" in n["message"]]
    assert not crashes, crashes
    files = {p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*") if p.suffix in (".yaml", ".yml", ".json")}
    assert report["summary"]["files"] == len(files)
    by_rule: dict[str, set[str]] = {}
    for finding in report["findings"]:
        by_rule.setdefault(finding["rule"], set()).add(Path(finding["path"]).name)
    # a few findings the corpus must produce (see the semantics)
    assert "invalid-typo.yaml" in by_rule["ML503"]  # `pandas` under kms
    assert "invalid_casesensitive_field.yaml" in by_rule["ML503"]  # ControlPlaneEndpoint
    assert "doc.go.example-init.yaml" in by_rule["ML504"]  # v1beta4 with v1beta3-style extraArgs maps
    assert "identity-first.yaml" in by_rule["ML572"]
    assert "kube-apiserver.yaml" in by_rule["ML561"]  # kops audit golden: maxage 10, maxbackup 1
    assert "kube-controller-manager.yaml" in by_rule["ML526"]
    # etcd-manager is not etcd, and the kube-apiserver-healthcheck image is not the API server
    assert not any(name.startswith("etcdmanager") for name in by_rule.get("ML530", set()) | by_rule.get("ML536", set()))
    ours = set().union(*(names for rule, names in by_rule.items() if rule.startswith("ML5")))
    assert "static-kube-apiserver-healthcheck.yaml" not in ours
