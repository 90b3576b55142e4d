"""Which containers should have probes: the ones that run for the pod's whole life."""

from __future__ import annotations

from collections.abc import Iterator

from manifestlint.document import Document
from manifestlint.k8s.workloads import BATCH_KINDS, ContainerRef, containers, pod_spec

# A bare Pod with these restart policies runs to completion, like a Job's pod.
_RUN_TO_COMPLETION = frozenset({"Never", "OnFailure"})


def long_running_containers(doc: Document) -> Iterator[ContainerRef]:
    """App containers and native sidecars of pods that keep running.

    Not Job or CronJob pods, not bare Pods that run to completion, not ordinary init containers
    (Kubernetes rejects probes on them) and not ephemeral containers (they cannot have probes).
    """
    if doc.kind in BATCH_KINDS:
        return
    found = pod_spec(doc)
    if found is None:
        return
    restart = found[1].get("restartPolicy")
    if doc.kind == "Pod" and isinstance(restart, str) and restart in _RUN_TO_COMPLETION:
        return
    for container in containers(doc, ("initContainers", "containers")):
        if not container.is_init or container.is_sidecar:
            yield container


def has_probe(container: ContainerRef, field: str) -> bool:
    """Whether ``field`` holds a probe; ``readinessProbe: null`` or ``{}`` (no handler) counts as none."""
    probe = container.data.get(field)
    return isinstance(probe, dict) and bool(probe)
