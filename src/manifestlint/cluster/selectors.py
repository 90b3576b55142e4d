"""Label selectors as the API server evaluates them: ``matchLabels`` and ``matchExpressions``.

``LabelSelector.parse`` keeps the API's distinction between a missing selector (``None``: selects
nothing where the field is a pointer, e.g. a PodDisruptionBudget's) and an empty one (``{}``: selects
everything). A selector the API would reject (unknown operator, ``In`` without values) selects nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

OPERATORS = frozenset({"In", "NotIn", "Exists", "DoesNotExist"})


def label_value(value: Any) -> str:
    """A label value as the API compares it (YAML 1.1 may have made it a bool or a number)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def string_labels(labels: Any) -> dict[str, str]:
    """A labels mapping with every key and value as the string the API stores."""
    if not isinstance(labels, dict):
        return {}
    return {str(key): label_value(value) for key, value in labels.items()}


@dataclass(frozen=True, slots=True)
class Requirement:
    """One requirement: ``key`` ``operator`` ``values`` (``matchLabels`` entries become ``In`` with one value)."""

    key: str
    operator: str
    values: frozenset[str] = frozenset()

    def matches(self, labels: Mapping[str, str]) -> bool:
        if self.operator == "In":
            return labels.get(self.key) in self.values
        if self.operator == "NotIn":
            return labels.get(self.key) not in self.values  # a missing key satisfies NotIn
        if self.operator == "Exists":
            return self.key in labels
        return self.key not in labels  # DoesNotExist

    def describe(self) -> str:
        if self.operator == "In" and len(self.values) == 1:
            return f"{self.key}={next(iter(self.values))}"
        if self.operator in ("In", "NotIn"):
            return f"{self.key} {self.operator.lower()} ({', '.join(sorted(self.values))})"
        return self.key if self.operator == "Exists" else f"!{self.key}"


@dataclass(frozen=True, slots=True)
class LabelSelector:
    """A parsed selector: every requirement must hold (an empty list selects everything)."""

    requirements: tuple[Requirement, ...] = ()
    valid: bool = True

    @classmethod
    def parse(cls, raw: Any) -> LabelSelector | None:
        """A ``metav1.LabelSelector``; ``None`` when the field is missing or null."""
        if raw is None:
            return None
        if not isinstance(raw, dict):
            return cls((), valid=False)
        requirements: list[Requirement] = []
        valid = True
        match_labels = raw.get("matchLabels")
        if isinstance(match_labels, dict):
            requirements += [Requirement(str(k), "In", frozenset({label_value(v)})) for k, v in match_labels.items()]
        elif match_labels is not None:
            valid = False
        expressions = raw.get("matchExpressions")
        if isinstance(expressions, list):
            for item in expressions:
                requirement = _expression(item)
                if requirement is None:
                    valid = False
                else:
                    requirements.append(requirement)
        elif expressions is not None:
            valid = False
        return cls(tuple(requirements), valid)

    @classmethod
    def from_map(cls, raw: Any) -> LabelSelector | None:
        """A plain ``key: value`` selector (Services, ReplicationControllers); ``None`` when absent or empty."""
        if not isinstance(raw, dict) or not raw:
            return None
        return cls(tuple(Requirement(str(k), "In", frozenset({label_value(v)})) for k, v in raw.items()))

    @property
    def everything(self) -> bool:
        """Whether it selects every object (``{}``)."""
        return self.valid and not self.requirements

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(r.key for r in self.requirements)

    def matches(self, labels: Mapping[str, str]) -> bool:
        return self.valid and all(r.matches(labels) for r in self.requirements)

    def allowed_values(self, key: str) -> frozenset[str] | None:
        """The values ``key`` must have for a match, or None when the selector does not pin it."""
        allowed: frozenset[str] | None = None
        for r in self.requirements:
            if r.key == key and r.operator == "In":
                allowed = r.values if allowed is None else allowed & r.values
        return allowed

    def without(self, keys: frozenset[str]) -> LabelSelector:
        return LabelSelector(tuple(r for r in self.requirements if r.key not in keys), self.valid)

    def describe(self) -> str:
        if not self.valid:
            return "an invalid selector"
        if not self.requirements:
            return "every pod"
        return ", ".join(r.describe() for r in self.requirements)


def _expression(item: Any) -> Requirement | None:
    if not isinstance(item, dict):
        return None
    key, operator, raw_values = item.get("key"), item.get("operator"), item.get("values")
    if not isinstance(key, str) or not key or not isinstance(operator, str) or operator not in OPERATORS:
        return None
    values = frozenset(label_value(v) for v in raw_values) if isinstance(raw_values, list) else frozenset()
    if operator in ("In", "NotIn") and not values:
        return None
    if operator in ("Exists", "DoesNotExist") and values:
        return None
    return Requirement(key, operator, values)


EVERYTHING = LabelSelector()
