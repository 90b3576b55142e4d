"""ML720-ML723: the Kubernetes Dashboard: old versions, login bypass, powerful bindings, exposure."""

from __future__ import annotations

import re
from collections.abc import Iterator

from manifestlint.cluster.model import ClusterModel
from manifestlint.cluster.objects import Workload
from manifestlint.cluster.rules import ClusterRule, Finding
from manifestlint.k8s.workloads import containers
from manifestlint.rule import Context, Violation, define

DASHBOARD_IMAGES = re.compile(r"(^|/)(kubernetes-dashboard(-amd64|-arm64|-arm|-ppc64le|-s390x)?|kubernetesui/dashboard"
                              r"(-api|-web|-auth|-metrics-scraper)?)(:|@|$)")
LEGACY_TAG = re.compile(r"kubernetes-dashboard(-[a-z0-9]+)?:v?1\.(\d+)(\.\d+)?")
BYPASS_FLAGS = ("--enable-skip-login", "--enable-insecure-login")


def dashboards(model: ClusterModel) -> list[Workload]:
    return model.memo("dashboards", lambda: [
        w for w in model.workloads
        if any(DASHBOARD_IMAGES.search(str(c.data.get("image", ""))) for c in containers(w.doc))])


@define(id="ML720", name="dashboard-outdated", title="Kubernetes Dashboard older than v1.7", severity="error",
        checklist=["CS-4"], tags=["security"], security_severity="8.0")
class DashboardOutdated(ClusterRule):
    """
    ## What it does
    Flags containers running a Kubernetes Dashboard image older than v1.7 (the v1.x tags of
    `kubernetes-dashboard-amd64` and its siblings, `v1.0` to `v1.6.x`), at the image.

    ## Why is this bad?
    Before v1.7 the Dashboard ran with its own highly privileged ServiceAccount for every visitor and
    had no login: anyone who reached it controlled the cluster (the Tesla cryptojacking incident).

    ## How to fix
    Run a current release (`kubernetesui/dashboard`, installed with its Helm chart), which makes users
    log in with their own token and acts with their permissions.

    ## References
    - https://github.com/kubernetes/dashboard/releases
    - https://github.com/kubernetes/dashboard/blob/master/docs/user/access-control/README.md
    """

    def check_model(self, model: ClusterModel, ctx: Context) -> Iterator[Finding]:
        for workload in dashboards(model):
            for container in containers(workload.doc):
                image = str(container.data.get("image", ""))
                match = LEGACY_TAG.search(image)
                if match and int(match.group(2)) < 7:
                    yield workload.doc, Violation((*container.path, "image"),
                                                  f"{container.describe()} runs Kubernetes Dashboard {image!r}, older "
                                                  "than v1.7 (no login, one privileged identity for every visitor): "
                                                  "upgrade to a current kubernetesui/dashboard release")


@define(id="ML721", name="dashboard-login-bypass", title="Kubernetes Dashboard allows skipping or insecure login",
        severity="error", checklist=["CS-4"], tags=["security"], security_severity="8.0")
class DashboardLoginBypass(ClusterRule):
    """
    ## What it does
    Flags Kubernetes Dashboard containers started with `--enable-skip-login` (a "Skip" button that
    uses the Dashboard's own ServiceAccount) or `--enable-insecure-login` (login over plain HTTP), in
    `args` or `command`, at the argument. `--flag=false` is not reported.

    ## Why is this bad?
    Skip-login gives every visitor the Dashboard's permissions without credentials; insecure login
    sends bearer tokens in clear text.

    ## How to fix
    Remove both flags. Users log in with their own token or through an authenticating proxy.

    ## References
    - https://github.com/kubernetes/dashboard/blob/master/docs/common/arguments.md
    """

    def check_model(self, model: ClusterModel, ctx: Context) -> Iterator[Finding]:
        for workload in dashboards(model):
            for container in containers(workload.doc):
                for key in ("command", "args"):
                    values = container.data.get(key)
                    for i, value in enumerate(values if isinstance(values, list) else []):
                        flag, _, setting = str(value).partition("=")
                        if flag in BYPASS_FLAGS and setting.lower() not in ("false", "0"):
                            yield workload.doc, Violation((*container.path, key, i),
                                                          f"{container.describe()} of the Kubernetes Dashboard runs "
                                                          f"with {flag}: remove it so that users log in with their "
                                                          "own credentials over TLS")


@define(id="ML722", name="dashboard-privileged-binding", title="Kubernetes Dashboard's ServiceAccount is highly "
        "privileged", severity="error", checklist=["CS-4", "OP-3"], tags=["security"], security_severity="9.0")
class DashboardPrivilegedBinding(ClusterRule):
    """
    ## What it does
    Flags bindings that give a Kubernetes Dashboard's ServiceAccount (the one its pods run as)
    `cluster-admin`, or a role with a `*` in its verbs, resources or API groups (aggregated roles
    resolved), at the subject.

    ## Why is this bad?
    Whatever the Dashboard's own ServiceAccount may do, anyone who reaches the Dashboard (or exploits it)
    may do: with cluster-admin that is the whole cluster. The recommended install gives it only what it
    needs to run; users act with their own tokens.

    ## How to fix
    Bind the Dashboard's ServiceAccount only to the roles of its official manifests, and give users
    their own, scoped, credentials.

    ## References
    - https://github.com/kubernetes/dashboard/blob/master/docs/user/access-control/README.md
    - https://github.com/kubernetes/dashboard/blob/master/docs/user/access-control/creating-sample-user.md
    """

    def check_model(self, model: ClusterModel, ctx: Context) -> Iterator[Finding]:
        accounts = {(w.namespace, w.service_account) for w in dashboards(model)}
        if not accounts:
            return
        for binding in model.rbac.bindings:
            role = model.rbac.role_of(binding)
            if role is None:
                continue
            wildcard = role.name == "cluster-admin" or any(
                "*" in (*r.verbs, *r.resources, *r.api_groups) for r in model.rbac.rules_of(role))
            if not wildcard:
                continue
            for subject in binding.subjects:
                if subject.kind == "ServiceAccount" and any(
                        subject.name == name and (subject.namespace == ns or not ns or not subject.namespace)
                        for ns, name in accounts):
                    yield binding.doc, Violation(subject.path,
                                                 f"{binding.label} gives {role.label} (cluster-admin or wildcard "
                                                 f"rules) to the Kubernetes Dashboard's {subject.describe()}: bind it "
                                                 "only to the roles the Dashboard needs")


@define(id="ML723", name="dashboard-exposed", title="Kubernetes Dashboard exposed outside the cluster",
        severity="error", checklist=["CS-4"], tags=["security"], security_severity="8.0")
class DashboardExposed(ClusterRule):
    """
    ## What it does
    Flags `NodePort` and `LoadBalancer` Services whose selector matches the pods of a Kubernetes
    Dashboard, at `spec.type`.

    ## Why is this bad?
    The Dashboard then answers on every node's address or on a public load balancer: its login page
    (or worse, its skip button) is one scan away from the Internet.

    ## How to fix
    Make the Service `ClusterIP` and reach the Dashboard with `kubectl port-forward` or `kubectl proxy`,
    or through an Ingress behind an authenticating proxy and TLS.

    ## References
    - https://github.com/kubernetes/dashboard/blob/master/docs/user/accessing-dashboard/README.md
    """

    def check_model(self, model: ClusterModel, ctx: Context) -> Iterator[Finding]:
        boards = {id(w) for w in dashboards(model)}
        if not boards:
            return
        for service in model.services:
            if service.type not in ("NodePort", "LoadBalancer"):
                continue
            if any(id(w) in boards for w in model.select(service.namespace, service.selector)):
                yield service.doc, Violation(("spec", "type"),
                                             f"{service.type} Service {service.doc.name!r} exposes the Kubernetes "
                                             "Dashboard outside the cluster: make it ClusterIP and use kubectl "
                                             "port-forward, or an Ingress behind an authenticating proxy")
