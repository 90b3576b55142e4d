"""What the image rules share: every container's parsed image, and the tags that move."""

from __future__ import annotations

from collections.abc import Collection, Iterator

from manifestlint.builtin.images.reference import ImageRef, parse
from manifestlint.document import Document
from manifestlint.k8s.workloads import ContainerRef, containers
from manifestlint.positions import FieldPath

DEFAULT_MUTABLE_TAGS = ("latest",)
MUTABLE_TAGS_SCHEMA = {
    "type": "array",
    "items": {"type": "string", "minLength": 1},
    "default": list(DEFAULT_MUTABLE_TAGS),
    "description": "Tags that are moved to new builds (a missing tag means `latest` and always counts).",
}
REGISTRY_PREFIXES_SCHEMA = {
    "type": "array",
    "items": {"type": "string", "minLength": 1},
    "default": [],
}


def container_images(doc: Document) -> Iterator[tuple[ContainerRef, FieldPath, ImageRef]]:
    """Each container with a judgeable image: its path to ``image`` and the parsed reference.

    Missing, empty, non-string and templated images (``${TAG}``) are left out: nothing can be said.
    """
    for container in containers(doc):
        image = container.data.get("image")
        if not isinstance(image, str):
            continue
        ref = parse(image)
        if ref is not None:
            yield container, (*container.path, "image"), ref


def is_mutable(ref: ImageRef, mutable_tags: Collection[str]) -> bool:
    """Whether the reference can come to mean another image: no digest, and no tag or a moving one.

    A malformed digest counts as a digest here: the pull fails rather than drifting, and ML204 says so.
    """
    return ref.digest is None and (ref.tag is None or ref.tag in mutable_tags)
