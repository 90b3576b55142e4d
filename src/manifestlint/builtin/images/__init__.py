"""Built-in plugin: how workloads name and pull their images (checklist RA-6)."""

from __future__ import annotations

from collections.abc import Sequence

from manifestlint.hookspecs import hookimpl
from manifestlint.rule import Rule


@hookimpl
def manifestlint_rules() -> Sequence[type[Rule]]:
    from manifestlint.builtin.images.digest import ImageNotPinnedByDigest
    from manifestlint.builtin.images.mutable_tag import MutableImageTag
    from manifestlint.builtin.images.pull_policy import ImagePullPolicy
    from manifestlint.builtin.images.registry import ImageRegistryNotAllowed

    return [MutableImageTag, ImageNotPinnedByDigest, ImageRegistryNotAllowed, ImagePullPolicy]
