"""Built-in plugin: namespaces as boundaries (ML630-ML639).

Declared namespaces, Pod Security Admission levels and the workloads they reject, LimitRange and
ResourceQuota per namespace, tenants, and disruption budgets.
"""

from __future__ import annotations

from collections.abc import Sequence

from manifestlint.hookspecs import hookimpl
from manifestlint.rule import Rule


@hookimpl
def manifestlint_rules() -> Sequence[type[Rule]]:
    from manifestlint.builtin.namespaces.declared import NamespaceNotDeclared
    from manifestlint.builtin.namespaces.disruption import HPAMinReplicasBelowPDB, PDBBlocksEviction, WorkloadWithoutPDB
    from manifestlint.builtin.namespaces.limits import NamespaceWithoutLimitRange, NamespaceWithoutResourceQuota
    from manifestlint.builtin.namespaces.pod_security import (
        NamespaceWithoutPodSecurityEnforce,
        WorkloadRejectedByPodSecurity,
    )
    from manifestlint.builtin.namespaces.tenants import TenantNotOnNodePool, TenantsShareNamespace

    return [NamespaceNotDeclared, NamespaceWithoutPodSecurityEnforce, WorkloadRejectedByPodSecurity,
            NamespaceWithoutLimitRange, NamespaceWithoutResourceQuota, TenantsShareNamespace, TenantNotOnNodePool,
            WorkloadWithoutPDB, PDBBlocksEviction, HPAMinReplicasBelowPDB]
