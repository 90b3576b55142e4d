"""Which ServiceAccount a pod runs as, and the ServiceAccounts of the input indexed by name."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from manifestlint.document import Document

SERVICE_ACCOUNT = "ServiceAccount"
DEFAULT_NAME = "default"


def is_service_account(doc: Document) -> bool:
    """A core ServiceAccount (not a custom resource that happens to share the kind name)."""
    return doc.kind == SERVICE_ACCOUNT and doc.api_version == "v1"


def pod_service_account(spec: dict[str, Any]) -> str:
    """The ServiceAccount a pod spec runs as: ``serviceAccountName``, its deprecated alias, or ``default``."""
    for key in ("serviceAccountName", "serviceAccount"):
        name = spec.get(key)
        if isinstance(name, str) and name:
            return name
    return DEFAULT_NAME


class ServiceAccountIndex:
    """The ServiceAccounts of one run, looked up the way they would meet a pod in the cluster.

    An object without ``metadata.namespace`` lands wherever the input is applied (the kubectl
    context, ``helm install -n``, kustomize's ``namespace:``), which is also where the other
    namespace-less objects of the input land and often where the namespaced ones point. So an exact
    namespace match wins, and failing that a missing namespace on either side matches.
    """

    def __init__(self, docs: Iterable[Document]) -> None:
        self._by_name: dict[str, list[Document]] = {}
        for doc in docs:
            if is_service_account(doc) and doc.name:
                self._by_name.setdefault(doc.name, []).append(doc)

    def lookup(self, namespace: str, name: str) -> list[Document]:
        """The ServiceAccounts a pod in ``namespace`` (empty: none given) naming ``name`` may use."""
        candidates = self._by_name.get(name, [])
        exact = [doc for doc in candidates if doc.namespace == namespace]
        if exact:
            return exact
        return [doc for doc in candidates if not doc.namespace or not namespace]
