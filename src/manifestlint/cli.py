"""The command line: ``manifestlint [check] PATH…`` and ``manifestlint rules [show ID]``.

Exit codes: 0 no finding at or above ``--fail-on``; 1 findings; 2 usage errors, missing or
unreadable paths, bad configuration, and internal errors (always one clear line on stderr).
"""

from __future__ import annotations

import gc
import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from manifestlint import __version__

if TYPE_CHECKING:
    from manifestlint.command import Outcome
    from manifestlint.registry import Catalogue

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
SUBCOMMANDS = ("check", "rules", "checklist")


class Format(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"
    junit = "junit"


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    note = "note"
    never = "never"


class Scope(str, Enum):
    default = "default"
    cluster = "cluster"


class UserError(Exception):
    """A problem the user must fix; printed as one line, exit 2."""


lint_app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None,
                       context_settings={"help_option_names": ["-h", "--help"]})
rules_app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None,
                        context_settings={"help_option_names": ["-h", "--help"]}, no_args_is_help=False)


def check_run_options(config: Path | None, no_config: bool, kubernetes_version: str | None) -> None:
    """The checks every linting command makes of the options it shares; ``UserError`` names the bad one."""
    if config is not None and no_config:
        raise UserError("--config and --no-config cannot be used together")
    if kubernetes_version is not None:
        from manifestlint.builtin.api_versions.release import parse_release

        try:
            parse_release(kubernetes_version)
        except ValueError as exc:
            raise UserError(f"--kubernetes-version: {exc}") from None


def _split(values: list[str] | None) -> list[str]:
    return [item.strip() for value in values or [] for item in value.split(",") if item.strip()]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"manifestlint {installed_version()}")
        raise typer.Exit()


def installed_version() -> str:
    """The installed distribution's version (package metadata); the source's own when not installed."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("manifestlint")
    except PackageNotFoundError:
        return __version__


@lint_app.command(name="check", help="Lint Kubernetes manifests and cluster configuration files.\n\n"
                  "PATHs are files or folders (searched for .yaml, .yml and .json; .git, node_modules and "
                  "vendor are left out); '-' reads stdin, e.g. `helm template CHART | manifestlint -`.\n\n"
                  "Exit status: 0 no finding at or above --fail-on, 1 findings, 2 usage or input errors.")
def check(
    paths: Annotated[list[str] | None, typer.Argument(metavar="[PATH]...", show_default=False,
                                                         help="Files and folders to lint; '-' for stdin "
                                                              "[default: .].")] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE", dir_okay=False,
                                                   help="Write the report to FILE (never coloured).")] = None,
    sarif_file: Annotated[Path | None, typer.Option(metavar="FILE", dir_okay=False,
                                                       help="Also write SARIF to FILE in the same run.")] = None,
    config: Annotated[Path | None, typer.Option("--config", "-c", metavar="FILE",
                                                   help="Configuration file (.manifestlint.yaml or pyproject.toml) "
                                                        "[default: searched upward from the current folder].")
                      ] = None,
    no_config: Annotated[bool, typer.Option("--no-config", help="Use no configuration file.")] = False,
    select: Annotated[list[str] | None, typer.Option(metavar="RULES", help="Run only these rules: ids, id "
                                                        "prefixes, names, checklist items or tags, comma-separated "
                                                        "(replaces the configured selection).")] = None,
    extend_select: Annotated[list[str] | None, typer.Option(metavar="RULES", help="Run these rules too.")
                             ] = None,
    ignore: Annotated[list[str] | None, typer.Option(metavar="RULES", help="Do not run these rules.")] = None,
    exclude: Annotated[list[str] | None, typer.Option(metavar="GLOB", help="Leave out matching files and "
                                                         "folders too (relative to the current folder).")] = None,
    fail_on: Annotated[FailOn | None, typer.Option(help="Lowest severity that fails the run "
                                                           "[default: warning].", show_default=False)] = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, metavar="N",
                                                help="Worker processes [default: cores, for large inputs].")
                    ] = None,
    color: Annotated[Color, typer.Option(help="Colour the text output; auto: on a terminal unless NO_COLOR "
                                              "is set.")] = Color.auto,
    show_suppressed: Annotated[bool, typer.Option("--show-suppressed", help="List suppressed findings too, "
                                                  "with what suppressed them.")] = False,
    stdin_filename: Annotated[str | None, typer.Option(metavar="NAME", help="Name to report for stdin "
                                                          "(reads stdin when no PATH is given).")] = None,
    disable_plugin: Annotated[list[str] | None, typer.Option(metavar="NAME", help="Do not load this plugin.")
                              ] = None,
    root: Annotated[Path | None, typer.Option(metavar="DIR", file_okay=False,
                                                 help="Folder that report paths are relative to "
                                                      "[default: current folder].")] = None,
    kubernetes_version: Annotated[str | None, typer.Option(metavar="X.Y", help="Kubernetes release to check "
                                                           "API versions and schemas against [default: 1.35].",
                                                           show_default=False)] = None,
    schema_dir: Annotated[list[str] | None, typer.Option(metavar="DIR", help="Folder of extra JSON Schemas for "
                                                         "custom resources (repeatable).")] = None,
    chart_dir: Annotated[list[str] | None, typer.Option(metavar="DIR", help="Helm chart source folder: report "
                                                        "findings of its rendered output in the templates "
                                                        "(repeatable).")] = None,
    render_helm: Annotated[bool, typer.Option("--render-helm", help="Render the Helm charts found with `helm "
                                              "template` (default values, offline) and lint the output.")] = False,
    render_kustomize: Annotated[bool, typer.Option("--render-kustomize", help="Build the kustomizations found "
                                                   "with `kustomize build` (or `kubectl kustomize`), offline, and "
                                                   "lint the output.")] = False,
    scope: Annotated[Scope | None, typer.Option(help="default: namespace-level rules judge only namespaces whose "
                                                     "Namespace object is in the input; cluster: the input is the "
                                                     "whole cluster (every namespace used is judged, inventory rules "
                                                     "run) [default: default].", show_default=False)] = None,
    baseline: Annotated[Path | None, typer.Option(metavar="FILE", dir_okay=False, help="Report only findings that "
                                                     "are not in this baseline file (see --write-baseline).")
                        ] = None,
    write_baseline: Annotated[Path | None, typer.Option(metavar="FILE", dir_okay=False, help="Record today's open "
                                                           "findings in FILE, accepting them; fixed ones drop out.")
                              ] = None,
    sarif_category: Annotated[str | None, typer.Option(metavar="NAME", help="SARIF automationDetails.id: one "
                                                          "category per upload keeps several runs (one per cluster "
                                                          "folder) apart in code scanning.")] = None,
    fix: Annotated[bool, typer.Option("--fix", help="Apply the fixes of fixable findings in place (comments, "
                                      "order and layout kept; each result re-linted first); with '-', print the "
                                      "fixed stream on stdout and the report on stderr.")] = False,
    diff: Annotated[bool, typer.Option("--diff", help="Print the fixes as a unified diff and change nothing "
                                       "(exit 1 when there is one).")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Also list the files and folders left out, "
                                          "and why.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print findings only: no summary, no notes.")
                     ] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    if quiet and verbose:
        raise UserError("--quiet and --verbose cannot be used together")
    check_run_options(config, no_config, kubernetes_version)
    if render_helm:
        import shutil

        if shutil.which("helm") is None:
            raise UserError("--render-helm needs the `helm` command on the PATH; without it, lint rendered output: "
                            "`helm template CHART | manifestlint - --chart-dir CHART`")
    if render_kustomize:
        from manifestlint.kustomize.build import command as kustomize_command

        if kustomize_command() is None:
            raise UserError("--render-kustomize needs the `kustomize` or `kubectl` command on the PATH; without "
                            "them, lint built output: `kustomize build DIR | manifestlint -`")
    from manifestlint import command

    if not paths:
        paths = [command.STDIN] if stdin_filename is not None else ["."]
    request = command.Request(
        paths=paths, config=config, no_config=no_config, select=_split(select) if select else None,
        extend_select=_split(extend_select), ignore=_split(ignore), exclude=_split(exclude),
        fail_on=fail_on.value if fail_on else None, jobs=jobs, stdin_filename=stdin_filename or "<stdin>",
        show_suppressed=show_suppressed, disable_plugins=_split(disable_plugin), root=root or Path.cwd(),
        verbose=verbose, fix=fix, diff=diff,
        kubernetes_version=kubernetes_version, schema_dirs=schema_dir or [], chart_dirs=chart_dir or [],
        render_helm=render_helm, render_kustomize=render_kustomize, scope=scope.value if scope else None,
        baseline=baseline, write_baseline=write_baseline, sarif_category=sarif_category,
        plan_fixes=format is Format.sarif or sarif_file is not None)
    try:
        outcome = command.check(request)
    except command.CheckError as exc:
        raise UserError(str(exc)) from None
    report = outcome.report
    if verbose:
        _say(f"configuration: {outcome.settings.source or 'none, the defaults'}")
    if outcome.baseline_written is not None and not quiet:
        _say(f"wrote {outcome.baseline_written} finding{'s' if outcome.baseline_written != 1 else ''} to the "
             f"baseline {write_baseline}")

    from manifestlint.reporters import text

    if diff:
        raise typer.Exit(_print_diff(outcome, output, quiet))
    to_file = output is not None
    use_color = _use_color(color, to_file)
    if format is Format.text:
        body = text.render(report, color=use_color, verbose=verbose, summary_line=not quiet, notes=not quiet,
                           errors=to_file)
    else:
        body = outcome.render(format.value)
        if format is Format.github:
            body += text.render(report, verbose=verbose, summary_line=not quiet, notes=not quiet, errors=to_file)
    stream = _fixed_stream(outcome) if fix else None
    if stream is not None and output is None:  # stdout carries the fixed stream
        typer.echo(body, err=True, nl=False)
    else:
        _write(body, output)
    if stream is not None:
        _write_bytes(stream)
    if fix and not quiet and outcome.fixes is not None:
        from manifestlint.fix.run import summary

        line = summary(outcome.fixes, report, write=True)
        typer.echo(line, err=format is not Format.text or stream is not None or to_file)
    if sarif_file is not None:
        _write(outcome.render("sarif"), sarif_file)
    for note in outcome.errors:
        where = f"{note.path}{':' + str(note.line) if note.line else ''}: " if note.path else ""
        _say(f"error: {where}{note.message}")
    if report.files == 0 and not quiet:
        _say("warning: no .yaml, .yml or .json files to lint" + ("" if verbose else "; --verbose says what "
                                                                                    "was left out"))
    if outcome.errors:
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(EXIT_FINDINGS if report.failed(outcome.settings.fail_on) else EXIT_CLEAN)


def _print_diff(outcome: Outcome, output: Path | None, quiet: bool) -> int:
    """``--diff``: every fix as a unified diff; the exit code (1 when there is something to fix)."""
    from manifestlint.fix.diff import unified
    from manifestlint.fix.run import summary

    fixes = outcome.fixes
    assert fixes is not None
    _write("".join(unified(f) for f in fixes.files), output)
    for note in outcome.errors:
        _say(f"error: {note.path + ': ' if note.path else ''}{note.message}")
    if not quiet:
        for note in fixes.notes:
            where = f"{note.path}{':' + str(note.line) if note.line else ''}: " if note.path else ""
            _say(f"{where}{note.message}")
        _say(summary(fixes, outcome.report, write=False))
    if outcome.errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if fixes.changed_files else EXIT_CLEAN


def _fixed_stream(outcome: Outcome) -> bytes | None:
    """With stdin, the stream to print: fixed, or as it came when nothing was fixed."""
    fixes = outcome.fixes
    if fixes is None or fixes.stdin is None:
        return None
    for fixed in fixes.files:
        if fixed.target is None:
            return fixed.fixed if fixed.written and fixed.fixed is not None else fixed.original
    return fixes.stdin


def _write_bytes(data: bytes) -> None:
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _say(message: str) -> None:
    typer.echo(f"manifestlint: {message}", err=True)


def _use_color(color: Color, to_file: bool) -> bool:
    """Colour only on a terminal: never into a file; ``auto`` honours NO_COLOR, FORCE_COLOR and TERM=dumb."""
    if to_file or color is Color.never:
        return False
    if color is Color.always:
        return True
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


def _write(body: str, path: Path | None) -> None:
    if path is None:
        try:
            sys.stdout.write(body)
            sys.stdout.flush()
        except BrokenPipeError:  # `manifestlint … | head`: the reader has all it wants
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None


@rules_app.command(name="list", help="List every rule: id, name, severity, checklist items, enabled.")
def rules_list(
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    config: Annotated[Path | None, typer.Option("--config", "-c", help="Configuration file.")] = None,
) -> None:
    from manifestlint import catalogue_view

    catalogue, enabled = _catalogue(config)
    if format == "json":
        typer.echo(catalogue_view.as_json(catalogue, enabled))
    elif format == "text":
        typer.echo(catalogue_view.as_table(catalogue, enabled), nl=False)
    else:
        raise UserError(f"--format: {format!r} is not one of text, json")


@rules_app.command(name="show", help="Print a rule's whole documentation.")
def rules_show(rule: Annotated[str, typer.Argument(help="Rule id or name.")]) -> None:
    from manifestlint import docs

    catalogue, _ = _catalogue(None)
    found = catalogue.find(rule)
    if found is None:
        raise UserError(f"no rule {rule!r}; `manifestlint rules` lists them")
    typer.echo(docs.page(found), nl=False)


@rules_app.command(name="docs", help="Write every rule's page and an index to DIRECTORY (docs/rules).")
def rules_docs(directory: Annotated[Path, typer.Argument(help="Output directory.")]) -> None:
    from manifestlint import docs

    catalogue, _ = _catalogue(None)
    written = docs.write(catalogue, directory)
    typer.echo(f"wrote {len(written)} files to {directory}")


def _catalogue(config: Path | None) -> tuple[Catalogue, set[str]]:
    from manifestlint import command

    try:
        return command.rule_catalogue(config)
    except command.CheckError as exc:
        raise UserError(str(exc)) from None


def entry() -> None:
    """The ``manifestlint`` command: run, flush, and leave without tearing down the heap.

    Freeing the documents a large run keeps (every object, one by one) takes longer than a third of
    the run itself; the process ends anyway, so it exits at once once the output is flushed.
    """
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        code = code or 0
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    """Run the ``manifestlint`` command line in this process; returns the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    for stream in (sys.stdout, sys.stderr):  # a path or message the terminal cannot encode is no reason to fail
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    prog = "manifestlint"
    if args and args[0] == "admins":
        from manifestlint.admins import admins_app

        app, args, prog = admins_app, args[1:], "manifestlint admins"
    elif args and args[0] == "checklist":
        from manifestlint.scorecard.command import checklist_app

        app, args, prog = checklist_app, args[1:], "manifestlint checklist"
    elif args and args[0] == "rules":
        app, args, prog = rules_app, args[1:], "manifestlint rules"
        if not args or args[0].startswith("-") and args[0] not in ("-h", "--help"):
            args = ["list", *args]
    else:
        app = lint_app
        if args and args[0] == "check":
            args = args[1:]
    # One command builds many small objects and few cycles: the cyclic collector would rescan the
    # report and the kept documents again and again (~0.2 s of a 10,000-document run outside ``run``).
    collecting = gc.isenabled()
    gc.disable()
    try:
        code = app(args=args, prog_name=prog, standalone_mode=False)
    except typer.Exit as exc:
        return exc.exit_code
    except UserError as exc:
        typer.echo(f"manifestlint: error: {exc}", err=True)
        return EXIT_ERROR
    except KeyboardInterrupt:
        typer.echo("manifestlint: interrupted", err=True)
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_CLEAN
    except Exception as exc:  # the last guard: one line, never a traceback
        if _is_click_usage(exc):
            message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
            typer.echo(f"manifestlint: error: {' '.join(message.split())} (see `{prog} --help`)", err=True)
            return EXIT_ERROR
        if os.environ.get("MANIFESTLINT_TRACEBACK"):
            raise
        typer.echo(f"manifestlint: internal error: {type(exc).__name__}: {exc} (set MANIFESTLINT_TRACEBACK=1 "
                   "for the traceback, and please report it)", err=True)
        return EXIT_ERROR
    finally:
        if collecting:
            gc.enable()
    return code if isinstance(code, int) else EXIT_CLEAN


def _is_click_usage(exc: Exception) -> bool:
    return any(cls.__name__ in ("UsageError", "BadParameter", "NoSuchOption", "MissingParameter", "ClickException")
               for cls in type(exc).__mro__)
