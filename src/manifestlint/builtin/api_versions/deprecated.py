"""ML802: apiVersions the target Kubernetes release still serves but has deprecated."""

from __future__ import annotations

from collections.abc import Iterator

from manifestlint.builtin.api_versions.common import OPTIONS_SCHEMA, PSP_KIND, target
from manifestlint.builtin.api_versions.lifecycle import lookup
from manifestlint.builtin.api_versions.release import show
from manifestlint.builtin.api_versions.renames import rename_fix
from manifestlint.document import Document
from manifestlint.rule import Context, Rule, Violation, define


@define(id="ML802", name="deprecated-api-version", title="apiVersion is deprecated in the target release",
        severity="warning", checklist=["RA-6"], tags=["api-versions"], options_schema=OPTIONS_SCHEMA, fixable=True,
        fix_note="renames the apiVersion where the change is a pure rename and the target release serves the "
                 "replacement; nothing where fields changed meaning")
class DeprecatedApiVersion(Rule):
    """
    ## What it does
    Flags objects whose `apiVersion` is deprecated in the target Kubernetes release (option
    `kubernetes-version`, or `--kubernetes-version`) but still served, and says when it stops being
    served and what replaces it.

    ## Why is this bad?
    Deprecated API versions are removed after a few releases (beta versions three releases after their
    deprecation). The manifest works today and fails on the upgrade that removes the version; the API
    server already answers with a warning on every request.

    ## How to fix
    Move to the replacement apiVersion the message names while both are served, so that the upgrade is
    a non-event.

    ## References
    - https://kubernetes.io/docs/reference/using-api/deprecation-guide/
    - https://kubernetes.io/blog/2020/09/03/warnings/
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        entry = lookup(doc.api_version, doc.kind)
        release = target(ctx)
        if entry is None or doc.kind == PSP_KIND or not entry.is_deprecated(release):
            return
        assert entry.deprecated is not None
        until = f", no longer served from {show(entry.removed)}" if entry.removed else ""
        replacement = entry.replacement(release)
        instead = f": use {replacement}" if replacement else ": it has no replacement"
        yield Violation(("apiVersion",), f"{doc.api_version} {doc.kind} is deprecated since Kubernetes "
                        f"{show(entry.deprecated)}{until} (target {show(release)}){instead}",
                        fix=rename_fix(doc, replacement))
