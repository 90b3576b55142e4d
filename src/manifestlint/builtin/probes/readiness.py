"""ML207: long-running containers without a readiness probe."""

from __future__ import annotations

from collections.abc import Iterator

from manifestlint.builtin.probes.common import has_probe, long_running_containers
from manifestlint.document import Document
from manifestlint.k8s.workloads import WORKLOAD_KINDS
from manifestlint.rule import Context, Rule, Violation, define


@define(id="ML207", name="missing-readiness-probe", title="Long-running container has no readiness probe",
        severity="warning", checklist=["RA-8", "RA-2"], targets=WORKLOAD_KINDS)
class MissingReadinessProbe(Rule):
    """
    ## What it does
    Flags every container of a long-running workload (Deployment, StatefulSet, DaemonSet,
    ReplicaSet, ReplicationController, PodTemplate, and a bare Pod whose `restartPolicy` is
    `Always`) that has no `readinessProbe`. Native sidecars (init containers with
    `restartPolicy: Always`) count as long-running. Job and CronJob pods, bare Pods that run to
    completion, ordinary init containers and ephemeral containers are left alone: they cannot have
    probes or do not serve. The finding points at the container.

    ## Why is this bad?
    Without a readiness probe a container counts as ready the moment its process starts: Services
    send it traffic while it is still loading, and a rolling update replaces working pods with new
    ones that fail every request, because nothing tells the rollout to wait. A readiness probe is
    also the only signal that takes a temporarily overloaded pod out of rotation without
    restarting it.

    ## How to fix
    Add a `readinessProbe` that succeeds only when the container can serve: an `httpGet` on a
    health endpoint, a `tcpSocket` on its port, a `grpc` health check or an `exec` command. For
    slow starters add a `startupProbe` as well rather than a long `initialDelaySeconds`.

    ## References
    - https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/
    - https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        for container in long_running_containers(doc):
            if not has_probe(container, "readinessProbe"):
                yield Violation((*container.path, "readinessProbe"),
                                f"{container.describe()} has no readinessProbe: add one (httpGet, tcpSocket, grpc or "
                                "exec) that succeeds only when it can serve, so traffic and rollouts wait for it")
