"""Turn sarif-om objects into JSON-ready data.

sarif-om's own serializer (``jschema_to_python.to_json``) drops every value equal to its attrs
default, so an explicit ``level: "warning"`` vanishes and consumers fall back to the rule's default
level. This one drops only ``None`` and the placeholder defaults that mean "not set": negative
number sentinels (``ruleIndex: -1``) and factory lists left as generated (``newlineSequences``).
"""

from __future__ import annotations

from typing import Any

import attr

_UNSET = object()
# Per attribute, by Python name: (SARIF property name, placeholder value or _UNSET).
_Spec = dict[str, tuple[str, Any]]
_SPECS: dict[type, _Spec | None] = {}  # None: not an attrs class (asked once per type, not per value)


def to_data(value: Any) -> Any:
    """``value`` with every attrs object replaced by a dict keyed by SARIF property names."""
    cls = type(value)
    spec = _SPECS[cls] if cls in _SPECS else _spec(cls)
    if spec is not None:
        data: dict[str, Any] = {}
        # sarif-om's classes keep their attributes in __dict__, in declaration order; a result has
        # some thirty, most of them None, so reading them in one go beats a getattr each.
        for name, item in vars(value).items():
            if item is None:
                continue
            prop, placeholder = spec[name]
            if placeholder is not _UNSET and item == placeholder:
                continue
            data[prop] = to_data(item)
        return data
    if isinstance(value, (list, tuple)):
        return [to_data(item) for item in value]
    if isinstance(value, dict):
        return {key: to_data(item) for key, item in value.items()}
    return value


def _spec(cls: type) -> _Spec | None:
    spec = None
    if attr.has(cls):
        spec = {field.name: (field.metadata.get("schema_property_name", field.name), _placeholder(field.default))
                for field in attr.fields(cls)}
    _SPECS[cls] = spec
    return spec


def _placeholder(default: Any) -> Any:
    if isinstance(default, attr.Factory):  # type: ignore[arg-type]
        return default.factory()
    if isinstance(default, (int, float)) and not isinstance(default, bool) and default < 0:
        return default
    return _UNSET
