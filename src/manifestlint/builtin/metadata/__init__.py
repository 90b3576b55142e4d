"""Built-in plugin: metadata rules (ML4xx): pod labels, selectors and namespaces."""

from __future__ import annotations

from collections.abc import Sequence

from manifestlint.hookspecs import hookimpl
from manifestlint.rule import Rule


@hookimpl
def manifestlint_rules() -> Sequence[type[Rule]]:
    from manifestlint.builtin.metadata.default_namespace import DefaultNamespace
    from manifestlint.builtin.metadata.pod_labels import MissingPodLabels
    from manifestlint.builtin.metadata.selector_mismatch import SelectorMismatch

    return [MissingPodLabels, SelectorMismatch, DefaultNamespace]
