"""Parse container image references the way the container runtime does (distribution/reference).

``[registry[:port]/]repository[:tag][@digest]``: the first path component is a registry host only
when it contains ``.`` or ``:``, is ``localhost``, or has upper-case letters; otherwise the image is
on Docker Hub (``docker.io``), and a one-component repository lives under ``library/``. The tag is
after the last ``:`` that follows the last ``/``, so ``localhost:5000/app`` has no tag.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

DOCKER_HUB = "docker.io"
_HUB_ALIASES = frozenset({"docker.io", "index.docker.io", "registry-1.docker.io"})
_SHA256 = re.compile(r"^sha256:[a-f0-9]{64}$")
# Other algorithms registered with the OCI image spec (sha512) and the grammar's generic form.
_DIGEST = re.compile(r"^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$")
_SPACE = re.compile(r"\s")


@dataclass(frozen=True, slots=True)
class ImageRef:
    """One image reference, split into its parts; ``registry`` is normalised (``docker.io`` for Hub)."""

    text: str
    registry: str
    repository: str
    tag: str | None
    digest: str | None

    @property
    def full_name(self) -> str:
        """``registry/repository``, e.g. ``docker.io/library/nginx``."""
        return f"{self.registry}/{self.repository}"

    @property
    def pinned(self) -> bool:
        """Whether the reference names one immutable image: a well-formed digest."""
        return self.digest is not None and digest_is_valid(self.digest)


def digest_is_valid(digest: str) -> bool:
    if digest.startswith("sha256:"):
        return _SHA256.match(digest) is not None
    return _DIGEST.match(digest) is not None


def is_templated(image: str) -> bool:
    """An unrendered placeholder (``${TAG}``, ``$IMAGE``, ``{{ .Values.tag }}``): nothing can be judged."""
    return "$" in image or "{{" in image


@functools.lru_cache(maxsize=4096)  # three rules parse each image; manifests repeat images a lot
def parse(image: str) -> ImageRef | None:
    """The parts of ``image``, or None when it is empty, templated or not a reference at all."""
    text = image.strip()
    if not text or is_templated(text) or _SPACE.search(text):
        return None
    name, at, digest = text.partition("@")
    slash = name.rfind("/")
    colon = name.rfind(":")
    tag: str | None = None
    if colon > slash:
        name, tag = name[:colon], name[colon + 1:]
    if not name:
        return None
    first, sep, rest = name.partition("/")
    if sep and (any(c in first for c in ".:") or first == "localhost" or first.lower() != first):
        registry, repository = first.lower(), rest
    else:
        registry, repository = DOCKER_HUB, name
    if registry in _HUB_ALIASES:
        registry = DOCKER_HUB
    if registry == DOCKER_HUB and "/" not in repository:
        repository = f"library/{repository}"
    if not repository:
        return None
    return ImageRef(text, registry, repository, tag or None, digest if at else None)


def registry_matches(ref: ImageRef, prefix: str) -> bool:
    """Whether ``ref`` lies under ``prefix`` (``ghcr.io/acme``), matching whole path components only.

    ``registry.example.com`` does not admit ``registry.example.com.evil.io/x``, and ``ghcr.io/acme``
    does not admit ``ghcr.io/acme-forks/x``.
    """
    wanted = normalise_prefix(prefix)
    if not wanted:
        return False
    full = ref.full_name
    return full == wanted or full.startswith(wanted + "/")


def normalise_prefix(prefix: str) -> str:
    """``index.docker.io/library/`` -> ``docker.io/library``; registry hosts are case-insensitive."""
    text = prefix.strip().rstrip("/")
    host, sep, rest = text.partition("/")
    host = host.lower()
    if host in _HUB_ALIASES:
        host = DOCKER_HUB
    return f"{host}{sep}{rest}"
