"""Compiled validators, one per (release, kind) or custom schema, built once and cached."""

from __future__ import annotations

import functools
import json
from typing import Any

import jsonschema_rs

from manifestlint.schema.bundled import Release, load

REF_PREFIX = "#/$defs/"
_RELEASE_URI = "urn:manifestlint:kubernetes:{}.{}"  # offline: a registry entry, never fetched


@functools.cache
def _registry(release: Release) -> Any:
    """Every definition of a release as one registered resource, so validators share them."""
    document = {"$schema": "http://json-schema.org/draft-07/schema#", "$defs": load(release).defs}
    return jsonschema_rs.Registry([(_RELEASE_URI.format(*release), document)])


@functools.cache
def builtin_validator(release: Release, definition: str) -> Any:
    """The validator of one built-in kind's definition in ``release``."""
    root = _RELEASE_URI.format(*release) + REF_PREFIX + definition
    return jsonschema_rs.Draft7Validator({"$ref": root}, registry=_registry(release))


@functools.lru_cache(maxsize=256)
def _custom_validator(schema_json: str) -> Any:
    return jsonschema_rs.Draft7Validator(json.loads(schema_json))


def custom_validator(schema: dict[str, Any]) -> Any:
    """A validator for a custom resource schema (cached by content)."""
    return _custom_validator(json.dumps(schema, sort_keys=True))
