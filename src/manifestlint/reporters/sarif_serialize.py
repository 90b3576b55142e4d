"""Turn sarif-om objects into JSON-ready data.

sarif-om's own serializer (``jschema_to_python.to_json``) drops every value equal to its attrs
default, so an explicit ``level: "warning"`` vanishes and consumers fall back to the rule's default
level. This one drops only ``None`` and the placeholder defaults that mean "not set": negative
number sentinels (``ruleIndex: -1``) and factory lists left as generated (``newlineSequences``).
"""

from __future__ import annotations

from typing import Any

import attr


def to_data(value: Any) -> Any:
    """``value`` with every attrs object replaced by a dict keyed by SARIF property names."""
    if attr.has(type(value)):
        data: dict[str, Any] = {}
        for field in attr.fields(type(value)):
            item = getattr(value, field.name)
            if item is None or _placeholder(field, item):
                continue
            data[field.metadata.get("schema_property_name", field.name)] = to_data(item)
        return data
    if isinstance(value, (list, tuple)):
        return [to_data(item) for item in value]
    if isinstance(value, dict):
        return {key: to_data(item) for key, item in value.items()}
    return value


def _placeholder(field: Any, value: Any) -> bool:
    default = field.default
    if isinstance(default, attr.Factory):  # type: ignore[arg-type]
        return bool(value == default.factory())
    return (isinstance(default, (int, float)) and not isinstance(default, bool) and default < 0
            and value == default)
