"""An inverted index from labels to objects, so that a selector costs its answer, not the whole input.

``select`` starts from the smallest posting list that one of the selector's positive requirements
(``key=value``, ``key in (...)``, ``key`` exists) allows, then checks every requirement on those
candidates only. Selectors with only negative requirements scan the bucket, which is what they ask for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Generic, TypeVar

from manifestlint.cluster.selectors import LabelSelector

T = TypeVar("T")


class LabelIndex(Generic[T]):
    """Objects with labels, looked up by label selector."""

    def __init__(self, items: Iterable[T], labels: Callable[[T], Mapping[str, str]]) -> None:
        self.items: list[T] = list(items)
        self._labels = labels
        self._pairs: dict[tuple[str, str], list[int]] = {}
        self._keys: dict[str, list[int]] = {}
        for i, item in enumerate(self.items):
            for key, value in labels(item).items():
                self._pairs.setdefault((key, value), []).append(i)
                self._keys.setdefault(key, []).append(i)

    def __len__(self) -> int:
        return len(self.items)

    def select(self, selector: LabelSelector) -> list[T]:
        """The items whose labels ``selector`` matches, in input order."""
        if not selector.valid:
            return []
        if not selector.requirements:
            return list(self.items)
        candidates: list[int] | None = None
        for requirement in selector.requirements:
            if requirement.operator == "In":
                posting = sorted({i for v in requirement.values for i in self._pairs.get((requirement.key, v), ())})
            elif requirement.operator == "Exists":
                posting = self._keys.get(requirement.key, [])
            else:
                continue
            if candidates is None or len(posting) < len(candidates):
                candidates = posting
            if not candidates:
                return []
        pool = range(len(self.items)) if candidates is None else candidates
        return [self.items[i] for i in pool if selector.matches(self._labels(self.items[i]))]

    def any_match(self, selector: LabelSelector) -> bool:
        return bool(self.select(selector))


class SelectorIndex(Generic[T]):
    """Objects with selectors, looked up by the labels of a pod: the reverse of ``LabelIndex``.

    Each selector is filed under the ``key=value`` pairs of one of its ``In`` requirements (a pod must
    have one of them to match); selectors without one are checked for every query.
    """

    def __init__(self, items: Iterable[T], selector: Callable[[T], LabelSelector | None]) -> None:
        self._selector = selector
        self._filed: dict[tuple[str, str], list[tuple[int, T]]] = {}
        self._unfiled: list[tuple[int, T]] = []
        for i, item in enumerate(items):
            found = selector(item)
            if found is None or not found.valid:
                continue
            requirement = next((r for r in found.requirements if r.operator == "In"), None)
            if requirement is None:
                self._unfiled.append((i, item))
            else:
                for value in requirement.values:
                    self._filed.setdefault((requirement.key, value), []).append((i, item))

    def matching(self, labels: Mapping[str, str]) -> list[T]:
        """The items whose selector matches ``labels``, in input order."""
        candidates = dict(self._unfiled)
        for pair in labels.items():
            candidates.update(self._filed.get(pair, ()))
        found = []
        for i in sorted(candidates):
            selector = self._selector(candidates[i])
            if selector is not None and selector.matches(labels):
                found.append(candidates[i])
        return found
