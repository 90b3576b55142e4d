"""ML203: images without a tag, or with ``:latest``."""

from __future__ import annotations

from collections.abc import Iterator

from manifestlint.builtin.images.common import MUTABLE_TAGS_SCHEMA, container_images, is_mutable
from manifestlint.document import Document
from manifestlint.k8s.workloads import WORKLOAD_KINDS
from manifestlint.rule import Context, Rule, Violation, define


@define(id="ML203", name="mutable-image-tag", title="Image has no tag or a mutable tag such as latest",
        severity="warning", checklist=["RA-6"], targets=WORKLOAD_KINDS,
        options_schema={"type": "object", "additionalProperties": False,
                        "properties": {"mutable-tags": MUTABLE_TAGS_SCHEMA}})
class MutableImageTag(Rule):
    """
    ## What it does
    Flags every container, init container and ephemeral container whose `image` has no tag (which
    means `:latest`) or a tag listed in the `mutable-tags` option (default: `latest`). An image pinned
    by a digest (`app@sha256:…` or `app:latest@sha256:…`) passes: the runtime pulls by the digest and
    ignores the tag. References are parsed the way the runtime parses them: in
    `localhost:5000/app` the `:5000` is the registry's port, not a tag. Unrendered placeholders such
    as `${IMAGE}` are not judged.

    Option `mutable-tags`: the tags your registries move to new builds, e.g.
    `[latest, stable, main, edge]`.

    ## Why is this bad?
    `latest` (and any tag that is re-pushed) names a different image from one day to the next. A
    rollout, a rescheduled pod or a new node can start a build nobody reviewed; replicas of one
    Deployment can run different code; and rolling back to "the previous version" changes nothing,
    because the manifest did not change.

    ## How to fix
    Use a tag that names one release (`nginx:1.27.3`, `app:2024-05-01-3f2c1ab`), or better, pin the
    digest as well (`nginx:1.27.3@sha256:…`) and let a bot such as Renovate update it.

    ## References
    - https://kubernetes.io/docs/concepts/containers/images/#image-names
    - https://kubernetes.io/docs/concepts/configuration/overview/#container-images
    - https://github.com/distribution/reference/blob/main/reference.go
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        mutable_tags = ctx.options.get("mutable-tags", ["latest"])
        for container, path, ref in container_images(doc):
            if not is_mutable(ref, mutable_tags):
                continue
            if ref.tag is None:
                problem = "has no tag, so it runs whatever `latest` points to when the node pulls it"
            else:
                problem = f"uses the mutable tag `{ref.tag}`"
            yield Violation(path, f"{container.describe()} image {ref.text!r} {problem}: pin a release tag "
                                  "(or a digest, `@sha256:…`)")
