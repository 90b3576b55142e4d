"""ML116: Windows HostProcess pods and containers."""

from __future__ import annotations

from collections.abc import Iterator

from manifestlint.document import Document
from manifestlint.k8s.security_context import pod_security_context
from manifestlint.k8s.workloads import WORKLOAD_KINDS, containers
from manifestlint.rule import Context, Rule, Violation, define


def _host_process(security_context: dict[str, object]) -> bool:
    options = security_context.get("windowsOptions")
    return isinstance(options, dict) and options.get("hostProcess") is True


@define(id="ML116", name="windows-host-process", title="Pod runs Windows HostProcess containers", severity="error",
        checklist=["WL-5"], tags=["security", "pss:baseline", "cis:5.2.10"], targets=WORKLOAD_KINDS,
        security_severity="9.0")
class WindowsHostProcess(Rule):
    """
    ## What it does
    Flags `securityContext.windowsOptions.hostProcess: true` in the pod's `securityContext` and in
    any container, init container or ephemeral container (the Pod Security Standards' baseline
    "HostProcess" control), at each line that sets it.

    ## Why is this bad?
    A HostProcess container is a process on the Windows node itself, not in a container: it sees
    the node's filesystem, network and processes, and can run as `NT AUTHORITY\\SYSTEM`. It is the
    Windows counterpart of a privileged pod with host namespaces.

    ## How to fix
    Remove `hostProcess: true`. Node management on Windows (CNI, CSI, log and metrics agents) that
    needs it belongs in a namespace where the baseline profile is not enforced, with the finding
    suppressed and a reason given.

    ## References
    - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
    - https://kubernetes.io/docs/tasks/configure-pod-container/create-hostprocess-pod/
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        pod_path, pod_sc = pod_security_context(doc)
        if _host_process(pod_sc):
            yield Violation((*pod_path, "windowsOptions", "hostProcess"),
                            "the pod runs as Windows HostProcess, with full access to the node: remove "
                            "windowsOptions.hostProcess")
        for container in containers(doc):
            if _host_process(container.security_context):
                yield Violation((*container.path, "securityContext", "windowsOptions", "hostProcess"),
                                f"{container.describe()} runs as a Windows HostProcess, with full access to the "
                                "node: remove windowsOptions.hostProcess")
