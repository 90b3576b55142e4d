"""ML113: pod sysctls outside the Pod Security Standards' safe set."""

from __future__ import annotations

from collections.abc import Iterator

from manifestlint.document import Document
from manifestlint.k8s.security_context import pod_security_context
from manifestlint.k8s.workloads import WORKLOAD_KINDS
from manifestlint.rule import Context, Rule, Violation, define

# The baseline profile's allowed names (Kubernetes 1.32+; the kubelet's safe set).
SAFE_SYSCTLS = frozenset({
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports",  # 1.27
    "net.ipv4.tcp_keepalive_time",  # 1.29
    "net.ipv4.tcp_fin_timeout",  # 1.29
    "net.ipv4.tcp_keepalive_intvl",  # 1.29
    "net.ipv4.tcp_keepalive_probes",  # 1.29
    "net.ipv4.tcp_rmem",  # 1.32
    "net.ipv4.tcp_wmem",  # 1.32
})


@define(id="ML113", name="unsafe-sysctls", title="Pod sets a sysctl outside the safe set", severity="error",
        checklist=["WL-5"], tags=["security", "pss:baseline"], targets=WORKLOAD_KINDS, security_severity="6.0")
class UnsafeSysctls(Rule):
    """
    ## What it does
    Flags each entry of the pod's `securityContext.sysctls` whose `name` is not in the Pod Security
    Standards' baseline "Sysctls" list, at its `name`: `kernel.shm_rmid_forced`,
    `net.ipv4.ip_local_port_range`, `net.ipv4.ip_unprivileged_port_start`,
    `net.ipv4.tcp_syncookies`, `net.ipv4.ping_group_range`, `net.ipv4.ip_local_reserved_ports`
    (since Kubernetes 1.27), `net.ipv4.tcp_keepalive_time`, `net.ipv4.tcp_fin_timeout`,
    `net.ipv4.tcp_keepalive_intvl`, `net.ipv4.tcp_keepalive_probes` (1.29), `net.ipv4.tcp_rmem`
    and `net.ipv4.tcp_wmem` (1.32). Names are compared exactly, as Pod Security Admission does
    (`net/ipv4/tcp_syncookies` is reported).

    ## Why is this bad?
    A sysctl is safe only if it is namespaced to the pod and isolated from other pods on the node.
    Others, such as `kernel.msgmax`, `net.core.somaxconn` or `vm.*`, change the whole node or let
    one pod exhaust kernel resources its neighbours share. The kubelet refuses the pod unless its
    `--allowed-unsafe-sysctls` names them, so the pod may also never start.

    ## How to fix
    Remove the sysctl, or tune the node instead (a node tuning operator or the node image). If a
    cluster administrator has allowed it on dedicated nodes, run the pod in a namespace where the
    baseline profile is not enforced and suppress the finding with a reason.

    ## References
    - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
    - https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        path, pod_sc = pod_security_context(doc)
        sysctls = pod_sc.get("sysctls")
        if not isinstance(sysctls, list):
            return
        for index, sysctl in enumerate(sysctls):
            name = sysctl.get("name") if isinstance(sysctl, dict) else None
            if isinstance(name, str) and name in SAFE_SYSCTLS:
                continue
            where = (*path, "sysctls", index, "name")
            if isinstance(name, str):
                yield Violation(where, f"the pod sets sysctl {name}, which is not in the safe set: remove it "
                                       "(or tune the node instead)")
            else:
                yield Violation(where, "the pod sets a sysctl without a name: remove the entry")
