"""The objects of the whole-input model, each read once from its document into the facts rules use."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from manifestlint.cluster.selectors import LabelSelector, string_labels
from manifestlint.document import Document
from manifestlint.k8s.workloads import pod_spec, pod_template_path
from manifestlint.positions import FieldPath

# Kinds whose pods the model follows (a PodTemplate runs nothing by itself).
WORKLOAD_KINDS = frozenset({"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController",
                            "Job", "CronJob"})
REPLICATED_KINDS = frozenset({"Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"})


UNSET = "~"  # prefix of the unnamed namespace of a folder's namespace-less objects (no real name has it)


def qualified(namespace: str | None, name: str) -> str:
    """``namespace/name``, or the name alone for cluster-scoped objects and unnamed namespaces."""
    return f"{namespace}/{name}" if namespace and not namespace.startswith(UNSET) else name


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(slots=True)
class Workload:
    """An object that runs pods: their labels, pod spec, ServiceAccount and replica count."""

    doc: Document
    namespace: str
    labels: dict[str, str]
    labels_path: FieldPath
    spec: dict[str, Any]
    spec_path: FieldPath
    service_account: str
    replicas: int | None  # None: not a replicated kind, or not a number

    @classmethod
    def read(cls, doc: Document, namespace: str) -> Workload | None:
        if doc.kind not in WORKLOAD_KINDS:
            return None
        found = pod_spec(doc)
        if found is None:
            return None
        spec_path, spec = found
        template = pod_template_path(doc) or ()
        labels_path = (*template, "metadata", "labels")
        account = "default"
        for key in ("serviceAccountName", "serviceAccount"):
            if isinstance(spec.get(key), str) and spec[key]:
                account = spec[key]
                break
        replicas: int | None = None
        if doc.kind in REPLICATED_KINDS:
            raw = doc.get(("spec", "replicas"), 1)
            replicas = raw if is_int(raw) else None
        return cls(doc, namespace, string_labels(doc.get(labels_path)), labels_path, spec, spec_path, account,
                   replicas)

    @property
    def host_network(self) -> bool:
        return self.spec.get("hostNetwork") is True

    @property
    def label(self) -> str:
        return f"{self.doc.kind} {self.doc.name!r}"


@dataclass(slots=True)
class NamespaceInfo:
    """A namespace: declared by a Namespace object in the input, or only used by objects."""

    name: str
    doc: Document | None = None
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, Any] = field(default_factory=dict)

    @property
    def declared(self) -> bool:
        return self.doc is not None


@dataclass(frozen=True, slots=True)
class ServicePort:
    path: FieldPath
    port: Any
    name: str | None
    target_port: Any
    node_port: Any
    protocol: str
    app_protocol: str | None


@dataclass(slots=True)
class Service:
    doc: Document
    namespace: str
    selector: LabelSelector | None
    type: str
    ports: list[ServicePort]

    @classmethod
    def read(cls, doc: Document, namespace: str) -> Service:
        spec = doc.get(("spec",), {})
        spec = spec if isinstance(spec, dict) else {}
        ports = []
        for i, item in enumerate(as_list(spec.get("ports"))):
            if isinstance(item, dict):
                name = item.get("name")
                ports.append(ServicePort(("spec", "ports", i), item.get("port"),
                                         name if isinstance(name, str) else None,
                                         item.get("targetPort"), item.get("nodePort"),
                                         str(item.get("protocol", "TCP")).upper(),
                                         item.get("appProtocol") if isinstance(item.get("appProtocol"), str) else None))
        kind = spec.get("type")
        return cls(doc, namespace, LabelSelector.from_map(spec.get("selector")),
                   kind if isinstance(kind, str) else "ClusterIP", ports)


@dataclass(frozen=True, slots=True)
class Backend:
    """An Ingress backend: the Service it names and its port (a number or a name)."""

    path: FieldPath
    service: str
    port: Any
    port_path: FieldPath


@dataclass(slots=True)
class Ingress:
    doc: Document
    namespace: str
    backends: list[Backend]
    hosts: list[tuple[FieldPath, str]]
    tls_hosts: list[str]
    has_tls: bool

    @classmethod
    def read(cls, doc: Document, namespace: str) -> Ingress:
        spec = doc.get(("spec",), {})
        spec = spec if isinstance(spec, dict) else {}
        backends: list[Backend] = []
        default = spec.get("defaultBackend") if "defaultBackend" in spec else spec.get("backend")
        if isinstance(default, dict):
            key = "defaultBackend" if "defaultBackend" in spec else "backend"
            backends += _backend(("spec", key), default)
        hosts: list[tuple[FieldPath, str]] = []
        for i, rule in enumerate(as_list(spec.get("rules"))):
            if not isinstance(rule, dict):
                continue
            if isinstance(rule.get("host"), str):
                hosts.append((("spec", "rules", i, "host"), rule["host"]))
            http = rule.get("http")
            paths = http.get("paths") if isinstance(http, dict) else None
            for j, item in enumerate(paths if isinstance(paths, list) else []):
                if isinstance(item, dict) and isinstance(item.get("backend"), dict):
                    backends += _backend(("spec", "rules", i, "http", "paths", j, "backend"), item["backend"])
        tls = spec.get("tls")
        tls_hosts = [h for entry in tls if isinstance(entry, dict) for h in as_list(entry.get("hosts"))
                     if isinstance(h, str)] if isinstance(tls, list) else []
        return cls(doc, namespace, backends, hosts, tls_hosts, isinstance(tls, list) and bool(tls))


def _backend(path: FieldPath, raw: dict[str, Any]) -> list[Backend]:
    service = raw.get("service")
    if isinstance(service, dict) and isinstance(service.get("name"), str):
        port = service.get("port")
        port = port if isinstance(port, dict) else {}
        value = port.get("number") if "number" in port else port.get("name")
        which = "number" if "number" in port else "name"
        return [Backend((*path, "service", "name"), service["name"], value, (*path, "service", "port", which))]
    if isinstance(raw.get("serviceName"), str):  # extensions/v1beta1 and networking.k8s.io/v1beta1
        return [Backend((*path, "serviceName"), raw["serviceName"], raw.get("servicePort"), (*path, "servicePort"))]
    return []


@dataclass(slots=True)
class Budget:
    """A PodDisruptionBudget."""

    doc: Document
    namespace: str
    selector: LabelSelector | None
    min_available: Any
    max_unavailable: Any

    @classmethod
    def read(cls, doc: Document, namespace: str) -> Budget:
        spec = doc.get(("spec",), {})
        spec = spec if isinstance(spec, dict) else {}
        return cls(doc, namespace, LabelSelector.parse(spec.get("selector")), spec.get("minAvailable"),
                   spec.get("maxUnavailable"))


@dataclass(slots=True)
class Autoscaler:
    """A HorizontalPodAutoscaler and the workload it scales."""

    doc: Document
    namespace: str
    target_kind: str
    target_name: str
    min_replicas: int

    @classmethod
    def read(cls, doc: Document, namespace: str) -> Autoscaler:
        ref = doc.get(("spec", "scaleTargetRef"), {})
        ref = ref if isinstance(ref, dict) else {}
        minimum = doc.get(("spec", "minReplicas"), 1)
        return cls(doc, namespace, str(ref.get("kind", "")), str(ref.get("name", "")),
                   minimum if is_int(minimum) else 1)
