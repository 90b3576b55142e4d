"""ML303: Secret objects whose values are committed with the manifest."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator

from manifestlint.builtin.identity.secret_names import obvious_placeholder
from manifestlint.document import Document
from manifestlint.rule import Context, Rule, Violation, define

# A value made only of public PEM blocks (a CA bundle, a certificate, DH parameters) is not a secret.
_PUBLIC_PEM = r"(?:CERTIFICATE|TRUSTED CERTIFICATE|X509 CRL|PUBLIC KEY|DH PARAMETERS)"
_PUBLIC_ONLY = re.compile(
    rf"\A\s*(?:-----BEGIN (?P<type>{_PUBLIC_PEM})-----[A-Za-z0-9+/=\s]+-----END (?P=type)-----\s*)+\Z")


@define(id="ML303", name="secret-in-manifest", title="Secret values committed in the manifest", severity="error",
        checklist=["MS-2"], tags=["security", "cis:5.4.2"], targets=["Secret"], security_severity="7.5")
class SecretInManifest(Rule):
    """
    ## What it does
    Flags every non-empty entry of a Secret's `data` and `stringData`, each at its key's line. Entries
    that hold only public PEM blocks (certificates, public keys, DH parameters) or an obvious placeholder
    (`<password>`, `changeme`, `...base64 encoded data...`, `$(VAR)`) are left alone, and so are Secrets
    without entries (e.g. a `kubernetes.io/service-account-token` Secret that the token controller fills).
    The value itself is never shown.

    ## Why is this bad?
    `data` is base64, an encoding that anyone can reverse, not encryption; `stringData` is the value
    itself. Once committed, the secret lives in the repository's history, its clones, CI logs and every
    rendered copy, readable by everyone with read access, and it cannot be un-leaked, only rotated.
    Encryption at rest in etcd does not help a value that is already in Git.

    ## How to fix
    Keep secret values out of the manifests: commit a SealedSecret (Bitnami sealed-secrets), an
    ExternalSecret (External Secrets Operator, backed by Vault or a cloud secret manager) or a
    SOPS-encrypted file instead, or create the Secret at deploy time (`kubectl create secret`, a CI
    step). Rotate any value that was committed.

    ## References
    - https://kubernetes.io/docs/concepts/security/secrets-good-practices/
    - https://github.com/bitnami-labs/sealed-secrets
    - https://external-secrets.io/
    - https://github.com/getsops/sops
    - CIS Kubernetes Benchmark 5.4.2: Consider external secret storage
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        if doc.api_version != "v1":
            return
        for field, encoded in (("data", True), ("stringData", False)):
            entries = doc.data.get(field)
            if not isinstance(entries, dict):
                continue
            for key, value in entries.items():
                if not _holds_secret(value, encoded):
                    continue
                how = "base64 is an encoding, not encryption" if encoded else "stringData is the value itself"
                yield Violation((field, key),
                                f"Secret key {str(key)!r} is committed in plain text ({how}): keep the value out of "
                                "the repository with sealed-secrets, external-secrets or SOPS, or create the Secret "
                                "at deploy time, and rotate it")


def _holds_secret(value: object, encoded: bool) -> bool:
    if value is None or isinstance(value, bool):
        return False
    text = str(value)
    if obvious_placeholder(text):
        return False
    if encoded:
        try:
            decoded = base64.b64decode("".join(text.split()), validate=False)
        except (binascii.Error, ValueError):
            return True  # not valid base64: the API server rejects it, but it was still committed
        text = decoded.decode("utf-8", errors="replace")
        if obvious_placeholder(text):
            return False
    return not _PUBLIC_ONLY.match(text)
