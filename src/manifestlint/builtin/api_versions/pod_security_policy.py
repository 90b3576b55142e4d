"""ML803: PodSecurityPolicy objects, removed in Kubernetes 1.25 in favour of Pod Security Admission."""

from __future__ import annotations

from collections.abc import Iterator

from manifestlint.builtin.api_versions.common import OPTIONS_SCHEMA, PSP_KIND, target
from manifestlint.builtin.api_versions.lifecycle import lookup
from manifestlint.builtin.api_versions.release import show
from manifestlint.document import Document
from manifestlint.model import Severity
from manifestlint.rule import Context, Rule, Violation, define

ADMISSION_LABELS = ("`pod-security.kubernetes.io/enforce: restricted` (or `baseline`), with "
                    "`pod-security.kubernetes.io/warn` and `pod-security.kubernetes.io/audit`")


@define(id="ML803", name="pod-security-policy", title="PodSecurityPolicy is removed: use Pod Security Admission",
        severity="error", checklist=["WL-5"], tags=["api-versions", "security"], security_severity="5.0",
        targets=[PSP_KIND], options_schema=OPTIONS_SCHEMA)
class PodSecurityPolicyRemoved(Rule):
    """
    ## What it does
    Flags PodSecurityPolicy objects. `policy/v1beta1` PodSecurityPolicy was deprecated in Kubernetes
    1.21 and removed in 1.25 (`extensions/v1beta1` in 1.16) without a replacement kind: an error when
    the target release (option `kubernetes-version`) no longer serves it, a warning while it is
    deprecated.

    ## Why is this bad?
    On 1.25 and later the object is rejected, and, worse, the restrictions it expressed are silently
    gone: pods that it used to stop (privileged, host namespaces, hostPath, running as root) are
    admitted unless Pod Security Admission or another policy engine enforces the same rules.

    ## How to fix
    Delete the PodSecurityPolicy (and the RBAC that grants `use` on it) and label every namespace with
    the Pod Security Standards level it must meet, for example
    `pod-security.kubernetes.io/enforce: restricted` plus the `warn` and `audit` labels, or set
    cluster-wide defaults in the PodSecurity admission configuration.

    ## References
    - https://kubernetes.io/docs/concepts/security/pod-security-admission/
    - https://kubernetes.io/docs/tasks/configure-pod-container/migrate-from-psp/
    - https://kubernetes.io/docs/reference/using-api/deprecation-guide/#psp-v125
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        entry = lookup(doc.api_version, doc.kind)
        release = target(ctx)
        if entry is None:
            return
        if entry.is_removed(release):
            assert entry.removed is not None
            replacement = entry.replacement(release)
            if replacement:  # extensions/v1beta1 on a release that still served policy/v1beta1
                yield Violation(("apiVersion",), f"{doc.api_version} PodSecurityPolicy is no longer served since "
                                f"Kubernetes {show(entry.removed)} (target {show(release)}): use {replacement}")
                return
            yield Violation(("apiVersion",), f"PodSecurityPolicy was removed in Kubernetes {show(entry.removed)} "
                            f"(target {show(release)}) and has no replacement kind: delete it and label each namespace "
                            f"for Pod Security Admission instead, e.g. {ADMISSION_LABELS}")
        elif entry.is_deprecated(release):
            assert entry.deprecated is not None
            until = f" and removed in {show(entry.removed)}" if entry.removed else ""
            yield Violation(("apiVersion",), "PodSecurityPolicy is deprecated since Kubernetes "
                            f"{show(entry.deprecated)}{until} (target {show(release)}): plan the move to Pod "
                            f"Security Admission namespace labels, e.g. {ADMISSION_LABELS}", severity=Severity.WARNING)
