"""ML105: capabilities added beyond the baseline profile's allowed set."""

from __future__ import annotations

from collections.abc import Iterator

from manifestlint.document import Document
from manifestlint.k8s.workloads import WORKLOAD_KINDS, containers
from manifestlint.rule import Context, Rule, Violation, define

# The Pod Security Standards' baseline list: the container runtimes' default set without NET_RAW.
BASELINE_CAPABILITIES = frozenset({
    "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE",
    "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
})


def canonical(capability: str) -> str:
    """The name a container runtime grants for ``capability``: upper case, without ``CAP_``."""
    upper = capability.upper()
    return upper[4:] if upper.startswith("CAP_") else upper


@define(id="ML105", name="added-capabilities", title="Container adds capabilities beyond the baseline set",
        severity="error", checklist=["WL-5"], tags=["security", "pss:baseline", "cis:5.2.8"],
        targets=WORKLOAD_KINDS, security_severity="7.5")
class AddedCapabilities(Rule):
    """
    ## What it does
    Flags each entry of `securityContext.capabilities.add`, in containers, init containers and
    ephemeral containers, that is not in the Pod Security Standards' baseline list: `AUDIT_WRITE`,
    `CHOWN`, `DAC_OVERRIDE`, `FOWNER`, `FSETID`, `KILL`, `MKNOD`, `NET_BIND_SERVICE`, `SETFCAP`,
    `SETGID`, `SETPCAP`, `SETUID`, `SYS_CHROOT`. Names are compared exactly, as Pod Security
    Admission compares them: `CAP_CHOWN` or `chown` is reported even though the runtime would grant
    `CHOWN`, because admission rejects it; the message then gives the spelling to use.

    ## Why is this bad?
    Capabilities such as `SYS_ADMIN`, `SYS_PTRACE`, `SYS_MODULE`, `NET_ADMIN`, `NET_RAW`, `BPF` or
    `DAC_READ_SEARCH` each open a known path to the node: mounting filesystems, reading other
    processes' memory, loading kernel modules, spoofing traffic, reading any file. `ALL` grants every
    one of them.

    ## How to fix
    Remove the capability; most programs need none beyond the defaults. To bind a port below 1024,
    add only `NET_BIND_SERVICE`. Write names as the API documents them, upper case without `CAP_`.

    ## References
    - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
    - https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container
    - https://man7.org/linux/man-pages/man7/capabilities.7.html
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        for container in containers(doc):
            capabilities = container.security_context.get("capabilities")
            added = capabilities.get("add") if isinstance(capabilities, dict) else None
            if not isinstance(added, list):
                continue
            for index, capability in enumerate(added):
                if isinstance(capability, str) and capability in BASELINE_CAPABILITIES:
                    continue
                path = (*container.path, "securityContext", "capabilities", "add", index)
                yield Violation(path, _message(container.describe(), capability))


def _message(who: str, capability: object) -> str:
    if not isinstance(capability, str):
        return f"{who} adds a capability that is not a name ({capability!r}): remove it"
    name = canonical(capability)
    if name in BASELINE_CAPABILITIES:
        return (f"{who} adds {capability!r}, which Pod Security Admission does not match with {name!r}: "
                f"write it as `{name}`")
    if name == "ALL":
        return f"{who} adds ALL capabilities: remove `ALL` from capabilities.add and add only what it needs"
    return f"{who} adds capability {name} beyond the baseline set: remove it from capabilities.add"
