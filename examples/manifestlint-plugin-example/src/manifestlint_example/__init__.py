"""An example manifestlint plugin: teams must say who owns each workload.

Installed, it is found through the ``manifestlint`` entry-point group and registered exactly like
the built-in bundles; ``disable-plugins: [example]`` (or ``--disable-plugin example``) blocks it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from manifestlint import hookimpl
from manifestlint.document import Document
from manifestlint.k8s.workloads import WORKLOAD_KINDS
from manifestlint.rule import Context, Rule, Violation, define


@define(id="EXA001", name="missing-owner-annotation", title="Workload does not name its owning team",
        severity="warning", checklist=["OP-2"], tags=["example"], targets=WORKLOAD_KINDS,
        options_schema={"type": "object", "additionalProperties": False, "properties": {
            "annotation": {"type": "string", "default": "example.com/owner",
                           "description": "The annotation that must name the owning team."}}})
class MissingOwnerAnnotation(Rule):
    """
    ## What it does
    Flags workloads without the owner annotation (default `example.com/owner`).

    ## Why is this bad?
    When a workload misbehaves at 3 a.m., the on-call engineer must know whom to call.

    ## How to fix
    Add the annotation with the team's name: `example.com/owner: team-payments`.

    ## References
    - https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations/
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        key = ctx.options["annotation"]
        annotations = doc.metadata.get("annotations")
        if not isinstance(annotations, dict) or not annotations.get(key):
            yield Violation(("metadata",), f"add the annotation `{key}` naming the team that owns this workload")


@hookimpl
def manifestlint_rules() -> Sequence[type[Rule]]:
    return [MissingOwnerAnnotation]
