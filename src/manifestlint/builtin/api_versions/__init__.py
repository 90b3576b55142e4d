"""Built-in plugin: API versions and fields by Kubernetes release (ML801-ML804)."""

from __future__ import annotations

from collections.abc import Sequence

from manifestlint.hookspecs import hookimpl
from manifestlint.rule import Rule


@hookimpl
def manifestlint_rules() -> Sequence[type[Rule]]:
    from manifestlint.builtin.api_versions.deprecated import DeprecatedApiVersion
    from manifestlint.builtin.api_versions.deprecated_fields import DeprecatedField
    from manifestlint.builtin.api_versions.pod_security_policy import PodSecurityPolicyRemoved
    from manifestlint.builtin.api_versions.removed import RemovedApiVersion

    return [RemovedApiVersion, DeprecatedApiVersion, PodSecurityPolicyRemoved, DeprecatedField]
