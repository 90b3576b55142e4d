"""ML109: seccomp profiles: Unconfined anywhere (baseline), no profile for a container (restricted)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from manifestlint.builtin.pod_security._pss import is_windows_pod, pod_annotations, quoted, unmet_inherited
from manifestlint.document import Document
from manifestlint.fix.edits import Fix
from manifestlint.k8s.security_context import pod_security_context
from manifestlint.k8s.workloads import WORKLOAD_KINDS, containers
from manifestlint.model import Severity
from manifestlint.positions import FieldPath
from manifestlint.rule import Context, Rule, Violation, define

ALLOWED_TYPES = frozenset({"RuntimeDefault", "Localhost"})
POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod"
CONTAINER_ANNOTATION = "container.seccomp.security.alpha.kubernetes.io/"


def allowed_annotation(value: Any) -> bool:
    """The legacy annotation values the baseline profile allows."""
    return isinstance(value, str) and (value in ("runtime/default", "docker/default") or value.startswith("localhost/"))


def _is_allowed(profile: Any) -> bool:
    return isinstance(profile, dict) and isinstance(profile.get("type"), str) and profile["type"] in ALLOWED_TYPES


@define(id="ML109", name="seccomp-profile", title="Container runs without a seccomp profile", severity="warning",
        checklist=["WL-5"], tags=["security", "pss:baseline", "pss:restricted", "cis:5.6.2"],
        targets=WORKLOAD_KINDS, security_severity="6.0", fixable=True,
        fix_note="sets `seccompProfile: {type: RuntimeDefault}` where a profile is missing (in the pod's "
                 "securityContext when no container sets one) and `type: RuntimeDefault` in place of `Unconfined` or "
                 "an unknown type; the legacy annotations are left to you")
class SeccompProfile(Rule):
    """
    ## What it does
    Applies both Pod Security Standards "Seccomp" controls:

    - baseline (reported as an error): `seccompProfile.type` must not be `Unconfined` (only
      `RuntimeDefault` and `Localhost` are allowed where it is set), in the pod's `securityContext`
      or any container's, at the `type` line; the legacy annotations
      `seccomp.security.alpha.kubernetes.io/pod` and
      `container.seccomp.security.alpha.kubernetes.io/<container>` must be `runtime/default`,
      `docker/default` or `localhost/<profile>`.
    - restricted (a warning): every container, init container and ephemeral container must run with
      `RuntimeDefault` or `Localhost`, set on the container or inherited from the pod. A missing
      profile is reported at the pod's `securityContext` when no container sets one, else at each
      container without one. Pods with `spec.os.name: windows` are exempt, as in Pod Security
      Admission. The legacy annotations do not count: Pod Security Admission reads only the field
      since Kubernetes 1.19, and the kubelet ignores the annotations since 1.27.

    ## Why is this bad?
    Seccomp filters the system calls a container may make. The runtime's default profile blocks a
    few dozen rarely needed calls (`unshare`, `keyctl`, `bpf`, `mount`, ...) through which most
    container escapes and kernel exploits go. Unless the kubelet runs with `seccompDefault: true`, a
    pod that names no profile runs `Unconfined`.

    ## How to fix
    Set `securityContext.seccompProfile.type: RuntimeDefault` in the pod spec (or `Localhost` with a
    `localhostProfile` for a tailored profile), remove `Unconfined`, and replace the legacy
    annotations by the field.

    ## References
    - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
    - https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
    - https://kubernetes.io/docs/tutorials/security/seccomp/
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        yield from _forbidden_profiles(doc)
        yield from _forbidden_annotations(doc)
        if not is_windows_pod(doc):
            yield from _missing_profiles(doc)


def _forbidden_profiles(doc: Document) -> Iterator[Violation]:
    pod_path, pod_sc = pod_security_context(doc)
    settings: list[tuple[str, FieldPath, Any]] = []
    if "seccompProfile" in pod_sc and pod_sc["seccompProfile"] is not None:
        settings.append(("the pod", (*pod_path, "seccompProfile"), pod_sc["seccompProfile"]))
    for container in containers(doc):
        profile = container.security_context.get("seccompProfile")
        if profile is not None:
            settings.append((container.describe(), (*container.path, "securityContext", "seccompProfile"), profile))
    for who, path, profile in settings:
        if _is_allowed(profile):
            continue
        kind = profile.get("type") if isinstance(profile, dict) else None
        if kind == "Unconfined":
            text = (f"{who} runs with seccomp profile Unconfined, which turns off system call filtering: "
                    "set seccompProfile.type: RuntimeDefault")
        elif kind is None:
            text = f"{who} sets a seccompProfile without a type: set type: RuntimeDefault"
        else:
            text = f"{who} sets seccomp profile type {kind!r}: use RuntimeDefault or Localhost"
        fix = Fix.set((*path, "type"), "RuntimeDefault") if isinstance(profile, dict) else None
        yield Violation((*path, "type"), text, Severity.ERROR, fix=fix)


def _forbidden_annotations(doc: Document) -> Iterator[Violation]:
    path, annotations = pod_annotations(doc)
    if not annotations:
        return
    keys = [(POD_ANNOTATION, "the pod")]
    keys += [(CONTAINER_ANNOTATION + c.name, c.describe()) for c in containers(doc)]
    for key, who in keys:
        if key in annotations and not allowed_annotation(annotations[key]):
            value = annotations[key]
            yield Violation((*path, key), f"annotation {key} gives {who} seccomp profile {value!r}: remove the "
                                          "legacy annotation and set securityContext.seccompProfile.type: "
                                          "RuntimeDefault", Severity.ERROR)


def _missing_profiles(doc: Document) -> Iterator[Violation]:
    annotations = pod_annotations(doc)[1]
    for unmet in unmet_inherited(doc, "seccompProfile", _is_allowed):
        if unmet.value is not None:
            continue  # a forbidden profile, reported where it is set
        legacy = ""
        if POD_ANNOTATION in annotations or any(CONTAINER_ANNOTATION + c.name in annotations for c in unmet.containers):
            legacy = " (the legacy seccomp annotation is ignored since Kubernetes 1.27)"
        fix = Fix.set(unmet.path, {"type": "RuntimeDefault"}, "set seccompProfile: {type: RuntimeDefault}")
        if unmet.at_pod:
            count = len(unmet.containers)
            names = quoted([c.name for c in unmet.containers])
            yield Violation(unmet.path, f"neither the pod nor {'container' if count == 1 else 'containers'} {names} "
                                        f"set a seccomp profile{legacy}: set securityContext.seccompProfile.type: "
                                        "RuntimeDefault in the pod spec", fix=fix)
        else:
            yield Violation(unmet.path, f"{unmet.containers[0].describe()} has no seccomp profile and the pod sets "
                                        f"none{legacy}: set seccompProfile.type: RuntimeDefault", fix=fix)
