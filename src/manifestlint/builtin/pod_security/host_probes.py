"""ML117: probes and lifecycle hooks that send the kubelet to another host."""

from __future__ import annotations

from collections.abc import Iterator

from manifestlint.document import Document
from manifestlint.k8s.workloads import WORKLOAD_KINDS, containers
from manifestlint.rule import Context, Rule, Violation, define

PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
HOOKS = ("postStart", "preStop")
ACTIONS = ("httpGet", "tcpSocket")


@define(id="ML117", name="host-probes", title="Probe or lifecycle hook sets a host", severity="error",
        checklist=["WL-5"], tags=["security", "pss:baseline"], targets=WORKLOAD_KINDS, security_severity="5.0")
class HostProbes(Rule):
    """
    ## What it does
    Applies the Pod Security Standards' baseline "Host Probes / Lifecycle Hooks" control (policy
    version v1.34 and later): the `host` field of `httpGet` and `tcpSocket` in `livenessProbe`,
    `readinessProbe`, `startupProbe` and `lifecycle.postStart` / `lifecycle.preStop` must be unset
    or empty, in every container, init container and ephemeral container. Each `host` is reported at
    its line.

    ## Why is this bad?
    The kubelet runs these checks from the node, not from the pod. With `host` set, a pod author
    makes the kubelet connect to any address the node can reach: services bound to the node's
    localhost, the cloud metadata endpoint, other tenants' pods. This is a blind server-side request
    forgery, and probe results leak whether those endpoints answer.

    ## How to fix
    Remove `host`: the probe then goes to the pod's IP, which is what a health check wants. To set a
    virtual host name, use `httpHeaders` with a `Host` header instead; to check something else, use
    an `exec` probe.

    ## References
    - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
    - https://github.com/kubernetes/enhancements/tree/master/keps/sig-auth/4940-psa-block-host-field-in-probes
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        for container in containers(doc):
            handlers: list[tuple[tuple[str, ...], object]] = [((probe,), container.data.get(probe))
                                                              for probe in PROBES]
            lifecycle = container.data.get("lifecycle")
            if isinstance(lifecycle, dict):
                handlers += [(("lifecycle", hook), lifecycle.get(hook)) for hook in HOOKS]
            for where, handler in handlers:
                if not isinstance(handler, dict):
                    continue
                for action in ACTIONS:
                    spec = handler.get(action)
                    host = spec.get("host") if isinstance(spec, dict) else None
                    if host in (None, ""):
                        continue
                    hint = ("set a Host header in httpHeaders if needed" if action == "httpGet"
                            else "the check then goes to the pod")
                    yield Violation((*container.path, *where, action, "host"),
                                    f"{container.describe()} sends its {'.'.join(where)} {action} to host {host!r}, "
                                    f"from the node: remove `host` ({hint})")
