"""Effective security settings: a container's securityContext over its pod's."""

from __future__ import annotations

from typing import Any

from manifestlint.document import Document
from manifestlint.k8s.workloads import ContainerRef, pod_spec
from manifestlint.positions import FieldPath

# Fields a container inherits from the pod's securityContext when it does not set them.
INHERITED = frozenset({"runAsUser", "runAsGroup", "runAsNonRoot", "seccompProfile", "seLinuxOptions",
                       "appArmorProfile", "windowsOptions"})


def pod_security_context(doc: Document) -> tuple[FieldPath, dict[str, Any]]:
    """The pod's securityContext and its path (``{}`` when it has none)."""
    found = doc.memo.get("pod_security_context")
    if found is None:  # asked by most Pod Security Standards rules, for every workload
        found = doc.memo["pod_security_context"] = _pod_security_context(doc)
    return found


def _pod_security_context(doc: Document) -> tuple[FieldPath, dict[str, Any]]:
    found = pod_spec(doc)
    if found is None:
        return (), {}
    path, spec = found
    sc = spec.get("securityContext")
    return (*path, "securityContext"), (sc if isinstance(sc, dict) else {})


def effective(doc: Document, container: ContainerRef, key: str) -> tuple[Any, FieldPath | None]:
    """The value a container runs with for ``key`` and the path that sets it (None when unset)."""
    own = container.security_context
    if key in own and own[key] is not None:
        return own[key], (*container.path, "securityContext", key)
    if key in INHERITED:
        path, pod_sc = pod_security_context(doc)
        if key in pod_sc and pod_sc[key] is not None:
            return pod_sc[key], (*path, key)
    return None, None
