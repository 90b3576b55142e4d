"""ML103: hostPath volumes, with the node paths that hand over the node named specially."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from manifestlint.document import Document
from manifestlint.k8s.workloads import WORKLOAD_KINDS, volumes
from manifestlint.rule import Context, Rule, Violation, define

# (node path, what a pod gets by mounting it or anything above it), most specific first.
SENSITIVE_PATHS: tuple[tuple[str, str], ...] = (
    ("/var/run/docker.sock", "the Docker socket: full control of every container on the node"),
    ("/run/docker.sock", "the Docker socket: full control of every container on the node"),
    ("/var/run/cri-dockerd.sock", "the cri-dockerd socket: full control of every container on the node"),
    ("/var/run/containerd/containerd.sock", "the containerd socket: full control of every container on the node"),
    ("/run/containerd/containerd.sock", "the containerd socket: full control of every container on the node"),
    ("/var/run/crio/crio.sock", "the CRI-O socket: full control of every container on the node"),
    ("/run/crio/crio.sock", "the CRI-O socket: full control of every container on the node"),
    ("/var/lib/kubelet", "the kubelet's credentials and every pod's secrets and volumes"),
    ("/etc/kubernetes", "the node's kubeconfigs and cluster certificates"),
    ("/var/lib/etcd", "the etcd data directory: every object and Secret of the cluster"),
    ("/var/lib/docker", "the container runtime's images and container filesystems"),
    ("/var/lib/containerd", "the container runtime's images and container filesystems"),
    ("/var/log", "the node's logs (a writable /var/log lets a pod read any file through the kubelet)"),
    ("/var/run", "the node's runtime sockets: docker.sock, containerd.sock, crio.sock"),
    ("/run", "the node's runtime sockets: docker.sock, containerd.sock, crio.sock"),
    ("/proc", "the node's processes and kernel settings"),
    ("/sys", "the node's kernel and device settings"),
    ("/dev", "the node's devices"),
    ("/boot", "the node's kernel and boot loader"),
    ("/etc", "the node's configuration, users and password hashes"),
    ("/root", "root's home directory (SSH keys, credentials)"),
    ("/home", "the users' home directories (SSH keys, credentials)"),
)
SOCKET_NAMES = ("docker.sock", "containerd.sock", "crio.sock", "cri-dockerd.sock", "dockershim.sock")


def why_sensitive(path: str) -> str | None:
    """What mounting ``path`` from the node gives a pod, when that is more than a plain directory."""
    if not path.startswith("/"):
        return None
    normal = "/" + posixpath.normpath(path).lstrip("/")  # normpath keeps a leading "//"
    if normal == "/":
        return "the node's whole filesystem"
    for sensitive, reason in SENSITIVE_PATHS:
        if normal == sensitive or normal.startswith(sensitive + "/"):
            return reason
    if posixpath.basename(normal) in SOCKET_NAMES:
        return "a container runtime socket: full control of every container on the node"
    for sensitive, reason in SENSITIVE_PATHS:
        if sensitive.startswith(normal + "/"):
            return f"a parent of {sensitive}, {reason}"
    return None


@define(id="ML103", name="host-path-volume", title="Pod mounts a directory or file of the node", severity="error",
        checklist=["WL-5"], tags=["security", "pss:baseline", "cis:5.2.11"], targets=WORKLOAD_KINDS,
        security_severity="8.5")
class HostPathVolume(Rule):
    """
    ## What it does
    Flags every `hostPath` volume of a pod (the Pod Security Standards' baseline "HostPath Volumes"
    control, which allows none), at its `path`. Paths that hand over the node are named in the
    message: the container runtime sockets (`docker.sock`, `containerd.sock`, `crio.sock`), `/`,
    `/etc`, `/proc`, `/sys`, `/dev`, `/var/run` and `/run`, `/var/lib/kubelet`, `/etc/kubernetes`,
    `/var/log`, `/root`, and any directory above one of them.

    ## Why is this bad?
    A hostPath volume gives the pod the node's own files. Through the runtime socket a pod starts a
    privileged container on the node; through `/var/lib/kubelet` or `/etc/kubernetes` it reads node
    and cluster credentials; through `/`, `/etc` or `/proc` it rewrites the node. Even a harmless
    directory lets pods on the same node share and tamper with each other's data, and ties the pod to
    one node. `readOnly` mounts still disclose everything under the path.

    ## How to fix
    Use `emptyDir` for scratch space, a `persistentVolumeClaim` for data, `configMap`/`secret`/
    `projected` volumes for configuration, and the Downward API for pod facts. Node agents that truly
    need node files belong in a namespace where the baseline profile is not enforced, with the
    narrowest path, `readOnly: true` on the mount, and this finding suppressed with a reason.

    ## References
    - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
    - https://kubernetes.io/docs/concepts/storage/volumes/#hostpath
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        for volume in volumes(doc):
            host_path = volume.data.get("hostPath")
            if host_path is None:
                continue
            label = volume.describe()
            node_path = host_path.get("path") if isinstance(host_path, dict) else None
            where = (*volume.path, "hostPath", "path")
            if not isinstance(node_path, str):
                yield Violation(where, f"{label} is a hostPath volume: replace it with an emptyDir, a "
                                       "persistentVolumeClaim or a configMap/secret volume")
                continue
            reason = why_sensitive(node_path)
            if reason:
                yield Violation(where, f"{label} mounts the node's {node_path} ({reason}): remove this "
                                       "hostPath volume")
            else:
                yield Violation(where, f"{label} mounts the node's {node_path}: replace the hostPath "
                                       "volume with an emptyDir, a persistentVolumeClaim or a configMap/secret volume")

