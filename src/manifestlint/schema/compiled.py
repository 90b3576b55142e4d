"""Compiled validators, one per (release, kind) or custom schema, built once and cached."""

from __future__ import annotations

import functools
import json
from typing import Any

import jsonschema_rs

from manifestlint.schema.bundled import Release, load

REF_PREFIX = "#/$defs/"


def reachable(defs: dict[str, Any], root: str) -> dict[str, Any]:
    """The definitions ``root`` refers to, directly or not (a smaller schema compiles faster)."""
    found: dict[str, Any] = {}
    stack = [root]
    while stack:
        name = stack.pop()
        if name in found or name not in defs:
            continue
        found[name] = defs[name]
        stack.extend(_refs(defs[name]))
    return found


def _refs(node: Any) -> list[str]:
    refs = []
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(REF_PREFIX):
            refs.append(ref[len(REF_PREFIX):])
        for value in node.values():
            refs.extend(_refs(value))
    elif isinstance(node, list):
        for item in node:
            refs.extend(_refs(item))
    return refs


@functools.cache
def builtin_validator(release: Release, definition: str) -> Any:
    """The validator of one built-in kind's definition in ``release``."""
    defs = load(release).defs
    return jsonschema_rs.Draft7Validator({"$ref": REF_PREFIX + definition, "$defs": reachable(defs, definition)})


@functools.lru_cache(maxsize=256)
def _custom_validator(schema_json: str) -> Any:
    return jsonschema_rs.Draft7Validator(json.loads(schema_json))


def custom_validator(schema: dict[str, Any]) -> Any:
    """A validator for a custom resource schema (cached by content)."""
    return _custom_validator(json.dumps(schema, sort_keys=True))
