"""Built-in plugin: identity and secrets rules (ML3xx): service account tokens, committed secrets."""

from __future__ import annotations

from collections.abc import Sequence

from manifestlint.hookspecs import hookimpl
from manifestlint.rule import Rule


@hookimpl
def manifestlint_rules() -> Sequence[type[Rule]]:
    from manifestlint.builtin.identity.default_service_account import DefaultServiceAccountAutomount
    from manifestlint.builtin.identity.secret_in_env import SecretInEnv
    from manifestlint.builtin.identity.secret_in_manifest import SecretInManifest
    from manifestlint.builtin.identity.service_account_token import ServiceAccountTokenAutomount

    return [ServiceAccountTokenAutomount, DefaultServiceAccountAutomount, SecretInManifest, SecretInEnv]
