"""Generated reference pages (configuration, checklist coverage) are current; the hand-written docs
point at things that exist; ``--version`` comes from the package metadata."""

from __future__ import annotations

import re
from importlib.metadata import version

from conftest import REPO, run_cli

from manifestlint import checklist, reference_docs

DOCS = REPO / "docs"


def test_configuration_reference_is_current() -> None:
    committed = (DOCS / "configuration.md").read_text(encoding="utf-8")
    assert committed == reference_docs.config_reference(), \
        "docs/configuration.md is stale: run `python tools/gen_docs.py`"


def test_checklist_coverage_is_current() -> None:
    committed = (DOCS / "checklist.md").read_text(encoding="utf-8")
    assert committed == reference_docs.checklist_coverage(reference_docs.builtin_rules()), \
        "docs/checklist.md is stale: run `python tools/gen_docs.py`"


def test_configuration_reference_names_every_key() -> None:
    text = (DOCS / "configuration.md").read_text(encoding="utf-8")
    for key in ("select", "exclude", "fail-on", "scope", "limits.max-file-size"):
        assert f"`{key}`" in text or f"### {key}\n" in text


def test_checklist_coverage_has_every_item() -> None:
    text = (DOCS / "checklist.md").read_text(encoding="utf-8")
    for item in checklist.items():
        assert f"\n### {item}\n" in text
    assert "Why files cannot show it:" in text.split("### MS-5")[1].split("###")[0]


def test_relative_links_in_docs_resolve() -> None:
    pages = [REPO / "README.md", REPO / "CHANGELOG.md", *DOCS.glob("*.md")]
    for page in pages:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            assert (page.parent / target).exists(), f"{page.relative_to(REPO)} links to missing {target}"


def test_writing_guides_point_at_real_code() -> None:
    rule_guide = (DOCS / "writing-a-rule.md").read_text(encoding="utf-8")
    plugin_guide = (DOCS / "writing-a-plugin.md").read_text(encoding="utf-8")
    for path in re.findall(r"`((?:src|rules|fixtures|examples|schemas|tests)/[^`*<]+)`", rule_guide + plugin_guide):
        assert (REPO / path.rstrip("/")).exists(), f"the guides mention {path}, which does not exist"
    assert "manifestlint_rules" in plugin_guide and "[project.entry-points.manifestlint]" in plugin_guide


def test_version_comes_from_the_package_metadata() -> None:
    proc = run_cli("--version")
    assert proc.returncode == 0
    assert proc.stdout == f"manifestlint {version('manifestlint')}\n"
