"""Built-in plugin: cluster configuration files (kubeadm, kubelet, control-plane static pods, encryption, audit).

Checklist items CS-1, CS-2, CS-3, CS-5, MS-2, MS-3 and the related RA-5, MS-1, WL-5 and OP-3
evidence. See ``docs/config-files.md`` for which rules read which input and how defaults resolve.
"""

from __future__ import annotations

from collections.abc import Sequence

from manifestlint.hookspecs import hookimpl
from manifestlint.rule import Rule


@hookimpl
def manifestlint_rules() -> Sequence[type[Rule]]:
    from manifestlint.builtin.cluster_config import (
        admission,
        apiserver,
        audit,
        encryption,
        etcd,
        kubelet_rules,
        links,
        schema_rules,
        tls,
    )

    return [
        schema_rules.ConfigVersionUnsupported, schema_rules.UnknownConfigKind, schema_rules.UnknownConfigField,
        schema_rules.InvalidConfigValue, links.BooleanFlagValueIgnored,
        apiserver.ApiserverAuthorizationMode, admission.AuthorizationConfigMissingNodeRbac,
        apiserver.ApiserverAnonymousAuth, apiserver.ApiserverTokenAuthFile, apiserver.ApiserverNodeRestriction,
        apiserver.ApiserverAdmissionWeakened, apiserver.ComponentProfilingEnabled,
        apiserver.PodSecurityDefaultsMissing, admission.PodSecurityDefaultPrivileged,
        tls.ApiserverServingTls, tls.ApiserverClientCa, tls.ApiserverKubeletClientCert, tls.ApiserverKubeletCa,
        tls.ApiserverEtcdTls, tls.WeakTlsSettings, tls.ComponentBindAddressExposed,
        etcd.EtcdClientTls, etcd.EtcdClientCertAuth, etcd.EtcdAutoTls, etcd.EtcdPeerTls, etcd.EtcdPeerClientCertAuth,
        etcd.EtcdTrustedCa, etcd.EtcdPlaintextUrl, etcd.KubeadmExternalEtcdTls, etcd.EtcdNotDedicated,
        kubelet_rules.KubeletAnonymousAuth, kubelet_rules.KubeletAuthorizationAlwaysAllow,
        kubelet_rules.KubeletWebhookAuthentication, kubelet_rules.KubeletClientCa, kubelet_rules.KubeletReadOnlyPort,
        kubelet_rules.KubeletServingCertSelfSigned, kubelet_rules.KubeletCertificateRotation,
        kubelet_rules.KubeletIptablesUtilChains, kubelet_rules.KubeletKernelDefaults,
        kubelet_rules.KubeletSeccompDefault, kubelet_rules.KubeletPodPidsUnlimited,
        audit.ApiserverAuditDisabled, audit.ApiserverAuditRetention, audit.AuditPolicyDropsEverything,
        audit.AuditPolicySkipsRbac, audit.AuditPolicyOmitsDecisions,
        encryption.ApiserverEncryptionDisabled, encryption.EncryptionSecretsNotCovered,
        encryption.EncryptionIdentityFirst, encryption.EncryptionAesgcmWrite, encryption.EncryptionKmsV1,
        links.ConfigFileUnlinked, links.ConfigFileNotMounted,
    ]
