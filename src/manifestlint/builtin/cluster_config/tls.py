"""ML520-ML526: TLS of the API server, weak TLS settings anywhere, and exposed controller/scheduler ports."""

from __future__ import annotations

from collections.abc import Iterator

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
    BINARIES,
    CONTROLLER_MANAGER,
    SCHEDULER,
    ComponentConfig,
    component_configs,
    extra_args,
)
from manifestlint.k8s.flags import Flag, split_list
from manifestlint.k8s.kubelet import (
    EXTRA_ARGS,
    KUBEADM_NODE_KINDS,
    KUBELET_API,
    KUBELET_CONFIGURATION,
    kubeadm_nodes,
)
from manifestlint.positions import FieldPath
from manifestlint.rule import Context, Rule, Violation, define

_APISERVER = frozenset({APISERVER})


@define(id="ML520", name="apiserver-serving-tls-missing", title="API server has no serving certificate",
        severity="error", checklist=["CS-2"], tags=["security", "cis:1.2.24"], security_severity="7.0",
        targets=COMPONENT_KINDS, categories=OBJECT_AND_CONFIG)
class ApiserverServingTls(ComponentRule):
    """
    ## What it does
    Reports a kube-apiserver without `--tls-cert-file` and `--tls-private-key-file` (kubeadm sets
    both; an empty value in `extraArgs` removes them).

    ## Why is this bad?
    Without them the API server generates a self-signed certificate at start-up. Clients either fail
    to verify it or are configured to skip verification, which lets anyone on the path impersonate
    the API server and read every token sent to it.

    ## How to fix
    Set both flags to a certificate signed by the cluster CA that names every address clients use.

    ## References
    - https://kubernetes.io/docs/setup/best-practices/certificates/
    """

    components = _APISERVER

    def judge(self, config: ComponentConfig, ctx: Context) -> Iterator[Violation]:
        yield from missing(config, ("tls-cert-file", "tls-private-key-file"),
                           "it serves a self-signed certificate that clients cannot verify",
                           "set both to a certificate signed by the cluster CA")


@define(id="ML521", name="apiserver-client-ca-missing", title="API server does not accept client certificates",
        severity="error", checklist=["CS-2"], tags=["security", "cis:1.2.25"], security_severity="6.0",
        targets=COMPONENT_KINDS, categories=OBJECT_AND_CONFIG)
class ApiserverClientCa(ComponentRule):
    """
    ## What it does
    Reports a kube-apiserver without `--client-ca-file`.

    ## Why is this bad?
    Without a client CA the API server cannot authenticate clients by certificate: kubelets,
    controllers and administrators fall back to weaker credentials such as static tokens or
    long-lived ServiceAccount tokens.

    ## How to fix
    Set `--client-ca-file` to the CA that signs the cluster's client certificates.

    ## References
    - https://kubernetes.io/docs/reference/access-authn-authz/authentication/#x509-client-certificates
    """

    components = _APISERVER

    def judge(self, config: ComponentConfig, ctx: Context) -> Iterator[Violation]:
        yield from missing(config, ("client-ca-file",), "clients cannot authenticate with certificates",
                           "set it to the CA that signs the cluster's client certificates")


@define(id="ML522", name="apiserver-kubelet-client-cert-missing",
        title="API server has no client certificate for kubelets", severity="error", checklist=["CS-2", "CS-3"],
        tags=["security", "cis:1.2.4"], security_severity="6.0", targets=COMPONENT_KINDS, categories=OBJECT_AND_CONFIG)
class ApiserverKubeletClientCert(ComponentRule):
    """
    ## What it does
    Reports a kube-apiserver without `--kubelet-client-certificate` and `--kubelet-client-key`.

    ## Why is this bad?
    The API server then calls kubelets (logs, exec, port-forward, metrics) without credentials, which
    works only if kubelets accept anonymous requests: exactly what CS-3 asks to forbid.

    ## How to fix
    Give the API server a client certificate that kubelets trust (kubeadm creates
    `apiserver-kubelet-client.crt`) and set both flags.

    ## References
    - https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/
    """

    components = _APISERVER

    def judge(self, config: ComponentConfig, ctx: Context) -> Iterator[Violation]:
        yield from missing(config, ("kubelet-client-certificate", "kubelet-client-key"),
                           "it calls kubelets without credentials, so they must allow anonymous requests",
                           "set both to a client certificate the kubelets trust")


@define(id="ML523", name="apiserver-kubelet-ca-missing", title="API server does not verify kubelet certificates",
        severity="warning", checklist=["CS-2"], tags=["security", "cis:1.2.5"], security_severity="5.0",
        targets=COMPONENT_KINDS, categories=OBJECT_AND_CONFIG)
class ApiserverKubeletCa(ComponentRule):
    """
    ## What it does
    Reports a kube-apiserver without `--kubelet-certificate-authority`. kubeadm does not set it,
    because kubeadm's kubelets serve self-signed certificates by default.

    ## Why is this bad?
    The API server does not verify the kubelets it connects to, so exec, attach, logs and
    port-forward sessions (which carry commands and data) can be intercepted by anyone who can
    redirect traffic to a node address.

    ## How to fix
    Have kubelets request serving certificates from the cluster CA (`serverTLSBootstrap: true` and
    an approver for the CSRs), then set `--kubelet-certificate-authority` to that CA.

    ## References
    - https://kubernetes.io/docs/reference/access-authn-authz/kubelet-tls-bootstrapping/
    - https://kubernetes.io/docs/tasks/administer-cluster/kubeadm/kubeadm-certs/#kubelet-serving-certs
    """

    components = _APISERVER

    def judge(self, config: ComponentConfig, ctx: Context) -> Iterator[Violation]:
        yield from missing(config, ("kubelet-certificate-authority",),
                           "it does not verify kubelets' serving certificates, so exec and logs traffic can be "
                           "intercepted", "issue kubelet serving certificates from the cluster CA (serverTLSBootstrap) "
                           "and point the flag at it")


@define(id="ML524", name="apiserver-etcd-tls-missing", title="API server talks to etcd without TLS",
        severity="error", checklist=["CS-2", "MS-2"], tags=["security", "cis:1.2.23", "cis:1.2.26"],
        security_severity="8.0", targets=COMPONENT_KINDS, categories=OBJECT_AND_CONFIG)
class ApiserverEtcdTls(ComponentRule):
    """
    ## What it does
    Reports a kube-apiserver whose connection to etcd is not mutually authenticated TLS: a missing
    `--etcd-certfile`/`--etcd-keyfile` (client certificate) or `--etcd-cafile` (server verification),
    or an `http://` URL in `--etcd-servers`. For kubeadm with an external etcd, the files come from
    `etcd.external` (see ML537).

    ## Why is this bad?
    etcd holds every object of the cluster, Secrets included. Plain HTTP exposes them on the wire;
    without a client certificate etcd cannot restrict who reads it; without a CA the API server
    trusts any server that answers.

    ## How to fix
    Set `--etcd-cafile`, `--etcd-certfile` and `--etcd-keyfile`, and use `https://` etcd URLs.

    ## References
    - https://kubernetes.io/docs/tasks/administer-cluster/configure-upgrade-etcd/#securing-etcd-clusters
    """

    components = _APISERVER

    def judge(self, config: ComponentConfig, ctx: Context) -> Iterator[Violation]:
        yield from missing(config, ("etcd-certfile", "etcd-keyfile", "etcd-cafile"),
                           "its connection to etcd is not mutually authenticated TLS",
                           "give it etcd's CA and a client certificate etcd trusts")
        plain = [url for url in split_list(config.value("etcd-servers")) if url.lower().startswith("http://")]
        if plain:
            yield Violation(config.path("etcd-servers"), f"{config.where} reaches etcd over plain HTTP "
                            f"({', '.join(plain)}): use https:// URLs")


# Go crypto/tls suites without forward secrecy or with CBC, RC4 or 3DES (CIS 1.2.29, 4.2.12).
def weak_cipher(name: str) -> bool:
    upper = name.upper()
    return "_CBC_" in upper or "RC4" in upper or "3DES" in upper or upper.startswith("TLS_RSA_")


_WEAK_VERSIONS = frozenset({"VERSIONTLS10", "VERSIONTLS11", "TLS1.0", "TLS1.1"})
_TLS_FLAGS = ("tls-min-version", "tls-cipher-suites", "cipher-suites")


@define(id="ML525", name="weak-tls-settings", title="Component allows old TLS versions or weak cipher suites",
        severity="warning", checklist=["CS-2"], tags=["security", "cis:1.2.29", "cis:4.2.12"],
        security_severity="5.0", targets=COMPONENT_KINDS | {KUBELET_CONFIGURATION, *KUBEADM_NODE_KINDS},
        categories=OBJECT_AND_CONFIG)
class WeakTlsSettings(Rule):
    """
    ## What it does
    Reports TLS settings that allow TLS 1.0 or 1.1 (`--tls-min-version=VersionTLS10`, etcd
    `--tls-min-version=TLS1.1`) or cipher suites without forward secrecy or with CBC, RC4 or 3DES
    (`TLS_RSA_WITH_AES_128_CBC_SHA`, ...), wherever they are set: kube-apiserver,
    kube-controller-manager, kube-scheduler and kubelet flags (`--tls-cipher-suites`), etcd
    `--cipher-suites`, a KubeletConfiguration's `tlsMinVersion`/`tlsCipherSuites`, and kubeadm
    `extraArgs`/`kubeletExtraArgs`. Unset values are fine: the Go defaults are strong.

    ## Why is this bad?
    TLS 1.0/1.1 and CBC-mode or static-RSA suites have known attacks and no forward secrecy: a key
    stolen later decrypts recorded traffic, tokens included.

    ## How to fix
    Remove the setting, or allow only TLS 1.2+ with ECDHE and AEAD suites (AES-GCM, ChaCha20-Poly1305).

    ## References
    - https://pkg.go.dev/crypto/tls#pkg-constants
    - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        if doc.kind == KUBELET_CONFIGURATION and doc.api_group == KUBELET_API:
            version = doc.get(("tlsMinVersion",))
            if isinstance(version, str) and version.upper() in _WEAK_VERSIONS:
                yield Violation(("tlsMinVersion",), f"`tlsMinVersion: {version}` allows TLS 1.0/1.1 on the kubelet: "
                                "use VersionTLS12 or remove it")
            suites = doc.get(("tlsCipherSuites",))
            if isinstance(suites, list):
                for i, suite in enumerate(suites):
                    if isinstance(suite, str) and weak_cipher(suite):
                        yield Violation(("tlsCipherSuites", i), _cipher_message("the kubelet", suite))
            return
        for path, _ in kubeadm_nodes(doc):
            yield from _flag_problems("the kubelet", extra_args(doc, (*path, *EXTRA_ARGS)))
        for config in component_configs(doc):
            if config.component in BINARIES:
                yield from _flag_problems(config.where, list(config.flags.values()))


def _flag_problems(where: str, flags: list[Flag]) -> Iterator[Violation]:
    for flag in flags:
        if flag.name not in _TLS_FLAGS:
            continue
        if flag.name == "tls-min-version":
            if flag.value.upper() in _WEAK_VERSIONS:
                yield Violation(flag.path, f"`--tls-min-version={flag.value}` allows TLS 1.0/1.1 on {where}: use "
                                "VersionTLS12 (etcd: TLS1.2) or remove it")
            continue
        for suite in split_list(flag.value):
            if weak_cipher(suite):
                yield Violation(flag.path, _cipher_message(where, suite))


def _cipher_message(where: str, suite: str) -> str:
    return (f"cipher suite {suite} on {where} has no forward secrecy or uses CBC/RC4/3DES: keep only ECDHE suites "
            "with AES-GCM or ChaCha20-Poly1305")


_LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


@define(id="ML526", name="component-bind-address-exposed",
        title="Controller manager or scheduler listens on every interface", severity="warning", checklist=["CS-2"],
        tags=["security", "cis:1.3.7", "cis:1.4.2"], security_severity="4.5", targets=COMPONENT_KINDS,
        categories=OBJECT_AND_CONFIG)
class ComponentBindAddressExposed(ComponentRule):
    """
    ## What it does
    Reports a kube-controller-manager or kube-scheduler whose `--bind-address` is not a loopback
    address. The flag defaults to `0.0.0.0`; kubeadm sets `127.0.0.1`.

    ## Why is this bad?
    These components run with `hostNetwork`, so `0.0.0.0` exposes their HTTPS endpoints (health,
    metrics, profiling) on every node address. Nothing but monitoring needs to reach them from
    outside the node.

    ## How to fix
    Set `--bind-address=127.0.0.1`. If Prometheus must scrape them, prefer a node-local proxy over
    opening the port.

    ## References
    - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/
    """

    components = frozenset({CONTROLLER_MANAGER, SCHEDULER})

    def judge(self, config: ComponentConfig, ctx: Context) -> Iterator[Violation]:
        value = config.value("bind-address")
        if value is not None and value.strip("[]") in _LOOPBACK:
            return
        where = describe_flag(config, "bind-address") if value is not None else \
            f"{config.where} has no `--bind-address`, so it defaults to 0.0.0.0"
        path: FieldPath = config.path("bind-address")
        yield Violation(path, f"{where}: its secure port is reachable on every node address; set "
                        + flag_set_hint(config, "bind-address", "127.0.0.1"))

