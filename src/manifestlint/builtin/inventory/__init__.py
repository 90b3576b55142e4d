"""Built-in plugin: the cluster inventory (ML740-ML744, `--scope cluster` only).

Known agents are data (``manifestlint/data/inventory.yaml``), extended with each rule's ``agents``
option.
"""

from __future__ import annotations

from collections.abc import Sequence

from manifestlint.hookspecs import hookimpl
from manifestlint.rule import Rule


@hookimpl
def manifestlint_rules() -> Sequence[type[Rule]]:
    from manifestlint.builtin.inventory.rules import (
        NoAlerting,
        NoLogCollector,
        NoMetricsPipeline,
        NoPolicyEnforcingCNI,
        NoRuntimeThreatDetection,
    )

    return [NoRuntimeThreatDetection, NoLogCollector, NoMetricsPipeline, NoAlerting, NoPolicyEnforcingCNI]
