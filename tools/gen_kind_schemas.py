"""Write the strict JSON Schemas of cluster configuration kinds to ``schemas/kinds/<group>/<version>/<Kind>.json``.

The schemas transcribe the upstream Go types named in ``schemas/kinds/PROVENANCE.md``: every struct
is an object with ``additionalProperties: false`` (strict decoding rejects unknown fields), every
field accepts ``null`` (Go's JSON decoder leaves the zero value), durations and quantities are
strings. ``x-moved`` maps a field that an older version had to where it went, for the messages.

Run ``python tools/gen_kind_schemas.py`` after editing; ``tests/test_cluster_config.py`` checks that
the committed files match this script.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1] / "schemas" / "kinds"

Schema = dict[str, Any]


def _t(kind: str | list[str], **extra: Any) -> Schema:
    kinds = [kind] if isinstance(kind, str) else list(kind)
    return {"type": [*kinds, "null"], **extra}


STR = _t("string")
BOOL = _t("boolean")
INT = _t("integer")
NUM = _t("number")
DURATION = _t("string", description="a duration such as 30s or 5m0s")
QUANTITY = _t(["string", "integer", "number"], description="a resource quantity such as 100Mi")
# Flag values: Go reads them as strings; YAML numbers and booleans are accepted as written.
FLAG_VALUE = _t(["string", "integer", "number", "boolean"])
TYPE_META = {"apiVersion": STR, "kind": STR}
# Only audit Policy has ObjectMeta, but kubeadm's own conversions emit `metadata: {}` and the field
# never changes a component's behaviour, so every kind tolerates it.
OBJECT_META = _t("object", description="object metadata")


def obj(props: dict[str, Schema], **extra: Any) -> Schema:
    return _t("object", properties=props, additionalProperties=False, **extra)


def arr(items: Schema) -> Schema:
    return _t("array", items=items)


def smap(values: Schema = STR) -> Schema:
    return _t("object", additionalProperties=values)


def enum(*values: str) -> Schema:
    return _t("string", enum=[*values, None])


def kind_schema(group: str, version: str, kind: str, props: dict[str, Schema], source: str, **extra: Any) -> Schema:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://manifestlint.dev/schemas/kinds/{group}/{version}/{kind}.json",
        "title": f"{kind} ({group}/{version})",
        "description": f"Strict schema transcribed from {source}; see PROVENANCE.md.",
        "type": "object",
        "properties": {**TYPE_META, "metadata": OBJECT_META, **props},
        "additionalProperties": False,
        **extra,
    }


# --- shared Kubernetes types -----------------------------------------------------------------

TAINT = obj({"key": STR, "value": STR, "effect": enum("NoSchedule", "PreferNoSchedule", "NoExecute"),
             "timeAdded": STR})
ENV_VAR = obj({"name": STR, "value": STR, "valueFrom": _t("object")})

# --- kubeadm.k8s.io --------------------------------------------------------------------------

KUBEADM_SOURCE = "kubernetes cmd/kubeadm/app/apis/kubeadm/{v}/types.go"
BOOTSTRAP_TOKEN = obj({"token": STR, "description": STR, "ttl": DURATION, "expires": STR, "usages": arr(STR),
                       "groups": arr(STR)})
IMAGE_META = {"imageRepository": STR, "imageTag": STR}
HOST_PATH_MOUNT = obj({"name": STR, "hostPath": STR, "mountPath": STR, "readOnly": BOOL, "pathType": STR})
API_ENDPOINT = obj({"advertiseAddress": STR, "bindPort": INT})
PATCHES = obj({"directory": STR})
EXTERNAL_ETCD = obj({"endpoints": arr(STR), "caFile": STR, "certFile": STR, "keyFile": STR})
NETWORKING = obj({"serviceSubnet": STR, "podSubnet": STR, "dnsDomain": STR})


def kubeadm_v1beta3() -> dict[str, Schema]:
    extra_args = _t("object", additionalProperties=FLAG_VALUE,
                    description="a map of flag name (without dashes) to value in kubeadm.k8s.io/v1beta3")
    component = {"extraArgs": extra_args, "extraVolumes": arr(HOST_PATH_MOUNT)}
    node_registration = obj({"name": STR, "criSocket": STR, "taints": arr(TAINT), "kubeletExtraArgs": extra_args,
                             "ignorePreflightErrors": arr(STR),
                             "imagePullPolicy": enum("Always", "IfNotPresent", "Never")})
    discovery = obj({
        "bootstrapToken": obj({"token": STR, "apiServerEndpoint": STR, "caCertHashes": arr(STR),
                               "unsafeSkipCAVerification": BOOL}),
        "file": obj({"kubeConfigPath": STR}),
        "tlsBootstrapToken": STR,
        "timeout": DURATION,
    })
    source = KUBEADM_SOURCE.format(v="v1beta3")
    g, v = "kubeadm.k8s.io", "v1beta3"
    return {
        "InitConfiguration": kind_schema(g, v, "InitConfiguration", {
            "bootstrapTokens": arr(BOOTSTRAP_TOKEN), "nodeRegistration": node_registration,
            "localAPIEndpoint": API_ENDPOINT, "certificateKey": STR, "skipPhases": arr(STR), "patches": PATCHES,
        }, source),
        "ClusterConfiguration": kind_schema(g, v, "ClusterConfiguration", {
            "etcd": obj({"local": obj({**IMAGE_META, "dataDir": STR, "extraArgs": extra_args,
                                       "serverCertSANs": arr(STR), "peerCertSANs": arr(STR)}),
                         "external": EXTERNAL_ETCD}),
            "networking": NETWORKING,
            "kubernetesVersion": STR,
            "controlPlaneEndpoint": STR,
            "apiServer": obj({**component, "certSANs": arr(STR), "timeoutForControlPlane": DURATION}),
            "controllerManager": obj(component),
            "scheduler": obj(component),
            "dns": obj(IMAGE_META, **{"x-moved": {"type": "removed in kubeadm.k8s.io/v1beta3: CoreDNS is the only "
                                                          "DNS add-on"}}),
            "certificatesDir": STR,
            "imageRepository": STR,
            "featureGates": smap(BOOL),
            "clusterName": STR,
        }, source, **{"x-moved": {"useHyperKubeImage": "removed in kubeadm.k8s.io/v1beta3"}}),
        "JoinConfiguration": kind_schema(g, v, "JoinConfiguration", {
            "nodeRegistration": node_registration, "caCertPath": STR, "discovery": discovery,
            "controlPlane": obj({"localAPIEndpoint": API_ENDPOINT, "certificateKey": STR}),
            "skipPhases": arr(STR), "patches": PATCHES,
        }, source),
    }


def kubeadm_v1beta4() -> dict[str, Schema]:
    arg = obj({"name": STR, "value": FLAG_VALUE})
    extra_args = _t("array", items=arg,
                    description="a list of {name, value} in kubeadm.k8s.io/v1beta4 (a map in v1beta3)")
    component = {"extraArgs": extra_args, "extraVolumes": arr(HOST_PATH_MOUNT), "extraEnvs": arr(ENV_VAR)}
    timeouts = obj({"controlPlaneComponentHealthCheck": DURATION, "kubeletHealthCheck": DURATION,
                    "kubernetesAPICall": DURATION, "etcdAPICall": DURATION, "tlsBootstrap": DURATION,
                    "discovery": DURATION, "upgradeManifests": DURATION})
    node_registration = obj({"name": STR, "criSocket": STR, "taints": arr(TAINT), "kubeletExtraArgs": extra_args,
                             "ignorePreflightErrors": arr(STR),
                             "imagePullPolicy": enum("Always", "IfNotPresent", "Never"), "imagePullSerial": BOOL})
    discovery = obj({
        "bootstrapToken": obj({"token": STR, "apiServerEndpoint": STR, "caCertHashes": arr(STR),
                               "unsafeSkipCAVerification": BOOL}),
        "file": obj({"kubeConfigPath": STR}),
        "tlsBootstrapToken": STR,
    }, **{"x-moved": {"timeout": "moved to `timeouts.discovery` in kubeadm.k8s.io/v1beta4"}})
    source = KUBEADM_SOURCE.format(v="v1beta4")
    g, v = "kubeadm.k8s.io", "v1beta4"
    upgrade_common = {"dryRun": BOOL, "ignorePreflightErrors": arr(STR), "printConfig": BOOL}
    return {
        "InitConfiguration": kind_schema(g, v, "InitConfiguration", {
            "bootstrapTokens": arr(BOOTSTRAP_TOKEN), "dryRun": BOOL, "nodeRegistration": node_registration,
            "localAPIEndpoint": API_ENDPOINT, "certificateKey": STR, "skipPhases": arr(STR), "patches": PATCHES,
            "timeouts": timeouts,
        }, source),
        "ClusterConfiguration": kind_schema(g, v, "ClusterConfiguration", {
            "etcd": obj({"local": obj({**IMAGE_META, "dataDir": STR, "extraArgs": extra_args,
                                       "extraEnvs": arr(ENV_VAR), "serverCertSANs": arr(STR),
                                       "peerCertSANs": arr(STR)}),
                         "external": EXTERNAL_ETCD}),
            "networking": NETWORKING,
            "kubernetesVersion": STR,
            "controlPlaneEndpoint": STR,
            "apiServer": obj({**component, "certSANs": arr(STR)}, **{"x-moved": {
                "timeoutForControlPlane": "moved to `timeouts.controlPlaneComponentHealthCheck` of "
                                          "InitConfiguration and JoinConfiguration in kubeadm.k8s.io/v1beta4"}}),
            "controllerManager": obj(component),
            "scheduler": obj(component),
            "dns": obj({**IMAGE_META, "disabled": BOOL}),
            "proxy": obj({"disabled": BOOL}),
            "certificatesDir": STR,
            "imageRepository": STR,
            "featureGates": smap(BOOL),
            "clusterName": STR,
            "encryptionAlgorithm": enum("RSA-2048", "RSA-3072", "RSA-4096", "ECDSA-P256"),
            "certificateValidityPeriod": DURATION,
            "caCertificateValidityPeriod": DURATION,
        }, source),
        "JoinConfiguration": kind_schema(g, v, "JoinConfiguration", {
            "dryRun": BOOL, "nodeRegistration": node_registration, "caCertPath": STR, "discovery": discovery,
            "controlPlane": obj({"localAPIEndpoint": API_ENDPOINT, "certificateKey": STR}),
            "skipPhases": arr(STR), "patches": PATCHES, "timeouts": timeouts,
        }, source),
        "ResetConfiguration": kind_schema(g, v, "ResetConfiguration", {
            "cleanupTmpDir": BOOL, "certificatesDir": STR, "criSocket": STR, "dryRun": BOOL, "force": BOOL,
            "ignorePreflightErrors": arr(STR), "skipPhases": arr(STR), "unmountFlags": arr(STR),
            "timeouts": timeouts,
        }, source),
        "UpgradeConfiguration": kind_schema(g, v, "UpgradeConfiguration", {
            "apply": obj({"kubernetesVersion": STR, "allowExperimentalUpgrades": BOOL, "allowRCUpgrades": BOOL,
                          "certificateRenewal": BOOL, "etcdUpgrade": BOOL, "forceUpgrade": BOOL,
                          "patches": PATCHES, "imagePullPolicy": enum("Always", "IfNotPresent", "Never"),
                          "imagePullSerial": BOOL, "SkipPhases": arr(STR), "skipPhases": arr(STR),
                          **upgrade_common}),
            "diff": obj({"kubernetesVersion": STR, "contextLines": INT}),
            "node": obj({"certificateRenewal": BOOL, "etcdUpgrade": BOOL, "skipPhases": arr(STR),
                         "patches": PATCHES, "imagePullPolicy": enum("Always", "IfNotPresent", "Never"),
                         "imagePullSerial": BOOL, **upgrade_common}),
            "plan": obj({"kubernetesVersion": STR, "allowExperimentalUpgrades": BOOL, "allowRCUpgrades": BOOL,
                         **upgrade_common}),
            "timeouts": timeouts,
        }, source),
    }


# --- kubelet.config.k8s.io -------------------------------------------------------------------


def kubelet_v1beta1() -> dict[str, Schema]:
    source = "kubernetes staging/src/k8s.io/kubelet/config/v1beta1/types.go"
    logging = obj({"format": STR, "flushFrequency": _t(["string", "integer"]), "verbosity": INT,
                   "vmodule": arr(obj({"filePattern": STR, "verbosity": INT})),
                   "options": obj({"json": obj({"infoBufferSize": QUANTITY, "splitStream": BOOL}),
                                   "text": obj({"infoBufferSize": QUANTITY, "splitStream": BOOL})})})
    props: dict[str, Schema] = {
        "enableServer": BOOL, "staticPodPath": STR, "podLogsDir": STR, "syncFrequency": DURATION,
        "fileCheckFrequency": DURATION, "httpCheckFrequency": DURATION, "staticPodURL": STR,
        "staticPodURLHeader": smap(arr(STR)), "address": STR, "port": INT, "readOnlyPort": INT,
        "tlsCertFile": STR, "tlsPrivateKeyFile": STR, "tlsCipherSuites": arr(STR), "tlsCurvePreferences": arr(INT),
        "tlsMinVersion": STR, "rotateCertificates": BOOL, "serverTLSBootstrap": BOOL,
        "authentication": obj({
            "x509": obj({"clientCAFile": STR}),
            "webhook": obj({"enabled": BOOL, "cacheTTL": DURATION}),
            "anonymous": obj({"enabled": BOOL}),
        }),
        "authorization": obj({
            "mode": enum("AlwaysAllow", "Webhook"),
            "webhook": obj({"cacheAuthorizedTTL": DURATION, "cacheUnauthorizedTTL": DURATION}),
        }),
        "registryPullQPS": INT, "registryBurst": INT,
        "imagePullCredentialsVerificationPolicy": enum("NeverVerify", "NeverVerifyPreloadedImages",
                                                       "NeverVerifyAllowlistedImages", "AlwaysVerify"),
        "preloadedImagesVerificationAllowlist": arr(STR),
        "eventRecordQPS": INT, "eventBurst": INT, "enableDebuggingHandlers": BOOL, "enableContentionProfiling": BOOL,
        "healthzPort": INT, "healthzBindAddress": STR, "oomScoreAdj": INT, "clusterDomain": STR,
        "clusterDNS": arr(STR), "streamingConnectionIdleTimeout": DURATION, "nodeStatusUpdateFrequency": DURATION,
        "nodeStatusReportFrequency": DURATION, "nodeLeaseDurationSeconds": INT, "imageMinimumGCAge": DURATION,
        "imageMaximumGCAge": DURATION, "imageGCHighThresholdPercent": INT, "imageGCLowThresholdPercent": INT,
        "volumeStatsAggPeriod": DURATION, "kubeletCgroups": STR, "systemCgroups": STR, "cgroupRoot": STR,
        "cgroupsPerQOS": BOOL, "cgroupDriver": STR, "cpuManagerPolicy": STR, "singleProcessOOMKill": BOOL,
        "cpuManagerPolicyOptions": smap(), "cpuManagerReconcilePeriod": DURATION,
        "draManagerReconcilePeriod": DURATION, "memoryManagerPolicy": STR, "topologyManagerPolicy": STR,
        "topologyManagerScope": STR, "topologyManagerPolicyOptions": smap(), "qosReserved": smap(),
        "runtimeRequestTimeout": DURATION, "hairpinMode": STR, "maxPods": INT, "podCIDR": STR,
        "podPidsLimit": INT, "resolvConf": STR, "runOnce": BOOL, "cpuCFSQuota": BOOL, "cpuCFSQuotaPeriod": DURATION,
        "nodeStatusMaxImages": INT, "maxOpenFiles": INT, "contentType": STR, "kubeAPIQPS": INT, "kubeAPIBurst": INT,
        "serializeImagePulls": BOOL, "maxParallelImagePulls": INT, "evictionHard": smap(QUANTITY),
        "evictionSoft": smap(QUANTITY), "evictionSoftGracePeriod": smap(DURATION),
        "evictionPressureTransitionPeriod": DURATION, "evictionMaxPodGracePeriod": INT,
        "evictionMinimumReclaim": smap(QUANTITY), "mergeDefaultEvictionSettings": BOOL, "podsPerCore": INT,
        "enableControllerAttachDetach": BOOL, "protectKernelDefaults": BOOL, "makeIPTablesUtilChains": BOOL,
        "iptablesMasqueradeBit": INT, "iptablesDropBit": INT, "featureGates": smap(BOOL), "failSwapOn": BOOL,
        "memorySwap": obj({"swapBehavior": STR}), "containerLogMaxSize": QUANTITY, "containerLogMaxFiles": INT,
        "containerLogMaxWorkers": INT, "containerLogMonitorInterval": DURATION,
        "configMapAndSecretChangeDetectionStrategy": enum("Get", "Cache", "Watch"),
        "systemReserved": smap(QUANTITY), "kubeReserved": smap(QUANTITY), "reservedSystemCPUs": STR,
        "showHiddenMetricsForVersion": STR, "systemReservedCgroup": STR, "kubeReservedCgroup": STR,
        "enforceNodeAllocatable": arr(STR), "allowedUnsafeSysctls": arr(STR), "volumePluginDir": STR,
        "providerID": STR, "kernelMemcgNotification": BOOL, "logging": logging, "enableSystemLogHandler": BOOL,
        "enableSystemLogQuery": BOOL, "shutdownGracePeriod": DURATION, "shutdownGracePeriodCriticalPods": DURATION,
        "shutdownGracePeriodByPodPriority": arr(obj({"priority": INT, "shutdownGracePeriodSeconds": INT})),
        "crashLoopBackOff": obj({"maxContainerRestartPeriod": DURATION}),
        "reservedMemory": arr(obj({"numaNode": INT, "limits": smap(QUANTITY)})),
        "enableProfilingHandler": BOOL, "enableDebugFlagsHandler": BOOL, "seccompDefault": BOOL,
        "memoryThrottlingFactor": NUM, "memoryReservationPolicy": enum("None", "TieredReservation"),
        "registerWithTaints": arr(TAINT), "registerNode": BOOL,
        "tracing": obj({"endpoint": STR, "samplingRatePerMillion": INT}),
        "localStorageCapacityIsolation": BOOL, "containerRuntimeEndpoint": STR, "imageServiceEndpoint": STR,
        "failCgroupV1": BOOL, "userNamespaces": obj({"idsPerPod": INT}),
    }
    return {"KubeletConfiguration": kind_schema("kubelet.config.k8s.io", "v1beta1", "KubeletConfiguration", props,
                                                source)}


# --- apiserver.config.k8s.io, audit.k8s.io, pod-security ------------------------------------

KEYS = arr(obj({"name": STR, "secret": STR}))


def apiserver_v1() -> dict[str, Schema]:
    g, v = "apiserver.config.k8s.io", "v1"
    provider = obj({
        "aesgcm": obj({"keys": KEYS}),
        "aescbc": obj({"keys": KEYS}),
        "secretbox": obj({"keys": KEYS}),
        "identity": obj({}),
        "kms": obj({"apiVersion": enum("v1", "v2"), "name": STR, "cachesize": INT, "endpoint": STR,
                    "timeout": DURATION}),
    })
    return {
        "EncryptionConfiguration": kind_schema(g, v, "EncryptionConfiguration", {
            "resources": arr(obj({"resources": arr(STR), "providers": arr(provider)})),
        }, "kubernetes staging/src/k8s.io/apiserver/pkg/apis/apiserver/v1/types_encryption.go"),
        "AdmissionConfiguration": kind_schema(g, v, "AdmissionConfiguration", {
            "plugins": arr(obj({"name": STR, "path": STR, "configuration": _t("object")})),
        }, "kubernetes staging/src/k8s.io/apiserver/pkg/apis/apiserver/v1/types.go"),
        "AuthorizationConfiguration": authorization_configuration(g, v),
    }


def authorization_configuration(group: str, version: str) -> Schema:
    webhook = obj({
        "authorizedTTL": DURATION, "unauthorizedTTL": DURATION, "timeout": DURATION,
        "subjectAccessReviewVersion": enum("v1", "v1beta1"), "matchConditionSubjectAccessReviewVersion": enum("v1"),
        "failurePolicy": enum("NoOpinion", "Deny"),
        "connectionInfo": obj({"type": enum("KubeConfigFile", "InClusterConfig"), "kubeConfigFile": STR}),
        "matchConditions": arr(obj({"expression": STR})),
        "cacheAuthorizedRequests": BOOL, "cacheUnauthorizedRequests": BOOL,
    })
    return kind_schema(group, version, "AuthorizationConfiguration", {
        "authorizers": arr(obj({"type": STR, "name": STR, "webhook": webhook})),
    }, f"kubernetes staging/src/k8s.io/apiserver/pkg/apis/apiserver/{version}/types.go")


def audit_v1() -> dict[str, Schema]:
    stage = enum("RequestReceived", "ResponseStarted", "ResponseComplete", "Panic")
    level = enum("None", "Metadata", "Request", "RequestResponse")
    rule = obj({
        "level": level, "users": arr(STR), "userGroups": arr(STR), "verbs": arr(STR),
        "resources": arr(obj({"group": STR, "resources": arr(STR), "resourceNames": arr(STR)})),
        "namespaces": arr(STR), "nonResourceURLs": arr(STR), "omitStages": arr(stage), "omitManagedFields": BOOL,
    })
    return {"Policy": kind_schema("audit.k8s.io", "v1", "Policy", {
        "rules": arr(rule), "omitStages": arr(stage), "omitManagedFields": BOOL,
    }, "kubernetes staging/src/k8s.io/apiserver/pkg/apis/audit/v1/types.go")}


def pod_security(version: str) -> dict[str, Schema]:
    level = enum("privileged", "baseline", "restricted")
    return {"PodSecurityConfiguration": kind_schema("pod-security.admission.config.k8s.io", version,
                                                    "PodSecurityConfiguration", {
        "defaults": obj({"enforce": level, "enforce-version": STR, "audit": level, "audit-version": STR,
                         "warn": level, "warn-version": STR}),
        "exemptions": obj({"usernames": arr(STR), "namespaces": arr(STR), "runtimeClasses": arr(STR)}),
    }, f"kubernetes staging/src/k8s.io/pod-security-admission/admission/api/{version}/types.go")}


def all_schemas() -> dict[tuple[str, str, str], Schema]:
    found: dict[tuple[str, str, str], Schema] = {}
    groups = [
        ("kubeadm.k8s.io", "v1beta3", kubeadm_v1beta3()),
        ("kubeadm.k8s.io", "v1beta4", kubeadm_v1beta4()),
        ("kubelet.config.k8s.io", "v1beta1", kubelet_v1beta1()),
        ("apiserver.config.k8s.io", "v1", apiserver_v1()),
        ("apiserver.config.k8s.io", "v1beta1",
         {"AuthorizationConfiguration": authorization_configuration("apiserver.config.k8s.io", "v1beta1")}),
        ("audit.k8s.io", "v1", audit_v1()),
        ("pod-security.admission.config.k8s.io", "v1", pod_security("v1")),
        ("pod-security.admission.config.k8s.io", "v1beta1", pod_security("v1beta1")),
    ]
    for group, version, kinds in groups:
        for kind, schema in kinds.items():
            found[(group, version, kind)] = schema
    return found


def render(schema: Schema) -> str:
    return json.dumps(schema, indent=1, sort_keys=False) + "\n"


def main(argv: list[str]) -> int:
    for (group, version, kind), schema in all_schemas().items():
        path = ROOT / group / version / f"{kind}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(schema), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
