"""ML810 says once which bundled release it validates with when the target release has no schemas."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli

from manifestlint.schema.bundled import available

OLDEST, NEWEST = (f"{r[0]}.{r[1]}" for r in (available()[0], available()[-1]))

CONFIG_MAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ConfigMap\n" \
             "metadata:\n  name: b\n"


def notes(tmp_path: Path, *args: str) -> list[str]:
    (tmp_path / "cm.yaml").write_text(CONFIG_MAP)
    proc = run_cli("--no-config", "--format", "json", *args, str(tmp_path / "cm.yaml"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return [n["message"] for n in json.loads(proc.stdout)["notifications"] if n.get("rule") == "ML810"]


def test_a_newer_release_is_validated_with_the_newest_bundled_one_said_once(tmp_path: Path) -> None:
    said = notes(tmp_path, "--kubernetes-version", "1.99")
    assert len(said) == 1
    assert said[0].startswith("ML810: no bundled schemas for Kubernetes 1.99")
    assert f"validated against {NEWEST}, the newest bundled release" in said[0]


def test_an_older_release_is_validated_with_the_oldest_bundled_one(tmp_path: Path) -> None:
    said = notes(tmp_path, "--kubernetes-version", "1.16")
    assert len(said) == 1 and f"validated against {OLDEST}, the oldest bundled release" in said[0]


def test_a_bundled_release_says_nothing(tmp_path: Path) -> None:
    assert notes(tmp_path, "--kubernetes-version", NEWEST) == []
    assert notes(tmp_path) == []


def test_no_note_when_ml810_is_not_selected(tmp_path: Path) -> None:
    assert notes(tmp_path, "--kubernetes-version", "1.99", "--select", "ML101") == []


def test_the_text_report_shows_the_note(tmp_path: Path) -> None:
    (tmp_path / "cm.yaml").write_text(CONFIG_MAP)
    proc = run_cli("--no-config", "--kubernetes-version", "1.99", str(tmp_path / "cm.yaml"))
    assert proc.returncode == 0
    assert (proc.stdout + proc.stderr).count("note: ML810: no bundled schemas for Kubernetes 1.99") == 1
