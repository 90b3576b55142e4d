"""``--render-helm``: render a chart with the ``helm`` binary (default values, no network) for linting."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

TIMEOUT_SECONDS = 120


def render(chart: Path) -> tuple[bytes | None, str | None]:
    """``helm template`` output of ``chart``, or None and why it failed."""
    helm = shutil.which("helm")
    if helm is None:
        return None, "the `helm` command is not on the PATH"
    # Offline: no repository index refresh; a chart whose dependencies are not vendored fails, and says so.
    env = {**os.environ, "HELM_OFFLINE": "1"}
    try:
        proc = subprocess.run([helm, "template", str(chart)], capture_output=True, timeout=TIMEOUT_SECONDS,
                              env=env, stdin=subprocess.DEVNULL, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"helm template {chart} failed: {type(exc).__name__}"
    if proc.returncode != 0:
        reason = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        return None, f"helm template {chart} failed: {reason[-1] if reason else f'exit {proc.returncode}'}"
    return proc.stdout, None
