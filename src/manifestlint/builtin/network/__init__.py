"""Built-in plugin: network isolation across the whole input (ML601-ML617).

Default-deny per namespace, pods no policy selects, open ingress and egress rules (internal
networks, the Internet, the cloud metadata endpoint), hostNetwork pods, shared cloud identities,
kube-system, dangling policies, Services and Ingresses, TLS, and the service mesh.
"""

from __future__ import annotations

from collections.abc import Sequence

from manifestlint.hookspecs import hookimpl
from manifestlint.rule import Rule


@hookimpl
def manifestlint_rules() -> Sequence[type[Rule]]:
    from manifestlint.builtin.network.cloud_identity import SharedCloudIdentity
    from manifestlint.builtin.network.dangling import (
        IngressBackendMissing,
        NetworkPolicySelectsNothing,
        ServiceSelectsNoPods,
    )
    from manifestlint.builtin.network.default_deny import (
        NamespaceWithoutDefaultDenyEgress,
        NamespaceWithoutDefaultDenyIngress,
    )
    from manifestlint.builtin.network.egress import EgressToInternalNetworks, EgressToInternet, EgressToMetadataEndpoint
    from manifestlint.builtin.network.host_network import HostNetworkPodBypassesPolicy
    from manifestlint.builtin.network.kube_system import KubeSystemIngressOpen
    from manifestlint.builtin.network.mesh import MeshMtlsNotStrict, NamespaceWithoutMeshInjection
    from manifestlint.builtin.network.open_ingress import IngressFromAnywhere
    from manifestlint.builtin.network.tls import IngressWithoutTLS, ServiceExposesPlainHTTP
    from manifestlint.builtin.network.unselected_pods import PodNotSelectedByIngressPolicy

    return [NamespaceWithoutDefaultDenyIngress, NamespaceWithoutDefaultDenyEgress, PodNotSelectedByIngressPolicy,
            IngressFromAnywhere, EgressToInternalNetworks, EgressToInternet, EgressToMetadataEndpoint,
            HostNetworkPodBypassesPolicy, SharedCloudIdentity, KubeSystemIngressOpen, NetworkPolicySelectsNothing,
            ServiceSelectsNoPods, IngressBackendMissing, IngressWithoutTLS, ServiceExposesPlainHTTP,
            NamespaceWithoutMeshInjection, MeshMtlsNotStrict]
