"""ML740-ML744 (``--scope cluster``): the cluster inventory has a runtime detection agent, a log
collector, a metrics pipeline, alerting, and a CNI that enforces NetworkPolicy."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from manifestlint.builtin.inventory.agents import AGENT_SCHEMA, agents_for, present
from manifestlint.cluster.model import CLUSTER, ClusterModel
from manifestlint.cluster.rules import ClusterRule, Finding
from manifestlint.document import Document
from manifestlint.positions import FieldPath
from manifestlint.rule import Context, Violation, define

OPTIONS: dict[str, Any] = {"type": "object", "additionalProperties": False, "properties": {"agents": AGENT_SCHEMA}}
SCOPE_DOCS = """
    Runs with `--scope cluster` only (config `scope: cluster`): only then does the input describe the
    whole cluster. Known agents are data (`manifestlint/data/inventory.yaml`), matched by image
    repository (registry, tag and digest ignored) or by the kinds of their custom resources; add yours
    with the `agents` option: `rules: {ID: {agents: [{name: Acme, images: [acme/agent]}]}}`. The finding
    is on the `kube-system` Namespace object if the input has it, else on the first Namespace, else on
    the first object.
"""


def anchor(model: ClusterModel) -> tuple[Document, FieldPath] | None:
    namespaces = [d for d in model.of_kind("Namespace") if d.api_version == "v1"]
    chosen = next((d for d in namespaces if d.name == "kube-system"), namespaces[0] if namespaces else None)
    if chosen is not None:
        return chosen, ("metadata", "name")
    return (model.docs[0], ("kind",)) if model.docs else None


class InventoryRule(ClusterRule):
    """A cluster-scope rule that needs an agent for each of ``capabilities``."""

    capabilities: ClassVar[tuple[str, ...]] = ()
    purpose: ClassVar[str] = ""

    def check_model(self, model: ClusterModel, ctx: Context) -> Iterator[Finding]:
        if model.scope != CLUSTER:
            return
        extra = ctx.options.get("agents", [])
        missing = []
        for capability in self.capabilities:
            agents = agents_for(capability, extra, self.capabilities)
            if not present(model, agents):
                missing.append((capability, agents))
        where = anchor(model)
        if not missing or where is None:
            return
        names = "; ".join(f"{cap}: {', '.join(a.name for a in agents)}" for cap, agents in missing)
        yield where[0], Violation(where[1], f"the cluster runs no {self.purpose} (looked for {names}): deploy one, "
                                            "or name yours with the rule's `agents` option")


@define(id="ML740", name="no-runtime-threat-detection", title="Cluster runs no runtime threat detection",
        severity="warning", checklist=["WL-6"], tags=["security"], security_severity="5.0", options_schema=OPTIONS)
class NoRuntimeThreatDetection(InventoryRule):
    __doc__ = """
    ## What it does
    Flags a cluster whose input runs no container-aware runtime threat detection agent: Falco,
    Tetragon, Tracee, KubeArmor, Sysdig, NeuVector, Aqua.
    """ + SCOPE_DOCS + """
    ## Why is this bad?
    Admission control and policies prevent what is known in advance; a runtime agent sees what happens:
    a shell in a container, a read of `/etc/shadow`, an unexpected outbound connection, a kernel exploit
    attempt. Without one, a compromise is found, if ever, from its consequences.

    ## How to fix
    Deploy one as a DaemonSet on every node, for example `helm install falco falcosecurity/falco`, and
    route its alerts to your alerting.

    ## References
    - https://falco.org/docs/
    - https://tetragon.io/docs/
    """
    capabilities = ("runtime-detection",)
    purpose = "runtime threat detection agent"


@define(id="ML741", name="no-log-collector", title="Cluster runs no log collector", severity="warning",
        checklist=["RA-1", "MS-1"], options_schema=OPTIONS)
class NoLogCollector(InventoryRule):
    __doc__ = """
    ## What it does
    Flags a cluster whose input runs no log collector: Fluent Bit, Fluentd, Vector, Promtail, Grafana
    Alloy, the OpenTelemetry Collector, Filebeat, the Datadog or Splunk agents.
    """ + SCOPE_DOCS + """
    ## Why is this bad?
    Container logs live on the node and go with it: after a crash, a reschedule or a node replacement
    they are gone, and so is the evidence of an incident. The API server's audit log needs shipping too.

    ## How to fix
    Deploy a collector as a DaemonSet tolerating every node and ship logs to central storage.

    ## References
    - https://kubernetes.io/docs/concepts/cluster-administration/logging/
    - https://docs.fluentbit.io/manual/installation/kubernetes
    """
    capabilities = ("log-collector",)
    purpose = "log collector"


@define(id="ML742", name="no-metrics-pipeline", title="Cluster runs no metrics pipeline", severity="warning",
        checklist=["RA-2"], options_schema=OPTIONS)
class NoMetricsPipeline(InventoryRule):
    __doc__ = """
    ## What it does
    Flags a cluster whose input runs no metrics pipeline: Prometheus (or the Prometheus Operator's
    `Prometheus` resources), VictoriaMetrics, Grafana Alloy, the OpenTelemetry Collector, the Datadog
    agent. metrics-server does not count: it feeds autoscaling, it keeps no history.
    """ + SCOPE_DOCS + """
    ## Why is this bad?
    Without metrics there is no capacity planning, no alerting on symptoms, and no way to tell after
    the fact what a workload did.

    ## How to fix
    Deploy a metrics pipeline, for example the kube-prometheus stack.

    ## References
    - https://kubernetes.io/docs/tasks/debug/debug-cluster/resource-usage-monitoring/
    - https://prometheus-operator.dev/
    """
    capabilities = ("metrics-pipeline",)
    purpose = "metrics pipeline"


@define(id="ML743", name="no-alerting", title="Cluster has no alerting rules or no alert router", severity="warning",
        checklist=["RA-3"], options_schema=OPTIONS)
class NoAlerting(InventoryRule):
    __doc__ = """
    ## What it does
    Flags a cluster whose input lacks alerting rules (`PrometheusRule`, `VMRule`, vmalert) or an alert
    router (Alertmanager, VictoriaMetrics Alertmanager): both are needed for an alert to reach a person.
    """ + SCOPE_DOCS + """
    ## Why is this bad?
    Metrics and logs that nobody is alerted about are read after the outage. Rules without a router
    fire into the void; a router without rules never speaks.

    ## How to fix
    Deploy Alertmanager (or your provider's router) and alerting rules, for example those of the
    kube-prometheus stack.

    ## References
    - https://prometheus.io/docs/alerting/latest/overview/
    - https://prometheus-operator.dev/docs/developer/alerting/
    """
    capabilities = ("alert-rules", "alert-router")
    purpose = "alerting"


@define(id="ML744", name="no-policy-enforcing-cni", title="Cluster runs no CNI that enforces NetworkPolicy",
        severity="warning", checklist=["NS-2"], tags=["security", "cis:5.3.1"], security_severity="6.0",
        options_schema=OPTIONS)
class NoPolicyEnforcingCNI(InventoryRule):
    __doc__ = """
    ## What it does
    Flags a cluster whose input runs no network plugin that enforces NetworkPolicy: Calico, Cilium,
    Antrea, Weave Net, kube-router, the AWS VPC CNI network policy agent. A managed cluster whose
    provider enforces policies (GKE Dataplane V2, AKS with Azure or Cilium policy) does not show it in
    manifests: say so with the `agents` option or disable the rule.
    """ + SCOPE_DOCS + """
    ## Why is this bad?
    NetworkPolicy objects are only requests: a CNI that does not implement them (Flannel alone, kubenet)
    accepts them silently and enforces nothing, so every isolation rule here is void.

    ## How to fix
    Run a policy-enforcing CNI (Calico on top of Flannel is Canal), or enable the provider's network
    policy feature.

    ## References
    - https://kubernetes.io/docs/concepts/services-networking/network-policies/#prerequisites
    - CIS Kubernetes Benchmark 5.3.1: Ensure that the CNI in use supports Network Policies
    """
    capabilities = ("network-policy-cni",)
    purpose = "network plugin that enforces NetworkPolicy"
