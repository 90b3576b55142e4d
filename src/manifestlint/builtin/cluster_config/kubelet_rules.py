"""ML540-ML550: the kubelet's API protection and node hardening, judged on its effective settings.

Each rule resolves one setting per kubelet (``manifestlint.k8s.kubelet``): a flag over the file,
the file over the default, and the default of the form in use, then judges the value and reports
where it comes from: the flag, the file's field, or the place where the missing setting belongs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from manifestlint.builtin.cluster_config.base import KUBELET_KINDS, OBJECT_AND_CONFIG, KubeletRule
from manifestlint.document import Document
from manifestlint.fix.flags import kubelet_fix
from manifestlint.k8s.kubelet import KubeletInstance
from manifestlint.rule import Context, Violation, define


def judge_setting(kubelet: KubeletInstance, key: str, bad: Callable[[Any], bool], why: str,
                  good: str, fix_value: Any = None) -> Iterator[tuple[Document, Violation]]:
    """A finding when the effective value of ``key`` is bad, at the flag, field or place it belongs;
    with ``fix_value``, a fix that sets it there."""
    resolved = kubelet.resolve(key)
    if resolved is None or not bad(resolved.value):
        return
    fix = kubelet_fix(resolved, fix_value) if fix_value is not None else None
    yield resolved.doc, Violation(resolved.path, f"{kubelet.label_for(resolved)}: {resolved.source()} {why}; "
                                  f"{kubelet.how_to_set(key, good)}", fix=fix)


_COMMON = {"targets": KUBELET_KINDS, "categories": OBJECT_AND_CONFIG}


@define(id="ML540", name="kubelet-anonymous-auth", title="Kubelet accepts anonymous requests", severity="error",
        checklist=["CS-3"], tags=["security", "cis:4.2.1"], security_severity="8.0", fixable=True,
        fix_note="sets `authentication.anonymous.enabled: false` in the KubeletConfiguration, or "
                 "`--anonymous-auth=false` where the flag is written (kubeletExtraArgs or the command line)", **_COMMON)
class KubeletAnonymousAuth(KubeletRule):
    """
    ## What it does
    Reports a kubelet whose effective `authentication.anonymous.enabled` is true. The
    KubeletConfiguration file defaults to false, but the `--anonymous-auth` flag defaults to true,
    so a kubelet run from flags alone, or with `anonymous-auth: "true"` in kubeadm's
    `kubeletExtraArgs` (which overrides the file), is open.

    ## Why is this bad?
    Anonymous requests to the kubelet API (port 10250) can list pods and, unless authorization is
    `Webhook`, run commands in every container on the node.

    ## How to fix
    Set `authentication.anonymous.enabled: false` in the KubeletConfiguration and remove any
    `--anonymous-auth=true` flag.

    ## References
    - https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/
    """

    def judge(self, kubelet: KubeletInstance, ctx: Context) -> Iterable[tuple[Document, Violation]]:
        return judge_setting(kubelet, "anonymous", lambda v: v is not False,
                             "lets anonymous requests reach the kubelet API", "false", False)


@define(id="ML541", name="kubelet-authorization-always-allow", title="Kubelet authorizes every request",
        severity="error", checklist=["CS-3"], tags=["security", "cis:4.2.2"], security_severity="9.0", fixable=True,
        fix_note="sets `authorization.mode: Webhook` in the KubeletConfiguration, or `--authorization-mode=Webhook` "
                 "where the flag is written", **_COMMON)
class KubeletAuthorizationAlwaysAllow(KubeletRule):
    """
    ## What it does
    Reports a kubelet whose effective authorization mode is not `Webhook`. The file defaults to
    `Webhook`; the `--authorization-mode` flag defaults to `AlwaysAllow`. Unlike checks that fail
    only on an explicit `AlwaysAllow`, a kubelet that never sets the mode from flags is reported.

    ## Why is this bad?
    With `AlwaysAllow`, any client that authenticates to the kubelet (or any anonymous one, if
    anonymous auth is on) may exec into containers, read logs and secrets mounted in pods.

    ## How to fix
    Set `authorization.mode: Webhook` so the kubelet asks the API server (SubjectAccessReview)
    about each request, and remove `--authorization-mode=AlwaysAllow`.

    ## References
    - https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/#kubelet-authorization
    """

    def judge(self, kubelet: KubeletInstance, ctx: Context) -> Iterable[tuple[Document, Violation]]:
        return judge_setting(kubelet, "authorization-mode", lambda v: v != "Webhook",
                             "lets every authenticated client exec into the node's containers", "Webhook", "Webhook")


@define(id="ML542", name="kubelet-webhook-authentication-disabled", title="Kubelet does not verify bearer tokens",
        severity="warning", checklist=["CS-3"], tags=["security"], security_severity="4.0", **_COMMON)
class KubeletWebhookAuthentication(KubeletRule):
    """
    ## What it does
    Reports a kubelet whose effective `authentication.webhook.enabled` is false (the flag
    `--authentication-token-webhook` defaults to false; the file defaults to true).

    ## Why is this bad?
    Without token review the kubelet cannot authenticate ServiceAccount and user tokens, so clients
    such as metrics-server need client certificates or anonymous access, which tends to end with
    anonymous access being turned on.

    ## How to fix
    Set `authentication.webhook.enabled: true` (flag `--authentication-token-webhook=true`).

    ## References
    - https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/#kubelet-authentication
    """

    def judge(self, kubelet: KubeletInstance, ctx: Context) -> Iterable[tuple[Document, Violation]]:
        return judge_setting(kubelet, "webhook-authentication", lambda v: v is not True,
                             "means bearer tokens are not verified through the API server", "true")


@define(id="ML543", name="kubelet-client-ca-missing", title="Kubelet does not verify client certificates",
        severity="warning", checklist=["CS-3", "CS-2"], tags=["security", "cis:4.2.3"], security_severity="5.0",
        **_COMMON)
class KubeletClientCa(KubeletRule):
    """
    ## What it does
    Reports a kubelet without `authentication.x509.clientCAFile` (flag `--client-ca-file`). kubeadm
    fills it in; a standalone KubeletConfiguration or a kubelet run from flags has none by default.

    ## Why is this bad?
    Without a client CA the kubelet cannot authenticate the API server's client certificate, so the
    API server's calls (logs, exec) only work if anonymous access is allowed.

    ## How to fix
    Set `authentication.x509.clientCAFile` to the cluster CA.

    ## References
    - https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/
    """

    def judge(self, kubelet: KubeletInstance, ctx: Context) -> Iterable[tuple[Document, Violation]]:
        return judge_setting(kubelet, "client-ca", lambda v: not v,
                             "means client certificates are not accepted", "/etc/kubernetes/pki/ca.crt")


@define(id="ML544", name="kubelet-read-only-port", title="Kubelet serves the unauthenticated read-only port",
        severity="error", checklist=["CS-3"], tags=["security", "cis:4.2.4"], security_severity="6.5", fixable=True,
        fix_note="sets `readOnlyPort: 0` in the KubeletConfiguration, or `--read-only-port=0` where the flag is "
                 "written", **_COMMON)
class KubeletReadOnlyPort(KubeletRule):
    """
    ## What it does
    Reports a kubelet whose effective `readOnlyPort` is not 0. The file defaults to 0 (closed); the
    `--read-only-port` flag defaults to 10255.

    ## Why is this bad?
    The read-only port serves pod specs (environment variables included) and metrics over plain HTTP
    with no authentication or authorization at all.

    ## How to fix
    Set `readOnlyPort: 0` (flag `--read-only-port=0`).

    ## References
    - https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/
    """

    def judge(self, kubelet: KubeletInstance, ctx: Context) -> Iterable[tuple[Document, Violation]]:
        return judge_setting(kubelet, "read-only-port", lambda v: v not in (0, None, "0"),
                             "serves pod data over plain HTTP without authentication", "0", 0)


@define(id="ML545", name="kubelet-serving-cert-self-signed", title="Kubelet serves a self-signed certificate",
        severity="warning", checklist=["CS-2"], tags=["security", "cis:4.2.9", "cis:4.2.11"],
        security_severity="5.0", **_COMMON)
class KubeletServingCertSelfSigned(KubeletRule):
    """
    ## What it does
    Reports a kubelet with neither `tlsCertFile` and `tlsPrivateKeyFile` nor `serverTLSBootstrap:
    true` (flag `--rotate-server-certificates`), in which case it generates a self-signed serving
    certificate. This is kubeadm's default.

    ## Why is this bad?
    A self-signed certificate cannot be verified, so the API server cannot use
    `--kubelet-certificate-authority` (ML523) and its exec, logs and port-forward traffic to the node
    can be intercepted.

    ## How to fix
    Set `serverTLSBootstrap: true` and approve the kubelets' serving CSRs (or run an approver), or
    give the kubelet a certificate signed by the cluster CA.

    ## References
    - https://kubernetes.io/docs/reference/access-authn-authz/kubelet-tls-bootstrapping/#certificate-rotation
    - https://kubernetes.io/docs/tasks/administer-cluster/kubeadm/kubeadm-certs/#kubelet-serving-certs
    """

    def judge(self, kubelet: KubeletInstance, ctx: Context) -> Iterable[tuple[Document, Violation]]:
        cert, key, bootstrap = (kubelet.resolve(k) for k in ("tls-cert", "tls-key", "server-tls-bootstrap"))
        if cert is None or key is None or bootstrap is None:
            return
        if (cert.value and key.value) or bootstrap.value is True:
            return
        label = kubelet.label_for(bootstrap)
        yield bootstrap.doc, Violation(bootstrap.path, f"{label}: no tlsCertFile/tlsPrivateKeyFile and "
                                       f"{bootstrap.source()}, so it serves a self-signed certificate; "
                                       f"{kubelet.how_to_set('server-tls-bootstrap', 'true')} and approve its CSRs")


@define(id="ML546", name="kubelet-certificate-rotation-disabled",
        title="Kubelet does not rotate its client certificate", severity="warning", checklist=["CS-2"],
        tags=["security", "cis:4.2.10"], security_severity="4.0", **_COMMON)
class KubeletCertificateRotation(KubeletRule):
    """
    ## What it does
    Reports a kubelet whose effective `rotateCertificates` is false (the default of both the file
    and the flag). kubeadm forces it to true, so kubeadm's kubelets pass.

    ## Why is this bad?
    Without rotation the client certificate expires and the node drops out of the cluster, which
    pushes operators to issue long-lived certificates that are never replaced.

    ## How to fix
    Set `rotateCertificates: true` (flag `--rotate-certificates`).

    ## References
    - https://kubernetes.io/docs/tasks/tls/certificate-rotation/
    """

    def judge(self, kubelet: KubeletInstance, ctx: Context) -> Iterable[tuple[Document, Violation]]:
        return judge_setting(kubelet, "rotate-certificates", lambda v: v is not True,
                             "means its client certificate is never renewed", "true")


@define(id="ML547", name="kubelet-iptables-util-chains-disabled", title="Kubelet does not manage its iptables chains",
        severity="note", checklist=["CS-3"], tags=["security", "cis:4.2.6"], security_severity="2.0", **_COMMON)
class KubeletIptablesUtilChains(KubeletRule):
    """
    ## What it does
    Reports a kubelet with `makeIPTablesUtilChains: false` (flag `--make-iptables-util-chains=false`);
    both default to true.

    ## Why is this bad?
    The kubelet then stops maintaining the iptables hint chains that other components rely on to
    detect the iptables mode, and manual rules drift from what Kubernetes expects.

    ## How to fix
    Remove the setting or set it to true.

    ## References
    - https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/
    """

    def judge(self, kubelet: KubeletInstance, ctx: Context) -> Iterable[tuple[Document, Violation]]:
        return judge_setting(kubelet, "make-iptables-util-chains", lambda v: v is False,
                             "turns off the kubelet's iptables chains", "true")


@define(id="ML548", name="kubelet-kernel-defaults-unprotected", title="Kubelet may change kernel settings",
        severity="note", checklist=["WL-5"], tags=["security"], security_severity="2.5", **_COMMON)
class KubeletKernelDefaults(KubeletRule):
    """
    ## What it does
    Notes a kubelet whose `protectKernelDefaults` is not true (the default is false; older CIS
    benchmarks asked for it).

    ## Why is this bad?
    Without it the kubelet silently rewrites kernel parameters it disagrees with, instead of
    failing, so a node can run with settings that nobody reviewed.

    ## How to fix
    Set the kernel parameters the kubelet expects on the node, then `protectKernelDefaults: true`.

    ## References
    - https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/
    """

    def judge(self, kubelet: KubeletInstance, ctx: Context) -> Iterable[tuple[Document, Violation]]:
        return judge_setting(kubelet, "protect-kernel-defaults", lambda v: v is not True,
                             "lets the kubelet change kernel parameters instead of failing", "true")


@define(id="ML549", name="kubelet-seccomp-default-off", title="Kubelet does not default pods to RuntimeDefault seccomp",
        severity="note", checklist=["WL-5"], tags=["security", "cis:4.2.14"], security_severity="3.0", **_COMMON)
class KubeletSeccompDefault(KubeletRule):
    """
    ## What it does
    Notes a kubelet whose `seccompDefault` is not true (default false).

    ## Why is this bad?
    Containers that set no seccomp profile then run `Unconfined`, with every system call available
    to an attacker who gets code execution.

    ## How to fix
    Set `seccompDefault: true` (flag `--seccomp-default`) after testing workloads under the
    runtime's default profile.

    ## References
    - https://kubernetes.io/docs/tutorials/security/seccomp/#enable-the-use-of-runtimedefault-as-the-default-seccomp-profile-for-all-workloads
    """

    def judge(self, kubelet: KubeletInstance, ctx: Context) -> Iterable[tuple[Document, Violation]]:
        return judge_setting(kubelet, "seccomp-default", lambda v: v is not True,
                             "leaves containers without a seccomp profile Unconfined", "true")


def _unlimited(value: Any) -> bool:
    try:
        return int(value) <= 0
    except (TypeError, ValueError):
        return False


@define(id="ML550", name="kubelet-pod-pids-unlimited", title="Kubelet sets no per-pod process limit",
        severity="note", checklist=["WL-5", "RA-4"], tags=["security", "cis:4.2.13"], security_severity="3.0",
        **_COMMON)
class KubeletPodPidsUnlimited(KubeletRule):
    """
    ## What it does
    Notes a kubelet whose `podPidsLimit` is unset or not positive (the default, -1, is unlimited).

    ## Why is this bad?
    One pod can exhaust the node's process IDs (a fork bomb, a leak), and then nothing on the node,
    the kubelet included, can start a process.

    ## How to fix
    Set `podPidsLimit` (flag `--pod-max-pids`) to a bound that fits the workloads, e.g. 4096.

    ## References
    - https://kubernetes.io/docs/concepts/policy/pid-limiting/
    """

    def judge(self, kubelet: KubeletInstance, ctx: Context) -> Iterable[tuple[Document, Violation]]:
        return judge_setting(kubelet, "pod-pids-limit", _unlimited, "lets one pod exhaust the node's process IDs",
                             "4096")
