"""Rule pages from rule metadata, with examples taken from the rule's own test fixtures.

The same page is printed by ``manifestlint rules show ID``, written to ``docs/rules/ID.md`` by
``manifestlint rules docs DIR``, and carried in SARIF ``help.markdown``; so no example goes untested.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from manifestlint._resources import data_dir
from manifestlint.catalogue_view import rule_doc
from manifestlint.registry import Catalogue
from manifestlint.rule import Rule

_MARKER = re.compile(r"\s*#\s*expect:.*$")
_MAX_EXAMPLE_LINES = 40


def _clean(text: str) -> str:
    return "\n".join(_MARKER.sub("", line) for line in text.splitlines()).strip("\n")


@functools.cache
def examples(rule_id: str) -> tuple[str, str] | None:
    """The first fail and pass fixture of a rule, markers removed; None when it has none shipped."""
    try:
        root = data_dir("fixtures") / "rules" / rule_id
    except FileNotFoundError:
        return None
    found = []
    for outcome in ("fail", "pass"):
        files = sorted((root / outcome).glob("*.yaml")) if (root / outcome).is_dir() else []
        small = [f for f in files if len(f.read_text(encoding="utf-8", errors="replace").splitlines())
                 <= _MAX_EXAMPLE_LINES]
        if not small:
            return None
        found.append(_clean(small[0].read_text(encoding="utf-8", errors="replace")))
    return found[0], found[1]


def page(rule: Rule) -> str:
    return rule_doc(rule, examples(rule.meta.id))


def index(catalogue: Catalogue) -> str:
    lines = ["# Rules", "", "Every rule of manifestlint, generated from the rules' metadata "
             "(`manifestlint rules docs docs/rules`). Ids are stable and never reused.", "",
             "| ID | Name | Severity | Checklist | Title |", "|---|---|---|---|---|"]
    for rule in catalogue.rules.values():
        meta = rule.meta
        lines.append(f"| [{meta.id}]({meta.id}.md) | `{meta.name}` | {meta.severity.value} | "
                     f"{', '.join(meta.checklist) or '-'} | {meta.title}"
                     f"{'' if meta.enabled else ' (off by default)'} |")
    return "\n".join(lines) + "\n"


def write(catalogue: Catalogue, directory: Path) -> list[Path]:
    """Write one page per rule and an index; return the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for rule in catalogue.rules.values():
        path = directory / f"{rule.meta.id}.md"
        path.write_text(page(rule), encoding="utf-8")
        written.append(path)
    (directory / "README.md").write_text(index(catalogue), encoding="utf-8")
    written.append(directory / "README.md")
    return written
