"""The code stays ruff-clean and mypy --strict clean (the settings are in pyproject.toml)."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conftest import REPO


@pytest.mark.parametrize("tool, args", [
    ("ruff", ["check", "src", "--output-format", "concise"]),
    ("mypy", ["src/manifestlint"]),
])
def test_static_checks_pass(tool: str, args: list[str]) -> None:
    if shutil.which(tool) is None and subprocess.run([sys.executable, "-m", tool, "--version"],
                                                     capture_output=True).returncode != 0:
        pytest.skip(f"{tool} is not installed (pip install '.[test]' installs it)")
    proc = subprocess.run([sys.executable, "-m", tool, *args], cwd=REPO, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
