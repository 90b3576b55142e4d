"""One lint run: configuration, plugins, rules, files, and the report.

The CLI is a thin layer over ``run``; tests and other tools can call it directly.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from manifestlint import config as config_mod
from manifestlint.config import ConfigError, Settings
from manifestlint.discovery import InputFile, expand
from manifestlint.engine import FileResult, RuleSet, build_ruleset, lint_file, lint_input
from manifestlint.loader import Limits, load_bytes
from manifestlint.loader.comments import Directives
from manifestlint.model import Notification, Severity
from manifestlint.plugins import plugin_manager
from manifestlint.registry import Catalogue, collect_rules
from manifestlint.report import Report
from manifestlint.selection import Layer, SelectorError, resolve

STDIN = "-"
PARALLEL_MIN_BYTES = 4 * 1024 * 1024  # below this, worker start-up costs more than it saves


@dataclass(slots=True)
class Options:
    """What the command line says, on top of the configuration."""

    paths: Sequence[str]
    config: Path | None = None
    no_config: bool = False
    fail_on: str | None = None
    jobs: int | None = None
    stdin_filename: str = "<stdin>"
    stdin_data: bytes | None = None  # stdin already read (--fix must write the stream it linted)
    show_suppressed: bool = False
    disable_plugins: list[str] = field(default_factory=list)
    root: Path = field(default_factory=Path.cwd)
    kubernetes_version: str | None = None
    schema_dirs: list[str] = field(default_factory=list)
    chart_dirs: list[str] = field(default_factory=list)
    render_helm: bool = False
    render_kustomize: bool = False
    scope: str | None = None
    plan_fixes: bool = False  # plan each fix's text edits while its file is at hand (SARIF carries them)


def settings_for(options: Options) -> Settings:
    """The configuration file's settings with the command line's applied over them."""
    path = options.config
    if path is None and not options.no_config:
        path = config_mod.discover(Path.cwd())
    elif path is not None and not path.is_file():
        raise ConfigError(f"config file {path} not found")
    settings = config_mod.load(path)
    if options.fail_on:
        settings.fail_on = None if options.fail_on == "never" else Severity.parse(options.fail_on)
    if options.jobs:
        settings.jobs = options.jobs
    settings.disable_plugins += options.disable_plugins
    settings.kubernetes_version = options.kubernetes_version or settings.kubernetes_version
    settings.schema_dirs += options.schema_dirs
    settings.chart_dirs += options.chart_dirs
    settings.scope = options.scope or settings.scope
    return settings


def load_catalogue(settings: Settings) -> Catalogue:
    pm, notes = plugin_manager(blocked=settings.disable_plugins)
    catalogue = collect_rules(pm)
    catalogue.notifications[:0] = notes
    return catalogue


def prepare(settings: Settings, catalogue: Catalogue, command_line: Layer | None = None) -> RuleSet:
    """The rule set a run uses: the configuration's selection, with the command line's over it.

    A selector, rule name or rule option that names nothing or does not fit is a ``ConfigError``.
    """
    config_mod.check_rule_references(settings, catalogue)
    layers = [Layer(settings.select, settings.extend_select, settings.ignore, origin=str(settings.source or ""))]
    try:
        chosen = resolve(catalogue.rules.values(), [*layers, *([command_line] if command_line else [])])
    except SelectorError as exc:
        raise ConfigError(str(exc)) from None
    return build_ruleset(chosen, _by_id(settings.severity, catalogue),
                         _with_run_options(settings, _by_id(settings.rule_options, catalogue), chosen),
                         scope=settings.scope)


def _with_run_options(settings: Settings, options: dict[str, Any], rules: Sequence[Any]) -> dict[str, Any]:
    """Run-wide settings (``kubernetes-version``, ``schema-dirs``) as options of every rule declaring them;
    a rule's own option wins."""
    run_wide = {"kubernetes-version": settings.kubernetes_version, "schema-dirs": settings.schema_dirs or None}
    merged = dict(options)
    for rule in rules:
        declared = (rule.meta.options_schema or {}).get("properties", {})
        extra = {key: value for key, value in run_wide.items() if value is not None and key in declared}
        if extra:
            merged[rule.meta.id] = {**extra, **options.get(rule.meta.id, {})}
    return merged


def _by_id(values: dict[str, Any], catalogue: Catalogue) -> dict[str, Any]:
    resolved = {}
    for key, value in values.items():
        rule = catalogue.find(key)
        if rule is not None:
            resolved[rule.meta.id] = value
    return resolved


def run(options: Options, settings: Settings, catalogue: Catalogue, ruleset: RuleSet) -> Report:
    """Lint every input and return the report. Raises ``PathError`` for a missing path."""
    # A run builds millions of small acyclic objects and keeps the documents whole-input rules need:
    # the cyclic garbage collector would rescan them again and again (~15% of a 10,000-document run).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(options, settings, catalogue, ruleset)
    finally:
        if collecting:
            gc.enable()


def _run(options: Options, settings: Settings, catalogue: Catalogue, ruleset: RuleSet) -> Report:
    started = time.perf_counter()
    report = Report(rules=[a.rule for a in ruleset.active.values()],
                    severities={rule_id: a.severity for rule_id, a in ruleset.active.items()},
                    root=str(options.root), show_suppressed=options.show_suppressed)
    report.notifications.extend(catalogue.notifications)
    report.notifications.extend(Notification(Severity.NOTE, f"{rule_id}: {note}", rule_id=rule_id)
                                for rule_id, active in ruleset.active.items()
                                for note in active.rule.run_notes(active.context))
    results: list[FileResult] = []
    directives: dict[str, Directives] = {}
    files = [] if list(options.paths) == [STDIN] else list(
        expand([p for p in options.paths if p != STDIN], options.root, settings.exclude))
    if STDIN in options.paths:
        data = sys.stdin.buffer.read() if options.stdin_data is None else options.stdin_data
        loaded = load_bytes(options.stdin_filename, data, settings.limits, check_path=False)
        directives[loaded.path] = loaded.directives
        results.append(lint_file(loaded, ruleset))
    results.extend(_lint_files(files, settings, ruleset, options, directives))
    if options.render_helm:
        results.extend(_lint_rendered_charts(files, settings, ruleset, options))
    if options.render_kustomize:
        results.extend(_lint_built_kustomizations(files, settings, ruleset, options, results))
    retained = [doc for result in results for doc in result.retained]
    if ruleset.input_rules:
        results.append(lint_input(retained, ruleset, directives))
    for result in results:
        for finding in result.findings:
            (report.suppressed if finding.suppressed_by else report.findings).append(finding)
        report.notifications.extend(result.notifications)
        report.documents += result.documents
        if result.path:
            report.files += 1
            report.paths.append(result.path)
            report.skipped_files += result.skipped is not None
    if settings.chart_dirs or any(f.in_chart_templates for f in files):
        from manifestlint.helm.mapping import chart_index, map_findings, one_note_per_chart

        charts = chart_index(settings.chart_dirs, ((f.path, f.in_chart_templates) for f in files))
        if charts:
            map_findings([*report.findings, *report.suppressed], charts, options.root)
        report.notifications = one_note_per_chart(report.notifications, ((f.path, f.display, f.in_chart_templates)
                                                                         for f in files), options.root)
    report.findings.sort(key=lambda f: f.sort_key())
    report.suppressed.sort(key=lambda f: f.sort_key())
    report.elapsed = time.perf_counter() - started
    return report


def _lint_rendered_charts(files: list[InputFile], settings: Settings, ruleset: RuleSet,
                          options: Options) -> list[FileResult]:
    """``--render-helm``: lint what ``helm template`` renders for each chart found or named."""
    from manifestlint.discovery import display_path
    from manifestlint.helm.charts import chart_root, outermost_chart
    from manifestlint.helm.render import render

    charts = {outermost_chart(root): None for f in files if f.in_chart_templates
              if (root := chart_root(f.path)) is not None}
    charts.update({Path(d).resolve(): None for d in settings.chart_dirs})
    results = []
    for chart in charts:
        shown = display_path(chart, options.root)
        output, error = render(chart)
        results.append(_lint_rendered(shown, f"{shown} (helm template)", output, error or "helm template failed",
                                      settings, ruleset))
    return results


def _lint_rendered(shown: str, name: str, output: bytes | None, error: str, settings: Settings,
                   ruleset: RuleSet) -> FileResult:
    """A rendered stream linted as one more input named ``name``; a failed render is an error at ``shown``."""
    if output is None:
        result = FileResult(shown)
        result.notifications.append(Notification(Severity.ERROR, error, shown, kind="unreadable"))
        return result
    return lint_file(load_bytes(name, output, settings.limits, check_path=False), ruleset)


def _lint_built_kustomizations(files: list[InputFile], settings: Settings, ruleset: RuleSet, options: Options,
                               linted: list[FileResult]) -> list[FileResult]:
    """``--render-kustomize``: lint what ``kustomize build`` prints for each kustomization found or named.

    The kustomization files themselves, skipped in ``linted``, get a note that their build was linted.
    """
    from manifestlint.discovery import display_path
    from manifestlint.kustomize.build import build, kustomizations

    walked = {f.path.resolve(): f.display for f in files}
    given = [Path(p) for p in options.paths if p != STDIN and Path(p).is_dir()]
    results = []
    built: dict[str, str] = {}
    for folder, file in kustomizations([*given, *(f.path.parent for f in files)]).items():
        shown = display_path(folder, options.root)
        output, error = build(folder, shown)
        file_shown = walked.get(file, display_path(file, options.root))
        name = f"{file_shown} (kustomize build)"
        if output is not None:
            built[file_shown] = name
        results.append(_lint_rendered(shown, name, output, error or "kustomize build failed", settings, ruleset))
    for result in linted:
        if result.skipped and result.path in built:
            result.skipped = f"a Kustomize file: its build is linted as `{built[result.path]}`"
            result.notifications = [replace(n, message=f"skipped: {result.skipped}")
                                    if n.kind == "skipped" else n for n in result.notifications]
    return results


def _lint_files(files: list[InputFile], settings: Settings, ruleset: RuleSet, options: Options,
                directives: dict[str, Directives]) -> list[FileResult]:
    jobs = settings.jobs or _default_jobs(files)
    if jobs <= 1 or len(files) < 2:
        return [_lint_one(f, settings.limits, ruleset, directives, options.plan_fixes) for f in files]
    from concurrent.futures import ProcessPoolExecutor  # only here: multiprocessing costs ~5 ms to import

    chunks = [files[i::jobs * 4] for i in range(jobs * 4)]
    # Forked workers inherit the rule set ready-made; others (spawn, forkserver) build their own.
    _WORKER.update(ruleset=ruleset, limits=settings.limits, plan_fixes=options.plan_fixes)
    try:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init, initargs=(options, settings)) as pool:
            results: list[FileResult] = []
            for chunk_results, chunk_directives in pool.map(_worker_lint, chunks):
                results.extend(chunk_results)
                directives.update(chunk_directives)
    finally:
        _WORKER.clear()
    order = {f.display: i for i, f in enumerate(files)}  # as one process would: whole-input rules see the same
    results.sort(key=lambda r: order.get(r.path, len(order)))
    return results


def _default_jobs(files: list[InputFile]) -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if cores <= 1:
        return 1
    total = 0
    for file in files:
        try:
            total += file.path.stat().st_size
        except OSError:
            continue
        if total >= PARALLEL_MIN_BYTES:
            return cores
    return 1


def _lint_one(file: InputFile, limits: Limits, ruleset: RuleSet, directives: dict[str, Directives],
              plan_fixes: bool = False) -> FileResult:
    try:
        data = file.path.read_bytes()
    except OSError as exc:
        result = FileResult(file.display)
        result.notifications.append(Notification(Severity.ERROR, f"cannot read file: {exc.strerror or exc}",
                                                 file.display, kind="unreadable"))
        return result
    loaded = load_bytes(file.display, data, limits, in_chart_templates=file.in_chart_templates)
    if loaded.directives:
        directives[loaded.path] = loaded.directives
    text = loaded.documents[0].source.text if loaded.documents else ""  # before lint_file compacts it
    result = lint_file(loaded, ruleset)
    if plan_fixes and text:
        from manifestlint.fix.planned import plan_in_run

        plan_in_run(result.findings, loaded, text)
    return result


_WORKER: dict[str, Any] = {}


def _worker_init(options: Options, settings: Settings) -> None:
    gc.disable()  # as in ``run``: a worker's objects are many and acyclic
    if "ruleset" in _WORKER:  # forked from the run: its rule set came along
        return
    catalogue = load_catalogue(settings)
    _WORKER.update(ruleset=prepare(settings, catalogue), limits=settings.limits, plan_fixes=options.plan_fixes)


def _worker_lint(files: list[InputFile]) -> tuple[list[FileResult], dict[str, Directives]]:
    directives: dict[str, Directives] = {}
    results = [_lint_one(f, _WORKER["limits"], _WORKER["ruleset"], directives, _WORKER["plan_fixes"]) for f in files]
    return results, directives
