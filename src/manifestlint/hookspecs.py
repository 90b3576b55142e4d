"""The whole extension API of manifestlint.

A plugin is a module or object with functions marked ``@manifestlint.hookimpl`` and named like the
specs below. Built-in rule bundles are plugins too, registered through the same ``register()`` call
as third-party packages, which are found through the ``manifestlint`` entry-point group::

    [project.entry-points.manifestlint]
    acme = "acme_manifestlint"

pluggy is used for discovery and registration only: the engine then calls rule objects directly,
indexed by the kinds they target, never through a hook per document.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from manifestlint.rule import Rule

PROJECT = "manifestlint"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def manifestlint_rules() -> Sequence[type[Rule]]:
    """Return Python rule classes (subclasses of ``manifestlint.rule.Rule`` with ``meta``).

    Import rule modules inside the hook, not at module import, so that plugins stay cheap to
    load when a command does not need their rules.
    """
    raise NotImplementedError


@hookspec
def manifestlint_rule_dirs() -> Sequence[Path]:
    """Return directories of declarative rule files (``*.yaml``, format ``schemas/rule-file.schema.json``)."""
    raise NotImplementedError


@hookspec
def manifestlint_reporters() -> Mapping[str, Callable[..., Any]]:
    """Return output formats: name -> ``render(report) -> str`` (see ``manifestlint.reporters``)."""
    raise NotImplementedError
