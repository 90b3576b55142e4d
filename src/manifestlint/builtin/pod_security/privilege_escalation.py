"""ML107: containers that may gain privileges (setuid binaries, file capabilities)."""

from __future__ import annotations

from collections.abc import Iterator

from manifestlint.builtin.pod_security._pss import is_windows_pod
from manifestlint.document import Document
from manifestlint.fix.edits import Fix
from manifestlint.k8s.workloads import WORKLOAD_KINDS, containers
from manifestlint.rule import Context, Rule, Violation, define


@define(id="ML107", name="privilege-escalation-allowed", title="Container allows privilege escalation",
        severity="warning", checklist=["WL-5"], tags=["security", "pss:restricted", "cis:5.2.6"],
        targets=WORKLOAD_KINDS, security_severity="6.0", fixable=True,
        fix_note="sets `allowPrivilegeEscalation: false` in each container's securityContext (not in a privileged "
                 "container, which the API server would then reject: fix ML101 first)")
class PrivilegeEscalationAllowed(Rule):
    """
    ## What it does
    Applies the Pod Security Standards' restricted "Privilege Escalation" control: every container,
    init container and ephemeral container must set `securityContext.allowPrivilegeEscalation: false`.
    The field exists only on containers (a pod-level value does not exist, so nothing is inherited);
    leaving it out means `true`. `true` is reported at its line, a missing value at the container.
    Pods with `spec.os.name: windows` are exempt, as in Pod Security Admission.

    ## Why is this bad?
    While escalation is allowed, the kernel's `no_new_privs` flag is off: a setuid-root binary or a
    file with capabilities in the image raises the process's privileges, which turns many footholds
    into root inside the container. A container that is `privileged` or adds `SYS_ADMIN` always
    allows escalation.

    ## How to fix
    Set `allowPrivilegeEscalation: false` in each container's `securityContext` (and drop
    `privileged: true` and `SYS_ADMIN`, which the API server does not allow together with it).

    ## References
    - https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
    - https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
    - https://www.kernel.org/doc/html/latest/userspace-api/no_new_privs.html
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        if is_windows_pod(doc):
            return
        for container in containers(doc):
            context = container.security_context
            value = context.get("allowPrivilegeEscalation")
            if value is False:
                continue
            who = container.describe()
            path = (*container.path, "securityContext", "allowPrivilegeEscalation")
            fix = None if context.get("privileged") is True else Fix.set(path, False)
            if value is True:
                yield Violation(path, f"{who} sets allowPrivilegeEscalation: true: set it to false", fix=fix)
            elif context.get("privileged") is True:
                yield Violation(path, f"{who} is privileged, which always allows privilege escalation: remove "
                                      "`privileged: true` and set allowPrivilegeEscalation: false")
            elif value is None:
                yield Violation(path, f"{who} allows privilege escalation by default: set "
                                      "securityContext.allowPrivilegeEscalation: false", fix=fix)
            else:
                yield Violation(path, f"{who} sets allowPrivilegeEscalation to the string {value!r}, not a boolean: "
                                      "set it to false", fix=fix)
