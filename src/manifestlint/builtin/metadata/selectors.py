"""Evaluate a label selector against a set of labels, requirement by requirement, as the API server does."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from manifestlint.positions import FieldPath

OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")


@dataclass(frozen=True, slots=True)
class Unmet:
    """One requirement of a selector that the labels do not satisfy, or that is itself invalid."""

    path: FieldPath
    problem: str
    invalid: bool = False


def label_value(value: Any) -> str:
    """A label value as the API would compare it (YAML 1.1 may have made it a bool or a number)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _labels(labels: Any) -> dict[str, str]:
    if not isinstance(labels, dict):
        return {}
    return {str(key): label_value(value) for key, value in labels.items()}


def unmet_match_labels(path: FieldPath, match_labels: Any, labels: Any) -> Iterator[Unmet]:
    """Each ``key: value`` of a selector map (``matchLabels``, a ReplicationController's selector) not in ``labels``."""
    if not isinstance(match_labels, dict):
        return
    have = _labels(labels)
    for key, value in match_labels.items():
        want = label_value(value)
        key = str(key)
        if key not in have:
            yield Unmet((*path, key), f"requires label {key}={want} but the pod template has no label {key!r}")
        elif have[key] != want:
            yield Unmet((*path, key), f"requires label {key}={want} but the pod template has {key}={have[key]}")


def unmet_expressions(path: FieldPath, expressions: Any, labels: Any) -> Iterator[Unmet]:
    """Each ``matchExpressions`` item that is invalid or that ``labels`` do not satisfy."""
    if not isinstance(expressions, list):
        return
    have = _labels(labels)
    for i, expression in enumerate(expressions):
        if not isinstance(expression, dict):
            continue
        at = (*path, i)
        key, operator = str(expression.get("key", "")), expression.get("operator")
        raw_values = expression.get("values")
        values = [label_value(v) for v in raw_values] if isinstance(raw_values, list) else []
        if operator not in OPERATORS:
            yield Unmet((*at, "operator"), f"has operator {operator!r}, which is not one of {', '.join(OPERATORS)}",
                        invalid=True)
        elif operator in ("In", "NotIn") and not values:
            yield Unmet(at, f"uses {operator} on {key!r} without values", invalid=True)
        elif operator in ("Exists", "DoesNotExist") and values:
            yield Unmet((*at, "values"), f"uses {operator} on {key!r} with values, which it must not have",
                        invalid=True)
        elif operator == "In" and have.get(key) not in values:
            got = f"{key}={have[key]}" if key in have else f"no label {key!r}"
            yield Unmet(at, f"requires {key} in ({', '.join(values)}) but the pod template has {got}")
        elif operator == "NotIn" and key in have and have[key] in values:
            yield Unmet(at, f"excludes {key} in ({', '.join(values)}) but the pod template has {key}={have[key]}")
        elif operator == "Exists" and key not in have:
            yield Unmet(at, f"requires label {key!r} to exist but the pod template has no such label")
        elif operator == "DoesNotExist" and key in have:
            yield Unmet(at, f"requires label {key!r} to be absent but the pod template has {key}={have[key]}")
