"""The command line: ``manifestlint [check] PATH…`` and ``manifestlint rules [show ID]``.

Exit codes: 0 no finding at or above ``--fail-on``; 1 findings; 2 usage errors, missing or
unreadable paths, bad configuration, and internal errors (always one clear line on stderr).
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from manifestlint import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
SUBCOMMANDS = ("check", "rules")


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


class UserError(Exception):
    """A problem the user must fix; printed as one line, exit 2."""


lint_app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None,
                       context_settings={"help_option_names": ["-h", "--help"]})
rules_app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None,
                        context_settings={"help_option_names": ["-h", "--help"]}, no_args_is_help=False)


def _split(values: Optional[list[str]]) -> list[str]:
    return [item.strip() for value in values or [] for item in value.split(",") if item.strip()]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"manifestlint {__version__}")
        raise typer.Exit()


@lint_app.command(name="check", help="Lint Kubernetes manifests and cluster configuration files.\n\n"
                  "PATHS are files or folders (searched for .yaml, .yml and .json); '-' reads stdin, "
                  "e.g. `helm template CHART | manifestlint -`.")
def check(
    paths: Annotated[Optional[list[str]], typer.Argument(help="Files and folders to lint; '-' for stdin.")] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the report to FILE.")] = None,
    sarif_file: Annotated[Optional[Path], typer.Option(help="Also write SARIF to FILE in the same run.")] = None,
    config: Annotated[Optional[Path], typer.Option("--config", "-c", help="Configuration file.")] = None,
    no_config: Annotated[bool, typer.Option(help="Ignore configuration files.")] = False,
    select: Annotated[Optional[list[str]], typer.Option(help="Run only these rules (ids, prefixes, names, "
                                                             "checklist items, tags; comma-separated).")] = None,
    extend_select: Annotated[Optional[list[str]], typer.Option(help="Run these rules too.")] = None,
    ignore: Annotated[Optional[list[str]], typer.Option(help="Do not run these rules.")] = None,
    fail_on: Annotated[Optional[FailOn], typer.Option(help="Lowest severity that fails the run "
                                                           "[default: warning].")] = None,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, help="Worker processes "
                                                "[default: cores, for large inputs].")] = None,
    color: Annotated[Color, typer.Option(help="Colour the text output.")] = Color.auto,
    show_suppressed: Annotated[bool, typer.Option(help="List suppressed findings too.")] = False,
    stdin_filename: Annotated[str, typer.Option(help="Name to report for stdin.")] = "<stdin>",
    disable_plugin: Annotated[Optional[list[str]], typer.Option(help="Do not load this plugin.")] = None,
    root: Annotated[Optional[Path], typer.Option(help="Directory that report paths are relative to "
                                                      "[default: current directory].")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Also say which files were skipped "
                                          "and why.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print findings only, no summary.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version.")] = False,
) -> None:
    from manifestlint.config import ConfigError
    from manifestlint.discovery import PathError
    from manifestlint.runner import Options, load_catalogue, prepare, run, settings_for

    options = Options(paths=paths or ["."], config=config, no_config=no_config,
                      select=_split(select) if select else None, extend_select=_split(extend_select),
                      ignore=_split(ignore), fail_on=fail_on.value if fail_on else None, jobs=jobs,
                      stdin_filename=stdin_filename, show_suppressed=show_suppressed,
                      disable_plugins=_split(disable_plugin), root=(root or Path.cwd()).resolve())
    try:
        settings = settings_for(options)
        catalogue = load_catalogue(settings)
        ruleset = prepare(settings, catalogue)
        report = run(options, settings, catalogue, ruleset)
    except (ConfigError, PathError) as exc:
        raise UserError(str(exc)) from None
    from manifestlint.reporters import text

    renderers = _renderers(settings.disable_plugins)
    use_color = _use_color(color, output)
    if format is Format.text:
        body = text.render(report, color=use_color, verbose=verbose)
        if quiet:
            body = "".join(line + "\n" for line in body.splitlines()[:-1])
    else:
        body = renderers[format.value](report)
        if format is Format.github:
            body += text.render(report, color=False, verbose=verbose)
    _write(body, output)
    if sarif_file is not None:
        _write(renderers["sarif"](report), sarif_file)
    for note in report.notifications:
        if note.level.value == "error" and format is not Format.text:
            typer.echo(f"manifestlint: {note.message}", err=True)
    hard_errors = [n for n in report.notifications if n.kind in ("rule-crash", "unreadable")]
    if hard_errors:
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(EXIT_FINDINGS if report.failed(settings.fail_on) else EXIT_CLEAN)


def _renderers(disabled: list[str]) -> dict[str, object]:
    from manifestlint.plugins import plugin_manager

    pm, _ = plugin_manager(blocked=disabled, load_entry_points=False)
    renderers: dict[str, object] = {}
    for found in pm.hook.manifestlint_reporters():
        renderers.update(found)
    return renderers


def _use_color(color: Color, output: Optional[Path]) -> bool:
    if color is Color.always:
        return True
    if color is Color.never or output is not None or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


def _write(body: str, path: Optional[Path]) -> None:
    if path is None:
        sys.stdout.write(body)
        sys.stdout.flush()
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None


@rules_app.command(name="list", help="List every rule: id, name, severity, checklist items, enabled.")
def rules_list(
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    config: Annotated[Optional[Path], typer.Option("--config", "-c", help="Configuration file.")] = None,
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
    written = docs.write(catalogue, directory)  # type: ignore[arg-type]
    typer.echo(f"wrote {len(written)} files to {directory}")


def _catalogue(config: Optional[Path]) -> tuple[object, set[str]]:
    from manifestlint.config import ConfigError
    from manifestlint.runner import Options, load_catalogue, prepare, settings_for

    try:
        settings = settings_for(Options(paths=[], config=config))
        catalogue = load_catalogue(settings)
        enabled = set(prepare(settings, catalogue).active)
    except ConfigError as exc:
        raise UserError(str(exc)) from None
    return catalogue, enabled


def main(argv: Optional[list[str]] = None) -> int:
    """Entry point of the ``manifestlint`` command; returns the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "rules":
        app, args = rules_app, args[1:]
        if not args or args[0].startswith("-") and args[0] not in ("-h", "--help"):
            args = ["list", *args]
    else:
        app = lint_app
        if args and args[0] == "check":
            args = args[1:]
    try:
        code = app(args=args, prog_name="manifestlint", standalone_mode=False)
    except typer.Exit as exc:
        return exc.exit_code
    except UserError as exc:
        typer.echo(f"manifestlint: error: {exc}", err=True)
        return EXIT_ERROR
    except KeyboardInterrupt:
        typer.echo("manifestlint: interrupted", err=True)
        return 130
    except BrokenPipeError:
        return EXIT_CLEAN
    except Exception as exc:  # the last guard: one line, never a traceback
        if _is_click_usage(exc):
            typer.echo(f"manifestlint: error: {exc}", err=True)
            return EXIT_ERROR
        typer.echo(f"manifestlint: internal error: {type(exc).__name__}: {exc}", err=True)
        return EXIT_ERROR
    return code if isinstance(code, int) else EXIT_CLEAN


def _is_click_usage(exc: Exception) -> bool:
    return any(cls.__name__ in ("UsageError", "BadParameter", "NoSuchOption", "MissingParameter", "ClickException")
               for cls in type(exc).__mro__)
