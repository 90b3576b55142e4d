"""ML511 and ML518: the content of AuthorizationConfiguration and of Pod Security admission defaults."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from manifestlint.document import Document
from manifestlint.positions import FieldPath
from manifestlint.rule import Context, Rule, Violation, define

APISERVER_CONFIG_GROUPS = frozenset({"apiserver.config.k8s.io", "apiserver.k8s.io"})
POD_SECURITY_GROUP = "pod-security.admission.config.k8s.io"


@define(id="ML511", name="authorization-config-missing-node-rbac",
        title="AuthorizationConfiguration lacks the Node and RBAC authorizers", severity="error", checklist=["CS-1"],
        tags=["security", "cis:1.2.6", "cis:1.2.7", "cis:1.2.8"], security_severity="9.0",
        targets=["AuthorizationConfiguration"], categories=["cluster-config"])
class AuthorizationConfigMissingNodeRbac(Rule):
    """
    ## What it does
    Checks the authorizers of a structured authorization configuration
    (`--authorization-config`, `AuthorizationConfiguration` in `apiserver.config.k8s.io/v1beta1` or
    `v1`): they must include a `Node` and an `RBAC` authorizer and no `AlwaysAllow`. This is where
    `--authorization-mode` is judged when the API server uses structured authorization.

    ## Why is this bad?
    Authorizers are consulted in order and the first opinion wins: `AlwaysAllow` allows everything
    that reaches it; without `RBAC` there is no role-based policy; without `Node` kubelets lose their
    narrowly scoped access.

    ## How to fix
    List `type: Node` and `type: RBAC` authorizers (webhooks may come before or after them) and
    remove `AlwaysAllow`.

    ## References
    - https://kubernetes.io/docs/reference/access-authn-authz/authorization/#using-configuration-file-for-authorization
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        if doc.api_group not in APISERVER_CONFIG_GROUPS:
            return
        authorizers = doc.get(("authorizers",))
        items = authorizers if isinstance(authorizers, list) else []
        types = [a.get("type") if isinstance(a, dict) else None for a in items]
        for i, kind in enumerate(types):
            if kind == "AlwaysAllow":
                yield Violation(("authorizers", i, "type"), "an AlwaysAllow authorizer allows every request that "
                                "reaches it: remove it and rely on Node and RBAC")
        lacking = [t for t in ("Node", "RBAC") if t not in types]
        if lacking:
            yield Violation(("authorizers",), f"the authorizers lack {' and '.join(lacking)}: add "
                            f"{' and '.join(f'`type: {t}`' for t in lacking)} authorizers")


def pod_security_defaults(doc: Document) -> Iterator[tuple[FieldPath, Any]]:
    """``(path of defaults, defaults)`` of each Pod Security configuration in the document."""
    if doc.kind == "PodSecurityConfiguration" and doc.api_group == POD_SECURITY_GROUP:
        yield ("defaults",), doc.get(("defaults",))
        return
    plugins = doc.get(("plugins",))
    for i, plugin in enumerate(plugins if isinstance(plugins, list) else []):
        if isinstance(plugin, dict) and plugin.get("name") == "PodSecurity":
            configuration = plugin.get("configuration")
            if isinstance(configuration, dict):
                yield ("plugins", i, "configuration", "defaults"), configuration.get("defaults")


@define(id="ML518", name="pod-security-default-privileged",
        title="Pod Security admission enforces privileged by default", severity="warning",
        checklist=["WL-5", "OP-3"], tags=["security", "cis:5.2.1"], security_severity="5.0",
        targets=["AdmissionConfiguration", "PodSecurityConfiguration"], categories=["cluster-config"])
class PodSecurityDefaultPrivileged(Rule):
    """
    ## What it does
    Checks the PodSecurity admission configuration, in an AdmissionConfiguration's `PodSecurity`
    plugin entry or in a PodSecurityConfiguration file: `defaults.enforce` must be `baseline` or
    `restricted` (it defaults to `privileged`). An AdmissionConfiguration with no `PodSecurity`
    entry is reported too; one whose entry points to a separate file (`path`) is judged in that file.

    ## Why is this bad?
    The defaults apply to every namespace without a `pod-security.kubernetes.io/enforce` label.
    `privileged` admits privileged containers, host namespaces and hostPath mounts there.

    ## How to fix
    Set `defaults.enforce: baseline` (or `restricted`) and exempt the few namespaces that need more
    through `exemptions.namespaces` or namespace labels.

    ## References
    - https://kubernetes.io/docs/tasks/configure-pod-container/enforce-standards-admission-controller/
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        if doc.kind == "AdmissionConfiguration":
            if doc.api_group not in APISERVER_CONFIG_GROUPS:
                return
            plugins = doc.get(("plugins",))
            names = [p.get("name") for p in plugins if isinstance(p, dict)] if isinstance(plugins, list) else []
            if "PodSecurity" not in names:
                yield Violation(("plugins",), "the admission configuration has no PodSecurity entry, so PodSecurity "
                                "enforces `privileged` in every unlabelled namespace: add one whose defaults enforce "
                                "baseline or restricted")
                return
        for path, defaults in pod_security_defaults(doc):
            enforce = defaults.get("enforce") if isinstance(defaults, dict) else None
            if enforce in ("baseline", "restricted"):
                continue
            where = (*path, "enforce")
            what = f"`enforce: {enforce}`" if isinstance(enforce, str) else \
                "no `enforce` level (it defaults to privileged)"
            yield Violation(where, f"the Pod Security defaults have {what}, so unlabelled namespaces admit privileged "
                            "pods: set `enforce: baseline` or `restricted`")
