"""Built-in plugin: readiness and liveness probes on long-running containers (checklist RA-8, RA-2)."""

from __future__ import annotations

from collections.abc import Sequence

from manifestlint.hookspecs import hookimpl
from manifestlint.rule import Rule


@hookimpl
def manifestlint_rules() -> Sequence[type[Rule]]:
    from manifestlint.builtin.probes.liveness import MissingLivenessProbe
    from manifestlint.builtin.probes.readiness import MissingReadinessProbe

    return [MissingReadinessProbe, MissingLivenessProbe]
