"""ML402: workload selectors that do not select their own pod template."""

from __future__ import annotations

from collections.abc import Iterator

from manifestlint.builtin.metadata.selectors import Unmet, unmet_expressions, unmet_match_labels
from manifestlint.document import Document
from manifestlint.k8s.workloads import pod_labels
from manifestlint.positions import FieldPath
from manifestlint.rule import Context, Rule, Violation, define

# Kind -> where its selector is. apps/v1 requires one; Jobs and CronJobs usually let the API generate it.
SELECTOR_PATHS: dict[str, FieldPath] = {
    "Deployment": ("spec", "selector"),
    "StatefulSet": ("spec", "selector"),
    "DaemonSet": ("spec", "selector"),
    "ReplicaSet": ("spec", "selector"),
    "Job": ("spec", "selector"),
    "CronJob": ("spec", "jobTemplate", "spec", "selector"),
    "ReplicationController": ("spec", "selector"),
}
REQUIRED_IN = frozenset({"apps/v1", "apps/v1beta2"})
REJECTED = "the API server rejects the object"


@define(id="ML402", name="selector-mismatch", title="Selector does not match the pod template's labels",
        severity="error", checklist=["NS-3"], targets=frozenset(SELECTOR_PATHS))
class SelectorMismatch(Rule):
    """
    ## What it does
    Checks that the `spec.selector` of a Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob
    (`matchLabels`, and `matchExpressions` with `In`, `NotIn`, `Exists` and `DoesNotExist`) and the
    selector map of a ReplicationController select the object's own pod template. Each unmet or invalid
    requirement is reported at its line; an `apps/v1` workload without a selector, or with an empty one,
    is reported at `spec` when its template has labels (without either, it is a kustomize base or patch
    whose labels and selector come from the build). Jobs and CronJobs without a selector are fine (the
    API generates one), and so is a ReplicationController without one (it defaults to the template's
    labels).

    ## Why is this bad?
    The API server rejects a workload whose selector does not match its template's labels
    (`selector does not match template labels`), so the apply fails; and a selector that is too broad or
    edited by hand is how controllers end up fighting over each other's pods.

    ## How to fix
    Make `spec.selector.matchLabels` a subset of `spec.template.metadata.labels`, with the same values:
    usually the stable identifying labels (`app.kubernetes.io/name`, `app.kubernetes.io/instance`), not
    ones that change between releases such as a version. The selector of an existing Deployment,
    StatefulSet or DaemonSet is immutable: changing it means recreating the object.

    ## References
    - https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#selector
    - https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        path = SELECTOR_PATHS[doc.kind]
        found = pod_labels(doc)
        if found is None or not isinstance(doc.get(found[0][:-2]), dict):
            return  # no pod template: a shape problem, not a selector one
        labels = found[1]
        selector = doc.get(path)
        if doc.kind == "ReplicationController":
            yield from _violations(unmet_match_labels(path, selector, labels))
            return
        if selector is None or selector == {}:
            # Without template labels either, this is a kustomize base or patch (its labels and selector
            # come from the build), not an object to apply; ML401 reports the missing labels.
            if doc.api_version in REQUIRED_IN and labels:
                state = "no" if selector is None else "an empty"
                yield Violation(path, f"{doc.kind} has {state} spec.selector, which {doc.api_version} requires "
                                      "(the API server rejects it): add `selector.matchLabels` with the stable "
                                      "labels of spec.template.metadata.labels")
            return
        if not isinstance(selector, dict):
            return
        yield from _violations(unmet_match_labels((*path, "matchLabels"), selector.get("matchLabels"), labels))
        yield from _violations(unmet_expressions((*path, "matchExpressions"), selector.get("matchExpressions"), labels))


def _violations(unmet: Iterator[Unmet]) -> Iterator[Violation]:
    for item in unmet:
        if item.invalid:
            yield Violation(item.path, f"the selector {item.problem} ({REJECTED}): fix the expression")
        else:
            yield Violation(item.path, f"the selector {item.problem}, so {REJECTED}: make the selector and "
                                       "the template's metadata.labels agree")
