"""What ``manifestlint check`` does between parsing its arguments and printing the report.

The configuration file and the command line are layered (``selection.resolve``: the command line
wins), rule names in ``severity`` and ``rules`` are checked with messages that name the file, and
``--verbose`` learns which files and folders were left out. Imported only when a lint runs, so that
``--version`` and ``--help`` stay cheap.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from manifestlint import baseline
from manifestlint.config import ConfigError, Settings
from manifestlint.discovery import PathError, Skipped, anchor, expand
from manifestlint.engine import RuleSet
from manifestlint.model import Notification, Severity
from manifestlint.registry import Catalogue
from manifestlint.report import Report
from manifestlint.runner import STDIN, Options, load_catalogue, prepare, run, settings_for
from manifestlint.selection import Layer, SelectorError, cli_layer

if TYPE_CHECKING:  # --fix and --diff import it when they run
    from manifestlint.fix.session import FixRun

__all__ = ["STDIN", "CheckError", "Outcome", "Request", "check", "rule_catalogue"]


class CheckError(Exception):
    """Bad configuration, selectors or paths: the run cannot start (exit 2)."""


@dataclass(slots=True)
class Request(Options):
    """The command line's options: the run's (``Options``) and those of the command around it."""

    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    fix: bool = False  # apply the fixes to the files (stdin: print the fixed stream)
    diff: bool = False  # only compute them, for a unified diff
    verbose: bool = False
    baseline: Path | None = None
    write_baseline: Path | None = None
    sarif_category: str | None = None


@dataclass(slots=True)
class Outcome:
    """A finished run: its report, the settings it used, and the errors that make it exit 2."""

    report: Report
    settings: Settings
    errors: list[Notification]
    baseline_written: int | None = None  # findings recorded by --write-baseline
    sarif_category: str | None = None
    fixes: FixRun | None = None  # what --fix or --diff did

    def render(self, name: str) -> str:
        if name == "sarif" and self.sarif_category:
            from manifestlint.reporters import sarif

            return sarif.render(self.report, category=self.sarif_category)
        return _renderers(self.settings.disable_plugins)[name](self.report)


def check(request: Request) -> Outcome:
    """Lint what ``request`` names; raises ``CheckError`` when the run cannot start."""
    root = request.root.resolve()
    options = replace(request, paths=list(request.paths), root=root,
                      schema_dirs=[str(Path(d).resolve()) for d in request.schema_dirs],
                      chart_dirs=[str(Path(d).resolve()) for d in request.chart_dirs])
    if (request.fix or request.diff) and STDIN in request.paths:
        options.stdin_data = sys.stdin.buffer.read()
    try:
        settings = settings_for(options)
        settings.exclude += [anchor(pattern, Path.cwd()) for pattern in request.exclude]
        catalogue = load_catalogue(settings)
        ruleset = _ruleset(settings, catalogue, cli_layer(request.select, request.extend_select, request.ignore))
        skipped = _left_out(options, settings, root) if request.verbose else []
        report = run(options, settings, catalogue, ruleset)
    except (ConfigError, SelectorError, PathError) as exc:
        raise CheckError(str(exc)) from None
    report.notifications.extend(Notification(Severity.NOTE, f"skipped: {s.reason}", s.display, kind="skipped")
                                for s in skipped)
    try:
        written = baseline.apply(report, request.baseline, request.write_baseline)
    except baseline.BaselineError as exc:
        raise CheckError(str(exc)) from None
    fixes = _fix(request, options, report, ruleset, settings) if request.fix or request.diff else None
    errors = [n for n in report.notifications if n.level is Severity.ERROR]
    outcome = Outcome(report, settings, errors, written, request.sarif_category)
    outcome.fixes = fixes
    return outcome


def _fix(request: Request, options: Options, report: Report, ruleset: RuleSet, settings: Settings) -> FixRun:
    """``--fix`` (files rewritten, the report updated to what remains) or ``--diff`` (nothing changes)."""
    from manifestlint.fix.run import fix_report

    stdin = (options.stdin_filename, options.stdin_data) if options.stdin_data is not None else None
    return fix_report(report, ruleset, settings, options.paths, options.root, stdin,
                      write=request.fix and not request.diff)


def rule_catalogue(config: Path | None) -> tuple[Catalogue, set[str]]:
    """Every known rule, and the ids of those the configuration enables (``manifestlint rules``)."""
    try:
        settings = settings_for(Options(paths=[], config=config))
        catalogue = load_catalogue(settings)
        return catalogue, set(_ruleset(settings, catalogue).active)
    except (ConfigError, SelectorError) as exc:
        raise CheckError(str(exc)) from None


def _ruleset(settings: Settings, catalogue: Catalogue, command_line: Layer | None = None) -> RuleSet:
    """The rules to run: the configuration's selection with the command line's over it.

    ``settings`` is left holding the resolved selection (rule ids), which worker processes reuse.
    """
    ruleset = prepare(settings, catalogue, command_line)
    settings.select, settings.extend_select, settings.ignore = list(ruleset.active), [], []
    return ruleset


def _left_out(options: Options, settings: Settings, root: Path) -> list[Skipped]:
    """The files and folders that discovery leaves out, for ``--verbose`` (a second, cheap walk)."""
    skipped: list[Skipped] = []
    for _ in expand([p for p in options.paths if p != STDIN], root, settings.exclude, skipped=skipped):
        pass
    return sorted(skipped, key=lambda s: s.display)


def _renderers(disabled: list[str]) -> dict[str, Callable[..., str]]:
    from manifestlint.plugins import plugin_manager

    pm, _ = plugin_manager(blocked=disabled, load_entry_points=False)
    renderers: dict[str, Callable[..., str]] = {}
    for found in pm.hook.manifestlint_reporters():
        renderers.update(found)
    return renderers
