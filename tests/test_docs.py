"""Rule docs: generated from metadata, committed, and never stale; `rules` listings keep their contract."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import REPO, run_cli

DOCS = REPO / "docs" / "rules"


def test_committed_rule_pages_are_up_to_date(tmp_path: Path) -> None:
    proc = run_cli("rules", "docs", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    generated = {p.name: p.read_text() for p in tmp_path.glob("*.md") if not p.name.startswith("EXA")}
    committed = {p.name: p.read_text() for p in DOCS.glob("*.md")}
    if "README.md" in generated:  # the index lists installed plugins' rules too
        generated["README.md"] = "\n".join(line for line in generated["README.md"].splitlines()
                                           if "EXA" not in line) + "\n"
    stale = sorted(name for name in generated.keys() | committed.keys() if generated.get(name) != committed.get(name))
    assert not stale, f"docs/rules is stale for {stale}: run `manifestlint rules docs docs/rules`"


def test_rule_pages_have_every_section_and_examples() -> None:
    for page in DOCS.glob("ML*.md"):
        text = page.read_text()
        for heading in ("## What it does", "## Why is this bad?", "## Example", "## How to fix", "## References"):
            assert heading in text, f"{page.name} lacks {heading}"
        assert "# expect:" not in text


def test_rules_json_contract() -> None:
    proc = run_cli("rules", "--format", "json")
    assert proc.returncode == 0
    rules = json.loads(proc.stdout)
    assert rules and all({"id", "name", "title", "severity", "checklist", "tags", "enabled", "description",
                          "help_uri"} <= set(r) for r in rules)
    by_id = {r["id"]: r for r in rules}
    assert by_id["ML101"]["checklist"] == ["WL-5"] and by_id["ML101"]["enabled"] is True


def test_rules_table_and_show() -> None:
    table = run_cli("rules")
    assert table.returncode == 0 and table.stdout.splitlines()[0].split() == ["ID", "NAME", "SEVERITY", "CHECKLIST",
                                                                             "ENABLED"]
    shown = run_cli("rules", "show", "privileged-container")
    assert shown.returncode == 0 and shown.stdout.startswith("# privileged-container (ML101)")
    missing = run_cli("rules", "show", "ML999")
    assert missing.returncode == 2 and "no rule 'ML999'" in missing.stderr and "Traceback" not in missing.stderr
