"""The public test harness for rule fixtures, used by manifestlint's tests and by plugins.

Layout: ``<fixtures>/<RULE-ID>/fail/*.yaml`` and ``<fixtures>/<RULE-ID>/pass/*.yaml``, with an optional
``<fixtures>/<RULE-ID>/options.yaml`` holding the rule's options. In a fail file each line that must be
reported carries ``# expect: RULE-ID``, optionally followed by a quoted part of the message:
``# expect: ML101 "runs privileged"``. A fail file must produce exactly the marked findings of its
rule; a pass file none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from manifestlint.model import Finding

_EXPECT = re.compile(r"#\s*expect:\s*([A-Z]{2,5}[0-9]{3})(?:\s+\"([^\"]+)\")?")


@dataclass(frozen=True, slots=True)
class Expectation:
    rule_id: str
    line: int
    message_part: str | None = None


@dataclass(slots=True)
class RuleCase:
    """One fixture file of one rule."""

    rule_id: str
    outcome: str  # "pass" | "fail"
    path: Path
    expected: list[Expectation] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.rule_id}-{self.outcome}-{self.path.stem}"


def expectations(text: str) -> list[Expectation]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _EXPECT.finditer(line):
            found.append(Expectation(match.group(1), number, match.group(2)))
    return found


def discover_cases(root: Path) -> list[RuleCase]:
    """Every fixture under ``root`` (``root/<ID>/{pass,fail}/*``), sorted."""
    cases = []
    for rule_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        options_file = rule_dir / "options.yaml"
        options = yaml.safe_load(options_file.read_text()) if options_file.is_file() else {}
        for outcome in ("fail", "pass"):
            for path in sorted((rule_dir / outcome).glob("*")):
                if path.suffix not in (".yaml", ".yml", ".json"):
                    continue
                text = path.read_bytes().decode("utf-8", errors="replace")
                cases.append(RuleCase(rule_dir.name, outcome, path, expectations(text), options or {}))
    return cases


def check_case(case: RuleCase, findings: list[Finding]) -> list[str]:
    """What is wrong with ``findings`` for ``case``; an empty list when it holds."""
    own = [f for f in findings if f.rule_id == case.rule_id]
    problems = []
    if case.outcome == "pass":
        problems += [f"unexpected {f.rule_id} at line {f.line}: {f.message}" for f in own]
        return problems
    expected = [e for e in case.expected if e.rule_id == case.rule_id]
    if not expected:
        problems.append(f"fail fixture {case.path} has no `# expect: {case.rule_id}` marker")
    remaining = list(own)
    for exp in expected:
        match = next((f for f in remaining if f.line == exp.line
                      and (exp.message_part is None or exp.message_part in f.message)), None)
        if match is None:
            near = [f"line {f.line}: {f.message}" for f in own if f.line == exp.line]
            problems.append(f"expected {exp.rule_id} at line {exp.line}"
                            + (f" with message containing {exp.message_part!r}" if exp.message_part else "")
                            + (f"; got {near}" if near else "; nothing reported there"))
        else:
            remaining.remove(match)
    problems += [f"unexpected {f.rule_id} at line {f.line}: {f.message}" for f in remaining]
    return problems
