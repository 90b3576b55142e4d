"""The check ML201 and ML202 share: which of a container's resource limits or requests are unset.

A quantity of 0 counts as unset: the kubelet sets no CPU quota and no memory limit for it, and the
scheduler reserves nothing for a request of 0.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Sequence
from typing import Any

from manifestlint.builtin.resources.limit_ranges import LimitRangeDefaults
from manifestlint.document import Document
from manifestlint.k8s.workloads import WORKLOAD_KINDS, ContainerRef, containers
from manifestlint.positions import FieldPath
from manifestlint.rule import Violation

DEFAULT_REQUIRE = ("cpu", "memory")
REQUIRE_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "require": {
            "type": "array",
            "items": {"type": "string", "minLength": 1},
            "uniqueItems": True,
            "default": list(DEFAULT_REQUIRE),
            "description": "Resource names every container must have, e.g. [memory] to allow no CPU limit.",
        },
    },
}
# Ephemeral containers cannot have resources; init containers (and native sidecars) need them.
GROUPS = ("initContainers", "containers")
_QUANTITY = re.compile(r"^[+-]?(?P<number>[0-9]*\.?[0-9]*)(?:[eE][+-]?[0-9]+)?[a-zA-Z]*$")
_LABELS = {"cpu": "CPU"}


def quantity_state(value: Any) -> str:
    """``absent`` (missing, null, empty or not a quantity type), ``zero`` or ``set``."""
    if value is None or isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return "absent"
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return "absent"
        match = _QUANTITY.match(text)
        if match is None or match.group("number") in ("", "."):
            return "set"  # not a quantity: the API server rejects it, which is not this rule's concern
        return "zero" if float(match.group("number")) == 0 else "set"
    return "zero" if value == 0 else "set"


def unset_resources(container: ContainerRef, target: str, require: Sequence[str], credited: Collection[str] = (),
                    also_from: str | None = None) -> tuple[list[str], list[str]]:
    """The required resources ``resources.<target>`` lacks, and those of them that are set to 0.

    An absent value is filled from ``also_from`` (requests default to limits) or from a LimitRange
    (``credited``); an explicit 0 is kept as it is by both.
    """
    resources = _mapping(container.data.get("resources"))
    own = _mapping(resources.get(target))
    fallback = _mapping(resources.get(also_from)) if also_from else {}
    missing, zero = [], []
    for name in require:
        state = quantity_state(own.get(name))
        if state == "set":
            continue
        if state == "absent" and (name in credited or quantity_state(fallback.get(name)) == "set"):
            continue
        missing.append(name)
        if state == "zero":
            zero.append(name)
    return missing, zero


def check_documents(docs: Sequence[Document], target: str, require: Sequence[str], kind_word: str,
                    also_from: str | None = None) -> Iterator[tuple[Document, Violation]]:
    """Every workload container of ``docs`` that lacks a required resource in ``resources.<target>``.

    ``kind_word`` is ``limit`` or ``request``; LimitRanges among ``docs`` credit what they default.
    """
    defaults = LimitRangeDefaults.from_documents(docs)
    for doc in docs:
        if doc.kind not in WORKLOAD_KINDS:
            continue
        credited = defaults.defaulted(doc.namespace, target)
        for container in containers(doc, GROUPS):
            missing, zero = unset_resources(container, target, require, credited, also_from)
            if missing:
                yield doc, Violation(_where(container, target, missing, zero),
                                     _message(container, target, kind_word, missing, zero))


def _where(container: ContainerRef, target: str, missing: Collection[str], zero: Collection[str]) -> FieldPath:
    base: FieldPath = (*container.path, "resources", target)
    if len(missing) == 1 and set(missing) <= set(zero):
        return (*base, next(iter(missing)))
    return base


def _message(container: ContainerRef, target: str, kind_word: str, missing: Sequence[str],
             zero: Collection[str]) -> str:
    labels = _join([_LABELS.get(name, name) for name in missing], "or")
    fields = _join([f"resources.{target}.{name}" for name in missing], "and")
    note = f" (a {kind_word} of 0 means none)" if any(name in zero for name in missing) else ""
    return f"{container.describe()} has no {labels} {kind_word}{note}: set {fields}"


def _join(words: Sequence[str], conjunction: str) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
