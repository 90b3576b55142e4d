"""ML111: SELinux options that change the container's domain, user or role."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from manifestlint.document import Document
from manifestlint.k8s.security_context import pod_security_context
from manifestlint.k8s.workloads import WORKLOAD_KINDS, containers
from manifestlint.positions import FieldPath
from manifestlint.rule import Context, Rule, Violation, define

ALLOWED_TYPES = frozenset({"", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"})


@define(id="ML111", name="selinux-options", title="Pod or container sets a custom SELinux type, user or role",
        severity="error", checklist=["WL-5"], tags=["security", "pss:baseline"], targets=WORKLOAD_KINDS,
        security_severity="6.5")
class SELinuxOptions(Rule):
    """
    ## What it does
    Applies the Pod Security Standards' baseline "SELinux" control to `seLinuxOptions` in the pod's
    `securityContext` and every container's (init and ephemeral too):

    - `type` must be empty or one of `container_t`, `container_init_t`, `container_kvm_t`,
      `container_engine_t` (the last allowed since Kubernetes 1.31);
    - `user` and `role` must not be set.

    Each offending field is reported at its line. `level` is not restricted.

    ## Why is this bad?
    On SELinux nodes the container types confine what a container process may touch on the node. A
    type such as `spc_t` ("super privileged container") or `unconfined_t` lifts that confinement, and
    a custom user or role moves the process into another security context altogether.

    ## How to fix
    Remove `type`, `user` and `role` from `seLinuxOptions` (keep `level` if you need MCS
    categories), or use one of the container types. Workloads that need `spc_t`, such as some CNI
    agents, belong in a namespace where the baseline profile is not enforced, with the finding
    suppressed and a reason given.

    ## References
    - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
    - https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#assign-selinux-labels-to-a-container
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        pod_path, pod_sc = pod_security_context(doc)
        settings: list[tuple[str, FieldPath, Any]] = [("the pod", (*pod_path, "seLinuxOptions"),
                                                       pod_sc.get("seLinuxOptions"))]
        for container in containers(doc):
            settings.append((container.describe(), (*container.path, "securityContext", "seLinuxOptions"),
                             container.security_context.get("seLinuxOptions")))
        for who, path, options in settings:
            if not isinstance(options, dict):
                continue
            kind = options.get("type")
            if kind is not None and not (isinstance(kind, str) and kind in ALLOWED_TYPES):
                yield Violation((*path, "type"), f"{who} sets SELinux type {kind!r}: remove it or use container_t")
            for field in ("user", "role"):
                if options.get(field) not in (None, ""):
                    yield Violation((*path, field), f"{who} sets a custom SELinux {field} "
                                                    f"{options[field]!r}: remove seLinuxOptions.{field}")
