"""Which cluster configuration kinds and versions exist, and their strict schemas.

Schemas live in ``schemas/kinds/<group>/<version>/<Kind>.json`` (see ``PROVENANCE.md`` there) and are
compiled with jsonschema-rs once per kind and process, so validating a document costs microseconds.
"""

from __future__ import annotations

import difflib
import functools
import json
from dataclasses import dataclass
from typing import Any

import jsonschema_rs

from manifestlint._resources import data_dir
from manifestlint.model import Severity

# group/version -> (kinds that exist in it, whether that list is complete).
KNOWN: dict[tuple[str, str], tuple[frozenset[str], bool]] = {
    ("kubeadm.k8s.io", "v1beta3"): (frozenset({"InitConfiguration", "ClusterConfiguration", "JoinConfiguration"}),
                                    True),
    ("kubeadm.k8s.io", "v1beta4"): (frozenset({"InitConfiguration", "ClusterConfiguration", "JoinConfiguration",
                                               "ResetConfiguration", "UpgradeConfiguration"}), True),
    ("kubelet.config.k8s.io", "v1beta1"): (frozenset({"KubeletConfiguration", "CredentialProviderConfig",
                                                      "SerializedNodeConfigSource", "ImagePullIntent",
                                                      "ImagePulledRecord"}), True),
    ("kubelet.config.k8s.io", "v1"): (frozenset({"CredentialProviderConfig"}), True),
    ("apiserver.config.k8s.io", "v1"): (frozenset({"EncryptionConfiguration", "AdmissionConfiguration",
                                                   "AuthorizationConfiguration", "AuthenticationConfiguration",
                                                   "TracingConfiguration", "EgressSelectorConfiguration"}), False),
    ("apiserver.config.k8s.io", "v1beta1"): (frozenset({"AuthorizationConfiguration", "AuthenticationConfiguration",
                                                        "TracingConfiguration", "EgressSelectorConfiguration"}), False),
    ("audit.k8s.io", "v1"): (frozenset({"Policy", "PolicyList", "Event", "EventList"}), True),
    ("pod-security.admission.config.k8s.io", "v1"): (frozenset({"PodSecurityConfiguration"}), True),
    ("pod-security.admission.config.k8s.io", "v1beta1"): (frozenset({"PodSecurityConfiguration"}), True),
}
# Groups whose every version manifestlint knows: another version there is a finding.
COMPLETE_GROUPS = frozenset({"kubeadm.k8s.io", "kubelet.config.k8s.io", "audit.k8s.io",
                             "pod-security.admission.config.k8s.io"})


@dataclass(frozen=True, slots=True)
class VersionStatus:
    """A configuration version that is gone or going, and what to use instead."""

    severity: Severity
    status: str
    replacement: str


_KUBEADM_GONE = "no longer read by kubeadm 1.{v} and later"
VERSIONS: dict[tuple[str, str], VersionStatus] = {
    **{("kubeadm.k8s.io", v): VersionStatus(Severity.ERROR, "removed from kubeadm long ago", "kubeadm.k8s.io/v1beta4")
       for v in ("v1alpha1", "v1alpha2", "v1alpha3")},
    ("kubeadm.k8s.io", "v1beta1"): VersionStatus(Severity.ERROR, _KUBEADM_GONE.format(v=22), "kubeadm.k8s.io/v1beta4"),
    ("kubeadm.k8s.io", "v1beta2"): VersionStatus(Severity.ERROR, _KUBEADM_GONE.format(v=27), "kubeadm.k8s.io/v1beta4"),
    ("kubeadm.k8s.io", "v1beta3"): VersionStatus(Severity.WARNING, "deprecated since kubeadm 1.31 and due for "
                                                 "removal", "kubeadm.k8s.io/v1beta4"),
    ("audit.k8s.io", "v1alpha1"): VersionStatus(Severity.ERROR, "removed in Kubernetes 1.24", "audit.k8s.io/v1"),
    ("audit.k8s.io", "v1beta1"): VersionStatus(Severity.ERROR, "removed in Kubernetes 1.24", "audit.k8s.io/v1"),
    ("kubescheduler.config.k8s.io", "v1alpha1"): VersionStatus(Severity.ERROR, "removed in Kubernetes 1.19",
                                                               "kubescheduler.config.k8s.io/v1"),
    ("kubescheduler.config.k8s.io", "v1alpha2"): VersionStatus(Severity.ERROR, "removed",
                                                               "kubescheduler.config.k8s.io/v1"),
    ("kubescheduler.config.k8s.io", "v1beta1"): VersionStatus(Severity.ERROR, "removed in Kubernetes 1.23",
                                                              "kubescheduler.config.k8s.io/v1"),
    ("kubescheduler.config.k8s.io", "v1beta2"): VersionStatus(Severity.ERROR, "removed in Kubernetes 1.28",
                                                              "kubescheduler.config.k8s.io/v1"),
    ("kubescheduler.config.k8s.io", "v1beta3"): VersionStatus(Severity.ERROR, "removed in Kubernetes 1.29",
                                                              "kubescheduler.config.k8s.io/v1"),
    ("apiserver.k8s.io", "v1alpha1"): VersionStatus(Severity.WARNING, "a legacy group kept for compatibility",
                                                    "apiserver.config.k8s.io/v1"),
    ("", "v1"): VersionStatus(Severity.WARNING, "the pre-1.13 encryption configuration format",
                              "apiserver.config.k8s.io/v1 with kind EncryptionConfiguration"),
}
LEGACY_ENCRYPTION_KIND = "EncryptionConfig"
# kubeadm kinds of old versions and what replaced them.
RENAMED_KINDS = {"MasterConfiguration": "InitConfiguration and ClusterConfiguration",
                 "NodeConfiguration": "JoinConfiguration"}


def version_status(group: str, version: str, kind: str) -> VersionStatus | None:
    """Why a document's apiVersion is a problem, if it is."""
    if group == "" and kind != LEGACY_ENCRYPTION_KIND:
        return None
    return VERSIONS.get((group, version))


def known_kinds(group: str, version: str) -> tuple[frozenset[str], bool] | None:
    return KNOWN.get((group, version))


def versions_of(group: str) -> list[str]:
    return sorted(v for g, v in KNOWN if g == group)


def close_match(name: str, candidates: Any) -> str | None:
    """The candidate a misspelt name most likely meant: same letters in another case first."""
    names = [c for c in candidates if isinstance(c, str)]
    folded = [c for c in names if c.lower() == name.lower()]
    if folded:
        return folded[0]
    found = difflib.get_close_matches(name, names, n=1, cutoff=0.75)
    return found[0] if found else None


@functools.cache
def schema(group: str, version: str, kind: str) -> dict[str, Any] | None:
    path = data_dir("schemas") / "kinds" / group / version / f"{kind}.json"
    if not path.is_file():
        return None
    with open(path, encoding="utf-8") as handle:
        loaded: dict[str, Any] = json.load(handle)
    return loaded


@functools.cache
def validator(group: str, version: str, kind: str) -> Any:
    """The compiled jsonschema-rs validator of a kind, or None when manifestlint has no schema for it."""
    found = schema(group, version, kind)
    return jsonschema_rs.validator_for(found) if found is not None else None
