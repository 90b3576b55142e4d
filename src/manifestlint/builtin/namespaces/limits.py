"""ML633 and ML634: namespaces without LimitRange defaults for containers that set no limits, or without quota."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from manifestlint.cluster.model import ClusterModel
from manifestlint.cluster.objects import Workload
from manifestlint.cluster.rules import ClusterRule, Finding, at_namespace
from manifestlint.document import Document
from manifestlint.rule import Context, define

RESOURCES = ("cpu", "memory")


def defaulted_limits(limit_ranges: list[Document]) -> set[str]:
    """Resources that the namespace's LimitRanges give containers a limit for (``default``, else ``max``)."""
    found: set[str] = set()
    for doc in limit_ranges:
        items = doc.get(("spec", "limits"))
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and item.get("type") == "Container":
                for source in ("default", "max"):
                    values = item.get(source)
                    if isinstance(values, dict):
                        found.update(str(k) for k, v in values.items() if v is not None)
    return found


def unlimited(workload: Workload, resource: str) -> int:
    """How many of the workload's containers and init containers set no ``resource`` limit."""
    count = 0
    for group in ("initContainers", "containers"):
        items = workload.spec.get(group)
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict):
                continue
            resources: Any = item.get("resources")
            limits = resources.get("limits") if isinstance(resources, dict) else None
            if not (isinstance(limits, dict) and limits.get(resource) not in (None, 0, "0")):
                count += 1
    return count


@define(id="ML633", name="namespace-without-limit-range", title="Namespace gives no default limits to containers "
        "that set none", severity="warning", checklist=["WL-3", "RA-4"])
class NamespaceWithoutLimitRange(ClusterRule):
    """
    ## What it does
    Flags each judged namespace (see ML601 for the scope) that runs containers without a CPU or memory
    limit when no LimitRange of the namespace defaults that limit (a `type: Container` item with
    `default`, or `max`, which Kubernetes copies into `default`). The finding is on the Namespace
    object and counts the containers concerned; ML201 reports each container, and credits the
    LimitRange once there is one.

    ## Why is this bad?
    A container without a memory limit can take its node's memory and get its neighbours killed;
    without a CPU limit it can starve them. A LimitRange is the namespace-wide safety net: every
    container that forgets its limits still gets one.

    ## How to fix
    ```yaml
    apiVersion: v1
    kind: LimitRange
    metadata:
      name: container-defaults
      namespace: my-namespace
    spec:
      limits:
        - type: Container
          default: {cpu: 500m, memory: 512Mi}
          defaultRequest: {cpu: 100m, memory: 128Mi}
    ```

    ## References
    - https://kubernetes.io/docs/concepts/policy/limit-range/
    - https://kubernetes.io/docs/tasks/administer-cluster/manage-resources/memory-default-namespace/
    """

    def check_model(self, model: ClusterModel, ctx: Context) -> Iterator[Finding]:
        for info in model.judged_namespaces():
            defaulted = defaulted_limits(model.docs_in(info.name, "LimitRange"))
            missing = {r: sum(unlimited(w, r) for w in model.workloads_by_namespace().get(info.name, []))
                       for r in RESOURCES if r not in defaulted}
            missing = {r: n for r, n in missing.items() if n}
            if not missing:
                continue
            counts = ", ".join(f"{n} without a {r} limit" for r, n in missing.items())
            yield from at_namespace(
                model, info, f"namespace {info.name!r} has no LimitRange that defaults container limits, and its "
                             f"workloads have containers without them ({counts}): add a LimitRange with a "
                             f"`type: Container` item whose `default` sets {' and '.join(missing)}")


@define(id="ML634", name="namespace-without-resource-quota", title="Namespace has no ResourceQuota",
        severity="note", checklist=["WL-1", "RA-4"], enabled=False)
class NamespaceWithoutResourceQuota(ClusterRule):
    """
    ## What it does
    Off by default. Flags each judged namespace (see ML601 for the scope) that runs workloads and has
    no ResourceQuota, on the Namespace object.

    ## Why is this bad?
    A namespace is a tenant boundary only if its consumption is bounded: without a quota one team's
    runaway deployment (or a compromised CI token) can take the cluster's capacity from everyone else.

    ## How to fix
    ```yaml
    apiVersion: v1
    kind: ResourceQuota
    metadata:
      name: compute
      namespace: my-namespace
    spec:
      hard:
        requests.cpu: "10"
        requests.memory: 20Gi
        limits.memory: 40Gi
        pods: "50"
    ```

    ## References
    - https://kubernetes.io/docs/concepts/policy/resource-quotas/
    - CIS Kubernetes Benchmark 5.6.1: Create administrative boundaries between resources using namespaces
    """

    def check_model(self, model: ClusterModel, ctx: Context) -> Iterator[Finding]:
        for info in model.judged_namespaces():
            if not model.workloads_by_namespace().get(info.name) or model.docs_in(info.name, "ResourceQuota"):
                continue
            yield from at_namespace(model, info, f"namespace {info.name!r} runs workloads but has no ResourceQuota: "
                                                 "add one that bounds its CPU, memory and pod count")
