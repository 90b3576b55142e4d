"""ML810: built-in Kubernetes objects checked against the target release's schema."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from manifestlint.builtin.api_versions.common import OPTIONS_SCHEMA, target
from manifestlint.builtin.api_versions.lifecycle import lookup
from manifestlint.builtin.api_versions.release import show
from manifestlint.document import Document
from manifestlint.rule import Context, Rule, Violation, define
from manifestlint.schema.bundled import ReleaseSchemas, available, load, nearest
from manifestlint.schema.compiled import REF_PREFIX, builtin_validator
from manifestlint.schema.describe import problems


@define(id="ML810", name="schema-violation", title="Object does not match the Kubernetes schema", severity="error",
        checklist=[], tags=["input", "schema"], options_schema=OPTIONS_SCHEMA)
class SchemaViolation(Rule):
    """
    ## What it does
    Validates every built-in Kubernetes object strictly against the OpenAPI-derived schema of the target
    release (option `kubernetes-version`, or `--kubernetes-version`; schemas for 1.25 to 1.37 are
    bundled, so no network is needed; for a release outside them, a note says which bundled release is
    used instead). Reports unknown fields with a "did you mean" suggestion, values
    of the wrong type, missing required fields, and apiVersions or kinds that the release does not
    have.

    ## Why is this bad?
    A misspelled field (`runAsNonroot`, `securityContext` at the wrong depth) is dropped or rejected by
    the API server, and the setting it was meant to make silently does not apply: the container runs as
    root after all, and every rule that looked for the field is fooled. A wrong type or a missing
    required field makes `kubectl apply` fail.

    ## How to fix
    Rename the field as suggested, move it to where the schema expects it, or give the value the type
    the message names. `kubectl explain KIND.FIELD` shows the schema of a field.

    ## References
    - https://kubernetes.io/docs/reference/kubernetes-api/
    - https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation
    """

    def run_notes(self, ctx: Context) -> Iterator[str]:
        wanted = target(ctx)
        release = nearest(wanted)
        if release is not None and release != wanted:
            releases = available()
            which = "newest" if release == releases[-1] and wanted > release else (
                "oldest" if release == releases[0] and wanted < release else "nearest older")
            yield (f"no bundled schemas for Kubernetes {show(wanted)} (bundled: {show(releases[0])} to "
                   f"{show(releases[-1])}): objects are validated against {show(release)}, the {which} "
                   f"bundled release")

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        release = nearest(target(ctx))
        if release is None or not doc.api_version or not doc.kind:
            return
        schemas = load(release)
        definition = schemas.definition_for(doc.api_version, doc.kind)
        if definition is None:
            yield from _unknown_kind(doc, schemas)
            return
        validator = builtin_validator(release, definition)
        if validator.is_valid(doc.data):
            return
        for problem in problems(validator.iter_errors(doc.data), doc.data, {"$ref": REF_PREFIX + definition},
                                schemas.defs):
            yield Violation(problem.path, problem.message)


def _unknown_kind(doc: Document, schemas: ReleaseSchemas) -> Iterator[Violation]:
    """An apiVersion of a built-in group that does not serve the kind (removed ones are ML801's)."""
    group = doc.api_group
    if group not in schemas.groups or lookup(doc.api_version, doc.kind) is not None:
        return
    release = show(schemas.release)
    versions = schemas.versions_of(group, doc.kind)
    if versions:
        yield Violation(("apiVersion",), f"Kubernetes {release} serves {doc.kind} as {' or '.join(versions)}, "
                        f"not {doc.api_version}")
        return
    kinds = [k.rpartition("/")[2] for k in schemas.kinds if k.rpartition("/")[0] == doc.api_version]
    if not kinds:
        yield Violation(("apiVersion",), f"Kubernetes {release} has no API version {doc.api_version}")
        return
    close = difflib.get_close_matches(doc.kind, kinds, n=1, cutoff=0.6)
    hint = f": did you mean `{close[0]}`?" if close else ""
    yield Violation(("kind",), f"Kubernetes {release} has no kind `{doc.kind}` in {doc.api_version}{hint}")
