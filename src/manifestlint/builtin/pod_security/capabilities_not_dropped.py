"""ML106: the restricted profile's capabilities rule: drop ALL, add back only NET_BIND_SERVICE."""

from __future__ import annotations

from collections.abc import Iterator

from manifestlint.builtin.pod_security._pss import is_windows_pod
from manifestlint.builtin.pod_security.added_capabilities import BASELINE_CAPABILITIES
from manifestlint.document import Document
from manifestlint.fix.edits import AppendItem, Fix, SetValue
from manifestlint.k8s.workloads import WORKLOAD_KINDS, containers
from manifestlint.rule import Context, Rule, Violation, define


@define(id="ML106", name="capabilities-not-dropped", title="Container does not drop ALL capabilities",
        severity="warning", checklist=["WL-5"], tags=["security", "pss:restricted", "cis:5.2.8", "cis:5.2.9"],
        targets=WORKLOAD_KINDS, security_severity="5.5", fixable=True,
        fix_note="adds `capabilities: {drop: [ALL]}` (or `ALL` to an existing drop list, or corrects its spelling); "
                 "added capabilities are left to you")
class CapabilitiesNotDropped(Rule):
    """
    ## What it does
    Applies the Pod Security Standards' restricted "Capabilities" control to every container, init
    container and ephemeral container: `securityContext.capabilities.drop` must include `ALL`, and
    `capabilities.add` may hold only `NET_BIND_SERVICE`. A missing drop list is reported at the
    container (or its `securityContext`/`capabilities`); an added capability at its entry. Added
    capabilities outside the baseline list are left to ML105 (`added-capabilities`), so each is
    reported once. Pods with `spec.os.name: windows` are exempt, as in Pod Security Admission.

    ## Why is this bad?
    Without `drop: [ALL]` a container keeps the runtime's default capabilities, among them `NET_RAW`
    (packet spoofing on many runtimes), `CHOWN`, `DAC_OVERRIDE`, `FOWNER`, `SETUID`/`SETGID` and
    `MKNOD`: enough for a process that has been taken over to change file ownership, bypass file
    permissions and build on further kernel bugs. Very few programs need any of them.

    ## How to fix
    Add `capabilities: {drop: [ALL]}` to the container's `securityContext`; add back
    `NET_BIND_SERVICE` only if it binds a port below 1024. Capability names are matched exactly:
    write `ALL`, not `all`.

    ## References
    - https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
    - https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        if is_windows_pod(doc):
            return
        for container in containers(doc):
            capabilities = container.security_context.get("capabilities")
            capabilities = capabilities if isinstance(capabilities, dict) else {}
            base = (*container.path, "securityContext", "capabilities")
            dropped = capabilities.get("drop")
            dropped = dropped if isinstance(dropped, list) else []
            if "ALL" not in dropped:
                yield Violation((*base, "drop"), _drop_message(container.describe(), dropped),
                                fix=_drop_all((*base, "drop"), capabilities.get("drop")))
            added = capabilities.get("add")
            for index, capability in enumerate(added if isinstance(added, list) else []):
                # Outside the baseline set it is ML105's finding (an error there already).
                if capability != "NET_BIND_SERVICE" and isinstance(capability, str) \
                        and capability in BASELINE_CAPABILITIES:
                    yield Violation((*base, "add", index),
                                    f"{container.describe()} adds {capability}: the restricted profile allows only "
                                    "NET_BIND_SERVICE in capabilities.add; remove it")


def _drop_all(path: tuple[str | int, ...], dropped: object) -> Fix:
    """Drop ALL: a new list, ``ALL`` appended, or a misspelt ``all`` corrected."""
    if not isinstance(dropped, list):
        return Fix.set(path, ["ALL"])
    for index, item in enumerate(dropped):
        if isinstance(item, str) and item.upper() in ("ALL", "CAP_ALL"):
            return Fix(f"write {item!r} as ALL", (SetValue((*path, index), "ALL"),))
    return Fix("add ALL to capabilities.drop", (AppendItem(path, "ALL"),))


def _drop_message(who: str, dropped: list[object]) -> str:
    if any(isinstance(item, str) and item.upper() in ("ALL", "CAP_ALL") for item in dropped):
        return f"{who} drops capabilities with a spelling admission does not accept: write `drop: [ALL]`"
    if dropped:
        return f"{who} drops only some capabilities: set `capabilities.drop: [ALL]` and add back what it needs"
    return f"{who} keeps the runtime's default capabilities: add `capabilities: {{drop: [ALL]}}` to its securityContext"
