"""``--render-helm``: render a chart with the ``helm`` binary (default values, no network) for linting."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from manifestlint.external_render import run_renderer


def render(chart: Path) -> tuple[bytes | None, str | None]:
    """``helm template`` output of ``chart``, or None and why it failed."""
    helm = shutil.which("helm")
    if helm is None:
        return None, "the `helm` command is not on the PATH"
    # Offline: no repository index refresh; a chart whose dependencies are not vendored fails, and says so.
    env = {**os.environ, "HELM_OFFLINE": "1"}
    return run_renderer([helm, "template", str(chart)], f"helm template {chart}", env)
