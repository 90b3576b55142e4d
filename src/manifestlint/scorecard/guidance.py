"""What files cannot show about a checklist item, and what to do instead.

For ``static: no`` items ``reason`` says why no file can show the item; for ``static: partial`` items
it names the part that files cannot show (it follows "files cannot show"). Shown by the scorecard
and by the checklist coverage page (docs/checklist.md).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Guidance:
    reason: str
    instead: str


GUIDANCE: dict[str, Guidance] = {
    # static: no
    "MS-4": Guidance(
        "account, VPC, project and resource-group boundaries are set in the cloud provider, not in Kubernetes "
        "manifests or component configuration",
        "Check the boundaries in your cloud organisation (AWS Organizations, Google Cloud folders and projects, "
        "Azure management groups) or in the infrastructure-as-code that creates them, and write the decision "
        "down in the platform documentation."),
    "MS-5": Guidance(
        "which clusters exist and which environment each serves is not written in any one cluster's files",
        "Keep one folder (or repository) per cluster and lint each separately, with its own `--sarif-category` "
        "in code scanning; a production folder that also holds dev or test namespaces is the sign to split."),
    "OP-1": Guidance(
        "onboarding is a process that people follow, not something a manifest says",
        "Write an onboarding runbook; give new teams the pre-commit hook and the CI check on their first day, "
        "so the checklist reaches them before their first deploy."),
    "OP-2": Guidance(
        "whether user documentation exists, and is any good, cannot be read from manifests",
        "Keep the documentation next to the manifests and review it with them; a plugin rule can require an "
        "owner or documentation annotation on every workload (examples/manifestlint-plugin-example, EXA001)."),
    # static: partial
    "CS-5": Guidance(
        "whether anyone watches the RBAC failures: only that audit logging is on, kept and records RBAC "
        "decisions",
        "Alert on `403` responses in the audit log (for example with a PrometheusRule or your log platform) and "
        "review them."),
    "NS-1": Guidance(
        "the IAM permissions of nodes and workload identities, which live in the cloud provider",
        "Review node and workload IAM roles in the cloud (least privilege; IMDSv2 with a hop limit of 1 on AWS)."),
    "WL-1": Guidance(
        "who the tenants are unless a tenant label is configured (rules ML635, ML636)",
        "Configure the tenant label in the rules' options, and give each tenant its own namespaces."),
    "RA-2": Guidance(
        "whether the metrics are collected and looked at: only the probes, and with `--scope cluster` that a "
        "metrics pipeline is deployed",
        "Check the dashboards and their owners; lint with `--scope cluster` for the inventory rules."),
    "RA-7": Guidance(
        "how people reach the running apps (exec and port-forward policy, bastions, VPN); only that Services and "
        "Ingresses point at something that exists",
        "Document the access paths; RBAC rules (ML707) flag who may exec into pods."),
    "RA-8": Guidance(
        "synthetic checks, which run outside the cluster; only the readiness and liveness probes",
        "Run external synthetic monitoring (blackbox exporter, your uptime service) against each public endpoint."),
    "MS-1": Guidance(
        "whether the logs are kept and read: only that a collector runs (`--scope cluster`) and the audit log "
        "is on",
        "Check the retention and the alerting of your log platform."),
    "MS-3": Guidance(
        "which nodes a stacked etcd shares: only whether kubeadm uses external or stacked etcd",
        "Run etcd on dedicated control-plane nodes, or use external etcd (`etcd.external` in kubeadm)."),
    "MS-6": Guidance(
        "the node pools themselves, which the cloud or the node provisioner defines; only that tenant workloads "
        "select and tolerate their pool (with a configured tenant label)",
        "Check the node pools and their taints in the provisioner's configuration."),
}
