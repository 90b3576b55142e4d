"""The kubelet's effective settings: its configuration file, the flags over it, and the right defaults.

Defaults differ by form. A ``KubeletConfiguration`` file defaults to anonymous auth off, webhook
authentication on, ``Webhook`` authorization and the read-only port closed; the kubelet's flags
default to anonymous on, no webhook authentication, ``AlwaysAllow`` and port 10255. A flag given
beside the file (kubeadm's ``nodeRegistration.kubeletExtraArgs``, or ``--flag`` in a pod running the
kubelet) overrides the file. kubeadm also fills in ``authentication.x509.clientCAFile`` and forces
``rotateCertificates: true`` (cmd/kubeadm/app/componentconfigs/kubelet.go).

A kubelet instance is one of: a kubeadm ``InitConfiguration``/``JoinConfiguration``, also inside a
Cluster API kubeadmConfigSpec (its extra args over the ``KubeletConfiguration`` of the same file,
else kubeadm's defaults; over the file named by an extra ``config`` arg); a pod whose container
runs the kubelet (its flags over the file named by ``--config`` when the input holds it); a
``KubeletConfiguration`` used by neither, judged on its own.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from manifestlint.document import Document
from manifestlint.k8s import flags as flagmod
from manifestlint.k8s.components import (
    BOOLEAN_FLAGS,
    KUBEADM_API,
    KUBELET,
    capi_spec,
    extra_args,
    invocation,
    kubeadm_cluster_path,
)
from manifestlint.k8s.flags import Flag
from manifestlint.k8s.workloads import containers
from manifestlint.positions import FieldPath

KUBELET_API = "kubelet.config.k8s.io"
KUBELET_CONFIGURATION = "KubeletConfiguration"
KUBEADM_NODE_KINDS = frozenset({"InitConfiguration", "JoinConfiguration"})
EXTRA_ARGS: FieldPath = ("nodeRegistration", "kubeletExtraArgs")
_UNSET = object()


@dataclass(frozen=True, slots=True)
class Setting:
    """One kubelet setting: its field in the file, its flag, and the default of each form."""

    file_path: FieldPath
    flag: str | None
    kind: type
    file_default: Any
    flag_default: Any
    kubeadm_default: Any = _UNSET
    kubeadm_forced: bool = False

    @property
    def field(self) -> str:
        return ".".join(map(str, self.file_path))


SETTINGS: dict[str, Setting] = {
    "anonymous": Setting(("authentication", "anonymous", "enabled"), "anonymous-auth", bool, False, True),
    "authorization-mode": Setting(("authorization", "mode"), "authorization-mode", str, "Webhook", "AlwaysAllow"),
    "webhook-authentication": Setting(("authentication", "webhook", "enabled"), "authentication-token-webhook",
                                      bool, True, False),
    "client-ca": Setting(("authentication", "x509", "clientCAFile"), "client-ca-file", str, "", "",
                         kubeadm_default="/etc/kubernetes/pki/ca.crt"),
    "read-only-port": Setting(("readOnlyPort",), "read-only-port", int, 0, 10255),
    "tls-cert": Setting(("tlsCertFile",), "tls-cert-file", str, "", ""),
    "tls-key": Setting(("tlsPrivateKeyFile",), "tls-private-key-file", str, "", ""),
    "server-tls-bootstrap": Setting(("serverTLSBootstrap",), "rotate-server-certificates", bool, False, False),
    "rotate-certificates": Setting(("rotateCertificates",), "rotate-certificates", bool, False, False,
                                   kubeadm_default=True, kubeadm_forced=True),
    "make-iptables-util-chains": Setting(("makeIPTablesUtilChains",), "make-iptables-util-chains", bool, True, True),
    "protect-kernel-defaults": Setting(("protectKernelDefaults",), "protect-kernel-defaults", bool, False, False),
    "seccomp-default": Setting(("seccompDefault",), "seccomp-default", bool, False, False),
    "pod-pids-limit": Setting(("podPidsLimit",), "pod-max-pids", int, -1, -1),
    "tls-min-version": Setting(("tlsMinVersion",), "tls-min-version", str, "", ""),
    "tls-cipher-suites": Setting(("tlsCipherSuites",), "tls-cipher-suites", list, [], []),
    "feature-gates": Setting(("featureGates",), None, dict, {}, {}),
}


@dataclass(frozen=True, slots=True)
class Resolved:
    """A setting's effective value and where to report it.

    ``origin`` is ``flag``, ``file``, ``file-default``, ``flag-default`` or ``kubeadm`` (a value
    kubeadm sets); for a default, ``path`` is where the setting would be written (the file field, or
    the flags' list or map).
    """

    value: Any
    doc: Document
    path: FieldPath
    origin: str
    setting: Setting

    def source(self) -> str:
        """How the value came to be, for a message: "`--anonymous-auth=true`", "`readOnlyPort: 10255`"."""
        shown = _show(self.value)
        if self.origin == "flag":
            return f"`--{self.setting.flag}={shown}`"
        if self.origin == "file":
            return f"`{self.setting.field}: {shown}`"
        if self.origin == "kubeadm":
            return f"kubeadm's default `{self.setting.field}: {shown}`"
        name = f"`--{self.setting.flag}`" if self.origin == "flag-default" else f"`{self.setting.field}`"
        return f"{name} unset (it defaults to {shown})" if shown else f"{name} unset"


@dataclass(slots=True)
class KubeletInstance:
    """One kubelet as configured by the input."""

    label: str
    file: Document | None = None
    flag_doc: Document | None = None
    flags: dict[str, Flag] = field(default_factory=dict)
    flag_anchor: FieldPath = ()
    file_known: bool = True  # False: a --config file outside the input, so unset settings are unknown
    uses_file: bool = True  # False: no config file at all, so the flag defaults apply
    kubeadm: bool = False
    # Where defaults are reported and how the kubelet is named then: a Cluster API object's init and
    # join kubelets share their defaults, so one finding at the kubeadmConfigSpec covers both.
    default_anchor: FieldPath | None = None
    default_label: str = ""

    def label_for(self, resolved: Resolved) -> str:
        if resolved.origin in ("flag", "file") or not self.default_label:
            return self.label
        return self.default_label

    def resolve(self, key: str) -> Resolved | None:
        """The effective value of a setting; None when the input cannot tell."""
        setting = SETTINGS[key]
        if setting.flag and setting.flag in self.flags and self.flag_doc is not None:
            flag = self.flags[setting.flag]
            return Resolved(_convert(flag.value, setting.kind), self.flag_doc, flag.path, "flag", setting)
        if self.kubeadm and setting.kubeadm_forced:
            doc, path = self._default_place(setting)
            return Resolved(setting.kubeadm_default, doc, path, "kubeadm", setting) if doc is not None else None
        if self.file is not None:
            value = self.file.get(setting.file_path, _UNSET)
            kubeadm_fills = self.kubeadm and setting.kubeadm_default is not _UNSET and value == ""
            if value is not _UNSET and value is not None and not kubeadm_fills:
                return Resolved(_coerce(value, setting.kind), self.file, setting.file_path, "file", setting)
        if not self.file_known:
            return None
        if not self.uses_file:
            default, origin = setting.flag_default, "flag-default"
        elif self.kubeadm and setting.kubeadm_default is not _UNSET:
            default, origin = setting.kubeadm_default, "kubeadm"
        else:
            default, origin = setting.file_default, "file-default"
        doc, path = self._default_place(setting)
        if doc is None:
            return None
        return Resolved(default, doc, path, origin, setting)

    def _default_place(self, setting: Setting) -> tuple[Document | None, FieldPath]:
        if self.file is not None:
            present = self.file.get(setting.file_path[:1]) is not None
            return self.file, setting.file_path if present else ("kind",)
        return self.flag_doc, self.default_anchor or self.flag_anchor

    def how_to_set(self, key: str, value: str) -> str:
        setting = SETTINGS[key]
        file_form = f"`{setting.field}: {value}` in the KubeletConfiguration"
        if not setting.flag:
            return f"set {file_form}"
        if self.flag_doc is not None and setting.flag in self.flags:
            return f"set `--{setting.flag}={value}` (or remove the flag and set {file_form})"
        if not self.uses_file:
            return f"add `--{setting.flag}={value}` (or run the kubelet with a config file that sets {file_form})"
        return f"set {file_form}"


def kubelet_instances(docs: Sequence[Document]) -> list[KubeletInstance]:
    """Every kubelet the input configures (see the module docstring)."""
    files = [d for d in docs if d.kind == KUBELET_CONFIGURATION and d.api_group == KUBELET_API]
    kubeadm_files = {d.path for d in docs if d.api_group == KUBEADM_API}
    managed = [f for f in files if f.path in kubeadm_files]
    used: set[int] = set()
    instances: list[KubeletInstance] = []
    for node in docs:
        for path, label in kubeadm_nodes(node):
            args = (*path, *EXTRA_ARGS)
            flags = flagmod.last_wins(extra_args(node, args))
            if "config" in flags:
                # --config replaces the file kubeadm writes: the named file, if the input holds it
                file = _named_file(flags, files)
            elif node.api_group == KUBEADM_API:
                same_file = [f for f in managed if f.path == node.path]
                file = same_file[0] if same_file else (managed[0] if len(managed) == 1 else None)
            else:
                file = None
            if file is not None:
                used.add(id(file))
            spec = capi_spec(node)
            instances.append(KubeletInstance(f"kubelet of {label}", file, node, flags, _deepest(node, args),
                                             kubeadm=True, file_known="config" not in flags or file is not None,
                                             default_anchor=_deepest(node, spec) if spec else None,
                                             default_label=f"kubelets of {node.kind}" if spec else ""))
    for doc in docs:
        if doc.category != "object":
            continue
        for container in containers(doc, ("initContainers", "containers")):
            found = invocation(container)
            if found is None or found[0] != KUBELET:
                continue
            _, words, holder = found
            flags = flagmod.last_wins(flagmod.parse(words, BOOLEAN_FLAGS))
            config = flags.get("config")
            file = _named_file(flags, files) if config else None
            if file is not None:
                used.add(id(file))
            instances.append(KubeletInstance(f"kubelet in {container.describe()}", file, doc, flags, holder,
                                             file_known=config is None or file is not None,
                                             uses_file=config is not None))
    for file in files:
        if id(file) not in used:
            instances.append(KubeletInstance("KubeletConfiguration", file, kubeadm=file.path in kubeadm_files))
    return instances


def kubeadm_nodes(doc: Document) -> list[tuple[FieldPath, str]]:
    """``(path, label)`` of each kubeadm node configuration (Init/JoinConfiguration) in a document.

    A kubeadm document is one itself; a Cluster API object holds ``initConfiguration`` and
    ``joinConfiguration`` in its kubeadmConfigSpec (a control plane without them still runs kubeadm,
    with its defaults).
    """
    if doc.api_group == KUBEADM_API:
        return [((), doc.kind)] if doc.kind in KUBEADM_NODE_KINDS else []
    spec = capi_spec(doc)
    if spec is None:
        return []
    found = [((*spec, key), f"{doc.kind} {key}") for key in ("initConfiguration", "joinConfiguration")
             if isinstance(doc.get((*spec, key)), dict)]
    if not found and (kubeadm_cluster_path(doc) is not None or isinstance(doc.get(spec), dict)):
        found = [((*spec, "joinConfiguration"), doc.kind)]
    return found


def _deepest(doc: Document, path: FieldPath) -> FieldPath:
    """The longest existing prefix of ``path`` (the document's ``kind`` when none)."""
    for end in range(len(path), 0, -1):
        if doc.get(path[:end]) is not None:
            return path[:end]
    return ("kind",)


def _named_file(flags: dict[str, Flag], files: list[Document]) -> Document | None:
    """The KubeletConfiguration named by ``--config``, matched by file name."""
    config = flags.get("config")
    if config is None or not config.value:
        return None
    name = posixpath.basename(config.value)
    matches = [f for f in files if posixpath.basename(f.path.replace("\\", "/")) == name]
    return matches[0] if len(matches) == 1 else None


def _convert(value: str, kind: type) -> Any:
    if kind is bool:
        parsed = flagmod.parse_bool(value)
        return value if parsed is None else parsed
    if kind is int:
        try:
            return int(value)
        except ValueError:
            return value
    if kind is list:
        return flagmod.split_list(value)
    return value


def _coerce(value: Any, kind: type) -> Any:
    if isinstance(value, str) and kind in (bool, int):
        return _convert(value, kind)
    return value


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(map(str, value))
    return str(value)
