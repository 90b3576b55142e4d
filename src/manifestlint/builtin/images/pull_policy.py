"""ML206: pull policies that leave nodes running missing or different images."""

from __future__ import annotations

from collections.abc import Iterator

from manifestlint.builtin.images.common import MUTABLE_TAGS_SCHEMA, is_mutable
from manifestlint.builtin.images.reference import parse
from manifestlint.document import Document
from manifestlint.fix.edits import Fix
from manifestlint.k8s.workloads import WORKLOAD_KINDS, containers
from manifestlint.rule import Context, Rule, Violation, define

POLICIES = ("Always", "IfNotPresent", "Never")


@define(id="ML206", name="image-pull-policy", title="imagePullPolicy leaves nodes with missing or different images",
        severity="warning", checklist=["RA-6"], targets=WORKLOAD_KINDS,
        options_schema={"type": "object", "additionalProperties": False,
                        "properties": {"mutable-tags": MUTABLE_TAGS_SCHEMA}},
        fixable=True, fix_note="sets the policy the image's tag calls for: `IfNotPresent` for a release tag or a "
                               "digest, `Always` for a moving tag, and the right spelling of a mistyped policy")
class ImagePullPolicy(Rule):
    """
    ## What it does
    Flags, at the container's `imagePullPolicy`:

    - `Never` in a controller (Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController,
      Job, CronJob, PodTemplate). A bare Pod may use it for an image pre-loaded into a local cluster
      (`kind load`, minikube);
    - `IfNotPresent` with an image that has no tag or a mutable one (option `mutable-tags`, default
      `latest`) and no digest;
    - a value Kubernetes rejects (policies are case-sensitive: `Always`, `IfNotPresent`, `Never`).

    It does not demand `Always` everywhere (kube-score's `container-image-pull-policy` does): with a
    release tag or a digest, `IfNotPresent` runs the same image and saves a registry round-trip on
    every start. Leaving the field out is fine: Kubernetes picks `Always` for `latest` or no tag and
    `IfNotPresent` otherwise.

    ## Why is this bad?
    With `Never`, a pod scheduled on a node that lacks the image stays in `ErrImageNeverPull`: a
    rollout, a node replacement or a scale-up breaks the workload. With `IfNotPresent` and a moving
    tag, each node keeps whichever build it pulled first, so replicas run different code and a
    re-pushed fix never arrives.

    ## How to fix
    Pin a release tag or a digest and use `IfNotPresent` (or drop the field); use `Always` only when
    the tag must move. Pre-load images with a DaemonSet or the node image, not `Never`.

    ## References
    - https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy
    - https://kubernetes.io/docs/concepts/containers/images/#imagepullpolicy-defaulting
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        mutable_tags = ctx.options.get("mutable-tags", ["latest"])
        for container in containers(doc):
            policy = container.data.get("imagePullPolicy")
            if policy is None:
                continue
            path = (*container.path, "imagePullPolicy")
            who = container.describe()
            image = container.data.get("image")
            parsed = parse(image) if isinstance(image, str) else None
            if policy not in POLICIES:
                spelt = next((p for p in POLICIES if isinstance(policy, str) and p.lower() == policy.lower()), None)
                yield Violation(path, f"{who} has imagePullPolicy {policy!r}, which Kubernetes rejects: use "
                                      "Always, IfNotPresent or Never (case matters)",
                                fix=Fix.set(path, spelt) if spelt else None)
            elif policy == "Never" and doc.kind != "Pod":
                right = None if parsed is None else "Always" if is_mutable(parsed, mutable_tags) else "IfNotPresent"
                yield Violation(path, f"{who} sets imagePullPolicy: Never, so its pods fail on every node that "
                                      "lacks the image: pin a release tag and use IfNotPresent",
                                fix=Fix.set(path, right) if right else None)
            elif policy == "IfNotPresent":
                image = container.data.get("image")
                ref = parse(image) if isinstance(image, str) else None
                if ref is not None and is_mutable(ref, mutable_tags):
                    yield Violation(path, f"{who} pulls {ref.text!r} with imagePullPolicy: IfNotPresent, so each "
                                          "node keeps whichever build it pulled first: pin a release tag or digest, "
                                          "or use Always", fix=Fix.set(path, "Always"))
