"""The public test harness for rule fixtures, used by manifestlint's tests and by plugins.

Layout: ``<fixtures>/<RULE-ID>/fail/*.yaml`` and ``<fixtures>/<RULE-ID>/pass/*.yaml``, with an optional
``<fixtures>/<RULE-ID>/options.yaml`` holding the rule's options. In a fail file each line that must be
reported carries ``# expect: RULE-ID``, optionally followed by a quoted part of the message:
``# expect: ML101 "runs privileged"``. A fail file must produce exactly the marked findings of its
rule; a pass file none.

A case may also be a folder, ``<fixtures>/<RULE-ID>/fail/<case>/``: every YAML file under it is linted
as one input (whole-input rules see them together), and each marker applies to its own file. A line
``# scope: cluster`` in any file of a case runs it with ``scope: cluster``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from manifestlint.model import Finding

if TYPE_CHECKING:
    from manifestlint.registry import Catalogue
    from manifestlint.report import Report

_EXPECT = re.compile(r"#\s*expect:\s*([A-Z]{2,5}[0-9]{3})(?:\s+\"([^\"]+)\")?")
_SCOPE = re.compile(r"^\s*#\s*scope:\s*(default|cluster)\s*$", re.MULTILINE)
_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True, slots=True)
class Expectation:
    rule_id: str
    line: int
    message_part: str | None = None
    file: str | None = None  # for a folder case: the file's path relative to the folder


@dataclass(slots=True)
class RuleCase:
    """One fixture of one rule: a file, or a folder linted as one input."""

    rule_id: str
    outcome: str  # "pass" | "fail"
    path: Path
    expected: list[Expectation] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)
    scope: str = "default"

    @property
    def is_folder(self) -> bool:
        return self.path.is_dir()

    @property
    def id(self) -> str:
        return f"{self.rule_id}-{self.outcome}-{self.path.stem}"


def expectations(text: str, file: str | None = None) -> list[Expectation]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _EXPECT.finditer(line):
            found.append(Expectation(match.group(1), number, match.group(2), file))
    return found


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")


def _case(rule_id: str, outcome: str, path: Path, options: dict[str, Any]) -> RuleCase | None:
    texts: dict[str | None, str]
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in _SUFFIXES)
        texts = {p.relative_to(path).as_posix(): _read(p) for p in files}
    elif path.suffix in _SUFFIXES:
        texts = {None: _read(path)}
    else:
        return None
    expected = [e for name, text in texts.items() for e in expectations(text, name)]
    scope = next((m.group(1) for text in texts.values() for m in _SCOPE.finditer(text)), "default")
    return RuleCase(rule_id, outcome, path, expected, options, scope)


def discover_cases(root: Path) -> list[RuleCase]:
    """Every fixture under ``root`` (``root/<ID>/{pass,fail}/*``), sorted."""
    cases = []
    for rule_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        options_file = rule_dir / "options.yaml"
        options = yaml.safe_load(options_file.read_text()) if options_file.is_file() else {}
        for outcome in ("fail", "pass"):
            for path in sorted((rule_dir / outcome).glob("*")):
                case = _case(rule_dir.name, outcome, path, options or {})
                if case is not None:
                    cases.append(case)
    return cases


def check_case(case: RuleCase, findings: list[Finding]) -> list[str]:
    """What is wrong with ``findings`` for ``case``; an empty list when it holds.

    For a folder case, finding paths are taken relative to the folder (lint it with the folder as root).
    """
    own = [f for f in findings if f.rule_id == case.rule_id]
    problems = []
    if case.outcome == "pass":
        problems += [f"unexpected {f.rule_id} at {_where(f)}: {f.message}" for f in own]
        return problems
    expected = [e for e in case.expected if e.rule_id == case.rule_id]
    if not expected:
        problems.append(f"fail fixture {case.path} has no `# expect: {case.rule_id}` marker")
    remaining = list(own)
    for exp in expected:
        here = [f for f in remaining if f.line == exp.line and _same_file(f, exp)]
        match = next((f for f in here if exp.message_part is None or exp.message_part in f.message), None)
        if match is None:
            near = [f"line {f.line}: {f.message}" for f in here]
            where = f"{exp.file}:" if exp.file else ""
            problems.append(f"expected {exp.rule_id} at {where}line {exp.line}"
                            + (f" with message containing {exp.message_part!r}" if exp.message_part else "")
                            + (f"; got {near}" if near else "; nothing reported there"))
        else:
            remaining.remove(match)
    problems += [f"unexpected {f.rule_id} at {_where(f)}: {f.message}" for f in remaining]
    return problems


def _same_file(finding: Finding, expectation: Expectation) -> bool:
    return expectation.file is None or Path(finding.path).as_posix() == expectation.file


def _where(finding: Finding) -> str:
    return f"{finding.path}:{finding.line}"


@functools.cache
def default_catalogue() -> Catalogue:
    """Every rule of the installed plugins, loaded once per test session."""
    from manifestlint.config import Settings
    from manifestlint.runner import load_catalogue

    return load_catalogue(Settings())


def lint_paths(paths: Sequence[Path | str], select: Sequence[str], *, root: Path | None = None,
               rule_options: Mapping[str, Mapping[str, Any]] | None = None, scope: str = "default",
               jobs: int | None = None, catalogue: Catalogue | None = None, plan_fixes: bool = False) -> Report:
    """Lint ``paths`` in this process with only the ``select``ed rules, no configuration file.

    ``root`` (what report paths are relative to) defaults to the first path's folder; ``plan_fixes``
    plans each fix's text edits during the run, as a run that writes SARIF does.
    """
    from manifestlint.config import Settings
    from manifestlint.runner import Options, prepare, run

    catalogue = catalogue or default_catalogue()
    settings = Settings(select=list(select), rule_options={k: dict(v) for k, v in (rule_options or {}).items()},
                        scope=scope, jobs=jobs)
    first = Path(paths[0]) if paths else Path.cwd()
    options = Options(paths=[str(p) for p in paths], no_config=True,
                      root=root or (first if first.is_dir() else first.parent), plan_fixes=plan_fixes)
    return run(options, settings, catalogue, prepare(settings, catalogue))
