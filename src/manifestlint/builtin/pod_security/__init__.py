"""Built-in plugin: the Pod Security Standards, control by control (checklist WL-5)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from manifestlint._resources import data_dir
from manifestlint.hookspecs import hookimpl
from manifestlint.rule import Rule


@hookimpl
def manifestlint_rules() -> Sequence[type[Rule]]:
    from manifestlint.builtin.pod_security.added_capabilities import AddedCapabilities
    from manifestlint.builtin.pod_security.apparmor import AppArmorUnconfined
    from manifestlint.builtin.pod_security.capabilities_not_dropped import CapabilitiesNotDropped
    from manifestlint.builtin.pod_security.host_path import HostPathVolume
    from manifestlint.builtin.pod_security.host_probes import HostProbes
    from manifestlint.builtin.pod_security.host_process import WindowsHostProcess
    from manifestlint.builtin.pod_security.privilege_escalation import PrivilegeEscalationAllowed
    from manifestlint.builtin.pod_security.privileged import PrivilegedContainer
    from manifestlint.builtin.pod_security.run_as_root import RunAsRoot
    from manifestlint.builtin.pod_security.seccomp import SeccompProfile
    from manifestlint.builtin.pod_security.selinux import SELinuxOptions
    from manifestlint.builtin.pod_security.sysctls import UnsafeSysctls
    from manifestlint.builtin.pod_security.volume_types import RestrictedVolumeTypes
    from manifestlint.builtin.pod_security.writable_root import WritableRootFilesystem

    # ML104 (host-port) and ML112 (proc-mount-unmasked) are declarative: rules/pod-security/.
    return [PrivilegedContainer, HostPathVolume, AddedCapabilities, CapabilitiesNotDropped,
            PrivilegeEscalationAllowed, RunAsRoot, SeccompProfile, AppArmorUnconfined, SELinuxOptions,
            UnsafeSysctls, RestrictedVolumeTypes, WritableRootFilesystem, WindowsHostProcess, HostProbes]


@hookimpl
def manifestlint_rule_dirs() -> Sequence[Path]:
    return [data_dir("rules") / "pod-security"]
