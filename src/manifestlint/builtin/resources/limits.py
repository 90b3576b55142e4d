"""ML201: containers without CPU and memory limits."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from manifestlint.builtin.resources.common import DEFAULT_REQUIRE, REQUIRE_SCHEMA, check_documents
from manifestlint.builtin.resources.limit_ranges import LIMIT_RANGE
from manifestlint.document import Document
from manifestlint.k8s.workloads import WORKLOAD_KINDS
from manifestlint.rule import Context, InputRule, Violation, define


@define(id="ML201", name="missing-resource-limits", title="Container has no CPU or memory limit",
        severity="warning", checklist=["WL-3", "RA-4"], targets=WORKLOAD_KINDS | {LIMIT_RANGE},
        options_schema=REQUIRE_SCHEMA)
class MissingResourceLimits(InputRule):
    """
    ## What it does
    Flags every container and init container (native sidecars included) without
    `resources.limits.cpu` and `resources.limits.memory`, with one finding per container that names
    everything missing, at `resources.limits` (or `resources`, or the container when those are
    absent). A limit of `0` means no limit and is reported too. Ephemeral containers are left
    alone: Kubernetes does not let them have resources.

    A LimitRange in the input counts: a resource that a `type: Container` item of a LimitRange in the
    workload's namespace defaults (its `default`, or its `max`, which Kubernetes copies into `default`)
    is not missing. A LimitRange and a workload match when their namespaces are equal or when either
    has no `metadata.namespace` (both go wherever they are applied). A LimitRange that lives elsewhere
    (in another repository, or created by the platform team) is invisible to a file linter: ignore
    the rule for that namespace or set the `require` option.

    Option `require`: the resource names every container must limit (default `[cpu, memory]`). Teams
    that deliberately run without CPU limits (CPU is compressible; a limit throttles even when the
    node is idle) say `require: [memory]`; `[cpu, memory, ephemeral-storage]` adds disk.

    ## Why is this bad?
    A container without a memory limit can take all of its node's memory: the kernel's OOM killer
    then picks victims among every pod on the node, not just the leaking one, and the kubelet starts
    evicting. Without a CPU limit one busy pod slows its neighbours. Limits also make the pod's QoS
    class predictable (Guaranteed when they equal the requests).

    ## How to fix
    Set `resources.limits.memory` (and `resources.limits.cpu` unless your policy says otherwise) from
    observed usage plus headroom, for every container and init container, or give the namespace a
    LimitRange with `default` limits.

    ## References
    - https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
    - https://kubernetes.io/docs/concepts/policy/limit-range/
    - https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/
    """

    def check_input(self, docs: Sequence[Document], ctx: Context) -> Iterator[tuple[Document, Violation]]:
        require = ctx.options.get("require", DEFAULT_REQUIRE)
        return check_documents(docs, "limits", require, "limit")
