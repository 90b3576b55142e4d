"""Which kinds are cluster-scoped and which are namespaced, as far as a manifest alone can tell.

Kinds are matched by name only: a custom resource is namespaced or not by its CRD, which the input
rarely holds, so unknown kinds are neither.
"""

from __future__ import annotations

CLUSTER_SCOPED = frozenset({
    # Kubernetes built-ins
    "Namespace", "Node", "PersistentVolume", "StorageClass", "VolumeAttachment", "CSIDriver", "CSINode",
    "VolumeAttributesClass", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "APIService",
    "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding", "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding",
    "PriorityClass", "RuntimeClass", "IngressClass", "CertificateSigningRequest", "ClusterTrustBundle",
    "PodSecurityPolicy", "ComponentStatus", "FlowSchema", "PriorityLevelConfiguration", "StorageVersion",
    "StorageVersionMigration", "DeviceClass", "ResourceSlice", "IPAddress", "ServiceCIDR", "TokenReview",
    "SelfSubjectReview", "SubjectAccessReview", "SelfSubjectAccessReview", "SelfSubjectRulesReview",
    # Widely used custom resources that are cluster-scoped
    "ClusterIssuer",  # cert-manager
    "ClusterPolicy", "ClusterPolicyReport", "ClusterCleanupPolicy",  # Kyverno
    "ConstraintTemplate",  # Gatekeeper
    "ClusterSecretStore", "ClusterExternalSecret",  # External Secrets
    "GlobalNetworkPolicy", "GlobalNetworkSet", "IPPool", "FelixConfiguration", "BGPConfiguration",  # Calico
    "CiliumClusterwideNetworkPolicy",  # Cilium
    "GatewayClass",  # Gateway API
    "ClusterTask", "ClusterTriggerBinding", "ClusterInterceptor",  # Tekton
})

NAMESPACED = frozenset({
    "Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob",
    "PodTemplate", "Service", "Endpoints", "EndpointSlice", "ConfigMap", "Secret", "ServiceAccount",
    "PersistentVolumeClaim", "Role", "RoleBinding", "NetworkPolicy", "Ingress", "HorizontalPodAutoscaler",
    "PodDisruptionBudget", "LimitRange", "ResourceQuota", "Lease", "Event", "ControllerRevision",
    "CSIStorageCapacity", "LocalSubjectAccessReview", "ResourceClaim", "ResourceClaimTemplate",
})
