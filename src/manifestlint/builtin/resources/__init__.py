"""Built-in plugin: CPU and memory limits and requests on every container (checklist WL-3, RA-4)."""

from __future__ import annotations

from collections.abc import Sequence

from manifestlint.hookspecs import hookimpl
from manifestlint.rule import Rule


@hookimpl
def manifestlint_rules() -> Sequence[type[Rule]]:
    from manifestlint.builtin.resources.limits import MissingResourceLimits
    from manifestlint.builtin.resources.requests import MissingResourceRequests

    return [MissingResourceLimits, MissingResourceRequests]
