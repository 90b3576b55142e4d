"""ML637, ML638 and ML639: PodDisruptionBudgets missing, blocking every eviction, or at odds with an HPA."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from manifestlint.cluster.model import ClusterModel
from manifestlint.cluster.objects import is_int
from manifestlint.cluster.rules import ClusterRule, Finding
from manifestlint.rule import Context, Violation, define

PDB_KINDS = frozenset({"Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"})


def _percent(value: Any) -> int | None:
    if isinstance(value, str) and value.endswith("%") and value[:-1].strip().isdigit():
        return int(value[:-1])
    return None


@define(id="ML637", name="workload-without-pdb", title="Replicated workload has no PodDisruptionBudget",
        severity="warning", checklist=["RA-4"])
class WorkloadWithoutPDB(ClusterRule):
    """
    ## What it does
    Flags Deployments, StatefulSets, ReplicaSets and ReplicationControllers that run two or more
    replicas (`spec.replicas`, or the `minReplicas` of the HorizontalPodAutoscaler that scales them)
    when no PodDisruptionBudget of their namespace selects their pods, at `spec.replicas` (or the
    object's `spec`).

    ## Why is this bad?
    Node drains (upgrades, autoscaler scale-down, maintenance) evict pods without regard for the
    application: all replicas can go down at once. Replicas only give availability if a budget keeps
    enough of them running during voluntary disruptions.

    ## How to fix
    ```yaml
    apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata:
      name: web
      namespace: my-namespace
    spec:
      maxUnavailable: 1
      selector:
        matchLabels: {app: web}
    ```

    ## References
    - https://kubernetes.io/docs/concepts/workloads/pods/disruptions/
    - https://kubernetes.io/docs/tasks/run-application/configure-pdb/
    """

    def check_model(self, model: ClusterModel, ctx: Context) -> Iterator[Finding]:
        for workload in model.workloads:
            if workload.doc.kind not in PDB_KINDS:
                continue
            autoscaler = model.autoscaler_for(workload)
            replicas = autoscaler.min_replicas if autoscaler else workload.replicas
            if replicas is None or replicas < 2 or model.budgets_for(workload):
                continue
            source = f"its HPA's minReplicas is {replicas}" if autoscaler else f"it runs {replicas} replicas"
            yield workload.doc, Violation(
                ("spec", "replicas"),
                f"{workload.label}: {source} but no PodDisruptionBudget selects its pods, so a node drain may evict "
                "them all at once: add a PodDisruptionBudget with `maxUnavailable: 1` selecting its pod labels")


@define(id="ML638", name="pdb-blocks-eviction", title="PodDisruptionBudget allows no eviction", severity="warning",
        checklist=["RA-4"])
class PDBBlocksEviction(ClusterRule):
    """
    ## What it does
    Flags PodDisruptionBudgets that allow no voluntary disruption: `maxUnavailable: 0` or `0%`,
    `minAvailable: 100%`, or an integer `minAvailable` at or above the replica count of a workload it
    selects (a workload scaled by an HPA is ML639's business). The finding is at the field.

    ## Why is this bad?
    Every eviction is refused: `kubectl drain` hangs, node upgrades and the cluster autoscaler stall
    until someone deletes the budget by hand, which is what happens in the middle of an incident.

    ## How to fix
    Allow at least one pod to go: `maxUnavailable: 1` (or a percentage), or a `minAvailable` below the
    replica count. For a single-replica workload that must not be interrupted, run a second replica
    instead.

    ## References
    - https://kubernetes.io/docs/tasks/run-application/configure-pdb/#think-about-how-your-application-reacts-to-disruptions
    - https://kubernetes.io/docs/concepts/workloads/pods/disruptions/#pod-disruption-budgets
    """

    def check_model(self, model: ClusterModel, ctx: Context) -> Iterator[Finding]:
        for budget in model.budgets:
            name = budget.doc.name
            if budget.max_unavailable in (0, "0", "0%") and not isinstance(budget.max_unavailable, bool):
                yield budget.doc, Violation(("spec", "maxUnavailable"),
                                            f"PodDisruptionBudget {name!r} sets maxUnavailable to "
                                            f"{budget.max_unavailable}, so no pod may ever be evicted: allow at "
                                            "least 1")
                continue
            if _percent(budget.min_available) == 100:
                yield budget.doc, Violation(("spec", "minAvailable"),
                                            f"PodDisruptionBudget {name!r} requires 100% of its pods available, so "
                                            "none may ever be evicted: lower minAvailable or use maxUnavailable: 1")
                continue
            if not is_int(budget.min_available):
                continue
            for workload in model.select(budget.namespace, budget.selector):
                if workload.replicas is None or model.autoscaler_for(workload) is not None:
                    continue
                if budget.min_available >= workload.replicas:
                    yield budget.doc, Violation(
                        ("spec", "minAvailable"),
                        f"PodDisruptionBudget {name!r} requires {budget.min_available} pods available but "
                        f"{workload.label} runs {workload.replicas}, so none may ever be evicted: lower minAvailable "
                        "below the replica count, or use maxUnavailable: 1")
                    break


@define(id="ML639", name="hpa-min-replicas-below-pdb", title="HPA may scale below the PodDisruptionBudget's minimum",
        severity="warning", checklist=["RA-4"])
class HPAMinReplicasBelowPDB(ClusterRule):
    """
    ## What it does
    Flags a HorizontalPodAutoscaler whose `minReplicas` (1 when unset) is at or below the integer
    `minAvailable` of a PodDisruptionBudget that selects the pods of the workload it scales, at
    `minReplicas`. At that scale the budget allows no eviction.

    ## Why is this bad?
    When traffic is low the autoscaler scales down to `minReplicas`, and from then on every drain is
    blocked by the budget: node upgrades and scale-down stall, exactly when capacity is cheapest to
    move.

    ## How to fix
    Raise the HPA's `minReplicas` above the budget's `minAvailable`, or express the budget as
    `maxUnavailable: 1`, which scales with the replica count.

    ## References
    - https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
    - https://kubernetes.io/docs/tasks/run-application/configure-pdb/
    """

    def check_model(self, model: ClusterModel, ctx: Context) -> Iterator[Finding]:
        for autoscaler in model.autoscalers:
            workload = model.find_workload(autoscaler.namespace, autoscaler.target_kind, autoscaler.target_name)
            if workload is None:
                continue
            for budget in model.budgets_for(workload):
                if is_int(budget.min_available) and budget.min_available >= autoscaler.min_replicas:
                    yield autoscaler.doc, Violation(
                        ("spec", "minReplicas"),
                        f"HorizontalPodAutoscaler {autoscaler.doc.name!r} may scale {workload.label} down to "
                        f"{autoscaler.min_replicas} replicas, but PodDisruptionBudget {budget.doc.name!r} requires "
                        f"{budget.min_available} available, so no pod could be evicted: set minReplicas above "
                        f"{budget.min_available} or use maxUnavailable in the budget")
                    break
