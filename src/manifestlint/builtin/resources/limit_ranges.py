"""What the LimitRanges of the input default for containers, by namespace (checklist WL-3 evidence).

The LimitRanger admission plugin fills in a container's missing limits and requests from every
LimitRange of its namespace with ``type: Container`` items, init containers included. The API's own
defaulting first completes each item: a missing ``default`` (limit) comes from ``max``, a missing
``defaultRequest`` from ``default``, then from ``min`` (``SetDefaults_LimitRangeItem``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from manifestlint.document import Document

LIMIT_RANGE = "LimitRange"
# Which LimitRange item fields end up defaulting a container's limits and its requests.
_SOURCES = {"limits": ("default", "max"), "requests": ("defaultRequest", "default", "max", "min")}


@dataclass(slots=True)
class LimitRangeDefaults:
    """Resource names a namespace's LimitRanges default, for ``limits`` and for ``requests``."""

    by_namespace: dict[str, dict[str, set[str]]] = field(default_factory=dict)

    @classmethod
    def from_documents(cls, docs: Iterable[Document]) -> LimitRangeDefaults:
        index = cls()
        for doc in docs:
            if doc.kind != LIMIT_RANGE:
                continue
            entry = index.by_namespace.setdefault(doc.namespace, {"limits": set(), "requests": set()})
            for item in _container_items(doc.get(("spec", "limits"))):
                for target, sources in _SOURCES.items():
                    for source in sources:
                        values = item.get(source)
                        if isinstance(values, dict):
                            entry[target].update(k for k, v in values.items() if isinstance(k, str) and v is not None)
        return index

    def defaulted(self, namespace: str, target: str) -> set[str]:
        """Resources defaulted for containers in ``namespace``; ``target`` is ``limits`` or ``requests``.

        A LimitRange applies when both objects have the same namespace, or when either has none:
        an object without ``metadata.namespace`` goes wherever it is applied, with the others.
        """
        found: set[str] = set()
        for ns, entry in self.by_namespace.items():
            if ns == namespace or not ns or not namespace:
                found |= entry[target]
        return found


def _container_items(limits: Any) -> Iterable[dict[str, Any]]:
    if not isinstance(limits, list):
        return ()
    return [item for item in limits if isinstance(item, dict) and item.get("type") == "Container"]
