"""ML609: one cloud identity (a ServiceAccount with a cloud role annotation) shared by many workloads."""

from __future__ import annotations

from collections.abc import Iterator

from manifestlint.cluster.model import ClusterModel
from manifestlint.cluster.rules import ClusterRule, Finding, quoted
from manifestlint.rule import Context, Violation, define

IDENTITY_ANNOTATIONS = ("eks.amazonaws.com/role-arn", "iam.gke.io/gcp-service-account",
                        "azure.workload.identity/client-id")


@define(id="ML609", name="shared-cloud-identity", title="Cloud identity shared by several workloads",
        severity="warning", checklist=["NS-1"], tags=["security"], security_severity="4.0",
        options_schema={"type": "object", "additionalProperties": False, "properties": {
            "max-workloads": {"type": "integer", "minimum": 1, "default": 1,
                              "description": "How many workloads may run as one cloud-identity ServiceAccount."},
            "annotations": {"type": "array", "items": {"type": "string"}, "default": list(IDENTITY_ANNOTATIONS),
                            "description": "ServiceAccount annotations that bind it to a cloud identity."}}})
class SharedCloudIdentity(ClusterRule):
    """
    ## What it does
    Flags a ServiceAccount that carries a cloud identity (`eks.amazonaws.com/role-arn` for EKS IRSA,
    `iam.gke.io/gcp-service-account` for GKE Workload Identity, `azure.workload.identity/client-id` for
    Azure Workload Identity) when more workloads of the input run as it than `max-workloads` (1), at
    the annotation, naming the workloads. Workloads match the ServiceAccount by namespace and
    `serviceAccountName` (`default` when unset).

    ## Why is this bad?
    A cloud role sized for several workloads holds the union of their permissions, and every one of
    them can use all of it: compromising the least important workload gives the cloud access of the most
    important one. It also makes the cloud audit trail unable to tell them apart.

    ## How to fix
    Give each workload its own ServiceAccount and its own cloud role with only the permissions it needs,
    and never annotate the `default` ServiceAccount with a cloud identity.

    ## References
    - https://docs.aws.amazon.com/eks/latest/userguide/iam-roles-for-service-accounts.html
    - https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity
    - https://azure.github.io/azure-workload-identity/docs/
    """

    def check_model(self, model: ClusterModel, ctx: Context) -> Iterator[Finding]:
        limit = int(ctx.options.get("max-workloads", 1))
        keys = list(ctx.options.get("annotations", IDENTITY_ANNOTATIONS))
        for account in model.of_kind("ServiceAccount"):
            annotations = account.metadata.get("annotations")
            if not isinstance(annotations, dict):
                continue
            key = next((k for k in keys if annotations.get(k)), None)
            if key is None:
                continue
            users = [w for w in model.workloads_in(model.namespace_of(account)) if w.service_account == account.name]
            if len(users) > limit:
                yield account, Violation(
                    ("metadata", "annotations", key),
                    f"ServiceAccount {account.name!r} carries the cloud identity {key}={annotations[key]} and "
                    f"{len(users)} workloads run as it ({quoted([w.doc.kind + ' ' + w.doc.name for w in users])}): "
                    "give each workload its own ServiceAccount and cloud role")
