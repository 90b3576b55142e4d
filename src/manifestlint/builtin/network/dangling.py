"""ML611, ML612 and ML613: policies and Services that select no pods, Ingresses that point nowhere."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from manifestlint.cluster.model import ClusterModel
from manifestlint.cluster.objects import Service
from manifestlint.cluster.rules import ClusterRule, Finding
from manifestlint.cluster.selectors import LabelSelector
from manifestlint.document import Document
from manifestlint.rule import Context, Violation, define

SCOPE_NOTE = """
    It is judged only when a workload of the same namespace is in the same folder: a selector for pods
    that another folder or repository deploys says nothing. Labels that controllers add to pods
    (`pod-template-hash`, `statefulset.kubernetes.io/pod-name`, `job-name`, ...) are assumed to match,
    and the pod labels that operators' custom resources declare (`spec.podMetadata.labels`,
    `spec.template.metadata.labels`, ...) count as pods. Other operator-made pods are invisible to a
    file linter: suppress the finding there.
"""


def judged(model: ClusterModel, doc: Document, namespace: str) -> bool:
    """Whether a workload of ``namespace`` comes from the folder of ``doc``."""
    return posixpath.dirname(doc.path) in model.workload_folders(namespace)


@define(id="ML611", name="network-policy-selects-nothing", title="Network policy selects no pods",
        severity="warning", checklist=["RA-7", "NS-4"])
class NetworkPolicySelectsNothing(ClusterRule):
    __doc__ = """
    ## What it does
    Flags a namespaced network policy (Kubernetes, Calico or Cilium) whose pod selector matches no
    workload's pod labels in its namespace, at the selector. An empty selector (every pod) is never
    reported.
    """ + SCOPE_NOTE + """
    ## Why is this bad?
    A policy that selects nothing protects nothing, and usually means a label was renamed on one side:
    the pods it was written for are open, while the policy file suggests they are isolated.

    ## How to fix
    Make the selector match the pod template labels (`spec.template.metadata.labels`), or delete the
    policy.

    ## References
    - https://kubernetes.io/docs/concepts/services-networking/network-policies/
    - https://docs.kubelinter.io/#/generated/checks?id=dangling-networkpolicy
    """

    def check_model(self, model: ClusterModel, ctx: Context) -> Iterator[Finding]:
        for policy in model.policies:
            if policy.namespace is None or policy.selector is None or policy.selector.everything:
                continue
            if not judged(model, policy.doc, policy.namespace) or model.selected_by(policy, policy.namespace):
                continue
            if isinstance(policy.selector, LabelSelector) and model.may_select_pods(policy.namespace, policy.selector):
                continue
            yield policy.doc, Violation(
                policy.selector_path,
                f"{policy.label} selects no pods: no workload in its namespace has labels matching "
                f"{policy.selector.describe()}; fix the selector or the pod labels, or delete the policy")


@define(id="ML612", name="service-selects-no-pods", title="Service selects no pods", severity="warning",
        checklist=["RA-7"])
class ServiceSelectsNoPods(ClusterRule):
    __doc__ = """
    ## What it does
    Flags a Service with a `selector` that matches the pod labels of no workload in its namespace, at
    the selector. Services without a selector (their endpoints are managed by hand or by a controller)
    and `ExternalName` Services are left alone.
    """ + SCOPE_NOTE + """
    ## Why is this bad?
    The Service has no endpoints: clients get connection refused or time out, and an Ingress in front
    of it returns 503. It is usually a label typo or a renamed label.

    ## How to fix
    Make `spec.selector` a subset of the workload's pod template labels.

    ## References
    - https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service
    - https://docs.kubelinter.io/#/generated/checks?id=dangling-service
    """

    def check_model(self, model: ClusterModel, ctx: Context) -> Iterator[Finding]:
        for service in model.services:
            if service.selector is None or service.type == "ExternalName":
                continue
            if not judged(model, service.doc, service.namespace) or \
                    model.may_select_pods(service.namespace, service.selector):
                continue
            yield service.doc, Violation(
                ("spec", "selector"),
                f"Service {service.doc.name!r} selects no pods: no workload in its namespace has the labels "
                f"{service.selector.describe()}; make the selector match the pod template labels")


@define(id="ML613", name="ingress-backend-missing", title="Ingress points at a missing Service or port",
        severity="warning", checklist=["RA-7"])
class IngressBackendMissing(ClusterRule):
    """
    ## What it does
    Flags Ingress backends (`spec.defaultBackend` and every `rules[].http.paths[].backend`, the
    `serviceName`/`servicePort` form of older API versions too) that name a Service that is not in the
    input, at the name, or a port that the Service does not expose (by number or by port name), at the
    port. A Service without `metadata.namespace` lands wherever it is applied, so it answers a reference
    from any namespace. A missing Service is only reported when the Ingress's folder holds some Service
    (otherwise the Services are deployed from elsewhere).

    ## Why is this bad?
    The Ingress controller has nowhere to send the requests and answers 503 (or, for a missing port,
    refuses the configuration): the application is unreachable although every object applied cleanly.

    ## How to fix
    Correct the Service name or port so that it matches a Service in the same namespace and one of its
    `spec.ports[].port` numbers or names.

    ## References
    - https://kubernetes.io/docs/concepts/services-networking/ingress/#the-ingress-resource
    - https://docs.kubelinter.io/#/generated/checks?id=dangling-ingress
    """

    def check_model(self, model: ClusterModel, ctx: Context) -> Iterator[Finding]:
        folders = {posixpath.dirname(s.doc.path) for s in model.services}
        for ingress in model.ingresses:
            for backend in ingress.backends:
                found = model.services_named(ingress.namespace, backend.service)
                if not found:
                    if posixpath.dirname(ingress.doc.path) in folders:
                        yield ingress.doc, Violation(
                            backend.path,
                            f"Ingress {ingress.doc.name!r} sends traffic to Service {backend.service!r}, which is not "
                            "in its namespace in the input: fix the name or add the Service")
                    continue
                if backend.port is None or any(_exposes(s, backend.port) for s in found):
                    continue
                shown = ", ".join(sorted({str(p.port) + (f" ({p.name})" if p.name else "")
                                          for s in found for p in s.ports}))
                yield ingress.doc, Violation(
                    backend.port_path,
                    f"Ingress {ingress.doc.name!r} uses port {backend.port!r} of Service {backend.service!r}, which "
                    f"exposes {shown or 'no ports'}: use one of those")


def _exposes(service: Service, port: object) -> bool:
    if isinstance(port, int) and not isinstance(port, bool):
        return any(p.port == port for p in service.ports)
    if isinstance(port, str):
        return any(p.name == port or str(p.port) == port for p in service.ports)
    return True
