"""ML403: objects placed in the `default` namespace (and, optionally, objects that name no namespace)."""

from __future__ import annotations

from collections.abc import Iterator

from manifestlint.document import Document
from manifestlint.k8s.scope import CLUSTER_SCOPED, NAMESPACED
from manifestlint.rule import Context, Rule, Violation, define

# Objects that guard the namespace they are in rather than run in it: hardening `default` itself
# (default-deny policies, quotas, its ServiceAccount's automount) is what WL-2 and CS-6 ask for.
GUARD_KINDS = frozenset({"NetworkPolicy", "CiliumNetworkPolicy", "LimitRange", "ResourceQuota"})
# Objects the control plane itself keeps in `default` (they appear in dumps of a live cluster).
SYSTEM_OBJECTS = frozenset({("ServiceAccount", "default"), ("Service", "kubernetes"), ("Endpoints", "kubernetes"),
                            ("EndpointSlice", "kubernetes")})

OPTIONS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "report-missing-namespace": {
            "description": "Also report namespaced objects without metadata.namespace (they land wherever "
                           "the kubectl context points).",
            "type": "boolean",
            "default": False,
        },
    },
}


@define(id="ML403", name="default-namespace", title="Object in the default namespace", severity="warning",
        checklist=["WL-1"], tags=["cis:5.7.4"], options_schema=OPTIONS)
class DefaultNamespace(Rule):
    """
    ## What it does
    Flags objects with `metadata.namespace: default`: workloads, Services, ConfigMaps, Secrets, RBAC Roles,
    NetworkPolicies and every other kind that is not known to be cluster-scoped (custom resources
    included, since naming a namespace says the author thinks they are namespaced). Cluster-scoped kinds
    (Namespace, ClusterRole, ClusterRoleBinding, PersistentVolume, StorageClass,
    CustomResourceDefinition, webhook configurations, ...) are never reported, nor are the objects that
    guard the namespace rather than run in it (NetworkPolicies, LimitRanges, ResourceQuotas, the
    `default` ServiceAccount: hardening `default` itself is good practice) and those the control plane
    keeps there (the `kubernetes` Service).

    An object without a namespace is a different question: it lands wherever it is applied (the kubectl
    context's namespace, `helm install -n`, kustomize's `namespace:`). With the option
    `report-missing-namespace: true` such objects are reported too, at `metadata`, for built-in kinds known
    to be namespaced (a custom resource without a namespace may well be cluster-scoped).

    `helm template` without `--namespace` renders `.Release.Namespace` as `default`: render with the
    namespace you install into.

    ## Why is this bad?
    Namespaces are the unit of tenancy: RBAC, ResourceQuotas, LimitRanges, NetworkPolicies and Pod
    Security Admission labels are all set per namespace. Everything in `default` shares one boundary with
    whatever else was put there, usually by accident, and `default`'s ServiceAccount and policies are
    rarely hardened.

    ## How to fix
    Create a namespace per application or team and set `metadata.namespace` to it (or let kustomize's
    `namespace:` or `helm install --namespace` set it), with its own RBAC, quotas and network policies.

    ## References
    - https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/
    - https://kubernetes.io/docs/concepts/security/multi-tenancy/
    - CIS Kubernetes Benchmark 5.7.4: The default namespace should not be used
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        if not doc.kind or doc.kind in CLUSTER_SCOPED or doc.kind in GUARD_KINDS:
            return
        if (doc.kind, doc.metadata.get("name")) in SYSTEM_OBJECTS:
            return
        namespace = doc.metadata.get("namespace")
        if namespace == "default":
            yield Violation(("metadata", "namespace"),
                            f"{doc.kind} is in the `default` namespace: set metadata.namespace to a namespace of "
                            "the application's own, with its own RBAC, quotas and network policies")
        elif namespace in (None, "") and ctx.options.get("report-missing-namespace") and doc.kind in NAMESPACED:
            yield Violation(("metadata", "namespace"),
                            f"{doc.kind} sets no metadata.namespace, so it lands wherever the kubectl context "
                            "points (often `default`): set metadata.namespace to the application's namespace")
