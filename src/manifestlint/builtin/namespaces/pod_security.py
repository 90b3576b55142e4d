"""ML631 and ML632: Pod Security Admission on namespaces, and workloads that it will reject."""

from __future__ import annotations

from collections.abc import Iterator

from manifestlint.cluster import pss
from manifestlint.cluster.model import ClusterModel
from manifestlint.cluster.rules import ClusterRule, Finding, at_namespace
from manifestlint.rule import Context, Violation, define

ENFORCE = "pod-security.kubernetes.io/enforce"


@define(id="ML631", name="namespace-without-pod-security-enforce",
        title="Namespace has no Pod Security Admission enforce level", severity="warning", checklist=["WL-5"],
        tags=["security", "cis:5.2.1"], security_severity="6.0")
class NamespaceWithoutPodSecurityEnforce(ClusterRule):
    """
    ## What it does
    Flags each judged namespace (its Namespace object is in the input, or every namespace with
    `--scope cluster`, see ML601) whose labels have no `pod-security.kubernetes.io/enforce`, an
    invalid one, or `privileged`. A `privileged` namespace that needs to be (CNI or storage agents,
    node exporters) states why by suppressing the finding with a reason:
    `manifestlint.io/ignore: "ML631 -- runs the CNI agents"`.

    Pod Security Admission replaced PodSecurityPolicy (removed in Kubernetes 1.25; ML803 reports PSP
    objects). A cluster-wide default in the API server's `AdmissionConfiguration` is not read here.

    ## Why is this bad?
    Without an enforce label the namespace admits any pod the RBAC allows: privileged containers,
    host namespaces and hostPath mounts, that is the node and from there the cluster. The label is the
    built-in admission control that stops them.

    ## How to fix
    ```yaml
    apiVersion: v1
    kind: Namespace
    metadata:
      name: my-namespace
      labels:
        pod-security.kubernetes.io/enforce: restricted   # or baseline
        pod-security.kubernetes.io/enforce-version: latest
        pod-security.kubernetes.io/warn: restricted
    ```

    Check what would be rejected first with `kubectl label --dry-run=server --overwrite ns my-namespace
    pod-security.kubernetes.io/enforce=restricted`, and see ML632.

    ## References
    - https://kubernetes.io/docs/concepts/security/pod-security-admission/
    - https://kubernetes.io/docs/tasks/configure-pod-container/migrate-from-psp/
    - CIS Kubernetes Benchmark 5.2.1: Ensure that the cluster has at least one active policy control mechanism
    """

    def check_model(self, model: ClusterModel, ctx: Context) -> Iterator[Finding]:
        for info in model.judged_namespaces():
            level = info.labels.get(ENFORCE)
            if level is None:
                yield from at_namespace(
                    model, info, f"namespace {info.name!r} has no `{ENFORCE}` label, so it admits privileged pods: "
                                 f"label it `{ENFORCE}: restricted` (or `baseline`)", ("metadata", "labels"))
            elif level not in pss.LEVELS:
                yield from at_namespace(
                    model, info, f"namespace {info.name!r} sets `{ENFORCE}: {level}`, which is not a level "
                                 "(privileged, baseline, restricted), so the API server rejects the label: use "
                                 "`restricted` or `baseline`", ("metadata", "labels", ENFORCE))
            elif level == "privileged":
                yield from at_namespace(
                    model, info, f"namespace {info.name!r} enforces the `privileged` level, which admits any pod: use "
                                 "`restricted` or `baseline`, or say why it needs privileged pods by suppressing this "
                                 "finding with a reason", ("metadata", "labels", ENFORCE))


@define(id="ML632", name="workload-rejected-by-pod-security", title="Workload will be rejected at admission",
        severity="error", checklist=["WL-5"], tags=["security"], security_severity="5.0")
class WorkloadRejectedByPodSecurity(ClusterRule):
    """
    ## What it does
    For each workload in a namespace whose Namespace object (in the input) sets
    `pod-security.kubernetes.io/enforce: baseline` or `restricted`, evaluates its pod spec against that
    level of the Pod Security Standards, control by control, and reports each control it breaks at the
    first offending field: the pods "will be rejected at admission". The controls: HostProcess, Host
    Namespaces, Privileged Containers, Capabilities, HostPath Volumes, Host Ports, AppArmor, SELinux,
    /proc Mount Type, Seccomp, Sysctls (baseline); Volume Types, Privilege Escalation, Running as
    Non-root, Running as Non-root user, Seccomp, Capabilities (restricted). Init and ephemeral
    containers count. Windows pods skip the Linux-only restricted controls. The latest version of the
    standards is applied.

    ## Why is this bad?
    The workload object itself is accepted (only a warning is shown), but the controller's pods are
    rejected: the Deployment never becomes ready and the failure shows up only in events, often
    during a rollout.

    ## How to fix
    Change the pod spec as the message says (the per-control rules ML101-ML117 describe each fix), or
    move the workload to a namespace with a lower level and say why.

    ## References
    - https://kubernetes.io/docs/concepts/security/pod-security-standards/
    - https://kubernetes.io/docs/concepts/security/pod-security-admission/#workload-resources-and-pod-templates
    """

    def check_model(self, model: ClusterModel, ctx: Context) -> Iterator[Finding]:
        for info in model.namespaces.values():
            level = info.labels.get(ENFORCE)
            if info.doc is None or level not in ("baseline", "restricted"):
                continue
            for workload in model.workloads_by_namespace().get(info.name, []):
                template = workload.labels_path[:-2]
                annotations_path = (*template, "metadata", "annotations")
                annotations = workload.doc.get(annotations_path)
                breaches = pss.violations(workload.spec, workload.spec_path,
                                          annotations if isinstance(annotations, dict) else {}, annotations_path,
                                          str(level))
                by_control: dict[str, list[pss.Breach]] = {}
                for breach in breaches:
                    by_control.setdefault(breach.control, []).append(breach)
                subject, verb = ("it", "breaks") if workload.doc.kind == "Pod" else ("its pods", "break")
                for control, found in by_control.items():
                    details = "; ".join(b.detail for b in found[:3]) + ("; ..." if len(found) > 3 else "")
                    yield workload.doc, Violation(
                        found[0].path,
                        f"{workload.label}: {subject} will be rejected at admission, because namespace {info.name!r} "
                        f"enforces the {level} Pod Security Standard and {subject} {verb} its {control!r} control "
                        f"({details}): fix the pod spec or lower the namespace's level with a reason")
