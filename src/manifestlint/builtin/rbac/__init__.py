"""Built-in plugin: RBAC and the Kubernetes Dashboard (ML701-ML723).

Bindings to default or anonymous subjects, the cluster-admin inventory (aggregated ClusterRoles
resolved), what each role grants (wildcards, Secrets, exec, escalation, nodes/proxy, workloads,
tokens), and the Dashboard's version, login flags, bindings and exposure.
"""

from __future__ import annotations

from collections.abc import Sequence

from manifestlint.hookspecs import hookimpl
from manifestlint.rule import Rule


@hookimpl
def manifestlint_rules() -> Sequence[type[Rule]]:
    from manifestlint.builtin.rbac.admins import ClusterAdminBinding, WorkloadUsesPrivilegedDefaultServiceAccount
    from manifestlint.builtin.rbac.dashboard import (
        DashboardExposed,
        DashboardLoginBypass,
        DashboardOutdated,
        DashboardPrivilegedBinding,
    )
    from manifestlint.builtin.rbac.hygiene import (
        RbacCreatesPods,
        RbacCreatesTokens,
        RbacEscalationVerbs,
        RbacNodesProxy,
        RbacPodExec,
        RbacReadsSecrets,
        RbacWildcard,
    )
    from manifestlint.builtin.rbac.subjects import BindingToAnonymousOrAllUsers, BindingToDefaultServiceAccount

    return [BindingToDefaultServiceAccount, WorkloadUsesPrivilegedDefaultServiceAccount, ClusterAdminBinding,
            BindingToAnonymousOrAllUsers, RbacWildcard, RbacReadsSecrets, RbacPodExec, RbacEscalationVerbs,
            RbacNodesProxy, RbacCreatesPods, RbacCreatesTokens, DashboardOutdated, DashboardLoginBypass,
            DashboardPrivilegedBinding, DashboardExposed]
