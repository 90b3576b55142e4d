"""RBAC as the authorizer sees it: roles with their rules (aggregated ClusterRoles resolved), bindings
with their subjects, and what a rule grants.

Matching follows the RBAC authorizer: ``*`` matches every verb, group or resource; a resource
``*/scale`` matches that subresource of every resource; ``pods/exec`` is a resource of its own (``pods``
does not grant it). The default ClusterRoles ``cluster-admin``, ``admin``, ``edit`` and ``view`` are
known by name when the input does not define them; ``admin``, ``edit`` and ``view`` also take the rules
of input ClusterRoles labelled ``rbac.authorization.k8s.io/aggregate-to-<name>: "true"``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from manifestlint.cluster.objects import qualified
from manifestlint.cluster.selectors import LabelSelector, string_labels
from manifestlint.document import Document
from manifestlint.positions import FieldPath

RBAC_GROUP = "rbac.authorization.k8s.io"
ROLE_KINDS = frozenset({"Role", "ClusterRole"})
BINDING_KINDS = frozenset({"RoleBinding", "ClusterRoleBinding"})
ALL = "*"


@dataclass(frozen=True, slots=True)
class RbacRule:
    """One ``rules[]`` entry; ``doc`` is None for the rules of a built-in role."""

    doc: Document | None
    path: FieldPath
    api_groups: tuple[str, ...]
    resources: tuple[str, ...]
    verbs: tuple[str, ...]
    resource_names: tuple[str, ...] = ()
    non_resource_urls: tuple[str, ...] = ()

    def grants(self, verb: str, resource: str, group: str = "") -> bool:
        """Whether the rule allows ``verb`` on ``resource`` (``pods`` or ``pods/exec``) in ``group``."""
        if not self.resources:
            return False
        if ALL not in self.verbs and verb not in self.verbs:
            return False
        if ALL not in self.api_groups and group not in self.api_groups:
            return False
        subresource = resource.partition("/")[2]
        return any(r in (ALL, resource) or (subresource and r == f"*/{subresource}") for r in self.resources)

    @property
    def superuser(self) -> bool:
        """``*`` verbs on ``*`` resources in ``*`` groups: everything the API has."""
        return ALL in self.verbs and ALL in self.resources and ALL in self.api_groups

    def value_path(self, field_name: str, value: str) -> FieldPath:
        """The path of ``value`` in this rule's list ``field_name`` (the list itself when absent)."""
        values = {"apiGroups": self.api_groups, "resources": self.resources, "verbs": self.verbs}[field_name]
        return (*self.path, field_name, values.index(value)) if value in values else (*self.path, field_name)


def _strings(raw: Any) -> tuple[str, ...]:
    if isinstance(raw, str):
        return (raw,)
    return tuple(str(v) for v in raw if isinstance(v, (str, int))) if isinstance(raw, list) else ()


def read_rules(doc: Document) -> list[RbacRule]:
    """The ``rules`` of a Role or ClusterRole (read once per document: seven rules and the cluster model
    ask); callers do not change the list."""
    found = doc.memo.get("rbac_rules")
    if found is None:
        found = doc.memo["rbac_rules"] = _read_rules(doc)
    return found


def _read_rules(doc: Document) -> list[RbacRule]:
    raw = doc.data.get("rules")
    rules = []
    for i, item in enumerate(raw if isinstance(raw, list) else []):
        if isinstance(item, dict):
            rules.append(RbacRule(doc, ("rules", i), _strings(item.get("apiGroups")), _strings(item.get("resources")),
                                  _strings(item.get("verbs")), _strings(item.get("resourceNames")),
                                  _strings(item.get("nonResourceURLs"))))
    return rules


def _builtin(*specs: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]) -> list[RbacRule]:
    return [RbacRule(None, (), groups, resources, verbs) for groups, resources, verbs in specs]


_WRITE = ("create", "delete", "deletecollection", "patch", "update")
_READ = ("get", "list", "watch")
# The powers of the default user-facing ClusterRoles that the rules here look for (not their full text).
# `admin` is `edit` plus Roles and RoleBindings, as the aggregated defaults are.
_EDIT = (
    (("",), ("pods", "pods/exec", "pods/attach", "pods/portforward", "secrets", "services", "configmaps",
             "serviceaccounts", "persistentvolumeclaims"), _READ + _WRITE),
    (("",), ("serviceaccounts",), ("impersonate",)),
    (("",), ("serviceaccounts/token",), ("create",)),
    (("apps",), ("deployments", "statefulsets", "daemonsets", "replicasets"), _READ + _WRITE),
    (("batch",), ("jobs", "cronjobs"), _READ + _WRITE),
)
BUILTIN_ROLES: dict[str, list[RbacRule]] = {
    "cluster-admin": _builtin(((ALL,), (ALL,), (ALL,))),
    "admin": _builtin(*_EDIT, ((RBAC_GROUP,), ("roles", "rolebindings"), _READ + _WRITE)),
    "edit": _builtin(*_EDIT),
    "view": _builtin((("",), ("pods", "services", "configmaps", "persistentvolumeclaims"), _READ),
                     (("apps",), ("deployments", "statefulsets", "daemonsets", "replicasets"), _READ)),
}
AGGREGATE_LABEL = "rbac.authorization.k8s.io/aggregate-to-{}"


@dataclass(slots=True)
class Role:
    """A Role or ClusterRole, from the input or built in."""

    kind: str
    name: str
    namespace: str | None
    doc: Document | None
    rules: list[RbacRule]
    labels: dict[str, str] = field(default_factory=dict)
    aggregation: list[LabelSelector] | None = None

    @property
    def label(self) -> str:
        return f"{self.kind} {qualified(self.namespace, self.name)}" + (" (built in)" if self.doc is None else "")


@dataclass(frozen=True, slots=True)
class Subject:
    path: FieldPath
    kind: str
    name: str
    namespace: str  # ServiceAccount subjects: the account's namespace ("" when unset)

    def describe(self) -> str:
        if self.kind == "ServiceAccount":
            return f"ServiceAccount {qualified(self.namespace, self.name)}"
        return f"{self.kind} {self.name}"


@dataclass(slots=True)
class Binding:
    doc: Document
    namespace: str | None  # None for a ClusterRoleBinding
    role_kind: str
    role_name: str
    subjects: list[Subject]

    @classmethod
    def read(cls, doc: Document, namespace: str) -> Binding:
        ref = doc.data.get("roleRef")
        ref = ref if isinstance(ref, dict) else {}
        subjects = []
        raw = doc.data.get("subjects")
        for i, item in enumerate(raw if isinstance(raw, list) else []):
            if isinstance(item, dict):
                kind, name = item.get("kind"), item.get("name")
                ns = item.get("namespace")
                if kind == "ServiceAccount" and not ns:
                    ns = namespace  # a RoleBinding's ServiceAccount subject defaults to its namespace
                subjects.append(Subject(("subjects", i), str(kind or ""), str(name or ""), str(ns or "")))
        return cls(doc, None if doc.kind == "ClusterRoleBinding" else namespace, str(ref.get("kind", "")),
                   str(ref.get("name", "")), subjects)

    @property
    def label(self) -> str:
        return f"{self.doc.kind} {qualified(self.namespace, self.doc.name)}"


class Rbac:
    """Every role and binding of the input, with roles resolved the way the API server would."""

    def __init__(self, docs: Iterable[tuple[Document, str]]) -> None:
        self.cluster_roles: dict[str, Role] = {}
        self.roles: dict[tuple[str, str], Role] = {}
        self.bindings: list[Binding] = []
        for doc, namespace in docs:
            if doc.api_group != RBAC_GROUP:
                continue
            if doc.kind in ROLE_KINDS and doc.name:
                role = Role(doc.kind, doc.name, namespace if doc.kind == "Role" else None, doc, read_rules(doc),
                            string_labels(doc.metadata.get("labels")))
                aggregation = doc.get(("aggregationRule", "clusterRoleSelectors"))
                if doc.kind == "ClusterRole" and isinstance(aggregation, list):
                    role.aggregation = [s for s in (LabelSelector.parse(a) for a in aggregation) if s is not None]
                if doc.kind == "ClusterRole":
                    self.cluster_roles.setdefault(doc.name, role)
                else:
                    self.roles.setdefault((namespace, doc.name), role)
            elif doc.kind in BINDING_KINDS:
                self.bindings.append(Binding.read(doc, namespace))
        self._effective: dict[int, list[RbacRule]] = {}

    def role_of(self, binding: Binding) -> Role | None:
        """The role a binding grants: from the input, else a known default ClusterRole."""
        if binding.role_kind == "ClusterRole":
            role = self.cluster_roles.get(binding.role_name)
            if role is None and binding.role_name in BUILTIN_ROLES:
                role = Role("ClusterRole", binding.role_name, None, None, BUILTIN_ROLES[binding.role_name])
            return role
        if binding.role_kind == "Role" and binding.namespace is not None:
            role = self.roles.get((binding.namespace, binding.role_name))
            if role is None and binding.namespace:
                role = self.roles.get(("", binding.role_name))
            return role
        return None

    def rules_of(self, role: Role) -> list[RbacRule]:
        """A role's rules with aggregation resolved: its own, plus those of the ClusterRoles it aggregates."""
        key = id(role)
        if key not in self._effective:
            self._effective[key] = list(self._collect(role, set()))
        return self._effective[key]

    def _collect(self, role: Role, seen: set[str]) -> Iterator[RbacRule]:
        seen.add(role.name)
        yield from role.rules
        selectors = list(role.aggregation or [])
        if role.kind == "ClusterRole" and role.name in ("admin", "edit", "view"):
            label = AGGREGATE_LABEL.format(role.name)
            selectors.append(LabelSelector.parse({"matchLabels": {label: "true"}}) or LabelSelector())
        if not selectors:
            return
        for other in self.cluster_roles.values():
            if other.name in seen:
                continue
            if any(s.requirements and s.matches(other.labels) for s in selectors):
                yield from self._collect(other, seen)

    def is_superuser(self, role: Role) -> bool:
        return any(rule.superuser for rule in self.rules_of(role))

    def grants(self, role: Role, verb: str, resource: str, group: str = "") -> list[RbacRule]:
        return [rule for rule in self.rules_of(role) if rule.grants(verb, resource, group)]
