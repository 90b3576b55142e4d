"""ML801: apiVersions the target Kubernetes release no longer serves."""

from __future__ import annotations

from collections.abc import Iterator

from manifestlint.builtin.api_versions.common import OPTIONS_SCHEMA, PSP_KIND, target
from manifestlint.builtin.api_versions.lifecycle import lookup
from manifestlint.builtin.api_versions.release import show
from manifestlint.builtin.api_versions.renames import rename_fix
from manifestlint.document import Document
from manifestlint.rule import Context, Rule, Violation, define


@define(id="ML801", name="removed-api-version", title="apiVersion is no longer served by the target release",
        severity="error", checklist=["RA-6"], tags=["api-versions"], options_schema=OPTIONS_SCHEMA, fixable=True,
        fix_note="renames the apiVersion where the change is a pure rename (batch/v1beta1 CronJob, "
                 "policy/v1beta1 PodDisruptionBudget with a selector, rbac v1beta1, autoscaling/v2beta2, ...); "
                 "nothing where fields changed meaning")
class RemovedApiVersion(Rule):
    """
    ## What it does
    Flags objects whose `apiVersion` the target Kubernetes release (option `kubernetes-version`, or
    `--kubernetes-version`) no longer serves, such as `extensions/v1beta1` Deployments or
    `batch/v1beta1` CronJobs, and names the apiVersion to use instead. The table of removals, built from
    the upstream deprecation guide and API lifecycle data, covers every removal since Kubernetes 1.16.

    ## Why is this bad?
    The API server rejects the object: `kubectl apply` fails with "no matches for kind", and a release
    that used to deploy stops deploying after a cluster upgrade.

    ## How to fix
    Change `apiVersion` to the replacement the message names and adapt the fields that changed between
    the versions (see the migration guide; `kubectl convert` can help). PodSecurityPolicy has no
    replacement kind: rule ML803 covers it.

    ## References
    - https://kubernetes.io/docs/reference/using-api/deprecation-guide/
    - https://kubernetes.io/docs/reference/using-api/deprecation-policy/
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        entry = lookup(doc.api_version, doc.kind)
        release = target(ctx)
        if entry is None or doc.kind == PSP_KIND or not entry.is_removed(release):
            return
        assert entry.removed is not None
        replacement = entry.replacement(release)
        instead = f": use {replacement}" if replacement else ""
        yield Violation(("apiVersion",), f"{doc.api_version} {doc.kind} is no longer served since Kubernetes "
                        f"{show(entry.removed)} (target {show(release)}){instead}", fix=rename_fix(doc, replacement))
