"""ML501-ML504: configuration versions, kinds, unknown fields and wrong values, from the strict schemas."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from manifestlint.builtin.cluster_config import kinds
from manifestlint.builtin.cluster_config.base import OBJECT_AND_CONFIG
from manifestlint.document import Document
from manifestlint.k8s.kubelet import SETTINGS
from manifestlint.positions import FieldPath
from manifestlint.rule import Context, Rule, Violation, define
from manifestlint.schema.describe import dotted, type_name

_CHECKLIST = ("CS-1", "CS-2", "CS-3", "CS-5", "MS-2")
_TYPE_WORDS = {"string": "a string", "integer": "an integer", "number": "a number", "boolean": "a boolean",
               "array": "a list", "object": "a mapping", "null": "null"}


@define(id="ML501", name="config-version-unsupported", title="Configuration file uses a removed or deprecated version",
        severity="error", checklist=_CHECKLIST, tags=["security"], security_severity="5.0",
        categories=OBJECT_AND_CONFIG)
class ConfigVersionUnsupported(Rule):
    """
    ## What it does
    Reports configuration files whose `apiVersion` the components no longer read:
    `kubeadm.k8s.io/v1beta1` (dropped by kubeadm 1.22) and `v1beta2` (dropped by kubeadm 1.27), the
    `v1alpha*` kubeadm versions, `audit.k8s.io/v1alpha1` and `v1beta1` (removed in 1.24), and the
    removed `kubescheduler.config.k8s.io` betas. Deprecated versions that still work are warnings:
    `kubeadm.k8s.io/v1beta3` (deprecated since kubeadm 1.31), the legacy `apiserver.k8s.io/v1alpha1`
    admission configuration and the pre-1.13 `EncryptionConfig` format.

    ## Why is this bad?
    A file in a removed version is rejected when the cluster is created or upgraded, often in the
    middle of a maintenance window, and the settings in it (authorization, audit, encryption) are not
    applied until it is rewritten.

    ## How to fix
    Rewrite the file in the current version. For kubeadm, `kubeadm config migrate --old-config OLD
    --new-config NEW` converts v1beta3 to v1beta4 (older files need the kubeadm release that still
    reads them); note that `extraArgs` becomes a list of `{name, value}` in v1beta4.

    ## References
    - https://kubernetes.io/docs/reference/config-api/kubeadm-config.v1beta4/
    - https://kubernetes.io/docs/reference/config-api/apiserver-audit.v1/
    - https://kubernetes.io/docs/reference/scheduling/config/
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        version = doc.api_version.rpartition("/")[2]
        status = kinds.version_status(doc.api_group, version, doc.kind)
        if status is None:
            return
        hint = ""
        if doc.api_group == "kubeadm.k8s.io":
            hint = (" (`kubeadm config migrate --old-config OLD --new-config NEW`)" if version == "v1beta3"
                    else " (convert it with the last kubeadm release that reads it, or rewrite it)")
        yield Violation(("apiVersion",), f"`{doc.api_version or version}` is {status.status}: use "
                        f"{status.replacement}{hint}", status.severity)


@define(id="ML502", name="unknown-config-kind", title="Configuration file has a kind or version that does not exist",
        severity="error", checklist=_CHECKLIST, tags=["security"], security_severity="5.0",
        categories=["cluster-config"])
class UnknownConfigKind(Rule):
    """
    ## What it does
    Reports a configuration document whose `kind` does not exist in its `apiVersion`
    (`kind: EncryptionConfigurations`, `kind: KubeletConfig`), with the kind it most likely meant, and
    an `apiVersion` of kubeadm, kubelet, audit or Pod Security admission configuration that no
    release has ever had.

    ## Why is this bad?
    The component refuses the file, or, when the document sits in a multi-document kubeadm file,
    kubeadm skips it with a warning and the settings in it are silently not applied.

    ## How to fix
    Correct the `kind` or `apiVersion`. The reference pages list the kinds of each configuration API.

    ## References
    - https://kubernetes.io/docs/reference/config-api/
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        group, _, version = doc.api_version.rpartition("/")
        if not doc.kind:
            return
        known = kinds.known_kinds(group, version)
        if known is None:
            if group in kinds.COMPLETE_GROUPS and kinds.version_status(group, version, doc.kind) is None:
                yield Violation(("apiVersion",), f"`{doc.api_version}` is not a version of {group} (known: "
                                f"{', '.join(kinds.versions_of(group))})")
            return
        names, complete = known
        if doc.kind in names:
            return
        renamed = kinds.RENAMED_KINDS.get(doc.kind) if group == "kubeadm.k8s.io" else None
        guess = kinds.close_match(doc.kind, names)
        if guess is None and renamed is None and not complete:
            return
        if renamed:
            hint = f": it was replaced by {renamed}"
        elif guess:
            hint = f": did you mean `{guess}`?"
        else:
            hint = f" (its kinds: {', '.join(sorted(names))})"
        yield Violation(("kind",), f"`{doc.kind}` is not a kind of {doc.api_version}{hint}")


@define(id="ML503", name="unknown-config-field", title="Configuration file has a field the component ignores",
        severity="error", checklist=_CHECKLIST, tags=["security"], security_severity="6.0",
        categories=["cluster-config"])
class UnknownConfigField(Rule):
    """
    ## What it does
    Checks kubeadm, kubelet, encryption, authorization, admission and audit configuration files
    against strict schemas transcribed from the upstream Go types, and reports every field that the
    type does not have, at its line, with the field it most likely meant
    (`authentication.anonymous.enabeld` → `enabled`; `ControlPlaneEndpoint` → `controlPlaneEndpoint`,
    since field names are case-sensitive) or where it moved in a newer version.

    ## Why is this bad?
    Components decode these files leniently or only warn: an unknown field is dropped and the
    default stays in force. A misspelt `enabled: false` under `anonymous` leaves anonymous access
    on while the file in review says it is off.

    ## How to fix
    Correct the field's spelling or move it where the current version expects it. A flag name is
    not a field: `anonymous-auth` is `authentication.anonymous.enabled` in a KubeletConfiguration.

    ## References
    - https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/
    - https://kubernetes.io/docs/reference/config-api/kubeadm-config.v1beta4/
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        for problem in _problems(doc):
            if problem[0] == "unknown":
                yield Violation(problem[1], problem[2])


@define(id="ML504", name="invalid-config-value", title="Configuration field has a value of the wrong type",
        severity="error", checklist=_CHECKLIST, tags=["security"], security_severity="5.0",
        categories=["cluster-config"])
class InvalidConfigValue(Rule):
    """
    ## What it does
    Reports configuration fields whose value has the wrong type or is not one of the allowed values:
    `readOnlyPort: "0"` (a string where the kubelet wants an integer), `enabled: "false"`,
    `authorization.mode: webhook` (the mode is `Webhook`), and a v1beta3-style `extraArgs` map in a
    `kubeadm.k8s.io/v1beta4` file, where `extraArgs` is a list of `{name, value}`. The message never
    repeats the value, so no key material is echoed.

    ## Why is this bad?
    The component fails to start or refuses the file, or (for an unknown enum value in a lenient
    path) falls back to its default.

    ## How to fix
    Write the value with the type the field has: unquoted numbers and booleans, the exact enum
    spelling, and `extraArgs: [{name: authorization-mode, value: "Node,RBAC"}]` in v1beta4.

    ## References
    - https://kubernetes.io/docs/reference/config-api/kubeadm-config.v1beta4/
    - https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        for problem in _problems(doc):
            if problem[0] == "value":
                yield Violation(problem[1], problem[2])


def _problems(doc: Document) -> Iterator[tuple[str, FieldPath, str]]:
    """``("unknown" | "value", path, message)`` for each schema error of a document."""
    group, _, version = doc.api_version.rpartition("/")
    validator = kinds.validator(group, version, doc.kind)
    if validator is None or validator.is_valid(doc.data):
        return
    root = kinds.schema(group, version, doc.kind)
    seen: set[FieldPath] = set()
    for error in validator.iter_errors(doc.data):
        where = tuple(error.instance_path)
        name = error.kind.name
        sub = _walk(root, list(error.schema_path)[:-1])
        if name == "additionalProperties":
            for field in error.kind.unexpected:
                path = (*where, field)
                if path not in seen:
                    seen.add(path)
                    yield "unknown", path, _unknown_message(doc, where, field, sub)
        elif name in ("type", "enum") and where not in seen:
            seen.add(where)
            yield "value", where, _value_message(doc, where, name, sub, error.instance)


def _walk(schema: Any, steps: list[Any]) -> dict[str, Any]:
    node = schema
    for step in steps:
        in_dict = isinstance(node, dict) and isinstance(step, str) and step in node
        if in_dict or (isinstance(node, list) and isinstance(step, int) and step < len(node)):
            node = node[step]
        else:
            return {}
    return node if isinstance(node, dict) else {}


def _unknown_message(doc: Document, where: FieldPath, field: str, sub: dict[str, Any]) -> str:
    owner = f"`{dotted(where)}` in {doc.kind}" if where else doc.kind
    text = f"`{field}` is not a field of {owner} ({doc.api_version})"
    moved = sub.get("x-moved", {}).get(field)
    flag_field = _kubelet_flag_field(doc, where, field)
    guess = kinds.close_match(field, sub.get("properties", {}))
    if moved:
        text += f": it was {moved}"
    elif flag_field:
        text += f": `{field}` is a kubelet flag; the field is `{flag_field}`"
    elif guess:
        text += f": did you mean `{guess}`?"
    return text + ". Unknown fields are ignored, so the default stays in force"


def _kubelet_flag_field(doc: Document, where: FieldPath, field: str) -> str | None:
    if doc.kind != "KubeletConfiguration" or where:
        return None
    return next((s.field for s in SETTINGS.values() if s.flag == field), None)


def _value_message(doc: Document, where: FieldPath, name: str, sub: dict[str, Any], value: Any) -> str:
    label = f"`{dotted(where)}`" if where else "the document"
    if name == "enum":
        options = [o for o in sub.get("enum", []) if o is not None]
        return f"{label} must be one of {', '.join(map(str, options))} (exact spelling)"
    expected = [t for t in _as_list(sub.get("type")) if t != "null"]
    wanted = " or ".join(_TYPE_WORDS.get(t, t) for t in expected)
    message = f"{label} must be {wanted}, not {type_name(value)}"
    if sub.get("description") and expected == ["array"]:
        message += f": {sub['description']}"
    elif expected in (["integer"], ["boolean"], ["number"]) and isinstance(value, str):
        message += ": remove the quotes"
    return message


def _as_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return [value] if isinstance(value, str) else []
