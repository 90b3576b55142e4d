"""Turn validator errors into findings in plain words: which field, what is wrong, what is expected.

Unknown fields get a "did you mean" from the names the schema allows at that place (difflib); a wrong
type says the type found and the one expected, never the value (it may be a secret); a missing field
says where it belongs.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from manifestlint.positions import FieldPath

JSON_TYPES = {"string": "a string", "integer": "an integer", "number": "a number",
              "boolean": "a boolean (true or false)", "object": "a mapping", "array": "a list", "null": "null"}


@dataclass(frozen=True, slots=True)
class Problem:
    """One schema problem: where it is and what to say."""

    path: FieldPath
    message: str
    kind: str  # "unknown-field", "type", "required", "other"


def dotted(path: FieldPath) -> str:
    """``spec.template.spec.containers[0].image``."""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text or "(top level)"


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def schema_at(root: dict[str, Any], defs: dict[str, Any], path: FieldPath) -> dict[str, Any] | None:
    """The (ref-resolved) schema that describes the value at ``path``, or None when it cannot be told."""
    node: Any = _resolve(root, defs)
    for step in path:
        if node is None:
            return None
        if isinstance(step, int):
            node = _resolve(node.get("items"), defs)
        else:
            props = node.get("properties") or {}
            if step in props:
                node = _resolve(props[step], defs)
            elif isinstance(node.get("additionalProperties"), dict):
                node = _resolve(node["additionalProperties"], defs)
            else:
                return None
    return node if isinstance(node, dict) else None


def _resolve(node: Any, defs: dict[str, Any]) -> Any:
    for _ in range(50):
        if not isinstance(node, dict) or "$ref" not in node:
            return node
        ref = node["$ref"]
        node = defs.get(ref.rsplit("/", 1)[-1]) if ref.startswith("#/") else None
    return node


def _expected_types(schema: dict[str, Any] | None) -> list[str]:
    if not schema:
        return []
    kinds = schema.get("type")
    names = [kinds] if isinstance(kinds, str) else list(kinds or [])
    for option in schema.get("oneOf") or schema.get("anyOf") or []:
        names.extend(_expected_types(option))
    return [n for n in dict.fromkeys(names) if n != "null"]


def problems(errors: Any, data: Any, root: dict[str, Any], defs: dict[str, Any]) -> Iterator[Problem]:
    """Plain-words problems for the errors of one document, at most one per place and kind."""
    seen: set[tuple[FieldPath, str]] = set()
    for error in errors:
        path: FieldPath = tuple(error.instance_path)
        name = error.kind.name
        if name == "additionalProperties":
            allowed = list((schema_at(root, defs, path) or {}).get("properties") or {})
            for field in error.kind.unexpected:
                if field.startswith("$"):  # strategic-merge-patch directives of kustomize patches ($patch, ...)
                    continue
                key = ((*path, field), "unknown-field")
                if key not in seen:
                    seen.add(key)
                    yield Problem((*path, field), _unknown(field, path, allowed), "unknown-field")
        elif name == "required":
            field = error.kind.property
            key = ((*path, field), "required")
            if key not in seen:
                seen.add(key)
                where = f" in `{dotted(path)}`" if path else ""
                yield Problem((*path, field), f"required field `{field}` is missing{where}", "required")
        elif name in ("type", "oneOf", "anyOf"):
            if (path, "type") in seen:
                continue
            seen.add((path, "type"))
            expected = _expected_types(schema_at(root, defs, path))
            if not expected and name != "type":
                continue
            wanted = " or ".join(JSON_TYPES.get(t, t) for t in expected) or "another type"
            yield Problem(path, f"`{dotted(path)}` must be {wanted}, not {type_name(_value_at(data, path))}", "type")
        elif name == "enum" and path not in {p for p, _ in seen}:
            seen.add((path, "other"))
            options = getattr(error.kind, "options", None)
            choices = ", ".join(map(str, options)) if isinstance(options, list) else ""
            yield Problem(path, f"`{dotted(path)}` has a value the schema does not allow"
                          + (f"; allowed: {choices}" if choices else ""), "other")


def _unknown(field: str, path: FieldPath, allowed: list[str]) -> str:
    where = f" in `{dotted(path)}`" if path else ""
    close = difflib.get_close_matches(field, allowed, n=1, cutoff=0.6)
    if not close:
        lower = {name.lower(): name for name in allowed}
        close = [lower[field.lower()]] if field.lower() in lower else []
    hint = f": did you mean `{close[0]}`?" if close else (
        f" (allowed: {', '.join(sorted(allowed)[:12])}{', ...' if len(allowed) > 12 else ''})" if allowed else "")
    return f"unknown field `{field}`{where}{hint}"


def _value_at(data: Any, path: FieldPath) -> Any:
    node = data
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return None
    return node
