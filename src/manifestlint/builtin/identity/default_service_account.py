"""ML302: a namespace's `default` ServiceAccount hands its token to every pod that names none."""

from __future__ import annotations

from collections.abc import Iterator

from manifestlint.builtin.identity.service_accounts import (
    DEFAULT_NAME,
    SERVICE_ACCOUNT,
    is_service_account,
)
from manifestlint.document import Document
from manifestlint.rule import Context, Rule, Violation, define

FIELD = "automountServiceAccountToken"


@define(id="ML302", name="default-service-account-automount",
        title="Default ServiceAccount does not disable token automounting", severity="warning",
        checklist=["CS-6", "WL-4"], tags=["security", "cis:5.1.5"], targets=[SERVICE_ACCOUNT],
        security_severity="5.0")
class DefaultServiceAccountAutomount(Rule):
    """
    ## What it does
    Flags a ServiceAccount named `default` that does not set `automountServiceAccountToken: false`:
    at the field when it is set to anything else, at `metadata.name` when it is missing.

    ## Why is this bad?
    Every namespace has a `default` ServiceAccount, and every pod that names no ServiceAccount runs as it.
    Unless it disables automounting, all those pods carry an API token, and any permission bound to
    `default` (or to all service accounts of the namespace) reaches every one of them.

    ## How to fix
    Add `automountServiceAccountToken: false` at the top level of the `default` ServiceAccount, and give
    workloads that call the API their own ServiceAccount with only the permissions they need.

    ## References
    - https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting
    - CIS Kubernetes Benchmark 5.1.5: Ensure that default service accounts are not actively used
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        if not is_service_account(doc) or doc.metadata.get("name") != DEFAULT_NAME:
            return
        setting = doc.data.get(FIELD)
        if setting is False:
            return
        if setting is None:
            yield Violation(("metadata", "name"),
                            f"the `default` ServiceAccount does not set `{FIELD}: false`, so every pod that names no "
                            f"ServiceAccount gets an API token: add `{FIELD}: false` to it")
        else:
            yield Violation((FIELD,),
                            f"the `default` ServiceAccount enables `{FIELD}`, so every pod that names no "
                            "ServiceAccount gets an API token: set it to false and give pods that call the API "
                            "their own ServiceAccount")
