"""The whole-input model: every object of the run indexed by namespace and label.

Namespaces. An object without ``metadata.namespace`` goes wherever it is applied. With
``scope: cluster`` that is ``default`` (the input is the whole cluster, applied as is). Otherwise it
is the one namespace that its folder declares (a Namespace object in the same folder), or the one
that the whole input declares; failing both, it shares an unnamed namespace with the other
namespace-less objects of its folder, since a folder is what gets applied together (``kubectl apply
-f DIR``, a kustomization, a chart's templates, one stdin stream). Objects are matched (a Service and
its pods, a policy and its pods) only within one namespace. Namespace-level rules judge the declared
namespaces, or with ``scope: cluster`` every namespace that an object uses too.

Cost. Workloads are indexed by namespace and by label (``LabelIndex``), so each selector costs its
candidates, and each policy is evaluated once per namespace it applies to: no pods x policies x
namespaces product.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from manifestlint.cluster.labels import LabelIndex, SelectorIndex
from manifestlint.cluster.netpol import EGRESS, INGRESS, NAME_LABEL, Policy, implicit_pod_labels, parse_policy
from manifestlint.cluster.objects import UNSET, Autoscaler, Budget, Ingress, NamespaceInfo, Service, Workload
from manifestlint.cluster.rbac import Rbac
from manifestlint.cluster.selectors import LabelSelector, string_labels
from manifestlint.document import Document
from manifestlint.k8s.scope import CLUSTER_SCOPED, NAMESPACED

CLUSTER = "cluster"
T = TypeVar("T")
# Labels that controllers add to the pods they create; a selector may use them.
CONTROLLER_LABELS = frozenset({"pod-template-hash", "controller-revision-hash", "statefulset.kubernetes.io/pod-name",
                               "apps.kubernetes.io/pod-index", "pod-template-generation", "job-name",
                               "batch.kubernetes.io/job-name", "controller-uid", "batch.kubernetes.io/controller-uid",
                               "batch.kubernetes.io/job-completion-index"})
# Where custom resources of operators (Prometheus, Alertmanager, ...) keep the labels of the pods they create.
OPERATOR_POD_LABELS = (("spec", "podMetadata", "labels"), ("spec", "template", "metadata", "labels"),
                       ("spec", "podTemplate", "metadata", "labels"), ("spec", "selector", "matchLabels"))
CORE_GROUPS = frozenset({"", "apps", "batch", "networking.k8s.io", "policy", "rbac.authorization.k8s.io",
                         "autoscaling", "extensions", "storage.k8s.io", "apiextensions.k8s.io",
                         "admissionregistration.k8s.io", "scheduling.k8s.io", "coordination.k8s.io",
                         "discovery.k8s.io", "node.k8s.io", "certificates.k8s.io", "apiregistration.k8s.io"})
# Namespaces every cluster has.
SYSTEM_NAMESPACES = frozenset({"default", "kube-system", "kube-public", "kube-node-lease"})


class ClusterModel:
    """Every object of one run that the cluster-wide rules read, indexed."""

    def __init__(self, docs: Iterable[Document], scope: str = "default") -> None:
        self.scope = scope
        self.docs: list[Document] = [d for d in docs if d.category == "object"]
        declared = [d for d in self.docs if d.kind == "Namespace" and d.api_version == "v1" and d.name]
        names = {d.name for d in declared}
        self._only_namespace = next(iter(names)) if len(names) == 1 else None
        self._folder_namespace: dict[str, str | None] = {}
        for doc in declared:
            folder = posixpath.dirname(doc.path)
            self._folder_namespace[folder] = None if self._folder_namespace.get(folder, doc.name) != doc.name \
                else doc.name
        self.namespaces: dict[str, NamespaceInfo] = {}
        for doc in declared:
            if doc.name not in self.namespaces:
                labels = string_labels(doc.metadata.get("labels"))
                labels.setdefault(NAME_LABEL, doc.name)
                annotations = doc.metadata.get("annotations")
                self.namespaces[doc.name] = NamespaceInfo(doc.name, doc, labels,
                                                          annotations if isinstance(annotations, dict) else {})
        self.first_use: dict[str, Document] = {}
        self.workloads: list[Workload] = []
        self.policies: list[Policy] = []
        self.services: list[Service] = []
        self.ingresses: list[Ingress] = []
        self.budgets: list[Budget] = []
        self.autoscalers: list[Autoscaler] = []
        self.by_kind: dict[str, list[Document]] = {}
        rbac_docs: list[tuple[Document, str]] = []
        for doc in self.docs:
            self.by_kind.setdefault(doc.kind, []).append(doc)
            namespace = self.namespace_of(doc)
            if namespace and doc.kind not in CLUSTER_SCOPED and (doc.namespace or doc.kind in NAMESPACED):
                self.first_use.setdefault(namespace, doc)
                if namespace not in self.namespaces and scope == CLUSTER:
                    self.namespaces[namespace] = NamespaceInfo(namespace, None, {NAME_LABEL: namespace})
            workload = Workload.read(doc, namespace)
            if workload is not None:
                self.workloads.append(workload)
                continue
            if doc.kind in _POLICY_KINDS:
                self.policies += parse_policy(doc, namespace)
            elif doc.kind == "Service" and doc.api_version == "v1":
                self.services.append(Service.read(doc, namespace))
            elif doc.kind == "Ingress" and doc.api_group in ("networking.k8s.io", "extensions"):
                self.ingresses.append(Ingress.read(doc, namespace))
            elif doc.kind == "PodDisruptionBudget":
                self.budgets.append(Budget.read(doc, namespace))
            elif doc.kind == "HorizontalPodAutoscaler":
                self.autoscalers.append(Autoscaler.read(doc, namespace))
            elif doc.api_group == "rbac.authorization.k8s.io":
                rbac_docs.append((doc, namespace))
        self.rbac = Rbac(rbac_docs)
        self._operator_labels: dict[str, list[dict[str, str]]] = {}
        for doc in self.docs:
            if doc.api_group not in CORE_GROUPS and "." in doc.api_group:
                implicit = _operator_implicit_labels(doc)
                found = [string_labels(doc.get(path)) for path in OPERATOR_POD_LABELS if doc.get(path)]
                for labels in found or ([{}] if implicit else []):
                    self._operator_labels.setdefault(self.namespace_of(doc), []).append({**implicit, **labels})
        self._workloads_by_ns: dict[str, list[Workload]] = {}
        for workload in self.workloads:
            self._workloads_by_ns.setdefault(workload.namespace, []).append(workload)
        self._index: dict[str, LabelIndex[Workload]] = {
            ns: LabelIndex(items, lambda w: w.labels) for ns, items in self._workloads_by_ns.items()}
        self._policies_by_ns: dict[str, list[Policy]] = {}
        self.cluster_policies: list[Policy] = []
        for policy in self.policies:
            if policy.namespace is None:
                self.cluster_policies.append(policy)
            else:
                self._policies_by_ns.setdefault(policy.namespace, []).append(policy)
        self._selected: dict[tuple[int, str], list[Workload]] = {}
        self._by_name = {(w.namespace, w.doc.kind, w.doc.name): w for w in reversed(self.workloads)}
        budgets_by_ns: dict[str, list[Budget]] = {}
        for budget in self.budgets:
            budgets_by_ns.setdefault(budget.namespace, []).append(budget)
        self._budgets = {ns: SelectorIndex(items, lambda b: b.selector) for ns, items in budgets_by_ns.items()}
        self._autoscalers = {(a.namespace, a.target_kind, a.target_name): a for a in reversed(self.autoscalers)}
        self._services_by_name: dict[str, list[Service]] = {}
        for service in self.services:
            self._services_by_name.setdefault(service.doc.name, []).append(service)
        self._folders: dict[str, set[str]] = {}
        self._memo: dict[str, Any] = {}

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()``, once per model: for facts that several rules derive the same way."""
        if key not in self._memo:
            self._memo[key] = compute()
        value: T = self._memo[key]
        return value

    # --- namespaces -----------------------------------------------------------------------------

    def namespace_of(self, doc: Document) -> str:
        """The namespace ``doc`` lands in: its own, or the one its folder or the input implies (module docs)."""
        if doc.namespace:
            return doc.namespace
        if self.scope == CLUSTER:
            return "default"
        folder = posixpath.dirname(doc.path)
        if folder in self._folder_namespace:
            return self._folder_namespace[folder] or UNSET + folder
        return self._only_namespace or UNSET + folder

    @staticmethod
    def describe(namespace: str) -> str:
        """``namespace 'x'``, or words for a folder's unnamed namespace."""
        return "the namespace it is applied to" if namespace.startswith(UNSET) else f"namespace {namespace!r}"

    def judged_namespaces(self) -> list[NamespaceInfo]:
        """The namespaces that namespace-level rules judge: declared, or all known with ``scope: cluster``."""
        return [info for info in self.namespaces.values() if info.declared or self.scope == CLUSTER]

    def labels_of_namespace(self, namespace: str) -> dict[str, str]:
        info = self.namespaces.get(namespace)
        return info.labels if info else {NAME_LABEL: namespace}

    def anchor(self, info: NamespaceInfo) -> tuple[Document, tuple[str, ...]] | None:
        """Where a finding about a namespace goes: its Namespace object, else the first object using it."""
        if info.doc is not None:
            return info.doc, ("metadata", "name")
        doc = self.first_use.get(info.name)
        if doc is None:
            return None
        return doc, ("metadata", "namespace") if doc.namespace else ("metadata",)

    # --- workloads ------------------------------------------------------------------------------

    def workloads_by_namespace(self) -> dict[str, list[Workload]]:
        """The workloads grouped by the namespace they land in (``""``: unknown)."""
        return self._workloads_by_ns

    def workloads_in(self, namespace: str) -> list[Workload]:
        return self._workloads_by_ns.get(namespace, [])

    def select(self, namespace: str, selector: LabelSelector | None) -> list[Workload]:
        """The workloads of ``namespace`` whose pod labels ``selector`` matches."""
        index = self._index.get(namespace)
        return index.select(selector) if index is not None and selector is not None else []

    def may_select_pods(self, namespace: str, selector: LabelSelector) -> bool:
        """Whether ``selector`` matches some pods of ``namespace``: of a workload, or of an operator's custom
        resource (``spec.podMetadata.labels`` and the like); controller-added labels are assumed to match."""
        relaxed = selector.without(CONTROLLER_LABELS)
        return bool(self.select(namespace, relaxed)) or any(
            relaxed.matches(labels) for labels in self._operator_labels.get(namespace, []))

    def find_workload(self, namespace: str, kind: str, name: str) -> Workload | None:
        return self._by_name.get((namespace, kind, name))

    def workload_folders(self, namespace: str) -> set[str]:
        """The folders that hold workloads of ``namespace``."""
        if namespace not in self._folders:
            self._folders[namespace] = {posixpath.dirname(w.doc.path) for w in self.workloads_in(namespace)}
        return self._folders[namespace]

    def budgets_for(self, workload: Workload) -> list[Budget]:
        """The PodDisruptionBudgets of the workload's namespace that select its pods."""
        index = self._budgets.get(workload.namespace)
        return index.matching(workload.labels) if index is not None and workload.labels else []

    def autoscaler_for(self, workload: Workload) -> Autoscaler | None:
        return self._autoscalers.get((workload.namespace, workload.doc.kind, workload.doc.name))

    # --- network policies -----------------------------------------------------------------------

    def policies_for(self, namespace: str) -> list[Policy]:
        """Every policy that may apply to pods of ``namespace``: its own, and cluster-wide ones."""
        labels = self.labels_of_namespace(namespace)
        own = self._policies_by_ns.get(namespace, [])
        return own + [p for p in self.cluster_policies if p.applies_to_namespace(namespace, labels)]

    def selected_by(self, policy: Policy, namespace: str) -> list[Workload]:
        """The workloads of ``namespace`` that ``policy`` applies to."""
        key = (id(policy), namespace)
        if key not in self._selected:
            self._selected[key] = self._select_for_policy(policy, namespace)
        return self._selected[key]

    def _select_for_policy(self, policy: Policy, namespace: str) -> list[Workload]:
        if policy.selector is None or policy.selects_hosts_only or policy.namespace not in (None, namespace):
            return []
        if policy.flavour == "kubernetes" and isinstance(policy.selector, LabelSelector):
            return self.select(namespace, policy.selector)
        implicit = implicit_pod_labels(policy.flavour, namespace)
        return [w for w in self.workloads_in(namespace) if policy.selector.matches({**w.labels, **implicit})]

    def isolating(self, namespace: str, direction: str) -> Iterator[Policy]:
        """Policies that isolate every pod of ``namespace`` in ``direction`` (present and future pods)."""
        for policy in self.policies_for(namespace):
            if policy.isolates(direction) and policy.selects_every_pod(namespace) \
                    and not policy.admits_everything(direction):
                yield policy

    def isolated_workloads(self, namespace: str, direction: str) -> set[int]:
        """``id()`` of each workload of ``namespace`` that some policy isolates in ``direction``."""
        chosen: set[int] = set()
        for policy in self.policies_for(namespace):
            if policy.isolates(direction):
                chosen.update(id(w) for w in self.selected_by(policy, namespace))
        return chosen

    # --- other objects --------------------------------------------------------------------------

    def services_in(self, namespace: str) -> list[Service]:
        return [s for s in self.services if s.namespace == namespace]

    def services_named(self, namespace: str, name: str) -> list[Service]:
        """The Services a reference from ``namespace`` to ``name`` may mean: in that namespace, else one
        without a namespace (it lands wherever it is applied), or any when the referrer has none."""
        named = self._services_by_name.get(name, [])
        exact = [s for s in named if s.namespace == namespace]
        if exact:
            return exact
        return [s for s in named if s.namespace.startswith(UNSET) or namespace.startswith(UNSET)]

    def of_kind(self, *kinds: str) -> list[Document]:
        return [d for kind in kinds for d in self.by_kind.get(kind, [])]

    def docs_in(self, namespace: str, *kinds: str) -> list[Document]:
        return [d for d in self.of_kind(*kinds) if self.namespace_of(d) == namespace]


_POLICY_KINDS = frozenset({"NetworkPolicy", "GlobalNetworkPolicy", "CiliumNetworkPolicy",
                           "CiliumClusterwideNetworkPolicy"})
# Namespaced kinds that use the default namespace even when they do not name one.

_CACHE: dict[str, Any] = {}


def _operator_implicit_labels(doc: Document) -> dict[str, str]:
    """Labels the Prometheus Operator gives the pods of its resources (besides ``spec.podMetadata``)."""
    if doc.api_group != "monitoring.coreos.com" or not doc.name:
        return {}
    app = {"Prometheus": "prometheus", "PrometheusAgent": "prometheus-agent", "Alertmanager": "alertmanager",
           "ThanosRuler": "thanos-ruler"}.get(doc.kind)
    if app is None:
        return {}
    own = {"Prometheus": "prometheus", "Alertmanager": "alertmanager", "ThanosRuler": "thanos-ruler"}.get(doc.kind)
    labels = {"app.kubernetes.io/name": app, "app.kubernetes.io/instance": doc.name,
              "app.kubernetes.io/managed-by": "prometheus-operator"}
    if own:
        labels[own] = doc.name
    return labels


def model_for(docs: Sequence[Document], scope: str) -> ClusterModel:
    """The model of ``docs``, built once per run: every cluster rule gets the same list of documents.

    Found again by the list's identity: ``lint_input`` hands each selection to its rules as a list of
    its own that nothing changes. The single cached entry holds that list, so its ``id()`` cannot be
    reused while the entry is alive; a new run (another list) replaces it.
    """
    if _CACHE.get("docs") is not docs or _CACHE.get("scope") != scope:
        _CACHE.update(docs=docs, scope=scope, model=ClusterModel(docs, scope))
    model: ClusterModel = _CACHE["model"]
    return model


__all__ = ["CLUSTER", "EGRESS", "INGRESS", "SYSTEM_NAMESPACES", "ClusterModel", "model_for"]
