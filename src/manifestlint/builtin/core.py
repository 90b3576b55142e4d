"""Built-in plugin: the rules about the input itself (syntax, duplicate keys, limits, shapes)."""

from __future__ import annotations

from collections.abc import Sequence

from manifestlint.hookspecs import hookimpl
from manifestlint.rule import Rule


@hookimpl
def manifestlint_rules() -> Sequence[type[Rule]]:
    from manifestlint.builtin.core_rules import (
        DuplicateKey,
        InputLimitExceeded,
        InvalidObject,
        UnsupportedYamlFeature,
        YamlSyntaxError,
    )

    return [YamlSyntaxError, DuplicateKey, InputLimitExceeded, InvalidObject, UnsupportedYamlFeature]


