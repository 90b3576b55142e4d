"""Built-in plugin: the output formats."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from manifestlint.hookspecs import hookimpl


@hookimpl
def manifestlint_reporters() -> Mapping[str, Callable[..., Any]]:
    from manifestlint.reporters import text

    formats: dict[str, Callable[..., Any]] = {"text": text.render}
    try:
        from manifestlint.reporters import github, json_report, junit, sarif
    except ImportError:  # pragma: no cover - during development only
        return formats
    formats.update({"json": json_report.render, "sarif": sarif.render, "github": github.render,
                    "junit": junit.render})
    return formats
