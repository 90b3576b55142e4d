"""Regenerate docs/configuration.md and docs/checklist.md (tests/test_reference_docs.py checks them).

Usage: python tools/gen_docs.py   (the rule pages: manifestlint rules docs docs/rules)
"""

from __future__ import annotations

from pathlib import Path

from manifestlint import reference_docs

DOCS = Path(__file__).resolve().parent.parent / "docs"

if __name__ == "__main__":
    for path in reference_docs.write(DOCS, reference_docs.builtin_rules()):
        print(f"wrote {path}")
