"""ML510, ML512-ML517: kube-apiserver authorization, authentication, admission and profiling flags."""

from __future__ import annotations

from collections.abc import Iterator

from manifestlint.builtin.cluster_config.base import (
    COMPONENT_KINDS,
    OBJECT_AND_CONFIG,
    ComponentRule,
    describe_flag,
    flag_set_hint,
)
from manifestlint.fix.flags import component_flag_fix
from manifestlint.k8s.components import APISERVER, CONTROLLER_MANAGER, SCHEDULER, ComponentConfig
from manifestlint.k8s.flags import parse_bool, split_list
from manifestlint.rule import Context, Violation, define

_APISERVER = frozenset({APISERVER})


@define(id="ML510", name="apiserver-authorization-mode", title="API server authorization is not Node,RBAC",
        severity="error", checklist=["CS-1"], tags=["security", "cis:1.2.6", "cis:1.2.7", "cis:1.2.8"],
        security_severity="9.0", targets=COMPONENT_KINDS, categories=OBJECT_AND_CONFIG)
class ApiserverAuthorizationMode(ComponentRule):
    """
    ## What it does
    Checks the kube-apiserver's `--authorization-mode` (in a static pod's `command` or `args`, or in
    kubeadm's `apiServer.extraArgs`): it must contain `Node` and `RBAC` and never `AlwaysAllow`. A
    static pod without the flag runs with `AlwaysAllow`; kubeadm writes `Node,RBAC` unless told
    otherwise. With `--authorization-config` (structured authorization) the flag must be absent: the
    authorizers are judged in the AuthorizationConfiguration instead (ML511), and setting both is
    reported because the API server refuses to start.

    ## Why is this bad?
    `AlwaysAllow` authorizes every authenticated request: any ServiceAccount token becomes cluster
    admin. Without `RBAC` there is no role-based policy at all; without `Node`, kubelets either lose
    access or are given broad RBAC rights instead of access to their own node's objects only.

    ## How to fix
    Set `--authorization-mode=Node,RBAC` (add `Webhook` after them if you use an external
    authorizer), or move to an AuthorizationConfiguration with Node and RBAC authorizers.

    ## References
    - https://kubernetes.io/docs/reference/access-authn-authz/authorization/
    - https://kubernetes.io/docs/reference/access-authn-authz/node/
    """

    components = _APISERVER

    def judge(self, config: ComponentConfig, ctx: Context) -> Iterator[Violation]:
        if config.value("authorization-config"):
            if config.is_explicit("authorization-mode"):
                yield Violation(config.path("authorization-mode"), f"{config.where} sets both "
                                "`--authorization-config` and `--authorization-mode`, and the API server refuses to "
                                "start: keep the authorizers in the AuthorizationConfiguration and remove "
                                "--authorization-mode")
            return
        mode = config.value("authorization-mode")
        if mode is None:
            yield Violation(config.anchor, f"{config.where} has no `--authorization-mode`, so it defaults to "
                            "AlwaysAllow and every authenticated request is allowed: add "
                            f"{flag_set_hint(config, 'authorization-mode', 'Node,RBAC')}")
            return
        modes = split_list(mode)
        problems = []
        if "AlwaysAllow" in modes:
            problems.append("AlwaysAllow authorizes every authenticated request")
        lacking = [m for m in ("Node", "RBAC") if m not in modes]
        if lacking:
            problems.append(f"it lacks {' and '.join(lacking)}")
        if problems:
            yield Violation(config.path("authorization-mode"), f"{describe_flag(config, 'authorization-mode')}: "
                            f"{'; '.join(problems)}: use Node,RBAC (Webhook may follow them)")


@define(id="ML512", name="apiserver-anonymous-auth", title="API server accepts anonymous requests",
        severity="warning", checklist=["CS-1"], tags=["security", "cis:1.2.1"], security_severity="5.5",
        targets=COMPONENT_KINDS, categories=OBJECT_AND_CONFIG, fixable=True,
        fix_note="sets `--anonymous-auth=false` in the form the file uses: the flag in a static pod's `command` or "
                 "`args`, a key of kubeadm's v1beta3 `extraArgs` map, or a `{name, value}` item of its v1beta4 list")
class ApiserverAnonymousAuth(ComponentRule):
    """
    ## What it does
    Reports a kube-apiserver that does not set `--anonymous-auth=false`. The flag defaults to `true`
    and kubeadm does not set it. When `--authentication-config` is used, anonymous access is
    configured in that file and this rule says nothing.

    ## Why is this bad?
    Anonymous requests reach the authorizer as `system:anonymous`, so a single careless binding to
    `system:unauthenticated` (or an authorizer in `AlwaysAllow` mode) opens the API to anyone who can
    reach the port. The CIS benchmark asks for anonymous access to be off.

    ## How to fix
    Set `--anonymous-auth=false`. Health checks then need credentials; on Kubernetes 1.32+ an
    AuthenticationConfiguration can instead allow anonymous requests only to `/livez`, `/readyz`
    and `/healthz`.

    ## References
    - https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests
    """

    components = _APISERVER

    def judge(self, config: ComponentConfig, ctx: Context) -> Iterator[Violation]:
        if config.value("authentication-config"):
            return
        value = config.value("anonymous-auth")
        if value is not None and parse_bool(value) is False:
            return
        where = describe_flag(config, "anonymous-auth") if value is not None else \
            f"{config.where} does not set `--anonymous-auth=false`"
        yield Violation(config.path("anonymous-auth"), f"{where}: anonymous requests reach the API server as "
                        "system:anonymous; set " + flag_set_hint(config, "anonymous-auth", "false")
                        + " (or allow anonymous access to health endpoints only, with an AuthenticationConfiguration)",
                        fix=component_flag_fix(config, "anonymous-auth", "false"))


@define(id="ML513", name="apiserver-token-auth-file", title="API server reads static tokens from a file",
        severity="error", checklist=["CS-1"], tags=["security", "cis:1.2.2"], security_severity="7.0",
        targets=COMPONENT_KINDS, categories=OBJECT_AND_CONFIG)
class ApiserverTokenAuthFile(ComponentRule):
    """
    ## What it does
    Reports a kube-apiserver started with `--token-auth-file`.

    ## Why is this bad?
    Static tokens are long-lived bearer secrets stored in clear text on every control-plane node.
    They cannot be revoked or rotated without editing the file and restarting the API server, and
    they are not bound to any identity provider's lifecycle.

    ## How to fix
    Remove `--token-auth-file` and authenticate users with client certificates, OIDC (or an
    AuthenticationConfiguration) or a webhook; use ServiceAccount tokens for workloads.

    ## References
    - https://kubernetes.io/docs/reference/access-authn-authz/authentication/#static-token-file
    """

    components = _APISERVER

    def judge(self, config: ComponentConfig, ctx: Context) -> Iterator[Violation]:
        if config.is_explicit("token-auth-file"):
            yield Violation(config.path("token-auth-file"), f"{config.where} reads static bearer tokens from "
                            "`--token-auth-file`, which cannot be revoked without a restart: remove the flag and use "
                            "certificates, OIDC or a webhook")


def enabled_plugins(config: ComponentConfig) -> list[str]:
    """Admission plugins named for enabling (``--enable-admission-plugins`` and the old ``--admission-control``)."""
    return split_list(config.value("enable-admission-plugins")) + split_list(config.value("admission-control"))


@define(id="ML514", name="apiserver-node-restriction-disabled", title="NodeRestriction admission plugin is not enabled",
        severity="error", checklist=["CS-1"], tags=["security", "cis:1.2.14"], security_severity="7.0",
        targets=COMPONENT_KINDS, categories=OBJECT_AND_CONFIG)
class ApiserverNodeRestriction(ComponentRule):
    """
    ## What it does
    Reports a kube-apiserver whose `--enable-admission-plugins` does not include `NodeRestriction`
    (it is not on by default; kubeadm enables it), or that disables it.

    ## Why is this bad?
    The Node authorizer limits what a kubelet may read; NodeRestriction limits what it may write. Without
    it, a compromised node can label other nodes, change their status, and steer workloads (and the
    secrets they mount) onto itself.

    ## How to fix
    Add `NodeRestriction` to `--enable-admission-plugins` and keep it out of
    `--disable-admission-plugins`.

    ## References
    - https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#noderestriction
    """

    components = _APISERVER

    def judge(self, config: ComponentConfig, ctx: Context) -> Iterator[Violation]:
        if "NodeRestriction" in split_list(config.value("disable-admission-plugins")):
            yield Violation(config.path("disable-admission-plugins"), f"{config.where} disables the NodeRestriction "
                            "admission plugin, so kubelets can modify other nodes and their pods: remove it from "
                            "--disable-admission-plugins")
        elif "NodeRestriction" not in enabled_plugins(config):
            name = "enable-admission-plugins"
            path = config.path(name) if config.value(name) is not None else config.anchor
            yield Violation(path, f"{config.where} does not enable the NodeRestriction admission plugin, so kubelets "
                            "can modify other nodes and their pods: add NodeRestriction to --enable-admission-plugins")


# Plugins on by default whose loss weakens the cluster, and why.
_PROTECTIVE = {
    "ServiceAccount": "pods stop getting ServiceAccount admission (cis:1.2.12)",
    "NamespaceLifecycle": "objects can be created in terminating or missing namespaces (cis:1.2.13)",
    "PodSecurity": "Pod Security Standards labels and defaults stop being enforced",
    "NodeRestriction": None,
}


@define(id="ML515", name="apiserver-admission-weakened", title="API server admission is weakened",
        severity="error", checklist=["CS-1", "OP-3"], tags=["security", "cis:1.2.10", "cis:1.2.12", "cis:1.2.13"],
        security_severity="7.5", targets=COMPONENT_KINDS, categories=OBJECT_AND_CONFIG)
class ApiserverAdmissionWeakened(ComponentRule):
    """
    ## What it does
    Reports a kube-apiserver that enables the `AlwaysAdmit` admission plugin, or that disables
    protective plugins which are on by default: `ServiceAccount`, `NamespaceLifecycle` and
    `PodSecurity` (NodeRestriction is ML514).

    ## Why is this bad?
    `AlwaysAdmit` turns admission control off. Disabling `PodSecurity` removes the Pod Security
    Standards enforcement that replaced PodSecurityPolicy; disabling `ServiceAccount` or
    `NamespaceLifecycle` removes checks that other protections rely on.

    ## How to fix
    Remove `AlwaysAdmit` from `--enable-admission-plugins` and the protective plugins from
    `--disable-admission-plugins`.

    ## References
    - https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/
    """

    components = _APISERVER

    def judge(self, config: ComponentConfig, ctx: Context) -> Iterator[Violation]:
        if "AlwaysAdmit" in enabled_plugins(config):
            name = "enable-admission-plugins" if config.is_explicit("enable-admission-plugins") else "admission-control"
            yield Violation(config.path(name), f"{config.where} enables the AlwaysAdmit admission plugin, which admits "
                            "every request unchecked: remove it")
        disabled = [p for p in split_list(config.value("disable-admission-plugins")) if p in _PROTECTIVE
                    and _PROTECTIVE[p]]
        for plugin in disabled:
            yield Violation(config.path("disable-admission-plugins"), f"{config.where} disables the {plugin} admission "
                            f"plugin: {_PROTECTIVE[plugin]}; remove it from --disable-admission-plugins")


@define(id="ML516", name="component-profiling-enabled", title="Control-plane component serves profiling data",
        severity="warning", checklist=["CS-1"], tags=["security", "cis:1.2.15", "cis:1.3.2", "cis:1.4.1"],
        security_severity="4.0", targets=COMPONENT_KINDS, categories=OBJECT_AND_CONFIG, fixable=True,
        fix_note="sets `--profiling=false` in the form the file uses (static pod command line, kubeadm v1beta3 map "
                 "or v1beta4 list)")
class ComponentProfilingEnabled(ComponentRule):
    """
    ## What it does
    Reports a kube-apiserver, kube-controller-manager or kube-scheduler that does not set
    `--profiling=false`. Profiling is on by default and kubeadm leaves it on. A kube-scheduler with
    `--config` is skipped: its profiling setting lives in the KubeSchedulerConfiguration.

    ## Why is this bad?
    The `/debug/pprof` endpoints expose detailed runtime data about the process and cost CPU when
    scraped; anyone allowed to read them learns about the control plane's internals.

    ## How to fix
    Set `--profiling=false` on the three components (kubeadm: in `extraArgs` of `apiServer`,
    `controllerManager` and `scheduler`).

    ## References
    - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    """

    components = frozenset({APISERVER, CONTROLLER_MANAGER, SCHEDULER})

    def judge(self, config: ComponentConfig, ctx: Context) -> Iterator[Violation]:
        if config.component == SCHEDULER and config.value("config"):
            return
        value = config.value("profiling")
        if value is not None and parse_bool(value) is False:
            return
        where = describe_flag(config, "profiling") if value is not None else \
            f"{config.where} does not set `--profiling=false`"
        yield Violation(config.path("profiling"), f"{where}: it serves /debug/pprof profiling data; set "
                        + flag_set_hint(config, "profiling", "false"),
                        fix=component_flag_fix(config, "profiling", "false"))


@define(id="ML517", name="pod-security-defaults-missing", title="API server has no Pod Security admission defaults",
        severity="note", checklist=["WL-5", "OP-3"], tags=["security", "cis:5.2.1"], security_severity="3.0",
        targets=COMPONENT_KINDS, categories=OBJECT_AND_CONFIG)
class PodSecurityDefaultsMissing(ComponentRule):
    """
    ## What it does
    Notes a kube-apiserver started without `--admission-control-config-file`, so the built-in
    PodSecurity admission plugin runs with its defaults: `privileged` for every namespace that has no
    `pod-security.kubernetes.io/enforce` label. The content of an AdmissionConfiguration that is
    given is judged by ML518.

    ## Why is this bad?
    Pod Security admission replaced PodSecurityPolicy. Without cluster-wide defaults, every new
    namespace admits privileged pods until someone remembers to label it.

    ## How to fix
    Pass an AdmissionConfiguration with a `PodSecurity` plugin whose `defaults.enforce` is
    `baseline` (or `restricted`), exempting only the namespaces that need it; or label every
    namespace.

    ## References
    - https://kubernetes.io/docs/tasks/configure-pod-container/enforce-standards-admission-controller/
    """

    components = _APISERVER

    def judge(self, config: ComponentConfig, ctx: Context) -> Iterator[Violation]:
        if not config.value("admission-control-config-file"):
            yield Violation(config.anchor, f"{config.where} has no `--admission-control-config-file`, so PodSecurity "
                            "admission enforces `privileged` in every namespace without a pod-security label: add an "
                            "AdmissionConfiguration whose PodSecurity defaults enforce baseline or restricted")
