"""ML811: custom resources checked against the schemas of their CustomResourceDefinitions."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from manifestlint.builtin.api_versions.common import target
from manifestlint.builtin.api_versions.lifecycle import lookup
from manifestlint.builtin.api_versions.release import OPTION, OPTION_SCHEMA
from manifestlint.document import Document
from manifestlint.model import Severity
from manifestlint.rule import Context, InputRule, Violation, define
from manifestlint.schema import custom
from manifestlint.schema.bundled import builtin_kinds, load, nearest
from manifestlint.schema.compiled import custom_validator
from manifestlint.schema.describe import problems

OPTIONS = {"type": "object", "additionalProperties": False, "properties": {
    OPTION: OPTION_SCHEMA,
    "schema-dirs": {"type": "array", "items": {"type": "string"}, "default": [],
                    "description": "Folders of extra schemas (CRD files, JSON Schemas); --schema-dir sets it."},
}}


class CustomKinds(frozenset[str]):
    """The kinds ML811 reads: CRDs and every kind that no bundled release defines as built-in.

    A whole-input rule keeps the documents it targets until the end of the run; naming only these
    kinds keeps the memory of a large run flat (custom resources are a small part of most inputs).
    """

    def __contains__(self, kind: object) -> bool:
        return kind == custom.CRD_KIND or isinstance(kind, str) and kind not in builtin_kinds()


@define(id="ML811", name="custom-resource-schema", title="Custom resource does not match its CRD schema",
        severity="error", checklist=[], tags=["input", "schema"], options_schema=OPTIONS,
        targets=CustomKinds({custom.CRD_KIND}))
class CustomResourceSchema(InputRule):
    """
    ## What it does
    Validates custom resources strictly against the `openAPIV3Schema` of their
    CustomResourceDefinition, when the CRD is part of the input (any file of the run) or of a schema
    folder (`--schema-dir`, config `schema-dirs`: CRD files, JSON Schemas with
    `x-kubernetes-group-version-kind`, or the CRDs catalog's `<group>/<kind>_<version>.json`). Unknown
    fields come with a "did you mean" suggestion. A custom resource kind with no schema is skipped, with
    one note per kind.

    ## Why is this bad?
    A misspelled field of a custom resource is pruned by the API server or rejected by strict field
    validation, and the operator never sees the setting; a wrong type fails the apply.

    ## How to fix
    Fix the field as the message says; to have a kind checked, add its CRD to the input or to a schema
    folder.

    ## References
    - https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#specifying-a-structural-schema
    - https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation
    """

    def check_input(self, docs: Sequence[Document], ctx: Context) -> Iterator[tuple[Document, Violation]]:
        release = nearest(target(ctx))
        builtin = load(release) if release else None
        schemas, folder_problems = custom.from_dirs(tuple(ctx.options.get("schema-dirs") or ()))
        schemas = dict(schemas)
        # The input's CRDs (over the folders'), converted when an object needs one.
        written: dict[custom.CustomKey, tuple[Document, dict[str, Any]]] = {}
        for doc in docs:
            if doc.kind == custom.CRD_KIND and doc.api_group == "apiextensions.k8s.io":
                written.update((key, (doc, schema)) for key, schema in custom.crd_versions(doc.data))
        validators: dict[custom.CustomKey, Any] = {}
        noted: set[Any] = set()
        for doc in docs:
            if not doc.api_version or not doc.kind or doc.kind == custom.CRD_KIND:
                continue
            if builtin is not None and (doc.api_group in builtin.groups or builtin.definition_for(doc.api_version,
                                                                                                  doc.kind)):
                continue
            if lookup(doc.api_version, doc.kind) is not None:
                continue
            key = custom.key(doc.api_version, doc.kind)
            if key in written:
                crd, written_schema = written.pop(key)
                schemas[key], validators[key] = _converted(crd, key, written_schema)
            schema = schemas.get(key)
            if schema is None:
                if key not in noted:
                    noted.add(key)
                    extra = f" ({'; '.join(folder_problems)})" if folder_problems else ""
                    yield doc, Violation(("apiVersion",), f"no schema for custom resource {doc.kind} "
                                         f"({doc.api_version}): its objects are not validated; add its "
                                         f"CustomResourceDefinition to the input or to a --schema-dir{extra}",
                                         severity=Severity.NOTE)
                continue
            validator = validators.get(key)
            if validator is None:
                validator = validators[key] = _compiled(schema)
            if isinstance(validator, Exception):  # a schema jsonschema-rs cannot compile (an unsupported regex)
                if key not in noted:
                    noted.add(key)
                    yield doc, Violation(("apiVersion",), f"the schema of {doc.kind} ({doc.api_version}) cannot be "
                                         f"used ({type(validator).__name__}): its objects are not validated",
                                         severity=Severity.NOTE)
                continue
            if validator.is_valid(doc.data):
                continue
            defs = schema.get("$defs") or schema.get("definitions") or {}
            for problem in problems(validator.iter_errors(doc.data), doc.data, schema, defs):
                yield doc, Violation(problem.path, problem.message)


def _converted(crd: Document, key: custom.CustomKey, schema: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    """A CRD version's strict schema and its validator (or the error compiling it), kept on the CRD's
    document: ``--fix`` runs this rule again after each file it fixes, over the same documents."""
    kept = crd.memo.setdefault("custom_schemas", {})
    if key not in kept:
        strict = custom.strict(schema)
        kept[key] = (strict, _compiled(strict))
    return kept[key]  # type: ignore[no-any-return]


def _compiled(schema: dict[str, Any]) -> Any:
    """The schema's validator, or the error that compiling it raised (said once, where it matters)."""
    try:
        return custom_validator(schema)
    except Exception as exc:
        return exc
