"""ML101: privileged containers."""

from __future__ import annotations

from collections.abc import Iterator

from manifestlint.document import Document
from manifestlint.fix.edits import Fix
from manifestlint.k8s.workloads import WORKLOAD_KINDS, containers
from manifestlint.rule import Context, Rule, Violation, define


@define(id="ML101", name="privileged-container", title="Container runs privileged", severity="error",
        checklist=["WL-5"], tags=["security", "pss:baseline", "cis:5.2.2"], targets=WORKLOAD_KINDS,
        security_severity="9.0", fixable=True, fix_note="sets `privileged: false`")
class PrivilegedContainer(Rule):
    """
    ## What it does
    Flags every container, init container and ephemeral container with
    `securityContext.privileged: true` (the Pod Security Standards' baseline "Privileged Containers" control).

    ## Why is this bad?
    A privileged container has every capability and every host device, and can turn off the kernel
    protections that isolate it. Escaping to the node from it is a matter of a few commands; from the
    node, every pod on it and the kubelet's credentials are exposed.

    ## How to fix
    Remove `privileged: true` (or set it to `false`) and grant only the capabilities the process needs
    with `securityContext.capabilities.add`. Device plugins give access to specific devices.

    ## References
    - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
    - https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        for container in containers(doc):
            if container.security_context.get("privileged") is True:
                path = (*container.path, "securityContext", "privileged")
                yield Violation(path, f"{container.describe()} runs privileged: remove `privileged: true` and add only "
                                "the capabilities it needs", fix=Fix.set(path, False))
