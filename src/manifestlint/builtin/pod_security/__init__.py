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
    from manifestlint.builtin.pod_security.privilege_escalation import PrivilegeEscalationAllowed
    from manifestlint.builtin.pod_security.privileged import PrivilegedContainer
    from manifestlint.builtin.pod_security.run_as_root import RunAsRoot
    from manifestlint.builtin.pod_security.seccomp import SeccompProfile
    from manifestlint.builtin.pod_security.selinux import SELinuxOptions

    return [PrivilegedContainer, HostPathVolume, AddedCapabilities, CapabilitiesNotDropped,
            PrivilegeEscalationAllowed, RunAsRoot, SeccompProfile, AppArmorUnconfined, SELinuxOptions]


@hookimpl
def manifestlint_rule_dirs() -> Sequence[Path]:
    return [data_dir("rules") / "pod-security"]
