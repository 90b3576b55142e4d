"""ML570-ML574: encryption of Secrets at rest, from the API server flag and the EncryptionConfiguration.

The API server picks, for each resource, the first ``resources[]`` entry that lists it (by name,
``secrets``; or by wildcard, ``*.`` for the core group and ``*.*`` for everything). That entry's
first provider encrypts new writes; the others only decrypt. Messages name provider types and
positions, never key names or key material.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from manifestlint.builtin.cluster_config.base import COMPONENT_KINDS, OBJECT_AND_CONFIG, ComponentRule, flag_set_hint
from manifestlint.document import Document
from manifestlint.fix.edits import Fix, MoveItem
from manifestlint.k8s.components import APISERVER, ComponentConfig
from manifestlint.positions import FieldPath
from manifestlint.rule import Context, Rule, Violation, define

ENCRYPTION_KINDS = frozenset({"EncryptionConfiguration", "EncryptionConfig"})
_SECRET_NAMES = frozenset({"secrets", "secrets.", "*.", "*.*"})
_PROVIDERS = ("aesgcm", "aescbc", "secretbox", "identity", "kms")


@define(id="ML570", name="apiserver-encryption-disabled", title="Secrets are stored unencrypted in etcd",
        severity="warning", checklist=["MS-2"], tags=["security", "cis:1.2.27"], security_severity="7.0",
        targets=COMPONENT_KINDS, categories=OBJECT_AND_CONFIG)
class ApiserverEncryptionDisabled(ComponentRule):
    """
    ## What it does
    Reports a kube-apiserver without `--encryption-provider-config`. kubeadm does not set it.

    ## Why is this bad?
    Secrets are then written to etcd in clear text: anyone with a copy of etcd's data directory or a
    backup reads every token, password and key of the cluster.

    ## How to fix
    Write an EncryptionConfiguration whose first provider for `secrets` is `kms` (apiVersion v2) or
    `secretbox`/`aescbc`, pass it with `--encryption-provider-config` (mounted into the pod; with
    kubeadm through `apiServer.extraVolumes`), then rewrite existing Secrets.

    ## References
    - https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/
    """

    components = frozenset({APISERVER})

    def judge(self, config: ComponentConfig, ctx: Context) -> Iterator[Violation]:
        if not config.value("encryption-provider-config"):
            yield Violation(config.anchor, f"{config.where} has no `--encryption-provider-config`, so Secrets are "
                            "stored in etcd in clear text: add an EncryptionConfiguration with "
                            + flag_set_hint(config, "encryption-provider-config", "/etc/kubernetes/enc/config.yaml"))


def entries(doc: Document) -> list[tuple[int, list[Any], list[Any]]]:
    """``(index, resource names, providers)`` of each entry of an encryption configuration."""
    found = []
    resources = doc.get(("resources",))
    for i, entry in enumerate(resources if isinstance(resources, list) else []):
        if isinstance(entry, dict):
            names = entry.get("resources")
            providers = entry.get("providers")
            found.append((i, names if isinstance(names, list) else [],
                          providers if isinstance(providers, list) else []))
    return found


def secrets_entry(doc: Document) -> tuple[int, list[Any]] | None:
    """The entry that decides how Secrets are written: the first that lists them."""
    for index, names, providers in entries(doc):
        if any(isinstance(n, str) and n in _SECRET_NAMES for n in names):
            return index, providers
    return None


def provider_type(provider: Any) -> str | None:
    if isinstance(provider, dict):
        return next((key for key in _PROVIDERS if key in provider), None)
    return None


def _applies(doc: Document) -> bool:
    return doc.kind in ENCRYPTION_KINDS and (doc.api_group == "apiserver.config.k8s.io" or doc.api_version == "v1")


_TARGET = {"targets": ENCRYPTION_KINDS, "categories": OBJECT_AND_CONFIG}


@define(id="ML571", name="encryption-secrets-not-covered", title="Encryption configuration does not cover Secrets",
        severity="error", checklist=["MS-2"], tags=["security"], security_severity="7.5", **_TARGET)
class EncryptionSecretsNotCovered(Rule):
    """
    ## What it does
    Reports an EncryptionConfiguration in which no `resources[]` entry lists `secrets` (or a
    wildcard that includes them, `*.` or `*.*`).

    ## Why is this bad?
    The API server encrypts only what the file lists: Secrets stay in clear text in etcd although
    encryption at rest looks configured.

    ## How to fix
    Add `secrets` to the `resources` of an entry whose first provider encrypts.

    ## References
    - https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/#understanding-the-encryption-at-rest-configuration
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        if _applies(doc) and secrets_entry(doc) is None:
            yield Violation(("resources",), "no entry lists `secrets` (or `*.`/`*.*`), so Secrets are stored "
                            "unencrypted: add `secrets` to an entry whose first provider encrypts")


@define(id="ML572", name="encryption-identity-first", title="Secrets are written with the identity provider",
        severity="error", checklist=["MS-2"], tags=["security", "cis:1.2.28"], security_severity="7.5", fixable=True,
        fix_note="moves `identity` to the end of the providers when an encrypting provider (kms, secretbox, aescbc) "
                 "follows it; rewrite the Secrets afterwards", **_TARGET)
class EncryptionIdentityFirst(Rule):
    """
    ## What it does
    Reports an EncryptionConfiguration whose entry for Secrets has `identity` as its first provider
    (or no provider at all). The first provider encrypts every new write; `identity` stores data as
    is. An `identity` entry for other resources (to exclude `events` from a wildcard, say) is fine.

    ## Why is this bad?
    The file looks like encryption at rest while Secrets are written in clear text. `identity` is only
    useful after the real provider, so that old unencrypted data can still be read during migration.

    ## How to fix
    Put `kms` (apiVersion v2), `secretbox` or `aescbc` first and keep `identity` last, then rewrite
    all Secrets (`kubectl get secrets -A -o json | kubectl replace -f -`).

    ## References
    - https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/#providers
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        found = secrets_entry(doc) if _applies(doc) else None
        if found is None:
            return
        index, providers = found
        if not providers:
            yield Violation(("resources", index), f"entry {index + 1} lists Secrets but has no providers: add an "
                            "encrypting provider first")
        elif provider_type(providers[0]) == "identity":
            path: FieldPath = ("resources", index, "providers", 0, "identity")
            fix = None
            if len(providers) > 1 and provider_type(providers[1]) in ("kms", "secretbox", "aescbc"):
                fix = Fix("move identity last", (MoveItem(("resources", index, "providers"), 0),))
            yield Violation(path, "the first provider for Secrets is identity, so they are written unencrypted: put "
                            "kms (v2), secretbox or aescbc first and keep identity last", fix=fix)


@define(id="ML573", name="encryption-aesgcm-write", title="aesgcm encrypts writes and needs frequent key rotation",
        severity="warning", checklist=["MS-2"], tags=["security"], security_severity="4.0", **_TARGET)
class EncryptionAesgcmWrite(Rule):
    """
    ## What it does
    Reports an entry whose first (writing) provider is `aesgcm`.

    ## Why is this bad?
    AES-GCM with a static key is safe only for a limited number of writes: Kubernetes asks for the key
    to be rotated every 200,000 writes, which few clusters track; a reused nonce after that breaks
    both confidentiality and integrity. The key also sits in the file on every control-plane node.

    ## How to fix
    Prefer `kms` with `apiVersion: v2` (keys in a KMS, automatic rotation); otherwise `secretbox`. If
    `aesgcm` must stay, automate key rotation.

    ## References
    - https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/#providers
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        if not _applies(doc):
            return
        for index, _, providers in entries(doc):
            if providers and provider_type(providers[0]) == "aesgcm":
                yield Violation(("resources", index, "providers", 0, "aesgcm"), f"entry {index + 1} writes with "
                                "aesgcm, whose key must be rotated every 200,000 writes: prefer kms (apiVersion v2) or "
                                "secretbox, or automate rotation")


@define(id="ML574", name="encryption-kms-v1", title="Encryption uses the deprecated KMS v1 API", severity="warning",
        checklist=["MS-2"], tags=["security"], security_severity="4.0", **_TARGET)
class EncryptionKmsV1(Rule):
    """
    ## What it does
    Reports `kms` providers without `apiVersion: v2` (the default is v1).

    ## Why is this bad?
    KMS v1 is deprecated since Kubernetes 1.28 and disabled by default since 1.29 (feature gate
    `KMSv1`): an API server upgraded with this file fails to read its data. v1 also calls the KMS on
    every read, which is slow and fragile.

    ## How to fix
    Move to a KMS v2 plugin and set `apiVersion: v2`; keep the v1 provider after it only until all
    data has been rewritten.

    ## References
    - https://kubernetes.io/docs/tasks/administer-cluster/kms-provider/
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        if not _applies(doc):
            return
        for index, _, providers in entries(doc):
            for p, provider in enumerate(providers):
                kms = provider.get("kms") if isinstance(provider, dict) else None
                if not isinstance(kms, dict) or kms.get("apiVersion", "v1") != "v1":
                    continue
                path: FieldPath = ("resources", index, "providers", p, "kms")
                if "apiVersion" in kms:
                    path = (*path, "apiVersion")
                yield Violation(path, "this kms provider uses the KMS v1 API (deprecated, off by default since "
                                "Kubernetes 1.29): move to a KMS v2 plugin with `apiVersion: v2`")
