"""Shared pieces of the Pod Security Standards rules: pod facts and the inherited-field walk."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from manifestlint.document import Document
from manifestlint.k8s.security_context import effective, pod_security_context
from manifestlint.k8s.workloads import ContainerRef, containers, pod_spec, pod_template_path
from manifestlint.positions import FieldPath


def is_windows_pod(doc: Document) -> bool:
    """Whether the pod declares ``spec.os.name: windows``; the restricted Linux-only controls skip it."""
    found = pod_spec(doc)
    if found is None:
        return False
    os_field = found[1].get("os")
    return isinstance(os_field, dict) and os_field.get("name") == "windows"


def pod_annotations(doc: Document) -> tuple[FieldPath, dict[str, Any]]:
    """The annotations the workload's pods get (the Pod's own, or its template's), and their path."""
    found = doc.memo.get("pod_annotations")
    if found is None:  # asked by several rules for every workload
        found = doc.memo["pod_annotations"] = _pod_annotations(doc)
    return found


def _pod_annotations(doc: Document) -> tuple[FieldPath, dict[str, Any]]:
    template = pod_template_path(doc)
    if template is None:
        return (), {}
    path = (*template, "metadata", "annotations")
    annotations = doc.get(path)
    return path, (annotations if isinstance(annotations, dict) else {})


def is_int(value: Any, number: int | None = None) -> bool:
    """An integer that is not a boolean (``True == 1`` in Python), optionally equal to ``number``."""
    return isinstance(value, int) and not isinstance(value, bool) and (number is None or value == number)


def shown(value: Any) -> str:
    """A value as YAML writes it (``false``, not Python's ``False``); strings quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else repr(value)


def quoted(names: list[str]) -> str:
    return ", ".join(repr(name) for name in names)


@dataclass(frozen=True, slots=True)
class Unmet:
    """An inherited field that is wrong where it is set, or unset for some containers."""

    path: FieldPath
    value: Any  # the bad value, or None when the field is missing
    containers: tuple[ContainerRef, ...]
    at_pod: bool  # the path is the pod's securityContext (set there, or missing for every container)


def unmet_inherited(doc: Document, key: str, good: Callable[[Any], bool]) -> Iterator[Unmet]:
    """Where a container's effective ``securityContext.key`` (its own, else the pod's) is not ``good``.

    A bad value is reported once where it is set, with every container that runs with it. Missing
    values are reported at the pod's securityContext when no container sets the field itself (one
    fix covers them all), else at each container that lacks it.
    """
    pod_path, pod_sc = pod_security_context(doc)
    refs = list(containers(doc))
    bad: dict[FieldPath, list[ContainerRef]] = {}
    missing: list[ContainerRef] = []
    for ref in refs:
        value, path = effective(doc, ref, key)
        if path is None:
            missing.append(ref)
        elif not good(value):
            bad.setdefault(path, []).append(ref)
    pod_value = pod_sc.get(key)
    pod_key_path = (*pod_path, key)
    if pod_value is not None and not good(pod_value) and pod_key_path not in bad:
        bad[pod_key_path] = []  # a bad pod-level value is wrong even when every container overrides it
    for path, users in bad.items():
        value = doc.get(path)
        yield Unmet(path, value, tuple(users), path == pod_key_path)
    if not missing or not pod_path:
        return
    if len(missing) == len(refs):
        yield Unmet(pod_key_path, None, tuple(missing), True)
    else:
        for ref in missing:
            yield Unmet((*ref.path, "securityContext", key), None, (ref,), False)
