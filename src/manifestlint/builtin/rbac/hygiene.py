"""ML705-ML711: what a Role or ClusterRole grants, rule by rule (every rule, not only the first)."""

from __future__ import annotations

from collections.abc import Iterator

from manifestlint.cluster.rbac import ALL, RBAC_GROUP, ROLE_KINDS, RbacRule, read_rules
from manifestlint.document import Document
from manifestlint.positions import FieldPath
from manifestlint.rule import Context, Rule, Violation, define

READ = ("get", "list", "watch")


def _rules(doc: Document) -> list[RbacRule]:
    if doc.kind not in ROLE_KINDS or doc.api_group != RBAC_GROUP:
        return []
    return read_rules(doc)


def _label(doc: Document) -> str:
    return f"{doc.kind} {doc.name!r}"


def _resource_path(rule: RbacRule, resource: str) -> FieldPath:
    for value in (resource, ALL, f"*/{resource.partition('/')[2]}"):
        if value in rule.resources:
            return rule.value_path("resources", value)
    return (*rule.path, "resources")


class _GrantRule(Rule):
    """A rule that reports each RBAC rule granting one of ``grants`` (verb, resource, group)."""

    grants: tuple[tuple[tuple[str, ...], str, str], ...] = ()
    what: str = ""
    fix: str = ""

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        for rule in _rules(doc):
            if rule.superuser or rule.resource_names:
                continue  # all of it is ML705's and ML703's; named objects only are a deliberate grant
            for verbs, resource, group in self.grants:
                granted = [v for v in verbs if rule.grants(v, resource, group)]
                if granted:
                    yield Violation(_resource_path(rule, resource),
                                    f"{_label(doc)} lets its subjects {'/'.join(granted)} {resource}{self.what}: "
                                    f"{self.fix}")
                    break


@define(id="ML705", name="rbac-wildcard", title="RBAC rule uses a wildcard", severity="warning", checklist=["OP-3"],
        tags=["security", "cis:5.1.3"], security_severity="6.0", targets=ROLE_KINDS)
class RbacWildcard(Rule):
    """
    ## What it does
    Flags every rule of every Role and ClusterRole that has `*` in `verbs`, `resources` or `apiGroups`,
    at the first wildcard, naming them all. Every rule is read, not only the first.

    ## Why is this bad?
    A wildcard grants today's resources and verbs and every one added later: new subresources, new
    CRDs (a `*` resource in group `*` includes Secrets and every custom resource), `escalate` and
    `impersonate`. It makes the role impossible to review.

    ## How to fix
    List the API groups, resources and verbs the subject needs. `kubectl auth can-i --list --as ...`
    and the audit log show what is used.

    ## References
    - https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege
    - CIS Kubernetes Benchmark 5.1.3: Minimize wildcard use in Roles and ClusterRoles
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        for rule in _rules(doc):
            fields = [f for f, values in (("apiGroups", rule.api_groups), ("resources", rule.resources),
                                          ("verbs", rule.verbs)) if ALL in values]
            if not fields:
                continue
            everything = " (everything the API has)" if rule.superuser else ""
            yield Violation(rule.value_path(fields[0], ALL),
                            f"rule {rule.path[-1]} of {_label(doc)} uses `*` in {', '.join(fields)}{everything}: list "
                            "the API groups, resources and verbs it needs")


@define(id="ML706", name="rbac-reads-secrets", title="Role can read Secrets", severity="warning", checklist=["OP-3"],
        tags=["security", "cis:5.1.2"], security_severity="6.0", targets=ROLE_KINDS)
class RbacReadsSecrets(_GrantRule):
    """
    ## What it does
    Flags rules that grant `get`, `list` or `watch` on `secrets` (by name or through a wildcard
    resource or verb), at the resource. Rules limited to `resourceNames` are a deliberate grant of named
    Secrets and are left alone; rules with `*` everything are ML705's.

    ## Why is this bad?
    Secrets hold passwords, API keys, TLS keys and ServiceAccount tokens: `list` on secrets of a
    namespace is every credential there, and with a ClusterRole every credential of the cluster.
    `list` and `watch` return the values, not only the names.

    ## How to fix
    Grant `get` on the named Secrets the subject needs (`resourceNames`), or mount them into the pod
    instead of reading them through the API.

    ## References
    - https://kubernetes.io/docs/concepts/security/rbac-good-practices/#listing-secrets
    - CIS Kubernetes Benchmark 5.1.2: Minimize access to secrets
    """

    grants = ((READ, "secrets", ""),)
    fix = "grant `get` on the named Secrets it needs (resourceNames) instead"


@define(id="ML707", name="rbac-pod-exec", title="Role can exec or attach into pods", severity="warning",
        checklist=["OP-3"], tags=["security"], security_severity="7.0", targets=ROLE_KINDS)
class RbacPodExec(_GrantRule):
    """
    ## What it does
    Flags rules that grant `create` or `get` on `pods/exec` or `pods/attach`, at the resource.

    ## Why is this bad?
    Exec runs any command in any container the role reaches: it reads the container's Secrets and
    ServiceAccount token and acts with its privileges, bypassing everything the application itself
    controls. Older API servers accept `get` for exec over websockets, so both verbs count.

    ## How to fix
    Reserve exec for break-glass roles bound to people, not to workloads; use logs, metrics and
    ephemeral debug containers under audit for routine work.

    ## References
    - https://kubernetes.io/docs/concepts/security/rbac-good-practices/#exec-and-attach
    """

    grants = ((("create", "get"), "pods/exec", ""), (("create", "get"), "pods/attach", ""))
    fix = "reserve it for audited break-glass roles"


@define(id="ML708", name="rbac-escalation-verbs", title="Role can escalate, bind or impersonate", severity="error",
        checklist=["OP-3"], tags=["security", "cis:5.1.8"], security_severity="8.0", targets=ROLE_KINDS)
class RbacEscalationVerbs(_GrantRule):
    """
    ## What it does
    Flags rules that grant `escalate` or `bind` on Roles or ClusterRoles, or `impersonate` on users,
    groups, ServiceAccounts or UIDs, at the resource.

    ## Why is this bad?
    RBAC stops a subject from granting more than it holds, unless it has `escalate` (edit roles beyond
    its own permissions) or `bind` (bind roles it does not hold). `impersonate` acts as another user,
    group or ServiceAccount outright. Each of these is a path to cluster admin.

    ## How to fix
    Remove the verbs; if a controller must manage RBAC, limit `bind` to the named roles it hands out
    (`resourceNames`).

    ## References
    - https://kubernetes.io/docs/reference/access-authn-authz/rbac/#privilege-escalation-prevention-and-bootstrapping
    - CIS Kubernetes Benchmark 5.1.8: Limit use of the Bind, Impersonate and Escalate permissions
    """

    grants = ((("escalate", "bind"), "roles", RBAC_GROUP), (("escalate", "bind"), "clusterroles", RBAC_GROUP),
              (("impersonate",), "users", ""), (("impersonate",), "groups", ""),
              (("impersonate",), "serviceaccounts", ""), (("impersonate",), "uids", "authentication.k8s.io"))
    fix = "remove it, or limit it to named roles with resourceNames"


@define(id="ML709", name="rbac-nodes-proxy", title="Role can use the nodes/proxy subresource", severity="error",
        checklist=["OP-3"], tags=["security", "cis:5.1.10"], security_severity="8.0", targets=ROLE_KINDS)
class RbacNodesProxy(_GrantRule):
    """
    ## What it does
    Flags rules that grant `get` or `create` on `nodes/proxy`, at the resource.

    ## Why is this bad?
    `nodes/proxy` reaches the kubelet API of every node through the API server, bypassing admission
    and audit of what is done there: the kubelet API runs commands in any pod of the node.

    ## How to fix
    Remove it. Monitoring agents that scrape kubelet metrics need `nodes/metrics` and `nodes/stats`,
    not `nodes/proxy`.

    ## References
    - https://kubernetes.io/docs/concepts/security/rbac-good-practices/#access-to-proxy-subresource-of-nodes
    - CIS Kubernetes Benchmark 5.1.10: Minimize access to the proxy sub-resource of nodes
    """

    grants = ((("get", "create"), "nodes/proxy", ""),)
    fix = "remove it (metrics need nodes/metrics and nodes/stats only)"


@define(id="ML710", name="rbac-creates-pods", title="Role can create pods or workloads", severity="warning",
        checklist=["OP-3"], tags=["security", "cis:5.1.4"], security_severity="6.0", targets=ROLE_KINDS)
class RbacCreatesPods(_GrantRule):
    """
    ## What it does
    Flags rules that grant `create` on pods or on the objects that create them (Deployments,
    StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers, Jobs, CronJobs), at the resource.

    ## Why is this bad?
    Whoever creates a pod chooses its ServiceAccount (any one of the namespace), its volumes (every
    Secret and ConfigMap of the namespace) and, unless admission stops it, privileged mode and host
    mounts: creating pods is reading every Secret of the namespace and often owning the node.

    ## How to fix
    Keep workload creation for deployment pipelines and controllers, enforce Pod Security Admission in
    the namespace (ML631), and suppress the finding for the controllers that need it, with the reason.

    ## References
    - https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation
    - CIS Kubernetes Benchmark 5.1.4: Minimize access to create pods
    """

    grants = ((("create",), "pods", ""), (("create",), "deployments", "apps"), (("create",), "statefulsets", "apps"),
              (("create",), "daemonsets", "apps"), (("create",), "replicasets", "apps"),
              (("create",), "replicationcontrollers", ""), (("create",), "jobs", "batch"),
              (("create",), "cronjobs", "batch"))
    fix = "keep workload creation for pipelines and controllers"


@define(id="ML711", name="rbac-creates-tokens", title="Role can create ServiceAccount tokens", severity="warning",
        checklist=["OP-3"], tags=["security", "cis:5.1.13"], security_severity="7.0", targets=ROLE_KINDS)
class RbacCreatesTokens(_GrantRule):
    """
    ## What it does
    Flags rules that grant `create` on `serviceaccounts/token`, at the resource.

    ## Why is this bad?
    The TokenRequest API mints a token for any ServiceAccount the rule covers: the subject can act as
    each of them, with all of their permissions, for as long as the token lives.

    ## How to fix
    Remove it, or limit it to the named ServiceAccounts (`resourceNames`) that the subject must act as.

    ## References
    - https://kubernetes.io/docs/concepts/security/rbac-good-practices/#token-request
    - CIS Kubernetes Benchmark 5.1.13: Minimize access to the service account token creation
    """

    grants = ((("create",), "serviceaccounts/token", ""),)
    fix = "remove it, or limit it to named ServiceAccounts with resourceNames"
