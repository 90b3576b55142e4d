"""The effective flags of control-plane components, from static pods and from kubeadm configuration.

A container runs a component when the basename of its first word is the component's binary
(``/usr/local/bin/kube-apiserver``), or when a wrapper (``go-runner``, ``hyperkube``, ``tini``, a
shell's ``-c`` script) runs it: then the flags are the words after the binary. Without ``command``
the image's entrypoint runs ``args``, so ``args`` is read the same way.

kubeadm builds the same command lines from ``ClusterConfiguration``: its own defaults (which
include secure settings such as ``--authorization-mode=Node,RBAC``) overridden by ``extraArgs``,
a map in ``kubeadm.k8s.io/v1beta3`` and a list of ``{name, value}`` in ``v1beta4``. Cluster API's
``KubeadmControlPlane``, ``KubeadmConfig`` and their templates embed the same configuration under
their ``kubeadmConfigSpec`` (a map in their ``v1beta1``, a list in ``v1beta2``), and run kubeadm.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from manifestlint.document import Document
from manifestlint.k8s import flags as flagmod
from manifestlint.k8s.flags import Flag, Token
from manifestlint.k8s.workloads import ContainerRef, containers
from manifestlint.positions import FieldPath

APISERVER = "kube-apiserver"
CONTROLLER_MANAGER = "kube-controller-manager"
SCHEDULER = "kube-scheduler"
ETCD = "etcd"
KUBELET = "kubelet"
BINARIES = frozenset({APISERVER, CONTROLLER_MANAGER, SCHEDULER, ETCD, KUBELET})
# hyperkube's sub-command names.
_HYPERKUBE = {"apiserver": APISERVER, "controller-manager": CONTROLLER_MANAGER, "scheduler": SCHEDULER,
              "kubelet": KUBELET, **{name: name for name in BINARIES}}
_WRAPPERS = frozenset({"go-runner", "tini", "dumb-init", "env", "nice", "ionice", "hyperkube", "exec",
                       "catatonit", "s6-svscan"})
_SHELLS = frozenset({"sh", "bash", "ash", "dash", "busybox"})
_SHELL_OPERATORS = frozenset({"&&", "||", ";", "|", "&"})

# Boolean flags the rules read: they never take the next word as a value (pflag's NoOptDefVal).
BOOLEAN_FLAGS = frozenset({
    "anonymous-auth", "profiling", "client-cert-auth", "peer-client-cert-auth", "auto-tls", "peer-auto-tls",
    "rotate-certificates", "rotate-server-certificates", "protect-kernel-defaults", "make-iptables-util-chains",
    "authentication-token-webhook", "service-account-lookup", "seccomp-default", "allow-privileged",
    "use-service-account-credentials", "enable-bootstrap-token-auth", "leader-elect", "enable-debugging-handlers",
    "enable-server", "fail-swap-on", "contention-profiling", "enable-pprof", "insecure-skip-tls-verify",
})

KUBEADM_API = "kubeadm.k8s.io"
# ClusterConfiguration section of each component.
KUBEADM_SECTIONS: dict[str, FieldPath] = {
    APISERVER: ("apiServer",),
    CONTROLLER_MANAGER: ("controllerManager",),
    SCHEDULER: ("scheduler",),
    ETCD: ("etcd", "local"),
}
# Cluster API kinds that embed kubeadm configuration, and where their kubeadmConfigSpec is.
CAPI_GROUPS = frozenset({"controlplane.cluster.x-k8s.io", "bootstrap.cluster.x-k8s.io"})
CAPI_SPECS: dict[str, FieldPath] = {
    "KubeadmControlPlane": ("spec", "kubeadmConfigSpec"),
    "KubeadmControlPlaneTemplate": ("spec", "template", "spec", "kubeadmConfigSpec"),
    "KubeadmConfig": ("spec",),
    "KubeadmConfigTemplate": ("spec", "template", "spec"),
}
CAPI_KINDS = frozenset(CAPI_SPECS)
# These always run `kubeadm init`/`join --control-plane`, with kubeadm's defaults when nothing is set.
_CAPI_CONTROL_PLANE = frozenset({"KubeadmControlPlane", "KubeadmControlPlaneTemplate"})
_CERTS = "/etc/kubernetes/pki"
# Host paths kubeadm mounts into each control-plane pod (phases/controlplane/volumes.go).
_KUBEADM_CA_MOUNTS = ("/etc/ssl/certs", "/etc/pki", "/usr/share/ca-certificates",
                      "/usr/local/share/ca-certificates", "/etc/ca-certificates")
KUBEADM_MOUNTS: dict[str, tuple[str, ...]] = {
    APISERVER: (_CERTS, *_KUBEADM_CA_MOUNTS),
    CONTROLLER_MANAGER: (_CERTS, *_KUBEADM_CA_MOUNTS, "/etc/kubernetes/controller-manager.conf",
                         "/usr/libexec/kubernetes/kubelet-plugins/volume/exec"),
    SCHEDULER: ("/etc/kubernetes/scheduler.conf",),
    ETCD: ("/etc/kubernetes/pki/etcd", "/var/lib/etcd"),
}


@dataclass(slots=True)
class ComponentConfig:
    """One running component and the flags it gets.

    ``anchor`` is where a missing flag is reported: the list that holds the flags, or the kubeadm
    section (the document's ``kind`` when the section is absent); ``args_path`` is where flags are
    written. ``defaults`` are the values kubeadm writes unless ``extraArgs`` override them (empty for
    a static pod: there, an absent flag takes the binary's own default). ``mounts`` are the paths
    the process can see files under (None when unknown).
    """

    component: str
    doc: Document
    flags: dict[str, Flag]
    all_flags: list[Flag]
    anchor: FieldPath
    where: str
    kubeadm: bool = False
    defaults: dict[str, str] = field(default_factory=dict)
    mounts: tuple[str, ...] | None = None
    container: ContainerRef | None = None
    args_path: FieldPath = ()
    list_form: bool = False

    def value(self, name: str) -> str | None:
        """The flag's effective value: set explicitly, else kubeadm's default, else None."""
        flag = self.flags.get(name)
        if flag is not None:
            return flag.value
        return self.defaults.get(name)

    def is_explicit(self, name: str) -> bool:
        return name in self.flags

    def path(self, name: str) -> FieldPath:
        """Where the flag is set, or where it would go."""
        flag = self.flags.get(name)
        return flag.path if flag is not None else self.anchor

    def mounted(self, file_path: str) -> bool | None:
        """Whether a file path inside the container is under a mounted path (None: unknown)."""
        if self.mounts is None:
            return None
        target = posixpath.normpath(file_path)
        return any(target == m or target.startswith(m.rstrip("/") + "/") for m in map(posixpath.normpath, self.mounts))


def component_configs(doc: Document) -> list[ComponentConfig]:
    """Every component configured by ``doc``: containers running one, or a kubeadm ClusterConfiguration.

    Some twenty rules ask in turn about the same document, so the last answer is kept (a pure
    function of the document, which rules do not modify).
    """
    if _LAST and _LAST[0][0] is doc:
        return _LAST[0][1]
    base = kubeadm_cluster_path(doc)
    if base is not None:
        found = list(_kubeadm_components(doc, base))
    else:
        found = []
        for container in containers(doc, ("initContainers", "containers")):
            config = _container_component(doc, container)
            if config is not None:
                found.append(config)
    _LAST[:] = [(doc, found)]
    return found


_LAST: list[tuple[Document, list[ComponentConfig]]] = []


def configures_components(doc: Document) -> bool:
    """Whether ``doc`` configures any control-plane component (the gate of component rules)."""
    return bool(component_configs(doc))


# --- static pods ------------------------------------------------------------------------------


def invocation(container: ContainerRef) -> tuple[str, list[Token], FieldPath] | None:
    """``(binary, the words after it, the list holding them)`` when the container runs a component."""
    if not _mentions_component(container.data):
        return None
    command = _tokens(container, "command")
    args = _tokens(container, "args")
    words = command + args if command else args
    if not words:
        return None
    if not command and words[0].text.startswith("-"):  # flags only: the image's entrypoint is the binary
        binary = image_binary(container.data.get("image"))
        return (binary, words, words[0].path[:-1]) if binary else None
    words = _unwrap_shell(words)
    first = _basename(words[0].text)
    if first in BINARIES:
        start, binary = 1, first
    elif first in _WRAPPERS:
        found = _find_binary(words, first == "hyperkube")
        if found is None:
            return None
        start, binary = found
    else:
        return None
    rest = []
    for word in words[start:]:
        if word.text in _SHELL_OPERATORS:
            break
        rest.append(word)
    holder = (rest[0] if rest else words[start - 1]).path[:-1]
    return binary, rest, holder


def _mentions_component(data: dict[str, Any]) -> bool:
    """Whether the image, command or args name a component at all (every binary's name holds one of
    these words): most containers do not, and need no further look."""
    for key in ("image", "command", "args"):
        value = data.get(key)
        for text in value if isinstance(value, list) else (value,):
            if isinstance(text, str) and ("kube" in text or "etcd" in text):
                return True
    return False


_ARCH_SUFFIX = re.compile(r"-(amd64|arm64|arm|ppc64le|s390x)$")


def image_binary(image: object) -> str | None:
    """The component an image's entrypoint runs, judged by the repository's exact name.

    ``registry.k8s.io/kube-apiserver:v1.31.0`` and ``…/kube-apiserver-amd64`` run the API server;
    ``kube-apiserver-healthcheck`` (a different program) does not match.
    """
    if not isinstance(image, str):
        return None
    name = image.split("@", 1)[0]
    repository = name.rsplit("/", 1)[-1].split(":", 1)[0]
    repository = _ARCH_SUFFIX.sub("", repository)
    return repository if repository in BINARIES and repository != KUBELET else None


def _tokens(container: ContainerRef, key: str) -> list[Token]:
    items = container.data.get(key)
    if not isinstance(items, list):
        return []
    return [Token(_scalar(item), (*container.path, key, i)) for i, item in enumerate(items)
            if isinstance(item, (str, int, float, bool))]


def _unwrap_shell(words: list[Token]) -> list[Token]:
    """The words of ``sh -c "script"``: the script split as the shell would (no expansion)."""
    if len(words) < 3 or _basename(words[0].text) not in _SHELLS:
        return words
    index = 1
    if _basename(words[0].text) == "busybox" and words[1].text in _SHELLS:
        index = 2
    option = words[index].text if index < len(words) else ""
    if not (option.startswith("-") and "c" in option) or index + 1 >= len(words):
        return words
    script = words[index + 1]
    try:
        lexer = shlex.shlex(script.text, posix=True, punctuation_chars=";&|")
        lexer.whitespace_split = True
        parts = list(lexer)
    except ValueError:
        return words
    return [Token(part, script.path) for part in parts if part != "exec"]


def _find_binary(words: list[Token], hyperkube: bool) -> tuple[int, str] | None:
    for i, word in enumerate(words[1:], start=1):
        name = _basename(word.text)
        if hyperkube and i == 1 and name in _HYPERKUBE:
            return i + 1, _HYPERKUBE[name]
        if name in BINARIES:
            return i + 1, name
    return None


def _container_component(doc: Document, container: ContainerRef) -> ComponentConfig | None:
    found = invocation(container)
    if found is None:
        return None
    binary, words, holder = found
    parsed = flagmod.parse(words, BOOLEAN_FLAGS, single_dash=binary == ETCD)
    if binary == ETCD:
        parsed = _etcd_env(container) + parsed
    mounts = container.data.get("volumeMounts")
    mount_paths = tuple(m["mountPath"] for m in mounts if isinstance(m, dict) and isinstance(m.get("mountPath"), str)) \
        if isinstance(mounts, list) else ()
    return ComponentConfig(binary, doc, flagmod.last_wins(parsed), parsed, holder,
                           f"{binary} in {container.describe()}", mounts=mount_paths, container=container)


def _etcd_env(container: ContainerRef) -> list[Flag]:
    """etcd reads ``ETCD_<FLAG>`` variables; flags on the command line take precedence over them."""
    env = container.data.get("env")
    found = []
    for i, item in enumerate(env if isinstance(env, list) else []):
        if not isinstance(item, dict):
            continue
        name, value = item.get("name"), item.get("value")
        if isinstance(name, str) and name.startswith("ETCD_") and isinstance(value, (str, int, bool)):
            found.append(Flag(name[5:].lower().replace("_", "-"), _scalar(value), (*container.path, "env", i, "value")))
    return found


def _basename(text: str) -> str:
    return posixpath.basename(text.strip())


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# --- kubeadm ----------------------------------------------------------------------------------


def extra_args(doc: Document, path: FieldPath) -> list[Flag]:
    """``extraArgs``-style flags at ``path``: a v1beta3 map or a v1beta4 list of ``{name, value}``."""
    value = doc.get(path)
    found = []
    if isinstance(value, dict):
        for name, item in value.items():
            if isinstance(name, str) and item is not None and not isinstance(item, (dict, list)):
                found.append(Flag(name.lstrip("-"), _scalar(item), (*path, name)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                raw = item.get("value", "")
                if raw is None or isinstance(raw, (dict, list)):
                    raw = ""
                found.append(Flag(item["name"].lstrip("-"), _scalar(raw), (*path, i)))
    return found


def capi_spec(doc: Document) -> FieldPath | None:
    """The path of a Cluster API object's kubeadm configuration (its kubeadmConfigSpec)."""
    return CAPI_SPECS.get(doc.kind) if doc.api_group in CAPI_GROUPS else None


def kubeadm_cluster_path(doc: Document) -> FieldPath | None:
    """Where a document holds a kubeadm ClusterConfiguration: ``()`` for the document itself, the
    ``clusterConfiguration`` of a Cluster API object, or None."""
    if doc.kind == "ClusterConfiguration" and doc.api_group == KUBEADM_API:
        return ()
    spec = capi_spec(doc)
    if spec is None:
        return None
    path = (*spec, "clusterConfiguration")
    return path if doc.kind in _CAPI_CONTROL_PLANE or isinstance(doc.get(path), dict) else None


def list_form(doc: Document) -> bool:
    """Whether ``extraArgs`` are a list of ``{name, value}`` (kubeadm v1beta4, Cluster API v1beta2)."""
    version = doc.api_version.rpartition("/")[2]
    return version == "v1beta4" if doc.api_group == KUBEADM_API else version == "v1beta2"


def _dotted(path: FieldPath) -> str:
    return ".".join(map(str, path))


def _kubeadm_components(doc: Document, base: FieldPath) -> Iterator[ComponentConfig]:
    external = isinstance(doc.get((*base, "etcd", "external")), dict)
    certs = doc.get((*base, "certificatesDir"))
    certs = certs if isinstance(certs, str) and certs else _CERTS
    for component, section in KUBEADM_SECTIONS.items():
        if component == ETCD and external:
            continue
        args_path = (*base, *section, "extraArgs")
        if doc.get((*base, *section)) is not None:
            anchor = args_path
        else:
            anchor = base if base and isinstance(doc.get(base), dict) else ("kind",)
        parsed = extra_args(doc, args_path)
        flags = flagmod.last_wins(parsed)
        volumes = doc.get((*base, *section, "extraVolumes"))
        extra = tuple(v["mountPath"] for v in volumes if isinstance(v, dict) and isinstance(v.get("mountPath"), str)) \
            if isinstance(volumes, list) else ()
        mounts = tuple(m.replace(_CERTS, certs, 1) for m in KUBEADM_MOUNTS[component]) + extra
        defaults = _kubeadm_defaults(doc, base, component, certs, flags)
        yield ComponentConfig(component, doc, flags, parsed, anchor, f"{component} ({doc.kind} {_dotted(args_path)})",
                              kubeadm=True, defaults=defaults, mounts=mounts, args_path=args_path,
                              list_form=list_form(doc))


def _kubeadm_defaults(doc: Document, base: FieldPath, component: str, certs: str,
                      flags: dict[str, Flag]) -> dict[str, str]:
    """The security-relevant flags kubeadm writes for a component (phases/controlplane/manifests.go,
    phases/etcd/local.go)."""
    if component == APISERVER:
        defaults = {
            "enable-admission-plugins": "NodeRestriction",
            "client-ca-file": f"{certs}/ca.crt",
            "tls-cert-file": f"{certs}/apiserver.crt",
            "tls-private-key-file": f"{certs}/apiserver.key",
            "kubelet-client-certificate": f"{certs}/apiserver-kubelet-client.crt",
            "kubelet-client-key": f"{certs}/apiserver-kubelet-client.key",
            "service-account-key-file": f"{certs}/sa.pub",
            "allow-privileged": "true",
            "enable-bootstrap-token-auth": "true",
        }
        external = doc.get((*base, "etcd", "external"))
        if isinstance(external, dict):
            endpoints = external.get("endpoints")
            if isinstance(endpoints, list):
                defaults["etcd-servers"] = ",".join(str(e) for e in endpoints)
            for key, flag in (("caFile", "etcd-cafile"), ("certFile", "etcd-certfile"), ("keyFile", "etcd-keyfile")):
                value = external.get(key)
                if isinstance(value, str) and value:
                    defaults[flag] = value
            if not (external.get("certFile") and external.get("keyFile")):
                defaults.pop("etcd-certfile", None)
                defaults.pop("etcd-keyfile", None)
        else:
            local = {f.name: f.value for f in extra_args(doc, (*base, "etcd", "local", "extraArgs"))}
            defaults.update({
                "etcd-servers": local.get("advertise-client-urls", "https://127.0.0.1:2379"),
                "etcd-cafile": f"{certs}/etcd/ca.crt",
                "etcd-certfile": f"{certs}/apiserver-etcd-client.crt",
                "etcd-keyfile": f"{certs}/apiserver-etcd-client.key",
            })
        if "authorization-config" not in flags:
            defaults["authorization-mode"] = "Node,RBAC"
        return defaults
    if component == CONTROLLER_MANAGER:
        return {"bind-address": "127.0.0.1", "use-service-account-credentials": "true",
                "root-ca-file": f"{certs}/ca.crt", "service-account-private-key-file": f"{certs}/sa.key",
                "client-ca-file": f"{certs}/ca.crt"}
    if component == SCHEDULER:
        return {"bind-address": "127.0.0.1"}
    etcd = f"{certs}/etcd"
    return {
        "listen-client-urls": "https://127.0.0.1:2379", "advertise-client-urls": "https://127.0.0.1:2379",
        "listen-peer-urls": "https://127.0.0.1:2380", "initial-advertise-peer-urls": "https://127.0.0.1:2380",
        "cert-file": f"{etcd}/server.crt", "key-file": f"{etcd}/server.key", "trusted-ca-file": f"{etcd}/ca.crt",
        "client-cert-auth": "true", "peer-cert-file": f"{etcd}/peer.crt", "peer-key-file": f"{etcd}/peer.key",
        "peer-trusted-ca-file": f"{etcd}/ca.crt", "peer-client-cert-auth": "true",
    }
