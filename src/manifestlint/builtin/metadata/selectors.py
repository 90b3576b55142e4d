"""Explain which requirements of a label selector a set of labels fails, one by one, with their paths.

Matching itself is ``cluster.selectors``' (the semantics every selector rule shares); this module adds
the per-requirement report and the reasons the API server would reject a requirement.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from manifestlint.cluster.selectors import Requirement, label_value, string_labels
from manifestlint.positions import FieldPath

OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")  # in the order messages list them


@dataclass(frozen=True, slots=True)
class Unmet:
    """One requirement of a selector that the labels do not satisfy, or that is itself invalid."""

    path: FieldPath
    problem: str
    invalid: bool = False


def unmet_match_labels(path: FieldPath, match_labels: Any, labels: Any) -> Iterator[Unmet]:
    """Each ``key: value`` of a selector map (``matchLabels``, a ReplicationController's selector) not in ``labels``."""
    if not isinstance(match_labels, dict):
        return
    have = string_labels(labels)
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
    have = string_labels(labels)
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
        elif Requirement(key, operator, frozenset(values)).matches(have):
            continue
        elif operator == "In":
            got = f"{key}={have[key]}" if key in have else f"no label {key!r}"
            yield Unmet(at, f"requires {key} in ({', '.join(values)}) but the pod template has {got}")
        elif operator == "NotIn":
            yield Unmet(at, f"excludes {key} in ({', '.join(values)}) but the pod template has {key}={have[key]}")
        elif operator == "Exists":
            yield Unmet(at, f"requires label {key!r} to exist but the pod template has no such label")
        else:
            yield Unmet(at, f"requires label {key!r} to be absent but the pod template has {key}={have[key]}")
