"""Declarative rule files: the format is enforced, and errors are clear."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import REPO
from manifestlint.declarative import DeclarativeRuleError, load_rule_file, rule_file_problem

RULE_FILES = sorted((REPO / "rules").rglob("*.yaml"))


@pytest.mark.parametrize("path", RULE_FILES, ids=[p.name for p in RULE_FILES])
def test_builtin_rule_file_matches_the_schema(path: Path) -> None:
    spec = yaml.safe_load(path.read_text())
    assert rule_file_problem(spec) is None
    assert path.name.startswith(spec["id"] + "-" + spec["name"]), "file name is <ID>-<name>.yaml"


def test_rule_file_with_a_typo_is_rejected(tmp_path: Path) -> None:
    spec = yaml.safe_load(RULE_FILES[0].read_text())
    spec["severty"] = spec.pop("severity")
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(spec))
    with pytest.raises(DeclarativeRuleError, match="bad.yaml.*severty"):
        load_rule_file(path, "third-party")
