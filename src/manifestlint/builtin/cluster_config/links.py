"""ML505, ML580, ML581: flags that do not say what they seem to, and files that flags name.

A flag naming a configuration file links the API server to a document of the input: when the
input holds an EncryptionConfiguration, an audit Policy, an AuthorizationConfiguration or an
AdmissionConfiguration, the API server must name it (matched by file name), or the reviewed file is
not the one in force. Every file a flag names must also be visible inside the container: under a
``volumeMount`` of a static pod, or under kubeadm's default mounts and ``extraVolumes``.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Sequence

from manifestlint.builtin.cluster_config.base import COMPONENT_KINDS, OBJECT_AND_CONFIG, ComponentRule
from manifestlint.document import Document
from manifestlint.k8s.components import (
    APISERVER,
    CONTROLLER_MANAGER,
    ETCD,
    SCHEDULER,
    ComponentConfig,
    component_configs,
)
from manifestlint.model import Severity
from manifestlint.rule import Context, InputRule, Violation, define


@define(id="ML505", name="boolean-flag-value-ignored", title="Boolean flag given a separate value that is not read",
        severity="error", checklist=["CS-1", "CS-2", "CS-3"], tags=["security"], security_severity="6.0",
        targets=COMPONENT_KINDS, categories=OBJECT_AND_CONFIG)
class BooleanFlagValueIgnored(ComponentRule):
    """
    ## What it does
    Reports a boolean flag followed by its value as a separate word, `--anonymous-auth false` or
    `- --profiling` / `- "false"` in a static pod's `command` or `args`.

    ## Why is this bad?
    Kubernetes components parse flags with pflag, where a boolean flag never takes the next word:
    `--anonymous-auth false` *enables* anonymous auth and leaves a stray `false`, which the binary
    then rejects or ignores. The manifest reads as the opposite of what runs.

    ## How to fix
    Write the value with `=`: `--anonymous-auth=false`.

    ## References
    - https://pkg.go.dev/github.com/spf13/pflag#readme-setting-no-option-default-values-for-flags
    """

    components = frozenset({APISERVER, CONTROLLER_MANAGER, SCHEDULER, ETCD, "kubelet"})

    def judge(self, config: ComponentConfig, ctx: Context) -> Iterator[Violation]:
        for flag in config.all_flags:
            if flag.stray is not None:
                yield Violation(flag.stray, f"`--{flag.name} {flag.stray_text}` on {config.where}: a boolean flag does "
                                f"not read the next word, so {flag.name} is true and `{flag.stray_text}` is a stray "
                                f"argument; write `--{flag.name}={flag.stray_text}`")


# Flag -> kinds of the document it names.
LINKS = {
    "encryption-provider-config": ("EncryptionConfiguration", "EncryptionConfig"),
    "audit-policy-file": ("Policy",),
    "authorization-config": ("AuthorizationConfiguration",),
    "admission-control-config-file": ("AdmissionConfiguration",),
}
_LINKED_KINDS = frozenset(kind for kinds in LINKS.values() for kind in kinds)


def _linkable(doc: Document) -> bool:
    if doc.kind == "Policy":
        return doc.api_group == "audit.k8s.io"
    if doc.kind == "EncryptionConfig":
        return doc.api_version == "v1"
    return doc.kind in _LINKED_KINDS and doc.category == "cluster-config"


def _name(path: str) -> str:
    return posixpath.basename(path.replace("\\", "/"))


def near(a: str, b: str) -> bool:
    """Whether two files belong together without ``scope: cluster``: they are in the same folder."""
    return posixpath.dirname(a.replace("\\", "/")) == posixpath.dirname(b.replace("\\", "/"))


@define(id="ML580", name="config-file-unlinked",
        title="Configuration file in the input is not the one the API server reads", severity="warning",
        checklist=["CS-1", "CS-5", "MS-2"], tags=["security"], security_severity="4.0",
        targets=COMPONENT_KINDS | _LINKED_KINDS, categories=OBJECT_AND_CONFIG)
class ConfigFileUnlinked(InputRule):
    """
    ## What it does
    Links the API server's file flags to the documents of the input: `--encryption-provider-config`
    to an EncryptionConfiguration, `--audit-policy-file` to an audit Policy, `--authorization-config`
    to an AuthorizationConfiguration and `--admission-control-config-file` to an
    AdmissionConfiguration. When the input holds such a document but the API server (a static pod or
    a kubeadm ClusterConfiguration, also in the input) lacks the flag, the document is not used; when
    the flag names a file of another name, a note says which files do not match. Files are matched by
    name. With `scope: cluster` every document of the input is linked; otherwise only documents in
    the API server's folder, since one repository often holds unrelated clusters' files.

    ## Why is this bad?
    The reviewed file protects nothing if the API server does not read it: encryption, audit or
    authorization silently stay at their defaults, while the repository suggests otherwise.

    ## How to fix
    Add the flag (and, for kubeadm, the `extraVolumes` entry that mounts the file), or make the flag
    name the file that is reviewed here.

    ## References
    - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    """

    def check_input(self, docs: Sequence[Document], ctx: Context) -> Iterator[tuple[Document, Violation]]:
        apiservers = [c for d in docs if d.kind in COMPONENT_KINDS for c in component_configs(d)
                      if c.component == APISERVER]
        if not apiservers:
            return
        for flag, kinds in LINKS.items():
            candidates = [d for d in docs if d.kind in kinds and _linkable(d)]
            for config in apiservers:
                linked = [d for d in candidates if ctx.scope == "cluster" or near(d.path, config.doc.path)]
                if not linked:
                    continue
                paths = sorted({d.path for d in linked})
                files = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
                names = {_name(d.path) for d in linked}
                value = config.value(flag)
                if not value:
                    yield config.doc, Violation(config.anchor, f"{config.where} has no `--{flag}`, so the "
                                                f"{kinds[0]} in {files} is not used: add the flag with the file's path "
                                                "on the node")
                elif _name(value) not in names:
                    yield config.doc, Violation(config.path(flag), f"`--{flag}` names {_name(value)}, but the "
                                                f"{kinds[0]} in the input is {files}: make sure the file deployed is "
                                                "the one reviewed", Severity.NOTE)


# Files each component reads at start-up, by flag.
_FILE_FLAGS = {
    APISERVER: ("encryption-provider-config", "audit-policy-file", "audit-webhook-config-file", "authorization-config",
                "authorization-webhook-config-file", "authorization-policy-file", "authentication-config",
                "authentication-token-webhook-config-file", "admission-control-config-file",
                "egress-selector-config-file", "tracing-config-file", "token-auth-file", "client-ca-file",
                "tls-cert-file", "tls-private-key-file", "kubelet-client-certificate", "kubelet-client-key",
                "kubelet-certificate-authority", "etcd-cafile", "etcd-certfile", "etcd-keyfile",
                "service-account-key-file", "service-account-signing-key-file", "requestheader-client-ca-file",
                "proxy-client-cert-file", "proxy-client-key-file", "oidc-ca-file"),
    CONTROLLER_MANAGER: ("kubeconfig", "authentication-kubeconfig", "authorization-kubeconfig", "client-ca-file",
                         "root-ca-file", "service-account-private-key-file", "cluster-signing-cert-file",
                         "cluster-signing-key-file", "tls-cert-file", "tls-private-key-file",
                         "requestheader-client-ca-file"),
    SCHEDULER: ("kubeconfig", "authentication-kubeconfig", "authorization-kubeconfig", "config", "tls-cert-file",
                "tls-private-key-file"),
    ETCD: ("cert-file", "key-file", "trusted-ca-file", "peer-cert-file", "peer-key-file", "peer-trusted-ca-file",
           "config-file"),
}


@define(id="ML581", name="config-file-not-mounted", title="Flag names a file that is not mounted into the component",
        severity="error", checklist=["CS-1", "CS-2", "CS-5", "MS-2"], tags=["security"], security_severity="5.0",
        targets=COMPONENT_KINDS, categories=OBJECT_AND_CONFIG)
class ConfigFileNotMounted(ComponentRule):
    """
    ## What it does
    Reports a flag of a control-plane component that names an absolute file path no volume makes
    visible in its container: for a static pod, no `volumeMounts[].mountPath` contains the path; for
    kubeadm, neither kubeadm's own mounts (`/etc/kubernetes/pki`, the CA certificate folders, the
    component's kubeconfig) nor `extraVolumes[].mountPath` do. Only flags that name files the
    component must read at start-up are checked.

    ## Why is this bad?
    The component fails to start (kubeadm's init or upgrade then times out waiting for it), or the
    fix that was reviewed, such as an audit policy or an encryption configuration, is never applied.
    A classic: `audit-policy-file: /etc/kubernetes/audit-policy.yaml` in kubeadm `extraArgs` without
    an `extraVolumes` entry.

    ## How to fix
    Mount the file or its folder: a `hostPath` volume and a `volumeMount` in the static pod, or an
    `extraVolumes` entry (`hostPath`, `mountPath`, `readOnly: true`, `pathType: File`) in kubeadm.

    ## References
    - https://kubernetes.io/docs/reference/setup-tools/kubeadm/kubeadm-init/#apiserver-flags
    """

    components = frozenset(_FILE_FLAGS)

    def judge(self, config: ComponentConfig, ctx: Context) -> Iterator[Violation]:
        for name in _FILE_FLAGS[config.component]:
            flag = config.flags.get(name)
            if flag is None or not flag.value.startswith("/"):
                continue
            if config.mounted(flag.value) is False:
                where = "an `extraVolumes` entry" if config.kubeadm else "a volumeMount"
                yield Violation(flag.path, f"`--{name}={flag.value}` names a file that is not mounted into "
                                f"{config.where}: add {where} whose mountPath contains it")
