"""ML208: long-running containers without a liveness probe."""

from __future__ import annotations

from collections.abc import Iterator

from manifestlint.builtin.probes.common import has_probe, long_running_containers
from manifestlint.document import Document
from manifestlint.k8s.workloads import WORKLOAD_KINDS
from manifestlint.rule import Context, Rule, Violation, define


@define(id="ML208", name="missing-liveness-probe", title="Long-running container has no liveness probe",
        severity="note", checklist=["RA-8", "RA-2"], targets=WORKLOAD_KINDS)
class MissingLivenessProbe(Rule):
    """
    ## What it does
    Flags every container of a long-running workload (the same containers as ML207
    `missing-readiness-probe`: app containers and native sidecars of Deployments, StatefulSets,
    DaemonSets, ReplicaSets, ReplicationControllers, PodTemplates and always-restarting bare Pods)
    that has no `livenessProbe`. It is advice, at `note` level: a missing liveness probe is a gap,
    but a careless one does more harm than none, so the rule never fails a run under the default
    `--fail-on warning`.

    ## Why is this bad?
    A process that deadlocks, or spins without making progress, keeps running: the kubelet only
    restarts containers that exit, so the pod stays "Running" and, once its readiness probe fails,
    out of rotation for good. A liveness probe lets the kubelet restart it.

    ## How to fix
    Add a `livenessProbe` that checks only the process itself (a cheap `/healthz` that does not call
    databases or other services), with a `failureThreshold` and `periodSeconds` generous enough to
    ride out garbage-collection pauses. Do not reuse the readiness check: when a shared dependency
    is down, a liveness probe that follows it restarts every replica at once. Protect slow starters
    with a `startupProbe`.

    ## References
    - https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/
    - https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
    - https://github.com/zegl/kube-score/blob/master/README_PROBES.md
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        for container in long_running_containers(doc):
            if not has_probe(container, "livenessProbe"):
                yield Violation((*container.path, "livenessProbe"),
                                f"{container.describe()} has no livenessProbe: add one that checks only the process "
                                "itself (not its dependencies), so the kubelet restarts it when it hangs")
