"""ML115: containers whose root filesystem is writable (not a Pod Security Standards control)."""

from __future__ import annotations

from collections.abc import Iterator

from manifestlint.builtin.pod_security._pss import is_windows_pod, shown
from manifestlint.document import Document
from manifestlint.fix.edits import Fix
from manifestlint.k8s.workloads import WORKLOAD_KINDS, containers
from manifestlint.rule import Context, Rule, Violation, define


@define(id="ML115", name="writable-root-filesystem", title="Container root filesystem is writable",
        severity="warning", checklist=["WL-5"], tags=["security"], targets=WORKLOAD_KINDS,
        security_severity="4.0", fixable=True,
        fix_note="sets `readOnlyRootFilesystem: true` (mount an `emptyDir` where the program writes)")
class WritableRootFilesystem(Rule):
    """
    ## What it does
    Flags every container, init container and ephemeral container whose
    `securityContext.readOnlyRootFilesystem` is not `true`: missing (reported at the container, or
    its `securityContext`) or `false` (at its line). The field exists only on containers, so nothing
    is inherited from the pod. Pods with `spec.os.name: windows` are skipped: Windows does not
    support the field. This is a hardening check from the checklist's WL-5 evidence, not a Pod
    Security Standards control: admission does not enforce it.

    ## Why is this bad?
    A writable root filesystem lets an intruder replace the application's binaries and libraries,
    drop tools, or change configuration that the image was meant to fix, and the change survives
    until the container restarts. With a read-only root, writes can go only to volumes you chose.

    ## How to fix
    Set `readOnlyRootFilesystem: true` in each container's `securityContext`, and mount an
    `emptyDir` at each path the program must write (`/tmp`, caches, PID files).

    ## References
    - https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
    - https://kubernetes.io/docs/concepts/security/security-checklist/
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        if is_windows_pod(doc):
            return
        for container in containers(doc):
            value = container.security_context.get("readOnlyRootFilesystem")
            if value is True:
                continue
            path = (*container.path, "securityContext", "readOnlyRootFilesystem")
            fix = Fix.set(path, True)
            if value is None:
                yield Violation(path, f"{container.describe()} has a writable root filesystem: set securityContext."
                                      "readOnlyRootFilesystem: true and mount an emptyDir where it writes", fix=fix)
            else:
                yield Violation(path, f"{container.describe()} sets readOnlyRootFilesystem: {shown(value)}: set it to "
                                      "true and mount an emptyDir where it writes", fix=fix)
