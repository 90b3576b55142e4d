"""ML108: containers that may run as root (runAsNonRoot not true, or runAsUser 0)."""

from __future__ import annotations

from collections.abc import Iterator

from manifestlint.builtin.pod_security._pss import is_int, quoted, shown, unmet_inherited
from manifestlint.document import Document
from manifestlint.fix.edits import Fix
from manifestlint.k8s.security_context import pod_security_context
from manifestlint.k8s.workloads import WORKLOAD_KINDS, containers
from manifestlint.rule import Context, Rule, Violation, define


@define(id="ML108", name="run-as-root", title="Container may run as root", severity="warning",
        checklist=["WL-5"], tags=["security", "pss:restricted", "cis:5.2.7"], targets=WORKLOAD_KINDS,
        security_severity="6.5", fixable=True,
        fix_note="sets `runAsNonRoot: true` where it is missing (in the pod's securityContext when no container "
                 "sets it) or false; `runAsUser: 0` is left alone, since the right uid is the image's to say")
class RunAsRoot(Rule):
    """
    ## What it does
    Applies the Pod Security Standards' restricted "Running as Non-root" and "Running as Non-root
    user" controls to every container, init container and ephemeral container:

    - `runAsNonRoot` must be `true`, set on the container or inherited from the pod's
      `securityContext` (a container's own value overrides the pod's). An explicit `false` is
      reported where it is written, even at pod level when every container overrides it; a missing
      value at the pod's `securityContext` when no container sets it, else at each container
      without it.
    - `runAsUser: 0` is reported wherever it is written (pod or container), whatever else is set.

    ## Why is this bad?
    A process running as uid 0 is root inside the container: it owns every file of the image, can
    use every capability the container keeps, and is root on the node the moment a kernel or runtime
    bug lets it out. `runAsNonRoot: true` makes the kubelet refuse to start a container whose user
    would be root, which catches images that default to root.

    ## How to fix
    Set `securityContext.runAsNonRoot: true` in the pod spec, and a non-zero `runAsUser` (and
    `runAsGroup`) there or in the image (`USER 10001` in the Dockerfile). Remove `runAsUser: 0`.

    ## References
    - https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
    - https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-the-security-context-for-a-pod
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        pod_path, pod_sc = pod_security_context(doc)
        if is_int(pod_sc.get("runAsUser"), 0):
            yield Violation((*pod_path, "runAsUser"), "the pod sets runAsUser: 0, so its containers run as root "
                                                      "(uid 0) unless they override it: set a non-zero uid")
        for container in containers(doc):
            if is_int(container.security_context.get("runAsUser"), 0):
                yield Violation((*container.path, "securityContext", "runAsUser"),
                                f"{container.describe()} runs as root (uid 0): set runAsUser to a non-zero uid")
        for unmet in unmet_inherited(doc, "runAsNonRoot", lambda value: value is True):
            names = quoted([c.name for c in unmet.containers])
            fix = Fix.set(unmet.path, True)
            if unmet.value is None and unmet.at_pod:
                yield Violation(unmet.path, f"neither the pod nor {_plural(len(unmet.containers))} {names} set "
                                            "runAsNonRoot: set securityContext.runAsNonRoot: true in the pod spec",
                                fix=fix)
            elif unmet.value is None:
                yield Violation(unmet.path, f"{unmet.containers[0].describe()} does not require a non-root user: set "
                                            "securityContext.runAsNonRoot: true (here or in the pod spec)", fix=fix)
            elif unmet.at_pod:
                users = f" (used by {names})" if unmet.containers else ""
                yield Violation(unmet.path, f"the pod sets runAsNonRoot: {shown(unmet.value)}{users}: set it to true",
                                fix=fix)
            else:
                yield Violation(unmet.path, f"{unmet.containers[0].describe()} sets runAsNonRoot: "
                                            f"{shown(unmet.value)}: set it to true", fix=fix)


def _plural(count: int) -> str:
    return "container" if count == 1 else "containers"
