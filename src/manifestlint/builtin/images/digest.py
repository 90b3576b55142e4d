"""ML204: images referenced by tag only, without a digest."""

from __future__ import annotations

from collections.abc import Iterator

from manifestlint.builtin.images.common import REGISTRY_PREFIXES_SCHEMA, container_images
from manifestlint.builtin.images.reference import ImageRef, registry_matches
from manifestlint.document import Document
from manifestlint.k8s.workloads import WORKLOAD_KINDS
from manifestlint.rule import Context, Rule, Violation, define

_EXEMPT_SCHEMA = {**REGISTRY_PREFIXES_SCHEMA,
                  "description": "Registry or repository prefixes whose tags cannot be moved (immutable tags)."}


@define(id="ML204", name="image-not-pinned-by-digest", title="Image is not pinned by digest", severity="note",
        checklist=["RA-6"], targets=WORKLOAD_KINDS,
        options_schema={"type": "object", "additionalProperties": False,
                        "properties": {"exempt-registries": _EXEMPT_SCHEMA}})
class ImageNotPinnedByDigest(Rule):
    """
    ## What it does
    Flags every container, init container and ephemeral container whose `image` has no digest
    (`@sha256:…`), and digests that are malformed (not `sha256:` and 64 hex digits). It is advice,
    at `note` level: it never fails a run under the default `--fail-on warning`. Unrendered
    placeholders such as `${IMAGE}` are not judged.

    Option `exempt-registries`: registry or repository prefixes whose tags are immutable (an ECR
    repository with tag immutability, a Harbor project with an immutable-tag rule), matched by whole
    path components: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/team`.

    ## Why is this bad?
    Even a release tag is only a pointer the registry owner can move: a re-push, a compromised
    registry account or a mirror serving something else all change what runs without a change to
    the manifest. A digest names the exact bytes, so every node runs the same image, and a rollback
    really goes back.

    ## How to fix
    Append the digest to the reference: `nginx:1.27.3@sha256:<digest>` (the tag stays for humans; the
    runtime pulls by the digest). `crane digest nginx:1.27.3` or `docker buildx imagetools inspect`
    prints it. Let a bot such as Renovate keep digests current, or a pinned image stops receiving
    base-image fixes.

    ## References
    - https://kubernetes.io/docs/concepts/containers/images/#image-names
    - https://github.com/opencontainers/image-spec/blob/main/descriptor.md#digests
    - https://docs.renovatebot.com/docker/#digest-pinning
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        exempt = ctx.options.get("exempt-registries", [])
        for container, path, ref in container_images(doc):
            if ref.pinned or any(registry_matches(ref, prefix) for prefix in exempt):
                continue
            yield Violation(path, _message(container.describe(), ref))


def _message(who: str, ref: ImageRef) -> str:
    if ref.digest is not None:
        return (f"{who} image {ref.text!r} has a malformed digest {ref.digest!r}: use the full "
                "`sha256:` digest with 64 hex digits")
    return (f"{who} image {ref.text!r} is not pinned by digest: append `@sha256:<digest>` so every node runs "
            "the same image")
