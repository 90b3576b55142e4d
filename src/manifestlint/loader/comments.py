"""Read the comments that matter: Helm's ``# Source:`` lines and ``# manifestlint:`` directives.

Comments are not in libyaml's event stream, so they are found in the text; both kinds survive
``helm template`` (the directives when written in the template itself).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_SOURCE = re.compile(r"^#\s*Source:\s*(\S.*?)\s*$", re.M)
_DIRECTIVE = re.compile(
    r"(?:^|(?<=\s))#\s*manifestlint:\s*(ignore-file|ignore)\b\s*(?:=\s*([\w.,\- ]*?))?\s*(?:--.*)?$", re.M
)

ALL = "*"


@dataclass(slots=True)
class Directives:
    """Suppression comments of one file: per line, and for the whole file."""

    file_rules: set[str] = field(default_factory=set)
    line_rules: dict[int, set[str]] = field(default_factory=dict)

    def match(self, line: int, names: tuple[str, ...]) -> str | None:
        """The directive that suppresses a finding of a rule known by ``names`` at ``line``."""
        for scope, rules in (("ignore-file", self.file_rules), ("ignore", self.line_rules.get(line, ()))):
            if ALL in rules:
                return f"# manifestlint: {scope}"
            for name in names:
                if name in rules:
                    return f"# manifestlint: {scope}={name}"
        return None

    def __bool__(self) -> bool:
        return bool(self.file_rules or self.line_rules)


def helm_sources(text: str) -> list[tuple[int, str]]:
    """``(line, template path)`` of every ``# Source:`` comment, in order."""
    if "Source:" not in text:
        return []
    return [(text.count("\n", 0, m.start()) + 1, m.group(1)) for m in _SOURCE.finditer(text)]


def directives(text: str) -> Directives:
    """Every ``# manifestlint: ignore…`` comment of ``text``."""
    found = Directives()
    if "manifestlint:" not in text:
        return found
    for match in _DIRECTIVE.finditer(text):
        scope, names = match.group(1), match.group(2)
        rules = {n.strip() for n in names.split(",") if n.strip()} if names else {ALL}
        if scope == "ignore-file":
            found.file_rules |= rules
            continue
        line = text.count("\n", 0, match.start()) + 1
        found.line_rules.setdefault(line, set()).update(rules)
        line_start = text.rfind("\n", 0, match.start()) + 1
        if not text[line_start:match.start()].strip():  # a comment on its own line covers the next line
            found.line_rules.setdefault(line + 1, set()).update(rules)
    return found
