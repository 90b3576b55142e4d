"""The object model rules read: one Kubernetes document with its positions."""

from __future__ import annotations

from typing import Any

from manifestlint.model import ObjectRef, Span
from manifestlint.positions import FieldPath, locate
from manifestlint.source import SourceText


class Document:
    """One object of the input: its data, where each value is, and where it came from.

    ``category`` is ``"object"`` for Kubernetes API objects and ``"cluster-config"`` for the
    configuration files of cluster components (kubeadm, kubelet, EncryptionConfiguration, ...).
    """

    __slots__ = ("path", "index", "data", "pos", "source", "helm_source", "category", "kind", "api_version",
                 "name", "namespace", "_ref", "memo")

    def __init__(self, path: str, index: int, data: dict[str, Any], pos: Any, source: SourceText,
                 helm_source: str | None, category: str) -> None:
        self.path = path
        self.index = index
        self.data = data
        self.pos = pos
        self.source = source
        self.helm_source = helm_source
        self.category = category
        kind, api_version = data.get("kind"), data.get("apiVersion")
        self.kind: str = kind if isinstance(kind, str) else ""
        self.api_version: str = api_version if isinstance(api_version, str) else ""
        metadata = data.get("metadata")
        metadata = metadata if isinstance(metadata, dict) else {}
        name = metadata.get("name") or metadata.get("generateName") or ""
        namespace = metadata.get("namespace") or ""
        self.name: str = name if isinstance(name, str) else str(name)
        self.namespace: str = namespace if isinstance(namespace, str) else str(namespace)
        self._ref: ObjectRef | None = None
        # Views derived from ``data`` that several rules ask for (the containers of a workload);
        # rules treat the data as read-only, so a view stays valid for the document's life.
        self.memo: dict[str, Any] = {}

    @property
    def api_group(self) -> str:
        return self.api_version.rpartition("/")[0]

    @property
    def metadata(self) -> dict[str, Any]:
        metadata = self.data.get("metadata")
        return metadata if isinstance(metadata, dict) else {}

    @property
    def ref(self) -> ObjectRef:
        if self._ref is None:
            self._ref = ObjectRef(self.kind, self.namespace, self.name, self.api_version)
        return self._ref

    def get(self, path: FieldPath, default: Any = None) -> Any:
        """The value at ``path``, or ``default`` when any step is missing or of the wrong type."""
        node: Any = self.data
        for step in path:
            if isinstance(step, str) and isinstance(node, dict):
                if step not in node:
                    return default
                node = node[step]
            elif isinstance(step, int) and isinstance(node, list) and -len(node) <= step < len(node):
                node = node[step]
            else:
                return default
        return node

    def locate(self, path: FieldPath) -> Span:
        """Where ``path`` is, or the deepest existing part of it."""
        return locate(self.data, self.pos, path, self.source)[0]

    def __repr__(self) -> str:
        return f"<Document {self.path}#{self.index} {self.kind} {self.namespace}/{self.name}>"
