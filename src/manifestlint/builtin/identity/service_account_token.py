"""ML301: pods that get a Kubernetes API token mounted, by their own setting or their ServiceAccount's."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from manifestlint.builtin.identity.service_accounts import (
    SERVICE_ACCOUNT,
    ServiceAccountIndex,
    is_service_account,
    pod_service_account,
)
from manifestlint.document import Document
from manifestlint.fix.edits import Fix
from manifestlint.k8s.workloads import WORKLOAD_KINDS, pod_spec
from manifestlint.rule import Context, InputRule, Violation, define

FIELD = "automountServiceAccountToken"


@define(id="ML301", name="service-account-token-automount", title="Pod mounts a service account token",
        severity="warning", checklist=["WL-4"], tags=["security", "cis:5.1.6"],
        targets=WORKLOAD_KINDS | {SERVICE_ACCOUNT}, security_severity="5.0", fixable=True,
        fix_note="sets `automountServiceAccountToken: false` in the pod spec (pods that call the API keep the "
                 "token: suppress the finding for them instead)")
class ServiceAccountTokenAutomount(InputRule):
    """
    ## What it does
    Flags pod specs (Pods, and the pod templates of Deployments, StatefulSets, DaemonSets, ReplicaSets,
    ReplicationControllers, Jobs, CronJobs and PodTemplates) that get a Kubernetes API token mounted:
    the pod spec does not set `automountServiceAccountToken: false`, and the ServiceAccount it runs as
    (`serviceAccountName`, or `default` when unset) does not set it either. The ServiceAccount counts only
    when it is part of the same run (lint the chart or folder as a whole); a pod-level
    `automountServiceAccountToken: true` overrides its ServiceAccount and is always reported.

    An object without `metadata.namespace` is applied to whatever namespace the tool targets, so a
    ServiceAccount and a pod match when their namespaces are equal or when either has none (an exact
    match is preferred).

    ## Why is this bad?
    Kubernetes mounts the ServiceAccount's token into every container of the pod unless told not to. Most
    applications never call the Kubernetes API, but anyone who gets code execution in the container can
    read the token from `/var/run/secrets/kubernetes.io/serviceaccount/token` and act with the
    ServiceAccount's permissions, which are often broader than intended (the `default` account picks up
    every binding made to the namespace's service accounts).

    ## How to fix
    Set `automountServiceAccountToken: false` in the pod spec, or on the ServiceAccount when no pod using
    it needs the API. Pods that do call the API should keep the token, run as their own ServiceAccount with
    the least permissions they need, and can suppress this finding with a reason
    (`manifestlint.io/ignore: "ML301: controller, calls the API"`).

    ## References
    - https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting
    - https://kubernetes.io/docs/concepts/security/service-accounts/
    - CIS Kubernetes Benchmark 5.1.6: Ensure that Service Account Tokens are only mounted where necessary
    """

    def check_input(self, docs: Sequence[Document], ctx: Context) -> Iterator[tuple[Document, Violation]]:
        accounts = ServiceAccountIndex(docs)
        for doc in docs:
            if is_service_account(doc):
                continue
            found = pod_spec(doc)
            if found is None:
                continue
            path, spec = found
            setting = spec.get(FIELD)
            if setting is False:
                continue
            account = pod_service_account(spec)
            fix = Fix.set((*path, FIELD), False)
            if setting is not None:
                yield doc, Violation((*path, FIELD),
                                     f"the pod spec sets `{FIELD}: {_show(setting)}`, so every container gets an API "
                                     f"token for ServiceAccount {account!r}: set it to false unless the pod calls the "
                                     "Kubernetes API", fix=fix)
                continue
            matches = accounts.lookup(doc.namespace, account)
            if matches and all(sa.data.get(FIELD) is False for sa in matches):
                continue
            if matches:
                why = "neither the pod spec nor the ServiceAccount, which is in this input, disables it"
                how = f"set `{FIELD}: false` in the pod spec (or on the ServiceAccount)"
            else:
                why = f"the pod spec does not set `{FIELD}`"
                how = f"set `{FIELD}: false` in the pod spec"
            yield doc, Violation((*path, FIELD),
                                 f"every container gets an API token for ServiceAccount {account!r} ({why}): "
                                 f"{how} unless the pod calls the Kubernetes API", fix=fix)


def _show(value: object) -> str:
    return "true" if value is True else repr(value)
