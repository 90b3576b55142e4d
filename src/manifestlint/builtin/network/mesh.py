"""ML616 and ML617 (off by default): namespaces without mesh injection, PeerAuthentication not STRICT."""

from __future__ import annotations

from collections.abc import Iterator

from manifestlint.cluster.model import ClusterModel
from manifestlint.cluster.rules import ClusterRule, Finding, at_namespace
from manifestlint.document import Document
from manifestlint.rule import Context, Rule, Violation, define

SYSTEM = ["kube-system", "kube-public", "kube-node-lease", "istio-system", "linkerd", "linkerd-viz",
          "cert-manager"]


@define(id="ML616", name="namespace-without-mesh-injection", title="Namespace has no service mesh injection",
        severity="note", checklist=["NS-8"], enabled=False,
        options_schema={"type": "object", "additionalProperties": False, "properties": {
            "exempt": {"type": "array", "items": {"type": "string"}, "default": SYSTEM,
                       "description": "Namespaces that need no mesh (system and mesh namespaces)."}}})
class NamespaceWithoutMeshInjection(ClusterRule):
    """
    ## What it does
    Off by default (the checklist says "consider" a mesh). Flags application namespaces (the judged
    namespaces, see ML601, minus `exempt`) whose Namespace object has none of the labels
    `istio-injection: enabled`, `istio.io/rev` (sidecar injection) and `istio.io/dataplane-mode: ambient`
    (Istio ambient mode), nor the annotation `linkerd.io/inject: enabled`, at the labels.
    `istio-injection: disabled` is reported too.

    ## Why is this bad?
    Without a mesh, traffic between pods is plain text unless every application does TLS itself, and
    workloads cannot be authorised by identity. A mesh adds mutual TLS and identity-based policies
    without changing applications.

    ## How to fix
    ```yaml
    apiVersion: v1
    kind: Namespace
    metadata:
      name: my-app
      labels:
        istio-injection: enabled   # or istio.io/rev: <revision>; Linkerd: annotation linkerd.io/inject: enabled
    ```

    ## References
    - https://istio.io/latest/docs/setup/additional-setup/sidecar-injection/
    - https://linkerd.io/2/features/proxy-injection/
    """

    def check_model(self, model: ClusterModel, ctx: Context) -> Iterator[Finding]:
        exempt = set(ctx.options.get("exempt", SYSTEM))
        for info in model.judged_namespaces():
            if info.name in exempt:
                continue
            if info.labels.get("istio-injection") == "enabled" or "istio.io/rev" in info.labels \
                    or info.labels.get("istio.io/dataplane-mode") == "ambient" \
                    or str(info.annotations.get("linkerd.io/inject")) in ("enabled", "ingress"):
                continue
            state = "disables it" if info.labels.get("istio-injection") == "disabled" else "has no injection label"
            path = ("metadata", "labels", "istio-injection") if "istio-injection" in info.labels else \
                ("metadata", "labels")
            yield from at_namespace(model, info, f"namespace {info.name!r} {state}, so its pods run outside the "
                                                 "service mesh: label it `istio-injection: enabled` (or "
                                                 "`istio.io/rev`), or annotate it `linkerd.io/inject: enabled`", path)


@define(id="ML617", name="mesh-mtls-not-strict", title="PeerAuthentication allows plain-text traffic",
        severity="note", checklist=["NS-8", "CS-2"], enabled=False, targets=["PeerAuthentication"])
class MeshMtlsNotStrict(Rule):
    """
    ## What it does
    Off by default. Flags Istio `PeerAuthentication` objects whose `spec.mtls.mode` (or a
    `portLevelMtls` entry's mode) is `PERMISSIVE` or `DISABLE`, at the mode.

    ## Why is this bad?
    `PERMISSIVE` accepts plain-text connections next to mutual TLS: it is meant for migrations, and
    left in place it lets any pod, meshed or not, talk to the workloads in clear text without an identity.

    ## How to fix
    Set `mode: STRICT` once every client is in the mesh:

    ```yaml
    apiVersion: security.istio.io/v1
    kind: PeerAuthentication
    metadata: {name: default, namespace: istio-system}
    spec:
      mtls:
        mode: STRICT
    ```

    ## References
    - https://istio.io/latest/docs/reference/config/security/peer_authentication/
    - https://istio.io/latest/docs/tasks/security/authentication/mtls-migration/
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        if not doc.api_group.startswith("security.istio.io"):
            return
        mode = doc.get(("spec", "mtls", "mode"))
        if mode in ("PERMISSIVE", "DISABLE"):
            yield Violation(("spec", "mtls", "mode"), f"PeerAuthentication {doc.name!r} sets mTLS mode {mode}, which "
                                                      "accepts plain-text traffic: set it to STRICT")
        ports = doc.get(("spec", "portLevelMtls"))
        if isinstance(ports, dict):
            for port, setting in ports.items():
                if isinstance(setting, dict) and setting.get("mode") in ("PERMISSIVE", "DISABLE"):
                    yield Violation(("spec", "portLevelMtls"),
                                    f"PeerAuthentication {doc.name!r} sets mTLS mode {setting['mode']} on port {port}, "
                                    "which accepts plain-text traffic: set it to STRICT")
