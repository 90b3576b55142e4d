"""ML202: containers without CPU and memory requests."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from manifestlint.builtin.resources.common import DEFAULT_REQUIRE, REQUIRE_SCHEMA, check_documents
from manifestlint.builtin.resources.limit_ranges import LIMIT_RANGE
from manifestlint.document import Document
from manifestlint.k8s.workloads import WORKLOAD_KINDS
from manifestlint.rule import Context, InputRule, Violation, define


@define(id="ML202", name="missing-resource-requests", title="Container has no CPU or memory request",
        severity="warning", checklist=["RA-4", "WL-3"], targets=WORKLOAD_KINDS | {LIMIT_RANGE},
        options_schema=REQUIRE_SCHEMA)
class MissingResourceRequests(InputRule):
    """
    ## What it does
    Flags every container and init container (native sidecars included) without
    `resources.requests.cpu` and `resources.requests.memory`, with one finding per container that
    names everything missing, at `resources.requests` (or `resources`, or the container). A request
    of `0` is reported too. Ephemeral containers are left alone: they cannot have resources.

    A request is not missing when Kubernetes fills it in:

    - from the container's own limit: when only `resources.limits.cpu` is set, the API server sets
      the CPU request to the same value (likewise for memory);
    - from a LimitRange in the input whose `type: Container` item defaults it (`defaultRequest`, or
      `default`, `max` or `min`, which Kubernetes copies into it), in the workload's namespace or
      where either object has no `metadata.namespace`.

    Option `require`: the resource names every container must request (default `[cpu, memory]`).

    ## Why is this bad?
    The scheduler places pods by their requests alone. A container that requests nothing is packed
    onto nodes that have no room for it, is the first to be evicted under pressure (a pod without any
    requests is BestEffort), and gives capacity planning, HorizontalPodAutoscaler utilisation targets
    and cost reports nothing to work with.

    ## How to fix
    Set `resources.requests.cpu` and `resources.requests.memory` to what the container uses in normal
    operation, for every container and init container, or give the namespace a LimitRange with
    `defaultRequest`s.

    ## References
    - https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
    - https://kubernetes.io/docs/concepts/policy/limit-range/
    - https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/
    """

    def check_input(self, docs: Sequence[Document], ctx: Context) -> Iterator[tuple[Document, Violation]]:
        require = ctx.options.get("require", DEFAULT_REQUIRE)
        return check_documents(docs, "requests", require, "request", also_from="limits")
