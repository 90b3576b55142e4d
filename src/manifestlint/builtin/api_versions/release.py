"""Kubernetes release numbers: parse ``"1.34"``, ``"v1.34.2"`` into a comparable ``(major, minor)``."""

from __future__ import annotations

import functools

from packaging.version import InvalidVersion, Version

Release = tuple[int, int]
DEFAULT_RELEASE = "1.35"  # the oldest release upstream still supports (2026-11); --kubernetes-version for others
# The rule option every version-aware rule takes; the CLI's --kubernetes-version sets it for all of them.
OPTION = "kubernetes-version"
OPTION_SCHEMA = {"type": "string", "pattern": r"^v?[0-9]+\.[0-9]+(\.[0-9]+)?$", "default": DEFAULT_RELEASE,
                 "description": "Kubernetes release to check against, e.g. \"1.34\"."}


@functools.lru_cache(maxsize=64)
def parse_release(text: str) -> Release:
    """``(major, minor)`` of a release string; ``ValueError`` for anything else."""
    try:
        parts = Version(str(text).strip().removeprefix("v")).release
    except InvalidVersion:
        raise ValueError(f"{text!r} is not a Kubernetes release such as \"1.34\"") from None
    return parts[0], parts[1] if len(parts) > 1 else 0


def show(release: Release) -> str:
    return f"{release[0]}.{release[1]}"
