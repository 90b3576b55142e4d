"""ML804: fields and annotations of served kinds that are deprecated or removed."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from manifestlint.builtin.api_versions.common import OPTIONS_SCHEMA, target
from manifestlint.builtin.api_versions.lifecycle import FieldEntry, field_entries
from manifestlint.builtin.api_versions.release import show
from manifestlint.document import Document
from manifestlint.k8s.workloads import pod_spec
from manifestlint.model import Severity
from manifestlint.positions import FieldPath
from manifestlint.rule import Context, Rule, Violation, define


@define(id="ML804", name="deprecated-field", title="Field or annotation is deprecated or removed",
        severity="warning", checklist=["RA-6"], tags=["api-versions"], options_schema=OPTIONS_SCHEMA)
class DeprecatedField(Rule):
    """
    ## What it does
    Flags fields and annotations that the target Kubernetes release (option `kubernetes-version`)
    deprecates or no longer knows, inside kinds that are still served: `serviceAccount` (an alias of
    `serviceAccountName`), `gitRepo` volumes, `metadata.clusterName`, a Service's `loadBalancerIP`, and
    annotations replaced by fields such as `kubernetes.io/ingress.class`. A removed field is an error,
    a deprecated one a warning.

    ## Why is this bad?
    A removed field is dropped or rejected by the API server, so the setting silently stops applying. A
    deprecated one works until it is removed, and often has subtle semantics the replacement fixes.

    ## How to fix
    Use the replacement the message names.

    ## References
    - https://kubernetes.io/docs/reference/using-api/deprecation-policy/#deprecating-parts-of-the-api
    - https://kubernetes.io/docs/concepts/storage/volumes/#gitrepo
    - https://kubernetes.io/docs/concepts/services-networking/ingress/#deprecated-annotation
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        release = target(ctx)
        applicable = _applicable(release, doc.kind)
        if not applicable:
            return
        spec = pod_spec(doc)
        for entry, status in applicable:
            if entry.where == "pod-spec":
                if spec is None:
                    continue
                base: FieldPath = spec[0]
                roots: Any = spec[1]
            else:
                base, roots = (), doc.data
            for path in _matches(entry, base, roots):
                yield _violation(entry, path, status, release)


@functools.lru_cache(maxsize=512)
def _applicable(release: tuple[int, int], kind: str) -> tuple[tuple[FieldEntry, str], ...]:
    """The field entries that apply to ``kind`` at ``release``, with their status there."""
    found = []
    for entry in field_entries():
        status = entry.status(release)
        if status is not None and (not entry.kinds or kind in entry.kinds):
            found.append((entry, status))
    return tuple(found)


def _matches(entry: FieldEntry, base: FieldPath, root: Any) -> Iterator[FieldPath]:
    if entry.annotation is not None:
        annotations = root.get("metadata", {}).get("annotations") if isinstance(root.get("metadata"), dict) else None
        if isinstance(annotations, dict) and entry.annotation in annotations:
            yield (*base, "metadata", "annotations", entry.annotation)
        return
    yield from _walk(entry.path, base, root)


def _walk(steps: tuple[str, ...], path: FieldPath, node: Any) -> Iterator[FieldPath]:
    if not steps:
        yield path
        return
    step, rest = steps[0], steps[1:]
    if step == "*":
        if isinstance(node, list):
            for i, item in enumerate(node):
                yield from _walk(rest, (*path, i), item)
    elif isinstance(node, dict) and step in node:
        yield from _walk(rest, (*path, step), node[step])


def _violation(entry: FieldEntry, path: FieldPath, status: str, release: tuple[int, int]) -> Violation:
    fix = f"use {entry.replacement}" if entry.replacement else "delete it"
    if status == "removed":
        assert entry.removed is not None
        return Violation(path, f"{entry.note}; removed in Kubernetes {show(entry.removed)} (target {show(release)}): "
                         f"{fix}", severity=Severity.ERROR)
    since = f" (deprecated since Kubernetes {show(entry.deprecated)})" if entry.deprecated else ""
    return Violation(path, f"{entry.note}{since}: {fix}")
