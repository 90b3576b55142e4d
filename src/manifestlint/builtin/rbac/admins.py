"""ML702 and ML703: workloads running as a default ServiceAccount that holds permissions, and the
cluster-admin inventory (OP-3)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from manifestlint.cluster.model import ClusterModel
from manifestlint.cluster.rbac import Binding, Role, Subject
from manifestlint.cluster.rules import ClusterRule, Finding
from manifestlint.rule import Context, Violation, define

MASTERS = "system:masters"


@dataclass(frozen=True, slots=True)
class Admin:
    """A subject with cluster-admin (or namespace-admin) power, and how it gets it."""

    binding: Binding
    role: Role
    subject: Subject

    @property
    def scope(self) -> str:
        return "the cluster" if self.binding.namespace is None else ClusterModel.describe(self.binding.namespace)

    def describe(self) -> str:
        if self.subject.name == MASTERS:
            return (f"{self.binding.label} binds {self.role.label} to group {MASTERS}, whose members are "
                    "administrators of the cluster whatever the bindings say (it bypasses RBAC)")
        why = "is cluster-admin" if self.role.name == "cluster-admin" else "grants `*` on `*` in every API group"
        return (f"{self.subject.describe()} is an administrator of {self.scope}: {self.binding.label} binds "
                f"{self.role.label}, which {why}")


def administrators(model: ClusterModel) -> Iterator[Admin]:
    """Every subject bound to cluster-admin or to a role granting everything, and every system:masters subject."""
    for binding in model.rbac.bindings:
        role = model.rbac.role_of(binding)
        superuser = role is not None and (role.name == "cluster-admin" and role.kind == "ClusterRole"
                                          or model.rbac.is_superuser(role))
        for subject in binding.subjects:
            if role is not None and (superuser or subject.name == MASTERS):
                yield Admin(binding, role, subject)


@define(id="ML703", name="cluster-admin-binding", title="Subject is bound to cluster-admin or an equivalent role",
        severity="warning", checklist=["OP-3"], tags=["security", "cis:5.1.1"], security_severity="7.0")
class ClusterAdminBinding(ClusterRule):
    """
    ## What it does
    The cluster-admin inventory: flags every subject of a RoleBinding or ClusterRoleBinding whose role is
    `cluster-admin` or grants `*` verbs on `*` resources in `*` API groups, at the subject, saying how it
    gets the power. Aggregated ClusterRoles are resolved: a role that aggregates a `*`/`*`/`*` role
    (through `aggregationRule.clusterRoleSelectors`) counts, when its parts are in the input. A
    RoleBinding makes the subject an administrator of its namespace, and is reported as such. The group
    `system:masters` is reported wherever it is bound: its members bypass RBAC altogether.

    `manifestlint admins PATH` prints the same inventory as a table.

    ## Why is this bad?
    Every administrator is a way to take over the cluster: its credentials, its workloads' tokens and
    its mistakes are unbounded. The checklist asks to know exactly who they are; most workloads that hold
    cluster-admin need a fraction of it.

    ## How to fix
    Keep cluster-admin for a small break-glass group of people; give controllers roles that list what
    they use. Suppress the finding on the bindings you have reviewed, with the reason, so that a new one
    stands out.

    ## References
    - https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles
    - https://kubernetes.io/docs/concepts/security/rbac-good-practices/
    - CIS Kubernetes Benchmark 5.1.1: Ensure that the cluster-admin role is only used where required
    """

    def check_model(self, model: ClusterModel, ctx: Context) -> Iterator[Finding]:
        for admin in administrators(model):
            fix = ("issue no credentials in system:masters; use a group bound to cluster-admin, which can be revoked"
                   if admin.subject.name == MASTERS else "grant it a role that lists only what it needs")
            yield admin.binding.doc, Violation(admin.subject.path, f"{admin.describe()}: {fix}")


@define(id="ML702", name="workload-uses-privileged-default-service-account",
        title="Workload runs as a default ServiceAccount that holds permissions", severity="warning",
        checklist=["CS-6"], tags=["security", "cis:5.1.5"], security_severity="5.0",
        options_schema={"type": "object", "additionalProperties": False, "properties": {
            "report-all": {"type": "boolean", "default": False,
                           "description": "Report every workload that runs as `default`, bound or not."}}})
class WorkloadUsesPrivilegedDefaultServiceAccount(ClusterRule):
    """
    ## What it does
    Flags workloads that run as their namespace's `default` ServiceAccount (no `serviceAccountName`, or
    `default`) when a RoleBinding or ClusterRoleBinding of the input names that account as a subject.
    The finding is at the pod spec and names the bindings. Grants to the groups
    `system:serviceaccounts[:<namespace>]` reach every ServiceAccount, not only `default`, so a
    ServiceAccount of its own would not help: ML701 reports those bindings. With `report-all: true`,
    every workload running as `default` is reported.

    ## Why is this bad?
    Permissions given to `default` go to every pod of the namespace that names no ServiceAccount: the
    workload holds permissions that were meant for another one, or for nobody.

    ## How to fix
    Give the workload its own ServiceAccount (`serviceAccountName`) with only what it needs, and remove
    the bindings to `default` (ML701).

    ## References
    - https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/
    - CIS Kubernetes Benchmark 5.1.5: Ensure that default service accounts are not actively used
    """

    def check_model(self, model: ClusterModel, ctx: Context) -> Iterator[Finding]:
        report_all = bool(ctx.options.get("report-all", False))
        grants: dict[str, list[str]] = {}  # namespace -> bindings that name its `default` ServiceAccount
        for binding in model.rbac.bindings:
            for subject in binding.subjects:
                if subject.kind == "ServiceAccount" and subject.name == "default":
                    grants.setdefault(subject.namespace, []).append(binding.label)
        for workload in model.workloads:
            if workload.service_account != "default":
                continue
            labels = grants.get(workload.namespace, [])
            if labels:
                yield workload.doc, Violation(
                    workload.spec_path,
                    f"{workload.label} runs as the `default` ServiceAccount, which {', '.join(sorted(set(labels)))} "
                    "grants permissions to: give it its own ServiceAccount with `serviceAccountName`")
            elif report_all:
                yield workload.doc, Violation(
                    workload.spec_path,
                    f"{workload.label} runs as the `default` ServiceAccount: give it its own ServiceAccount with "
                    "`serviceAccountName`")
