"""ML530-ML538: etcd's TLS, plaintext URLs, kubeadm's external etcd, and etcd placement."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Sequence

from manifestlint.builtin.cluster_config.base import (
    COMPONENT_KINDS,
    OBJECT_AND_CONFIG,
    ComponentRule,
    describe_flag,
    flag_set_hint,
    missing,
)
from manifestlint.document import Document
from manifestlint.k8s.components import (
    APISERVER,
    CAPI_KINDS,
    ETCD,
    ComponentConfig,
    component_configs,
    kubeadm_cluster_path,
)
from manifestlint.k8s.flags import parse_bool, split_list
from manifestlint.positions import FieldPath
from manifestlint.rule import Context, InputRule, Rule, Violation, define

_ETCD = frozenset({ETCD})


class EtcdRule(ComponentRule):
    """An etcd flag rule; etcd ignores its flags when ``--config-file`` is given, so such pods are skipped."""

    components = _ETCD

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        for config in component_configs(doc):
            if config.component == ETCD and not config.value("config-file"):
                yield from self.judge(config, ctx)


def _enabled(config: ComponentConfig, name: str) -> bool:
    return parse_bool(config.value(name)) is True


@define(id="ML530", name="etcd-client-tls-missing", title="etcd serves clients without a certificate",
        severity="error", checklist=["CS-2", "MS-2"], tags=["security", "cis:2.1"], security_severity="8.0",
        targets=COMPONENT_KINDS, categories=OBJECT_AND_CONFIG)
class EtcdClientTls(EtcdRule):
    """
    ## What it does
    Reports an etcd (static pod, or kubeadm's `etcd.local`) without `--cert-file` and `--key-file`.
    Flags given as `ETCD_*` environment variables count.

    ## Why is this bad?
    Without a serving certificate etcd cannot offer TLS to its clients, so the API server's traffic,
    every Secret included, crosses the network in clear text.

    ## How to fix
    Set `--cert-file` and `--key-file` to a certificate signed by etcd's CA.

    ## References
    - https://etcd.io/docs/v3.5/op-guide/security/
    """

    def judge(self, config: ComponentConfig, ctx: Context) -> Iterator[Violation]:
        yield from missing(config, ("cert-file", "key-file"), "it cannot serve clients over TLS",
                           "set both to a certificate signed by etcd's CA")


@define(id="ML531", name="etcd-client-cert-auth-disabled", title="etcd does not require client certificates",
        severity="error", checklist=["CS-2", "MS-2"], tags=["security", "cis:2.2"], security_severity="8.0",
        targets=COMPONENT_KINDS, categories=OBJECT_AND_CONFIG)
class EtcdClientCertAuth(EtcdRule):
    """
    ## What it does
    Reports an etcd that does not set `--client-cert-auth=true` (the default is false; kubeadm sets it).

    ## Why is this bad?
    Without client certificate authentication, anyone who can reach etcd's client port reads and
    writes the whole cluster state, bypassing the API server's authentication, authorization,
    admission and audit.

    ## How to fix
    Set `--client-cert-auth=true` and `--trusted-ca-file` to the CA that signs the API server's etcd
    client certificate.

    ## References
    - https://etcd.io/docs/v3.5/op-guide/security/
    """

    def judge(self, config: ComponentConfig, ctx: Context) -> Iterator[Violation]:
        if not _enabled(config, "client-cert-auth"):
            where = describe_flag(config, "client-cert-auth") if config.value("client-cert-auth") is not None \
                else f"{config.where} does not set `--client-cert-auth=true`"
            yield Violation(config.path("client-cert-auth"), f"{where}: any client that reaches etcd can read and "
                            "write the cluster state; set " + flag_set_hint(config, "client-cert-auth", "true"))


@define(id="ML532", name="etcd-auto-tls", title="etcd uses self-signed automatic certificates",
        severity="error", checklist=["CS-2", "MS-2"], tags=["security", "cis:2.3", "cis:2.6"],
        security_severity="7.0", targets=COMPONENT_KINDS, categories=OBJECT_AND_CONFIG)
class EtcdAutoTls(EtcdRule):
    """
    ## What it does
    Reports an etcd with `--auto-tls=true` or `--peer-auto-tls=true`.

    ## Why is this bad?
    Automatic TLS generates self-signed certificates that no client can verify and that
    authenticate nobody: the connection is encrypted but open to anyone, and to impersonation.

    ## How to fix
    Remove both flags and configure certificates signed by etcd's CA (`--cert-file`,
    `--peer-cert-file` and their keys).

    ## References
    - https://etcd.io/docs/v3.5/op-guide/security/
    """

    def judge(self, config: ComponentConfig, ctx: Context) -> Iterator[Violation]:
        for name in ("auto-tls", "peer-auto-tls"):
            if _enabled(config, name):
                yield Violation(config.path(name), f"{describe_flag(config, name)} on {config.where} uses self-signed "
                                "certificates that authenticate nobody: remove it and configure CA-signed certificates")


@define(id="ML533", name="etcd-peer-tls-missing", title="etcd members talk to each other without TLS",
        severity="error", checklist=["CS-2", "MS-2"], tags=["security", "cis:2.4"], security_severity="7.0",
        targets=COMPONENT_KINDS, categories=OBJECT_AND_CONFIG)
class EtcdPeerTls(EtcdRule):
    """
    ## What it does
    Reports an etcd without `--peer-cert-file` and `--peer-key-file`.

    ## Why is this bad?
    Replication traffic between etcd members carries every write, Secrets included. Without peer
    certificates it is unencrypted and any host can pose as a member.

    ## How to fix
    Set `--peer-cert-file` and `--peer-key-file` to a certificate signed by etcd's CA.

    ## References
    - https://etcd.io/docs/v3.5/op-guide/security/
    """

    def judge(self, config: ComponentConfig, ctx: Context) -> Iterator[Violation]:
        yield from missing(config, ("peer-cert-file", "peer-key-file"), "replication between members is not "
                           "encrypted or authenticated", "set both to a certificate signed by etcd's CA")


@define(id="ML534", name="etcd-peer-client-cert-auth-disabled",
        title="etcd does not require certificates from its peers", severity="error", checklist=["CS-2", "MS-2"],
        tags=["security", "cis:2.5"], security_severity="7.0", targets=COMPONENT_KINDS, categories=OBJECT_AND_CONFIG)
class EtcdPeerClientCertAuth(EtcdRule):
    """
    ## What it does
    Reports an etcd that does not set `--peer-client-cert-auth=true` (the default is false).

    ## Why is this bad?
    Without it, any host that reaches the peer port can join the replication protocol as a member.

    ## How to fix
    Set `--peer-client-cert-auth=true` and `--peer-trusted-ca-file` to etcd's CA.

    ## References
    - https://etcd.io/docs/v3.5/op-guide/security/
    """

    def judge(self, config: ComponentConfig, ctx: Context) -> Iterator[Violation]:
        if not _enabled(config, "peer-client-cert-auth"):
            where = describe_flag(config, "peer-client-cert-auth") if config.value("peer-client-cert-auth") \
                is not None else f"{config.where} does not set `--peer-client-cert-auth=true`"
            yield Violation(config.path("peer-client-cert-auth"), f"{where}: any host can talk to it as a peer; set "
                            + flag_set_hint(config, "peer-client-cert-auth", "true"))


@define(id="ML535", name="etcd-trusted-ca-missing", title="etcd has no CA of its own for clients",
        severity="warning", checklist=["CS-2", "MS-2"], tags=["security", "cis:2.7"], security_severity="6.0",
        targets=COMPONENT_KINDS, categories=OBJECT_AND_CONFIG)
class EtcdTrustedCa(EtcdRule):
    """
    ## What it does
    Reports an etcd without `--trusted-ca-file`, and a kubeadm configuration whose etcd trusts the
    same CA file as the API server's `--client-ca-file`.

    ## Why is this bad?
    Without a trusted CA, client certificate authentication cannot work. When etcd trusts the
    cluster CA, every client certificate of the cluster (each kubelet's, each administrator's)
    opens etcd directly; etcd needs a CA of its own.

    ## How to fix
    Create a dedicated CA for etcd (kubeadm uses `pki/etcd/ca.crt`) and point `--trusted-ca-file`
    at it.

    ## References
    - https://etcd.io/docs/v3.5/op-guide/security/
    """

    def judge(self, config: ComponentConfig, ctx: Context) -> Iterator[Violation]:
        yield from missing(config, ("trusted-ca-file",), "client certificates cannot be verified",
                           "point it at a CA dedicated to etcd")
        trusted = config.value("trusted-ca-file")
        if not (trusted and config.kubeadm):
            return
        for other in component_configs(config.doc):
            if other.component == APISERVER and other.value("client-ca-file") == trusted:
                yield Violation(config.path("trusted-ca-file"), f"{config.where} trusts {trusted}, the API server's "
                                "client CA, so every client certificate of the cluster opens etcd: use a CA "
                                "dedicated to etcd")


_URL_FLAGS = {"listen-client-urls": "http://localhost:2379", "advertise-client-urls": "http://localhost:2379",
              "listen-peer-urls": "http://localhost:2380", "initial-advertise-peer-urls": "http://localhost:2380"}


@define(id="ML536", name="etcd-plaintext-url", title="etcd listens or advertises on plain HTTP",
        severity="error", checklist=["CS-2", "MS-2"], tags=["security"], security_severity="7.5",
        targets=COMPONENT_KINDS, categories=OBJECT_AND_CONFIG)
class EtcdPlaintextUrl(EtcdRule):
    """
    ## What it does
    Reports `http://` URLs in etcd's `--listen-client-urls`, `--advertise-client-urls`,
    `--listen-peer-urls` and `--initial-advertise-peer-urls`, including the defaults of a static
    pod that does not set them (`http://localhost:2379` and `:2380`). `--listen-metrics-urls` is not
    judged: kubeadm serves metrics on `http://127.0.0.1:2381` on purpose.

    ## Why is this bad?
    A listener with an `http://` URL serves without TLS, whatever certificates are configured, and
    certificate authentication does not apply to it.

    ## How to fix
    Use `https://` for every client and peer URL.

    ## References
    - https://etcd.io/docs/v3.5/op-guide/configuration/
    """

    def judge(self, config: ComponentConfig, ctx: Context) -> Iterator[Violation]:
        for name, default in _URL_FLAGS.items():
            value = config.value(name)
            plain = [u for u in split_list(value if value is not None else default) if u.lower().startswith("http://")]
            if not plain:
                continue
            shown = describe_flag(config, name) if value is not None else \
                f"{config.where} has no `--{name}`, so it defaults to {default}"
            yield Violation(config.path(name), f"{shown}: plain HTTP, without TLS or client certificates; use https://")


@define(id="ML537", name="kubeadm-external-etcd-tls-missing", title="kubeadm external etcd without TLS files",
        severity="error", checklist=["CS-2", "MS-2"], tags=["security", "cis:1.2.23", "cis:1.2.26"],
        security_severity="8.0", targets={"ClusterConfiguration", *CAPI_KINDS}, categories=OBJECT_AND_CONFIG)
class KubeadmExternalEtcdTls(Rule):
    """
    ## What it does
    Checks kubeadm's `etcd.external` (also in a Cluster API `clusterConfiguration`): its `endpoints`
    must be `https://` and it must name `caFile`,
    `certFile` and `keyFile`, which kubeadm passes to the API server as `--etcd-cafile`,
    `--etcd-certfile` and `--etcd-keyfile` (kubeadm does not know where they live and writes nothing
    when they are empty).

    ## Why is this bad?
    Without them the API server reaches the external etcd without verifying it and without a client
    certificate, or over plain HTTP, exposing every Secret of the cluster.

    ## How to fix
    Use `https://` endpoints and set the three files to etcd's CA and a client certificate it trusts.

    ## References
    - https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/high-availability/#external-etcd-nodes
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        base = kubeadm_cluster_path(doc)
        external = doc.get((*base, "etcd", "external")) if base is not None else None
        if base is None or not isinstance(external, dict):
            return
        absent = [key for key in ("caFile", "certFile", "keyFile") if not external.get(key)]
        if absent:
            listed = ", ".join(f"`{k}`" for k in absent)
            yield Violation((*base, "etcd", "external"), f"etcd.external has no {listed}: the API "
                            "server's connection to etcd is not mutually authenticated TLS; set caFile, certFile and "
                            "keyFile")
        endpoints = external.get("endpoints")
        for i, endpoint in enumerate(endpoints if isinstance(endpoints, list) else []):
            if isinstance(endpoint, str) and endpoint.lower().startswith("http://"):
                yield Violation((*base, "etcd", "external", "endpoints", i), f"etcd endpoint {endpoint} is plain "
                                "HTTP: use https://")


@define(id="ML538", name="etcd-not-dedicated", title="etcd runs on the control-plane nodes (stacked)",
        severity="note", checklist=["MS-3"], tags=["security"], security_severity="3.0",
        targets={"ClusterConfiguration", "Pod", *CAPI_KINDS}, categories=OBJECT_AND_CONFIG)
class EtcdNotDedicated(InputRule):
    """
    ## What it does
    Notes a stacked etcd: a kubeadm ClusterConfiguration (or a Cluster API KubeadmControlPlane)
    without `etcd.external` (kubeadm then runs etcd as a static pod beside each API server), and an
    etcd static pod in the same folder as a
    kube-apiserver static pod. An `etcd.external` configuration passes (its TLS is ML537).

    ## Why is this bad?
    On shared nodes, a compromise of the API server's node or of any pod that escapes to it gives
    direct access to etcd's data and keys, and the two compete for disk I/O, which etcd is
    sensitive to. The checklist asks for etcd on dedicated nodes.

    ## How to fix
    Run etcd on dedicated nodes and point kubeadm at it with `etcd.external` (endpoints and the
    client certificate files); or accept the stacked topology knowingly and suppress this note.

    ## References
    - https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/ha-topology/
    """

    def check_input(self, docs: Sequence[Document], ctx: Context) -> Iterator[tuple[Document, Violation]]:
        apiserver_dirs: set[str] = set()
        etcd_pods: list[tuple[Document, ComponentConfig]] = []
        for doc in docs:
            base = kubeadm_cluster_path(doc)
            if base is not None:
                if not isinstance(doc.get((*base, "etcd", "external")), dict):
                    path: FieldPath = next((p for p in ((*base, "etcd", "local"), (*base, "etcd"), base)
                                            if p and isinstance(doc.get(p), dict)), ("kind",))
                    yield doc, Violation(path, "kubeadm runs etcd as a static pod on every control-plane node "
                                         "(stacked etcd): run it on dedicated nodes and use etcd.external")
                continue
            for config in component_configs(doc):
                if config.component == APISERVER:
                    apiserver_dirs.add(_folder(doc))
                elif config.component == ETCD:
                    etcd_pods.append((doc, config))
        for doc, config in etcd_pods:
            if _folder(doc) in apiserver_dirs:
                path = config.container.path if config.container else ()
                yield doc, Violation(path, f"{config.where} is a static pod beside kube-apiserver (stacked etcd): run "
                                     "etcd on dedicated nodes")


def _folder(doc: Document) -> str:
    return posixpath.dirname(doc.path.replace("\\", "/"))
