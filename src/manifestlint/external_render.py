"""Run an external renderer (``helm template``, ``kustomize build``) offline and capture what it prints."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Mapping, Sequence

TIMEOUT_SECONDS = 120
# klog's line header (kubectl's errors): `E1126 16:14:50.339094   21808 run.go:72] `.
_KLOG_HEADER = re.compile(r"^[IWEF]\d{4} [\d:.]+\s+\d+ [\w.-]+:\d+\] ")


def run_renderer(argv: Sequence[str], label: str, env: Mapping[str, str]) -> tuple[bytes | None, str | None]:
    """The standard output of ``argv``, or None and a one-line reason starting with ``label``."""
    try:
        proc = subprocess.run(list(argv), capture_output=True, timeout=TIMEOUT_SECONDS, env=dict(env),
                              stdin=subprocess.DEVNULL, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"{label} failed: {type(exc).__name__}"
    if proc.returncode != 0:
        reason = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        last = _KLOG_HEADER.sub("", reason[-1].strip()) if reason else f"exit {proc.returncode}"
        return None, f"{label} failed: {last}"
    return proc.stdout, None
