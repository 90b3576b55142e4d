"""ML401: pods without the labels that identify them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from manifestlint.document import Document
from manifestlint.k8s.workloads import WORKLOAD_KINDS, pod_labels
from manifestlint.rule import Context, Rule, Violation, define

DEFAULT_REQUIRED: list[list[str]] = [["app.kubernetes.io/name", "app"]]

OPTIONS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "required-labels": {
            "description": "Labels every pod must carry: each item is a label key, or a list of keys of which "
                           "any one will do.",
            "type": "array",
            "items": {"oneOf": [
                {"type": "string", "minLength": 1},
                {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
            ]},
            "default": DEFAULT_REQUIRED,
        },
    },
}


@define(id="ML401", name="missing-pod-labels", title="Pod lacks the required labels", severity="warning",
        checklist=["NS-3"], targets=WORKLOAD_KINDS, options_schema=OPTIONS)
class MissingPodLabels(Rule):
    """
    ## What it does
    Flags Pods and pod templates (of Deployments, StatefulSets, DaemonSets, ReplicaSets,
    ReplicationControllers, Jobs, CronJobs and PodTemplates) that lack a required label, reporting at
    their `metadata.labels` (or `metadata` when there are no labels) and naming every missing key. A
    label counts when it has a non-empty value.

    The option `required-labels` lists the labels: each item is a key, or a list of keys of which any
    one will do. The default, `[["app.kubernetes.io/name", "app"]]`, asks for either of the two.

    ```yaml
    rules:
      ML401:
        required-labels: [[app.kubernetes.io/name, app], app.kubernetes.io/part-of, team]
    ```

    ## Why is this bad?
    Labels are how everything else finds a pod: NetworkPolicies, Services, PodDisruptionBudgets, anti-affinity
    and monitoring all select pods by label. An unlabelled pod cannot be isolated by a network policy
    without catching its neighbours, and is anonymous in metrics, logs and cost reports.

    ## How to fix
    Add the missing labels under the pod template's `metadata.labels` (`spec.template.metadata.labels`
    in a Deployment), using the recommended `app.kubernetes.io/*` keys.

    ## References
    - https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/
    - https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        found = pod_labels(doc)
        if found is None or _no_template(doc, found[0]):
            return
        path, labels = found
        missing = [_describe(alternatives) for alternatives in _requirements(ctx.options)
                   if not any(_has(labels, key) for key in alternatives)]
        if not missing:
            return
        subject = "the Pod" if doc.kind == "Pod" else "the pod template"
        keys = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " and " + missing[-1]
        noun = "label" if len(missing) == 1 else "labels"
        yield Violation(path, f"{subject} lacks the {noun} {keys}: add {'it' if len(missing) == 1 else 'them'} "
                              f"to {'.'.join(str(step) for step in path)}")


def _no_template(doc: Document, labels_path: tuple[str | int, ...]) -> bool:
    """A workload without a pod template at all is malformed, not unlabelled: leave it to the shape check."""
    return not isinstance(doc.get(labels_path[:-2]), dict)


def _requirements(options: Any) -> list[list[str]]:
    items: Sequence[Any] = options.get("required-labels", DEFAULT_REQUIRED)
    return [[item] if isinstance(item, str) else list(item) for item in items]


def _has(labels: dict[str, Any], key: str) -> bool:
    value = labels.get(key)
    return value is not None and value != ""


def _describe(alternatives: list[str]) -> str:
    first, *others = alternatives
    return f"'{first}'" + (f" (or {', '.join(repr(key) for key in others)})" if others else "")
