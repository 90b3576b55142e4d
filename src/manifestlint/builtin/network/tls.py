"""ML614 and ML615: Ingress hosts without TLS, and Services that expose plain HTTP outside the cluster."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator

from manifestlint.cluster.objects import Ingress, Service, ServicePort
from manifestlint.document import Document
from manifestlint.rule import Context, Rule, Violation, define

HTTP_PORTS = frozenset({80, 8000, 8080, 8081, 8888})
EXTERNAL_TYPES = frozenset({"LoadBalancer", "NodePort"})


@define(id="ML614", name="ingress-without-tls", title="Ingress serves a host without TLS", severity="warning",
        checklist=["CS-2"], tags=["security"], security_severity="5.0", targets=["Ingress"])
class IngressWithoutTLS(Rule):
    """
    ## What it does
    Flags an Ingress without a `spec.tls` section (at `spec`), and each `rules[].host` that no
    `tls[].hosts` entry covers (at the host). A TLS host `*.example.com` covers one label
    (`api.example.com`); a `tls` entry without `hosts` covers every host (the controller's default
    certificate).

    ## Why is this bad?
    Without TLS the Ingress serves plain HTTP: credentials, session cookies and data cross the network
    readable and changeable by anyone on the path.

    ## How to fix
    Add a `tls` entry with the hosts and the Secret holding the certificate (cert-manager can issue it
    from an annotation):

    ```yaml
    spec:
      tls:
        - hosts: [app.example.com]
          secretName: app-example-com-tls
    ```

    ## References
    - https://kubernetes.io/docs/concepts/services-networking/ingress/#tls
    - https://cert-manager.io/docs/usage/ingress/
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        if doc.api_group not in ("networking.k8s.io", "extensions"):
            return
        ingress = Ingress.read(doc, doc.namespace)
        if not ingress.has_tls:
            yield Violation(("spec",), f"Ingress {doc.name!r} has no `tls` section, so it serves plain HTTP: add "
                                       "`spec.tls` with its hosts and a certificate Secret")
            return
        tls = doc.get(("spec", "tls"))
        if any(isinstance(t, dict) and not t.get("hosts") for t in tls):
            return
        for path, host in ingress.hosts:
            if not any(_covers(pattern, host) for pattern in ingress.tls_hosts):
                yield Violation(path, f"host {host!r} of Ingress {doc.name!r} is in no `tls[].hosts` entry, so it "
                                      "is served over plain HTTP: add it to a `tls` entry with a certificate")


def _covers(pattern: str, host: str) -> bool:
    if pattern == host:
        return True
    if pattern.startswith("*.") and "." in host:
        return host.split(".", 1)[1] == pattern[2:]
    return fnmatch.fnmatchcase(host, pattern) and "*" not in host


@define(id="ML615", name="service-exposes-plain-http", title="Service exposes plain HTTP outside the cluster",
        severity="note", checklist=["CS-2"], tags=["security"], security_severity="4.0", targets=["Service"])
class ServiceExposesPlainHTTP(Rule):
    """
    ## What it does
    Flags the ports of `LoadBalancer` and `NodePort` Services that carry plain HTTP: `appProtocol: http`,
    a port name `http` (or starting with `http-`), or port 80, 8000, 8080, 8081 or 8888 without a name
    or `appProtocol` saying otherwise (`https`, `tls`, `grpcs`). Port 80 of a Service that also exposes
    HTTPS (port 443 or 8443, or a port named or `appProtocol` `https`) is taken to redirect to it, as
    ingress controllers' Services do, and is left alone.

    ## Why is this bad?
    These Services are reachable from outside the cluster (every node's port, or a cloud load
    balancer), so their traffic crosses networks you do not control. Plain HTTP there exposes
    credentials and data.

    ## How to fix
    Serve TLS on the port (or terminate it at the load balancer and say so with its annotations), or
    put the Service behind an Ingress with TLS and make it `ClusterIP`. A port 80 that only redirects
    to HTTPS is fine: suppress the note with that reason.

    ## References
    - https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types
    - https://kubernetes.io/docs/concepts/services-networking/service/#ssl-support-on-aws
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        if doc.api_version != "v1":
            return
        service = Service.read(doc, doc.namespace)
        if service.type not in EXTERNAL_TYPES:
            return
        secure = [p for p in service.ports if _secure(p)]
        for port in service.ports:
            words = [w.lower() for w in (port.name, port.app_protocol) if w]
            if port in secure or (port.port == 80 and secure):
                continue
            plain = any(w == "http" or w.startswith("http-") for w in words) or (
                not words and isinstance(port.port, int) and port.port in HTTP_PORTS)
            if plain:
                yield Violation(port.path, f"{service.type} Service {doc.name!r} exposes port {port.port} as plain "
                                           "HTTP outside the cluster: serve TLS on it, or put it behind an Ingress "
                                           "with TLS")


def _secure(port: ServicePort) -> bool:
    words = [w.lower() for w in (port.name, port.app_protocol) if w]
    if any(w in ("https", "tls", "grpcs", "h2") or w.startswith(("https", "tls")) for w in words):
        return True
    return not words and port.port in (443, 8443)
