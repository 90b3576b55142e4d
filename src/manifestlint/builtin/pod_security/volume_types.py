"""ML114: volume types outside the restricted profile's list (hostPath is ML103's)."""

from __future__ import annotations

from collections.abc import Iterator

from manifestlint.document import Document
from manifestlint.k8s.workloads import WORKLOAD_KINDS, volumes
from manifestlint.rule import Context, Rule, Violation, define

ALLOWED_TYPES = ("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected",
                 "secret")


@define(id="ML114", name="restricted-volume-types", title="Pod uses a volume type the restricted profile forbids",
        severity="warning", checklist=["WL-5"], tags=["security", "pss:restricted"], targets=WORKLOAD_KINDS,
        security_severity="4.0")
class RestrictedVolumeTypes(Rule):
    """
    ## What it does
    Applies the Pod Security Standards' restricted "Volume Types" control: every volume of the pod
    must be one of `configMap`, `csi`, `downwardAPI`, `emptyDir`, `ephemeral`,
    `persistentVolumeClaim`, `projected` or `secret`. Any other type (`nfs`, `iscsi`, `rbd`,
    `cephfs`, `gitRepo`, `awsElasticBlockStore`, `flexVolume`, `image`, ...) is reported at its key.
    `hostPath` volumes are reported by ML103 (`host-path-volume`) only, not here.

    ## Why is this bad?
    In-tree volume types mount network or node storage with whatever the pod author writes in the
    pod: any NFS server or iSCSI target the node can reach, credentials in the spec, the deprecated
    `gitRepo` (which runs `git` on the node). The restricted profile keeps those decisions with the
    cluster administrator, who defines them as PersistentVolumes or CSI drivers.

    ## How to fix
    Ask for storage through a `persistentVolumeClaim` (the administrator backs it with the NFS, iSCSI
    or cloud disk), use a CSI driver, or an `emptyDir` / `ephemeral` volume for scratch data. Replace
    `gitRepo` with an init container that clones into an `emptyDir`.

    ## References
    - https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
    - https://kubernetes.io/docs/concepts/storage/volumes/
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        for volume in volumes(doc):
            if volume.data.get("hostPath") is not None:
                continue
            if any(volume.data.get(kind) is not None for kind in ALLOWED_TYPES):
                continue
            label = volume.describe()
            kinds = [key for key, value in volume.data.items() if key != "name" and value is not None]
            path = volume.path
            if kinds and kinds[0] == "gitRepo":
                yield Violation((*path, "gitRepo"), f"{label} is a gitRepo volume, which runs git on the node "
                                                    "(CVE-2024-10220) and which the restricted profile does not "
                                                    "allow: clone in an init container into an emptyDir")
            elif kinds:
                yield Violation((*path, kinds[0]), f"{label} is of type {kinds[0]}, which the restricted profile "
                                                   "does not allow: use a persistentVolumeClaim, a CSI driver or "
                                                   "an emptyDir instead")
            else:
                yield Violation(path, f"{label} names no volume type: give it one of {', '.join(ALLOWED_TYPES)}")
