"""ML701 and ML704: bindings to the default ServiceAccount or to every ServiceAccount, and bindings to
anonymous or every authenticated user."""

from __future__ import annotations

from collections.abc import Iterator

from manifestlint.cluster.rbac import BINDING_KINDS, RBAC_GROUP, Binding
from manifestlint.document import Document
from manifestlint.rule import Context, Rule, Violation, define

EVERY_ACCOUNT = "system:serviceaccounts"
PUBLIC_GROUPS = {"system:authenticated": "every authenticated user (and every ServiceAccount)",
                 "system:unauthenticated": "every unauthenticated request"}
ANONYMOUS_USER = "system:anonymous"
# The bindings every cluster has (kube-apiserver's bootstrap policy): discovery for everyone.
BOOTSTRAP_ROLES = {"system:basic-user", "system:discovery", "system:public-info-viewer",
                   "system:service-account-issuer-discovery"}


def _binding(doc: Document) -> Binding | None:
    if doc.kind not in BINDING_KINDS or doc.api_group != RBAC_GROUP:
        return None
    return Binding.read(doc, doc.namespace)


@define(id="ML701", name="binding-to-default-service-account", title="Role bound to a default or every ServiceAccount",
        severity="warning", checklist=["CS-6"], tags=["security", "cis:5.1.5"], security_severity="6.0",
        targets=BINDING_KINDS)
class BindingToDefaultServiceAccount(Rule):
    """
    ## What it does
    Flags RoleBinding and ClusterRoleBinding subjects that are a ServiceAccount named `default`, or the
    groups `system:serviceaccounts` (every ServiceAccount of the cluster) and
    `system:serviceaccounts:<namespace>` (every ServiceAccount of a namespace), at the subject. The
    bootstrap binding of `system:service-account-issuer-discovery` is left alone.

    ## Why is this bad?
    Every pod that names no ServiceAccount runs as `default`, so permissions given to it go to every
    such pod, including the ones added later by someone who never saw the binding. A binding to the
    `system:serviceaccounts` groups does the same for every pod of the namespace or cluster.

    ## How to fix
    Create a ServiceAccount for the workload that needs the permissions, bind the role to it, and set
    `serviceAccountName` in that workload only. Keep `default` without bindings (and with
    `automountServiceAccountToken: false`, see ML302).

    ## References
    - https://kubernetes.io/docs/reference/access-authn-authz/rbac/#service-account-permissions
    - CIS Kubernetes Benchmark 5.1.5: Ensure that default service accounts are not actively used
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        binding = _binding(doc)
        if binding is None:
            return
        for subject in binding.subjects:
            if subject.kind == "ServiceAccount" and subject.name == "default":
                namespace = subject.namespace or "(unset)"
                yield Violation(subject.path, f"{binding.label} grants {binding.role_kind} {binding.role_name!r} to "
                                              f"the `default` ServiceAccount of namespace {namespace!r}, so every pod "
                                              "there that names no ServiceAccount gets it: bind a dedicated "
                                              "ServiceAccount instead")
            elif subject.kind == "Group" and (subject.name == EVERY_ACCOUNT
                                              or subject.name.startswith(EVERY_ACCOUNT + ":")):
                if binding.role_name in BOOTSTRAP_ROLES:
                    continue
                scope = "of the cluster" if subject.name == EVERY_ACCOUNT else \
                    f"of namespace {subject.name.split(':', 2)[2]!r}"
                yield Violation(subject.path, f"{binding.label} grants {binding.role_kind} {binding.role_name!r} to "
                                              f"group {subject.name}, that is every ServiceAccount {scope}: bind the "
                                              "ServiceAccounts that need it by name")


@define(id="ML704", name="binding-to-anonymous-or-all-users", title="Role bound to anonymous or all users",
        severity="error", checklist=["OP-3"], tags=["security", "cis:5.1.1"], security_severity="9.0",
        targets=BINDING_KINDS)
class BindingToAnonymousOrAllUsers(Rule):
    """
    ## What it does
    Flags RoleBinding and ClusterRoleBinding subjects `Group system:authenticated`,
    `Group system:unauthenticated` and `User system:anonymous`, at the subject. The bootstrap bindings
    of the discovery roles (`system:basic-user`, `system:discovery`, `system:public-info-viewer`) are
    left alone.

    ## Why is this bad?
    `system:unauthenticated` and `system:anonymous` are anyone who can reach the API server;
    `system:authenticated` is every user and every ServiceAccount token of every pod. A role bound to
    them is granted to the whole world, or to anyone who compromises any pod.

    ## How to fix
    Bind the role to the users, groups or ServiceAccounts that need it. If anonymous access is not
    needed at all, also run the API server with `--anonymous-auth=false`.

    ## References
    - https://kubernetes.io/docs/reference/access-authn-authz/rbac/#default-roles-and-role-bindings
    - https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        binding = _binding(doc)
        if binding is None or binding.role_name in BOOTSTRAP_ROLES:
            return
        for subject in binding.subjects:
            if subject.kind == "Group" and subject.name in PUBLIC_GROUPS:
                who = PUBLIC_GROUPS[subject.name]
            elif subject.kind == "User" and subject.name == ANONYMOUS_USER:
                who = "anonymous requests"
            else:
                continue
            yield Violation(subject.path, f"{binding.label} grants {binding.role_kind} {binding.role_name!r} to "
                                          f"{subject.kind} {subject.name}, that is {who}: bind it to the subjects "
                                          "that need it")
