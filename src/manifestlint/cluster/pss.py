"""The Pod Security Standards as Pod Security Admission checks them, control by control.

``violations(spec, spec_path, annotations, annotations_path, level)`` lists what a pod spec breaks at
``baseline`` or ``restricted`` (restricted includes baseline), with the path of the offending field,
the control's name as the Kubernetes docs title it, and what is wrong. Every container counts: init
and ephemeral ones too. Windows pods (``spec.os.name: windows``) skip the Linux-only restricted controls.
The latest version of the standards is used (the namespace's ``enforce-version`` label is not read).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from manifestlint.positions import FieldPath

LEVELS = ("privileged", "baseline", "restricted")
BASELINE_CAPABILITIES = frozenset({"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
                                   "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"})
SAFE_SYSCTLS = frozenset({"kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
                          "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies",
                          "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports",
                          "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl",
                          "net.ipv4.tcp_keepalive_probes"})
SELINUX_TYPES = frozenset({"", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"})
RESTRICTED_VOLUMES = frozenset({"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim",
                                "projected", "secret"})
VOLUME_NON_SOURCE_KEYS = frozenset({"name"})
CONTAINER_GROUPS = ("initContainers", "containers", "ephemeralContainers")
APPARMOR_PREFIX = "container.apparmor.security.beta.kubernetes.io/"


@dataclass(frozen=True, slots=True)
class Breach:
    """One control a pod breaks: where, which control, what is wrong."""

    path: FieldPath
    control: str
    detail: str
    level: str  # the lowest level that forbids it


def level_rank(level: str) -> int:
    return LEVELS.index(level) if level in LEVELS else -1


def _containers(spec: dict[str, Any], spec_path: FieldPath) -> Iterator[tuple[FieldPath, dict[str, Any], str]]:
    for group in CONTAINER_GROUPS:
        items = spec.get(group)
        for i, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict):
                raw_name = item.get("name")
                yield (*spec_path, group, i), item, raw_name if isinstance(raw_name, str) else f"#{i}"


def _sc(obj: dict[str, Any]) -> dict[str, Any]:
    sc = obj.get("securityContext")
    return sc if isinstance(sc, dict) else {}


def violations(spec: dict[str, Any], spec_path: FieldPath, annotations: dict[str, Any], annotations_path: FieldPath,
               level: str) -> list[Breach]:
    """Every control of ``level`` that the pod spec breaks (an empty list for ``privileged``)."""
    if level_rank(level) < 1:
        return []
    found = list(_baseline(spec, spec_path, annotations, annotations_path))
    if level == "restricted":
        found += _restricted(spec, spec_path)
    return found


def _baseline(spec: dict[str, Any], spec_path: FieldPath, annotations: dict[str, Any],
              annotations_path: FieldPath) -> Iterator[Breach]:
    pod_sc = _sc(spec)
    pod_sc_path = (*spec_path, "securityContext")
    containers = list(_containers(spec, spec_path))

    def breach(path: FieldPath, control: str, detail: str) -> Breach:
        return Breach(path, control, detail, "baseline")

    windows = pod_sc.get("windowsOptions")
    if isinstance(windows, dict) and windows.get("hostProcess") is True:
        yield breach((*pod_sc_path, "windowsOptions", "hostProcess"), "HostProcess",
                     "the pod runs HostProcess containers")
    for path, c, name in containers:
        options = _sc(c).get("windowsOptions")
        if isinstance(options, dict) and options.get("hostProcess") is True:
            yield breach((*path, "securityContext", "windowsOptions", "hostProcess"), "HostProcess",
                         f"container {name!r} is a HostProcess container")
    for key in ("hostNetwork", "hostPID", "hostIPC"):
        if spec.get(key) is True:
            yield breach((*spec_path, key), "Host Namespaces", f"the pod sets {key}: true")
    for path, c, name in containers:
        if _sc(c).get("privileged") is True:
            yield breach((*path, "securityContext", "privileged"), "Privileged Containers",
                         f"container {name!r} is privileged")
    for path, c, name in containers:
        caps = _sc(c).get("capabilities")
        added = caps.get("add") if isinstance(caps, dict) else None
        for i, cap in enumerate(added if isinstance(added, list) else []):
            if str(cap) not in BASELINE_CAPABILITIES:
                yield breach((*path, "securityContext", "capabilities", "add", i), "Capabilities",
                             f"container {name!r} adds {cap}")
    volumes = spec.get("volumes")
    for i, volume in enumerate(volumes if isinstance(volumes, list) else []):
        if isinstance(volume, dict) and "hostPath" in volume:
            yield breach((*spec_path, "volumes", i, "hostPath"), "HostPath Volumes",
                         f"volume {volume.get('name')!r} is a hostPath")
    for path, c, name in containers:
        ports = c.get("ports")
        for i, port in enumerate(ports if isinstance(ports, list) else []):
            host_port = port.get("hostPort") if isinstance(port, dict) else None
            if isinstance(host_port, int) and not isinstance(host_port, bool) and host_port != 0:
                yield breach((*path, "ports", i, "hostPort"), "Host Ports",
                             f"container {name!r} uses hostPort {host_port}")
    for key, value in annotations.items():
        if isinstance(key, str) and key.startswith(APPARMOR_PREFIX) and isinstance(value, str) \
                and value != "runtime/default" and not value.startswith("localhost/"):
            yield breach((*annotations_path, key), "AppArmor", f"the AppArmor annotation sets {value!r}")
    for path, obj in ((pod_sc_path, pod_sc), *(((*p, "securityContext"), _sc(c)) for p, c, _ in containers)):
        profile = obj.get("appArmorProfile")
        if isinstance(profile, dict) and profile.get("type") not in (None, "RuntimeDefault", "Localhost"):
            yield breach((*path, "appArmorProfile", "type"), "AppArmor",
                         f"appArmorProfile.type is {profile.get('type')!r}")
        selinux = obj.get("seLinuxOptions")
        if isinstance(selinux, dict):
            if str(selinux.get("type") or "") not in SELINUX_TYPES:
                yield breach((*path, "seLinuxOptions", "type"), "SELinux",
                             f"seLinuxOptions.type is {selinux['type']!r}")
            for key in ("user", "role"):
                if selinux.get(key):
                    yield breach((*path, "seLinuxOptions", key), "SELinux", f"seLinuxOptions.{key} is set")
        seccomp = obj.get("seccompProfile")
        if isinstance(seccomp, dict) and seccomp.get("type") == "Unconfined":
            yield breach((*path, "seccompProfile", "type"), "Seccomp", "seccompProfile.type is Unconfined")
    for path, c, name in containers:
        if _sc(c).get("procMount") not in (None, "Default"):
            yield breach((*path, "securityContext", "procMount"), "/proc Mount Type",
                         f"container {name!r} sets procMount {_sc(c).get('procMount')!r}")
    for key, value in annotations.items():
        legacy = key == "seccomp.security.alpha.kubernetes.io/pod" or (
            isinstance(key, str) and key.startswith("container.seccomp.security.alpha.kubernetes.io/"))
        if legacy and value == "unconfined":
            yield breach((*annotations_path, key), "Seccomp", "the seccomp annotation is unconfined")
    sysctls = pod_sc.get("sysctls")
    for i, item in enumerate(sysctls if isinstance(sysctls, list) else []):
        sysctl = item.get("name") if isinstance(item, dict) else None
        if isinstance(sysctl, str) and sysctl not in SAFE_SYSCTLS:
            yield breach((*pod_sc_path, "sysctls", i, "name"), "Sysctls", f"sysctl {sysctl} is not in the safe set")


def _restricted(spec: dict[str, Any], spec_path: FieldPath) -> Iterator[Breach]:
    pod_sc = _sc(spec)
    pod_sc_path = (*spec_path, "securityContext")
    containers = list(_containers(spec, spec_path))
    os_field = spec.get("os")
    windows = isinstance(os_field, dict) and os_field.get("name") == "windows"

    def breach(path: FieldPath, control: str, detail: str) -> Breach:
        return Breach(path, control, detail, "restricted")

    volumes = spec.get("volumes")
    for i, volume in enumerate(volumes if isinstance(volumes, list) else []):
        if not isinstance(volume, dict):
            continue
        sources = [k for k in volume if k not in VOLUME_NON_SOURCE_KEYS]
        bad = [k for k in sources if k not in RESTRICTED_VOLUMES and k != "hostPath"]
        if bad:
            yield breach((*spec_path, "volumes", i, bad[0]), "Volume Types",
                         f"volume {volume.get('name')!r} is of type {bad[0]}")
    for path, c, name in containers:
        if not windows and _sc(c).get("allowPrivilegeEscalation") is not False:
            yield breach((*path, "securityContext", "allowPrivilegeEscalation"), "Privilege Escalation",
                         f"container {name!r} does not set allowPrivilegeEscalation: false")
    pod_non_root = pod_sc.get("runAsNonRoot")
    if pod_non_root is False:
        yield breach((*pod_sc_path, "runAsNonRoot"), "Running as Non-root", "the pod sets runAsNonRoot: false")
    for path, c, name in containers:
        own = _sc(c).get("runAsNonRoot")
        if own is False or (own is None and pod_non_root is not True):
            yield breach((*path, "securityContext", "runAsNonRoot"), "Running as Non-root",
                         f"container {name!r} does not run with runAsNonRoot: true")
    for path, obj in ((pod_sc_path, pod_sc), *(((*p, "securityContext"), _sc(c)) for p, c, _ in containers)):
        user = obj.get("runAsUser")
        if isinstance(user, int) and not isinstance(user, bool) and user == 0:
            yield breach((*path, "runAsUser"), "Running as Non-root user", "runAsUser is 0")
    if not windows:
        pod_seccomp = pod_sc.get("seccompProfile")
        pod_type = pod_seccomp.get("type") if isinstance(pod_seccomp, dict) else None
        for path, c, name in containers:
            own = _sc(c).get("seccompProfile")
            own_type = own.get("type") if isinstance(own, dict) else None
            effective = own_type or pod_type
            if effective not in ("RuntimeDefault", "Localhost"):
                if effective == "Unconfined":
                    continue  # already a baseline breach
                yield breach((*path, "securityContext", "seccompProfile"), "Seccomp",
                             f"container {name!r} has no seccompProfile of type RuntimeDefault or Localhost")
        for path, c, name in containers:
            caps = _sc(c).get("capabilities")
            caps = caps if isinstance(caps, dict) else {}
            drop = caps.get("drop")
            if not (isinstance(drop, list) and "ALL" in [str(d) for d in drop]):
                yield breach((*path, "securityContext", "capabilities", "drop"), "Capabilities",
                             f"container {name!r} does not drop ALL capabilities")
            added = caps.get("add")
            for i, cap in enumerate(added if isinstance(added, list) else []):
                if str(cap) != "NET_BIND_SERVICE" and str(cap) in BASELINE_CAPABILITIES:
                    yield breach((*path, "securityContext", "capabilities", "add", i), "Capabilities",
                                 f"container {name!r} adds {cap} (restricted allows only NET_BIND_SERVICE)")
