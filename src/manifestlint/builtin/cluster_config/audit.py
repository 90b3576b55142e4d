"""ML560-ML564: API server audit logging and the content of audit policies.

An audit ``Policy`` is evaluated rule by rule, the first matching rule deciding the level; a
request that no rule matches is not audited. The RBAC check asks that question for writes to the
four RBAC resources by an ordinary authenticated user: a rule restricted to named users, to a
specific namespace or to resource names does not match such a request.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from manifestlint.builtin.cluster_config.base import COMPONENT_KINDS, OBJECT_AND_CONFIG, ComponentRule, flag_set_hint
from manifestlint.document import Document
from manifestlint.k8s.components import APISERVER, ComponentConfig
from manifestlint.rule import Context, Rule, Violation, define

AUDIT_API = "audit.k8s.io"
_CONDITIONS = ("users", "userGroups", "verbs", "resources", "namespaces", "nonResourceURLs")
_RBAC_GROUP = "rbac.authorization.k8s.io"
# (resource, namespace of an ordinary request: "" for cluster-scoped)
_RBAC_RESOURCES = (("clusterrolebindings", ""), ("clusterroles", ""), ("rolebindings", "team-a"), ("roles", "team-a"))
_WRITES = ("create", "update", "patch", "delete")


@define(id="ML560", name="apiserver-audit-disabled", title="API server writes no audit log",
        severity="warning", checklist=["CS-5", "RA-5", "MS-1"], tags=["security", "cis:1.2.16", "cis:3.2.1"],
        security_severity="6.0", targets=COMPONENT_KINDS, categories=OBJECT_AND_CONFIG)
class ApiserverAuditDisabled(ComponentRule):
    """
    ## What it does
    Reports a kube-apiserver without `--audit-policy-file` (then it audits nothing at all), or with
    a policy but no backend: neither `--audit-log-path` nor `--audit-webhook-config-file`. kubeadm
    sets none of these: the flags go in `apiServer.extraArgs` and the policy file must be mounted
    with `apiServer.extraVolumes` (ML581).

    ## Why is this bad?
    The audit log is the only record of who did what through the API: RBAC denials, secret reads,
    exec into pods. Without it, attacks and mistakes leave no trace and RBAC failures cannot be
    monitored.

    ## How to fix
    Add `--audit-policy-file` pointing at an audit Policy and `--audit-log-path` (or a webhook
    backend), with retention flags (ML561).

    ## References
    - https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/
    """

    components = frozenset({APISERVER})

    def judge(self, config: ComponentConfig, ctx: Context) -> Iterator[Violation]:
        if not config.value("audit-policy-file"):
            yield Violation(config.anchor, f"{config.where} has no `--audit-policy-file`, so it writes no audit "
                            "events: add an audit policy with "
                            + flag_set_hint(config, "audit-policy-file", "/etc/kubernetes/audit/policy.yaml")
                            + " and a backend (--audit-log-path or --audit-webhook-config-file)")
        elif not (config.value("audit-log-path") or config.value("audit-webhook-config-file")):
            yield Violation(config.path("audit-policy-file"), f"{config.where} has an audit policy but no backend, so "
                            "events go nowhere: add --audit-log-path (or --audit-webhook-config-file)")


_RETENTION = (
    ("audit-log-maxage", "min-age-days", "days"),
    ("audit-log-maxbackup", "min-backups", "files"),
    ("audit-log-maxsize", "min-size-mb", "MB"),
)


@define(id="ML561", name="apiserver-audit-retention-short", title="Audit log is rotated away too soon or never",
        severity="warning", checklist=["CS-5", "RA-5"], tags=["security", "cis:1.2.17", "cis:1.2.18", "cis:1.2.19"],
        security_severity="4.0", targets=COMPONENT_KINDS, categories=OBJECT_AND_CONFIG,
        options_schema={"type": "object", "additionalProperties": False, "properties": {
            "min-age-days": {"type": "integer", "minimum": 0, "default": 30},
            "min-backups": {"type": "integer", "minimum": 0, "default": 10},
            "min-size-mb": {"type": "integer", "minimum": 0, "default": 100}}})
class ApiserverAuditRetention(ComponentRule):
    """
    ## What it does
    When the API server writes its audit log to a file (`--audit-log-path`, not `-`), checks the
    rotation flags against the CIS minimums: `--audit-log-maxage` at least 30 days,
    `--audit-log-maxbackup` at least 10 files, `--audit-log-maxsize` at least 100 MB (options
    `min-age-days`, `min-backups`, `min-size-mb`). A flag that is unset is reported too: without any
    of them the log is never rotated and grows until the disk is full.

    ## Why is this bad?
    Investigations start days or weeks after the event; an audit trail rotated away after a day or
    two, or one that stops when the disk fills, is not there when it is needed.

    ## How to fix
    Set the three flags to values that keep enough history for your investigations, and ship the log
    off the node.

    ## References
    - https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#log-backend
    """

    components = frozenset({APISERVER})

    def judge(self, config: ComponentConfig, ctx: Context) -> Iterator[Violation]:
        path = config.value("audit-log-path")
        if not path or path == "-":
            return
        for flag, option, unit in _RETENTION:
            minimum = int(ctx.options.get(option, 0))
            value = config.value(flag)
            if value is None:
                yield Violation(config.anchor, f"{config.where} writes an audit log without `--{flag}`: set it to at "
                                f"least {minimum} ({unit}), e.g. " + flag_set_hint(config, flag, str(minimum)))
                continue
            try:
                number = int(value)
            except ValueError:
                continue
            if number < minimum:
                yield Violation(config.path(flag), f"`--{flag}={value}` keeps too little audit history: use at least "
                                f"{minimum} ({unit})")


def _rules(doc: Document) -> list[Any]:
    rules = doc.get(("rules",))
    return rules if isinstance(rules, list) else []


def _level(rule: Any) -> str:
    level = rule.get("level") if isinstance(rule, dict) else None
    return level if isinstance(level, str) else ""


def _catch_all(rule: Any) -> bool:
    return isinstance(rule, dict) and not any(rule.get(key) for key in _CONDITIONS)


def drops_everything(doc: Document) -> bool:
    rules = _rules(doc)
    return not rules or (_catch_all(rules[0]) and _level(rules[0]) == "None") or \
        all(_level(r) == "None" for r in rules)


_POLICY_TARGET = {"targets": ["Policy"], "categories": ["cluster-config"]}


@define(id="ML562", name="audit-policy-drops-everything", title="Audit policy records nothing", severity="error",
        checklist=["CS-5", "RA-5", "MS-1"], tags=["security", "cis:3.2.2"], security_severity="6.5", **_POLICY_TARGET)
class AuditPolicyDropsEverything(Rule):
    """
    ## What it does
    Reports an audit Policy (`audit.k8s.io/v1`) that records no request: no rules, a first rule
    with `level: None` and no conditions (it matches everything), or only `level: None` rules.

    ## Why is this bad?
    Audit logging looks enabled (the flags are set, the file exists) while the log stays empty.

    ## How to fix
    Put the rules that drop noise (`level: None` with conditions) first, the rules that record
    requests after them, and end with a catch-all at `Metadata` level.

    ## References
    - https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        if doc.api_group != AUDIT_API:
            return
        rules = _rules(doc)
        if not rules:
            yield Violation(("rules",), "the audit policy has no rules, so no request is audited: add rules, ending "
                            "with a catch-all at level Metadata")
        elif _catch_all(rules[0]) and _level(rules[0]) == "None":
            yield Violation(("rules", 0, "level"), "the first rule has level None and no conditions, so it matches "
                            "every request and nothing is audited: move it last or give it conditions")
        elif all(_level(r) == "None" for r in rules):
            yield Violation(("rules",), "every rule has level None, so nothing is audited: add rules at level "
                            "Metadata or above")


def _strings(value: Any) -> list[Any]:
    return value if isinstance(value, list) else ([value] if value else [])


def _matches(rule: dict[str, Any], resource: str, namespace: str, verb: str) -> bool:
    """Whether a rule matches a write to an RBAC resource by an ordinary authenticated user."""
    if rule.get("users") or rule.get("nonResourceURLs"):
        return False
    groups = _strings(rule.get("userGroups"))
    if groups and "system:authenticated" not in groups:
        return False
    verbs = _strings(rule.get("verbs"))
    if verbs and verb not in verbs:
        return False
    namespaces = _strings(rule.get("namespaces"))
    if namespaces and namespace not in namespaces:
        return False
    resources = rule.get("resources")
    if not resources:
        return True
    for group_resources in resources if isinstance(resources, list) else []:
        if not isinstance(group_resources, dict) or group_resources.get("group", "") != _RBAC_GROUP:
            continue
        if group_resources.get("resourceNames"):
            continue
        names = _strings(group_resources.get("resources"))
        # `roles/*` names subresources only; `*` names every resource and subresource.
        if not names or resource in names or "*" in names:
            return True
    return False


@define(id="ML563", name="audit-policy-skips-rbac", title="Audit policy does not record changes to RBAC",
        severity="warning", checklist=["CS-5", "RA-5", "MS-1"], tags=["security", "cis:3.2.2"], security_severity="5.5",
        **_POLICY_TARGET)
class AuditPolicySkipsRbac(Rule):
    """
    ## What it does
    Evaluates an audit Policy the way the API server does (first matching rule wins) for writes
    (`create`, `update`, `patch`, `delete`) to `roles`, `rolebindings`, `clusterroles` and
    `clusterrolebindings` by an ordinary authenticated user, and reports the writes that end up at
    level `None`, at the rule that drops them. A policy that drops everything is ML562's.

    ## Why is this bad?
    Granting permissions is how an intruder keeps access. A policy that drops RBAC changes hides the
    moment someone binds themselves to `cluster-admin`.

    ## How to fix
    Add a rule for group `rbac.authorization.k8s.io` at level `Metadata` or above before any rule
    that drops these requests.

    ## References
    - https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        if doc.api_group != AUDIT_API or drops_everything(doc):
            return
        rules = _rules(doc)
        dropped: dict[int | None, list[str]] = {}
        for resource, namespace in _RBAC_RESOURCES:
            for verb in _WRITES:
                index = next((i for i, r in enumerate(rules) if isinstance(r, dict)
                              and _matches(r, resource, namespace, verb)), None)
                if index is None or _level(rules[index]) == "None":
                    dropped.setdefault(index, []).append(f"{verb} {resource}")
        for index, requests in dropped.items():
            shown = ", ".join(requests[:4]) + (f" and {len(requests) - 4} more" if len(requests) > 4 else "")
            if index is None:
                yield Violation(("rules",), f"no rule matches writes to RBAC objects ({shown}), so they are not "
                                "audited: add a rule for group rbac.authorization.k8s.io at level Metadata or above")
            else:
                yield Violation(("rules", index, "level"), f"rule {index + 1} (level None) drops writes to RBAC "
                                f"objects ({shown}): record group rbac.authorization.k8s.io at level Metadata or above "
                                "in a rule before it")


@define(id="ML564", name="audit-policy-omits-decisions", title="Audit policy omits the stage that records decisions",
        severity="warning", checklist=["CS-5", "RA-5", "MS-1"], tags=["security"], security_severity="5.0",
        **_POLICY_TARGET)
class AuditPolicyOmitsDecisions(Rule):
    """
    ## What it does
    Reports `omitStages` that contain `ResponseComplete`, at the policy level or on a rule that
    records requests. The authorization decision (`authorization.k8s.io/decision` and `reason`
    annotations) and the response status are only known after the request passed the authorizer, so
    they appear in `ResponseStarted`/`ResponseComplete` events; ordinary requests only produce
    `RequestReceived` and `ResponseComplete`.

    ## Why is this bad?
    Without `ResponseComplete`, the log shows that a request arrived but not whether RBAC allowed or
    denied it, which is exactly what monitoring RBAC failures needs.

    ## How to fix
    Omit `RequestReceived` if the volume matters, never `ResponseComplete`.

    ## References
    - https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        if doc.api_group != AUDIT_API:
            return
        stages = doc.get(("omitStages",))
        if isinstance(stages, list) and "ResponseComplete" in stages:
            yield Violation(("omitStages", stages.index("ResponseComplete")), "the policy omits the ResponseComplete "
                            "stage for every rule, so no event records whether a request was allowed or denied: "
                            "remove it (omit RequestReceived instead)")
        for i, rule in enumerate(_rules(doc)):
            if not isinstance(rule, dict) or _level(rule) == "None":
                continue
            stages = rule.get("omitStages")
            if isinstance(stages, list) and "ResponseComplete" in stages:
                yield Violation(("rules", i, "omitStages", stages.index("ResponseComplete")), f"rule {i + 1} omits the "
                                "ResponseComplete stage, so its events do not say whether the request was allowed or "
                                "denied: remove it")
