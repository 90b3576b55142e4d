"""Built-in plugin: strict schema validation against the target Kubernetes release (ML810, ML811)."""

from __future__ import annotations

from collections.abc import Sequence

from manifestlint.hookspecs import hookimpl
from manifestlint.rule import Rule


@hookimpl
def manifestlint_rules() -> Sequence[type[Rule]]:
    from manifestlint.builtin.schemas.builtin_kinds import SchemaViolation
    from manifestlint.builtin.schemas.custom_resources import CustomResourceSchema

    return [SchemaViolation, CustomResourceSchema]
