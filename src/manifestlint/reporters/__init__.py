"""Output formats. Each module renders a ``Report`` to a string; plugins may add more."""

from __future__ import annotations

from collections.abc import Callable

from manifestlint.report import Report

Renderer = Callable[..., str]


def render(name: str, report: Report, renderers: dict[str, Renderer], *, color: bool = False) -> str:
    renderer = renderers[name]
    return renderer(report, color=color)
