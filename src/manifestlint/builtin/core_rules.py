"""Rules about the input: reported from what the loader found, or from an object's shape."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from manifestlint.document import Document
from manifestlint.k8s.workloads import CONTAINER_LISTS, pod_spec, pod_template_path
from manifestlint.rule import Context, Rule, Violation, define

_BOTH = ("object", "cluster-config")


class _LoaderRule(Rule):
    """Reported by the engine from loader problems; nothing to check per object."""

    per_object = False

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        return iter(())


@define(id="ML001", name="yaml-syntax-error", title="File is not valid YAML or JSON", severity="error",
        checklist=(), categories=_BOTH, tags=("input",))
class YamlSyntaxError(_LoaderRule):
    """
    ## What it does
    Reports a document that cannot be parsed: bad indentation, tabs used for indentation, an unclosed
    quote or bracket, invalid UTF-8, a binary file. The rest of the file is still read from the next
    `---`, and every other file is still linted.

    ## Why is this bad?
    `kubectl apply` rejects the whole file, and every other linter either stops or silently skips it,
    so the objects in it are never checked.

    ## How to fix
    Fix the syntax at the reported line. Indent with spaces, close quotes and brackets, and save the
    file as UTF-8.

    ## References
    - https://yaml.org/spec/1.1/
    """


@define(id="ML002", name="duplicate-key", title="Mapping has the same key twice", severity="error",
        checklist=(), categories=_BOTH, tags=("input", "security"), security_severity="5.0")
class DuplicateKey(_LoaderRule):
    """
    ## What it does
    Reports the second occurrence of a key in the same mapping.

    ## Why is this bad?
    The API server rejects objects with duplicate fields, and tools that accept them disagree on which
    value wins: a later `privileged: true` can hide behind an earlier `privileged: false` in review.

    ## How to fix
    Keep one of the two keys, with the value you mean.

    ## References
    - https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation
    """


@define(id="ML003", name="input-limit-exceeded", title="File or document exceeds a safety limit", severity="error",
        checklist=(), categories=_BOTH, tags=("input",))
class InputLimitExceeded(_LoaderRule):
    """
    ## What it does
    Reports a file larger than `limits.max-file-size`, a document whose aliases expand to more than
    `limits.max-nodes` nodes (the "billion laughs" attack), or nesting deeper than `limits.max-depth`.

    ## Why is this bad?
    Such input is either an attack on the tools that read it or a generated file that no one can
    review. manifestlint stops reading it instead of hanging or running out of memory.

    ## How to fix
    Remove the alias bombs or the deep nesting; split very large files. Raise the limit in the
    configuration if the file is legitimate.

    ## References
    - https://en.wikipedia.org/wiki/Billion_laughs_attack
    """


@define(id="ML005", name="unsupported-yaml-feature", title="YAML feature that Kubernetes does not accept",
        severity="warning", checklist=(), categories=_BOTH, tags=("input",))
class UnsupportedYamlFeature(_LoaderRule):
    """
    ## What it does
    Reports language-specific tags such as `!!python/object` and mappings or lists used as mapping keys.
    manifestlint never constructs tagged objects; it reads their values as plain data.

    ## Why is this bad?
    Kubernetes' YAML decoder rejects these constructs, and a loader that honours them can run code.

    ## How to fix
    Remove the tag or the complex key.

    ## References
    - https://github.com/kubernetes-sigs/yaml
    """


_STRING_MAPS = ("labels", "annotations")


@define(id="ML004", name="invalid-object", title="Object fields have the wrong type", severity="error",
        checklist=(), categories=_BOTH, tags=("input",))
class InvalidObject(Rule):
    """
    ## What it does
    Reports documents that are not well-formed objects: `apiVersion` or `kind` missing or not a
    string, `metadata` or `spec` not a mapping, labels and annotations that are not strings,
    `containers` that is not a list of mappings, and lists or scalars among a file's objects.

    ## Why is this bad?
    The API server rejects such objects, and the other rules cannot judge a field that is not where
    or what it should be, so a wrong type silently hides other problems.

    ## How to fix
    Give each field the type the Kubernetes API expects. Quote label and annotation values that look
    like numbers or booleans (`"true"`, `"1.0"`).

    ## References
    - https://kubernetes.io/docs/concepts/overview/working-with-objects/
    """

    def check(self, doc: Document, ctx: Context) -> list[Violation]:
        # Plain functions filling one list, not generators: this runs for every document, and
        # almost always finds nothing.
        found: list[Violation] = []
        data = doc.data
        for key in ("apiVersion", "kind"):
            value = data.get(key)
            if not isinstance(value, str) or not value:
                what = "missing" if key not in data else f"a {_type(value)}, not a non-empty string"
                found.append(Violation((key,), f"`{key}` is {what}"))
        _expect_mapping(found, data, ("metadata",), "metadata")
        metadata = data.get("metadata")
        if isinstance(metadata, dict):
            for key in ("name", "namespace", "generateName"):
                if key in metadata and not isinstance(metadata[key], str):
                    found.append(Violation(("metadata", key),
                                           f"`metadata.{key}` is a {_type(metadata[key])}, not a string"))
            for key in _STRING_MAPS:
                _string_map(found, metadata, ("metadata", key))
        _expect_mapping(found, data, ("spec",), "spec")
        template = pod_template_path(doc)
        if template is not None:
            _pod_shape(found, doc, template)
        return found


def _pod_shape(found: list[Violation], doc: Document, template: tuple[str | int, ...]) -> None:
    spec_path = (*template, "spec")
    parent = doc.get(template)
    if template and isinstance(parent, dict) and "spec" in parent and not isinstance(parent["spec"], dict):
        found.append(Violation(spec_path, f"`{'.'.join(map(str, spec_path))}` is a {_type(parent['spec'])}, "
                               "not a mapping"))
        return
    meta = doc.get((*template, "metadata"))
    if isinstance(meta, dict):
        for key in _STRING_MAPS:
            _string_map(found, meta, (*template, "metadata", key))
    pod = pod_spec(doc)
    if pod is None:
        return
    path, spec = pod
    for group in CONTAINER_LISTS:
        if group not in spec:
            continue
        items = spec[group]
        if not isinstance(items, list):
            found.append(Violation((*path, group), f"`{group}` is a {_type(items)}, not a list of containers"))
            continue
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                found.append(Violation((*path, group, i), f"`{group}[{i}]` is a {_type(item)}, not a container "
                                       "mapping"))
    if "containers" not in spec and doc.kind != "PodTemplate":
        found.append(Violation(path, "pod spec has no `containers`"))


def _expect_mapping(found: list[Violation], data: dict[str, Any], path: tuple[str, ...], label: str) -> None:
    if path[-1] in data and not isinstance(data[path[-1]], dict):
        found.append(Violation(path, f"`{label}` is a {_type(data[path[-1]])}, not a mapping"))


def _string_map(found: list[Violation], parent: dict[str, Any], path: tuple[str | int, ...]) -> None:
    key = str(path[-1])
    value = parent.get(key)
    if key not in parent or value is None:
        return
    if not isinstance(value, dict):
        found.append(Violation(path, f"`{key}` is a {_type(value)}, not a mapping of strings"))
        return
    for name, item in value.items():
        if not isinstance(item, str):
            found.append(Violation((*path, name), f"{key[:-1]} {name!r} has a {_type(item)} value; quote it to make "
                                   "it a string"))


def _type(value: Any) -> str:
    return {dict: "mapping", list: "list", str: "string", bool: "boolean", int: "number", float: "number",
            type(None): "null"}.get(type(value), type(value).__name__)
