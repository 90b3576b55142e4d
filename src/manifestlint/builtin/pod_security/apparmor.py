"""ML110: AppArmor turned off or overridden, by the appArmorProfile field or the beta annotation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from manifestlint.builtin.pod_security._pss import pod_annotations
from manifestlint.document import Document
from manifestlint.k8s.security_context import pod_security_context
from manifestlint.k8s.workloads import WORKLOAD_KINDS, containers
from manifestlint.positions import FieldPath
from manifestlint.rule import Context, Rule, Violation, define

ALLOWED_TYPES = frozenset({"RuntimeDefault", "Localhost"})
ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/"


def allowed_annotation(value: Any) -> bool:
    """The annotation values the baseline profile allows: empty, runtime/default, localhost/<profile>."""
    return value is None or (isinstance(value, str) and (value in ("", "runtime/default")
                                                         or value.startswith("localhost/")))


@define(id="ML110", name="apparmor-unconfined", title="Container runs without its AppArmor profile",
        severity="error", checklist=["WL-5"], tags=["security", "pss:baseline"], targets=WORKLOAD_KINDS,
        security_severity="6.0")
class AppArmorUnconfined(Rule):
    """
    ## What it does
    Applies the Pod Security Standards' baseline "AppArmor" control:

    - `appArmorProfile.type` in the pod's `securityContext` or any container's (init and ephemeral
      too) must be `RuntimeDefault` or `Localhost`; `Unconfined` is reported at its line.
    - Every annotation `container.apparmor.security.beta.kubernetes.io/<container>` must be
      `runtime/default`, `localhost/<profile>` or empty; `unconfined` (or any other value) is
      reported at the annotation.

    ## Why is this bad?
    On nodes with AppArmor the runtime confines every container with its default profile, which
    denies writes to `/proc` and `/sys` files, mounting, and other paths used to break out of a
    container. `Unconfined` removes that layer, so one more bug is enough to reach the node.

    ## How to fix
    Remove the `Unconfined` setting and the annotation, or set `appArmorProfile.type: RuntimeDefault`
    (or `Localhost` with a `localhostProfile` loaded on the nodes). The annotation is deprecated since
    Kubernetes 1.30; use the `appArmorProfile` field.

    ## References
    - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
    - https://kubernetes.io/docs/tutorials/security/apparmor/
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        pod_path, pod_sc = pod_security_context(doc)
        settings: list[tuple[str, FieldPath, Any]] = []
        if pod_sc.get("appArmorProfile") is not None:
            settings.append(("the pod", (*pod_path, "appArmorProfile"), pod_sc["appArmorProfile"]))
        for container in containers(doc):
            profile = container.security_context.get("appArmorProfile")
            if profile is not None:
                settings.append((container.describe(), (*container.path, "securityContext", "appArmorProfile"),
                                 profile))
        for who, path, profile in settings:
            kind = profile.get("type") if isinstance(profile, dict) else None
            if isinstance(kind, str) and kind in ALLOWED_TYPES:
                continue
            if kind == "Unconfined":
                text = f"{who} runs with AppArmor profile Unconfined: remove it or set type: RuntimeDefault"
            elif kind is None:
                text = f"{who} sets an appArmorProfile without a type: set type: RuntimeDefault"
            else:
                text = f"{who} sets AppArmor profile type {kind!r}: use RuntimeDefault or Localhost"
            yield Violation((*path, "type"), text)
        annotations_path, annotations = pod_annotations(doc)
        for key, value in annotations.items():
            if isinstance(key, str) and key.startswith(ANNOTATION_PREFIX) and not allowed_annotation(value):
                target = key[len(ANNOTATION_PREFIX):]
                yield Violation((*annotations_path, key),
                                f"annotation {key} runs container {target!r} with AppArmor profile {value!r}: "
                                "remove it (or use runtime/default), and prefer securityContext.appArmorProfile")
