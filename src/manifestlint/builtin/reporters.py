"""Built-in plugin: the output formats.

Each format module is imported only when its renderer is called: sarif-om alone costs ~50 ms to
import, and most runs print text.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

from manifestlint.hookspecs import hookimpl

MODULES = {"text": "text", "json": "json_report", "sarif": "sarif", "github": "github", "junit": "junit"}


def _lazy(module: str) -> Callable[..., str]:
    def render(report: Any, *, color: bool = False) -> str:
        renderer: Callable[..., str] = importlib.import_module(f"manifestlint.reporters.{module}").render
        return renderer(report, color=color)

    render.__qualname__ = render.__name__ = f"render_{module}"
    return render


@hookimpl
def manifestlint_reporters() -> Mapping[str, Callable[..., Any]]:
    return {name: _lazy(module) for name, module in MODULES.items()}
