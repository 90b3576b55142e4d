"""Find the pod spec and every container of a workload, with their field paths."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from manifestlint.document import Document
from manifestlint.positions import FieldPath

POD_SPEC_PATHS: dict[str, FieldPath] = {
    "Pod": ("spec",),
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "ReplicationController": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
    "PodTemplate": ("template", "spec"),
}
WORKLOAD_KINDS = frozenset(POD_SPEC_PATHS)
# Kinds whose pods run to completion: no readiness or liveness probes expected.
BATCH_KINDS = frozenset({"Job", "CronJob"})
CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")
_GROUP_WORDS = {"containers": "container", "initContainers": "init container",
                "ephemeralContainers": "ephemeral container"}


@dataclass(frozen=True, slots=True)
class ContainerRef:
    """One container of a pod spec; ``group`` is ``containers``, ``initContainers`` or ``ephemeralContainers``."""

    path: FieldPath
    data: dict[str, Any]
    group: str

    @property
    def name(self) -> str:
        name = self.data.get("name")
        return name if isinstance(name, str) else f"#{self.path[-1]}"

    @property
    def security_context(self) -> dict[str, Any]:
        sc = self.data.get("securityContext")
        return sc if isinstance(sc, dict) else {}

    @property
    def is_init(self) -> bool:
        return self.group == "initContainers"

    @property
    def is_sidecar(self) -> bool:
        """A native sidecar: an init container with ``restartPolicy: Always`` runs for the pod's life."""
        return self.group == "initContainers" and self.data.get("restartPolicy") == "Always"

    def describe(self) -> str:
        return f"{_GROUP_WORDS[self.group]} {self.name!r}"


def pod_template_path(doc: Document) -> FieldPath | None:
    """The path of the pod template (the mapping holding ``metadata`` and ``spec``), or of the Pod."""
    spec_path = POD_SPEC_PATHS.get(doc.kind)
    return spec_path[:-1] if spec_path else None


def pod_spec(doc: Document) -> tuple[FieldPath, dict[str, Any]] | None:
    """The pod spec of a workload and its path, or None when the object has none."""
    path = POD_SPEC_PATHS.get(doc.kind)
    if path is None:
        return None
    found = doc.memo.get("pod_spec", _UNSET)
    if found is _UNSET:  # asked by dozens of rules per workload
        spec = doc.get(path)
        found = doc.memo["pod_spec"] = (path, spec) if isinstance(spec, dict) else None
    return found  # type: ignore[no-any-return]


_UNSET = object()


def containers(doc: Document, groups: tuple[str, ...] = CONTAINER_LISTS) -> Iterator[ContainerRef]:
    """Every container of the workload that is a mapping, init and ephemeral ones included."""
    every = doc.memo.get("containers")
    if every is None:  # some thirty rules ask for the containers of each document: find them once
        every = doc.memo["containers"] = tuple(_find_containers(doc))
    if groups is CONTAINER_LISTS:
        return iter(every)
    return (c for c in every if c.group in groups)


def _find_containers(doc: Document) -> Iterator[ContainerRef]:
    found = pod_spec(doc)
    if found is None:
        return
    path, spec = found
    for group in CONTAINER_LISTS:
        items = spec.get(group)
        if not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            if isinstance(item, dict):
                yield ContainerRef((*path, group, i), item, group)


def pod_labels(doc: Document) -> tuple[FieldPath, dict[str, Any]] | None:
    """The labels the workload's pods get, and their path."""
    template = pod_template_path(doc)
    if template is None:
        return None
    path = (*template, "metadata", "labels")
    labels = doc.get(path)
    return path, (labels if isinstance(labels, dict) else {})


@dataclass(frozen=True, slots=True)
class VolumeRef:
    """One volume of a pod spec that is a mapping."""

    path: FieldPath
    data: dict[str, Any]

    def describe(self) -> str:
        name = self.data.get("name")
        return f"volume {name!r}" if isinstance(name, str) else f"volume #{self.path[-1]}"


def volumes(doc: Document) -> Iterator[VolumeRef]:
    """Every volume of the workload's pod spec that is a mapping."""
    found = pod_spec(doc)
    if found is None:
        return
    path, spec = found
    items = spec.get("volumes")
    if isinstance(items, list):
        for index, item in enumerate(items):
            if isinstance(item, dict):
                yield VolumeRef((*path, "volumes", index), item)
