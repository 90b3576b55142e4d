"""apiVersion changes that are pure renames: the same fields with the same meaning, so ``--fix`` may make them.

From the deprecation guide's "no notable changes" entries. Left out on purpose: everything whose fields
or defaults changed (extensions/apps beta workloads, Ingress, CustomResourceDefinition, webhook
configurations, CertificateSigningRequest, EndpointSlice, Event, autoscaling/v2beta1, FlowSchema and
PriorityLevelConfiguration before v1beta3). A PodDisruptionBudget is a rename only when its
``spec.selector`` selects something: an empty selector selects no pod in policy/v1beta1 and every pod
in policy/v1.
"""

from __future__ import annotations

from manifestlint.document import Document
from manifestlint.fix.edits import Fix

_RBAC = ("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding")
_STORAGE = ("StorageClass", "CSIDriver", "CSINode", "VolumeAttachment", "CSIStorageCapacity")
PURE_RENAMES: dict[tuple[str, str], str] = {
    ("batch/v1beta1", "CronJob"): "batch/v1",
    ("policy/v1beta1", "PodDisruptionBudget"): "policy/v1",
    ("autoscaling/v2beta2", "HorizontalPodAutoscaler"): "autoscaling/v2",
    ("scheduling.k8s.io/v1beta1", "PriorityClass"): "scheduling.k8s.io/v1",
    ("coordination.k8s.io/v1beta1", "Lease"): "coordination.k8s.io/v1",
    ("networking.k8s.io/v1beta1", "IngressClass"): "networking.k8s.io/v1",
    ("node.k8s.io/v1beta1", "RuntimeClass"): "node.k8s.io/v1",
    ("apiregistration.k8s.io/v1beta1", "APIService"): "apiregistration.k8s.io/v1",
    ("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema"): "flowcontrol.apiserver.k8s.io/v1",
    **{("rbac.authorization.k8s.io/v1beta1", kind): "rbac.authorization.k8s.io/v1" for kind in _RBAC},
    **{("storage.k8s.io/v1beta1", kind): "storage.k8s.io/v1" for kind in _STORAGE},
}


def rename_fix(doc: Document, replacement: str | None) -> Fix | None:
    """The fix that renames ``doc``'s apiVersion to ``replacement``, when that is a pure rename."""
    target = PURE_RENAMES.get((doc.api_version, doc.kind))
    if target is None or replacement != target:
        return None
    if doc.kind == "PodDisruptionBudget":
        selector = doc.get(("spec", "selector"))
        if not isinstance(selector, dict) or not (selector.get("matchLabels") or selector.get("matchExpressions")):
            return None
    return Fix(f"rename apiVersion {doc.api_version} to {target}", (Fix.set(("apiVersion",), target).edits))
