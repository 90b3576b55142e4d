"""``manifestlint checklist PATH…``: lint, then print the scorecard instead of the findings.

Exits 0 whatever the items say (it is a report, for a pull-request comment or a page), 2 on the
same usage and input errors as ``check``.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from manifestlint.cli import EXIT_CLEAN, EXIT_ERROR, Scope, UserError, _say, _split, _write, check_run_options


class CardFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    html = "html"


checklist_app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None,
                            context_settings={"help_option_names": ["-h", "--help"]})


@checklist_app.command(name="checklist", help="Show where the input stands against the K8S Production Checklist: "
                       "for every item, passed, its findings (the worst listed), needs --scope cluster, or not "
                       "checkable from files (with what to do instead).\n\nExit status: 0, or 2 for usage and "
                       "input errors.")
def checklist(
    paths: Annotated[list[str] | None, typer.Argument(metavar="[PATH]...", show_default=False,
                                                         help="Files and folders to lint; '-' for stdin "
                                                              "[default: .].")] = None,
    format: Annotated[CardFormat, typer.Option("--format", "-f", help="text, markdown (for a pull-request "
                                                                      "comment) or html (one self-contained "
                                                                      "page).")] = CardFormat.text,
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE", dir_okay=False,
                                                   help="Write the scorecard to FILE.")] = None,
    config: Annotated[Path | None, typer.Option("--config", "-c", metavar="FILE", help="Configuration file.")
                      ] = None,
    no_config: Annotated[bool, typer.Option("--no-config", help="Use no configuration file.")] = False,
    extend_select: Annotated[list[str] | None, typer.Option(metavar="RULES", help="Run these rules too "
                                                               "(e.g. NS-8 for its off-by-default rules).")] = None,
    ignore: Annotated[list[str] | None, typer.Option(metavar="RULES", help="Do not run these rules.")] = None,
    exclude: Annotated[list[str] | None, typer.Option(metavar="GLOB", help="Leave out matching files.")] = None,
    scope: Annotated[Scope | None, typer.Option(help="cluster: the input is the whole cluster, so the "
                                                     "network and inventory items can be judged "
                                                     "[default: default].", show_default=False)] = None,
    kubernetes_version: Annotated[str | None, typer.Option(metavar="X.Y", help="Kubernetes release to check "
                                                           "against.")] = None,
    baseline: Annotated[Path | None, typer.Option(metavar="FILE", dir_okay=False, help="Leave out the findings "
                                                     "of this baseline file.")] = None,
    stdin_filename: Annotated[str | None, typer.Option(metavar="NAME", help="Name to report for stdin.")] = None,
    title: Annotated[str, typer.Option(help="Heading of the page.")] = "K8S Production Checklist",
) -> None:
    from manifestlint import command
    from manifestlint.runner import load_catalogue
    from manifestlint.scorecard import html, markdown, model, text

    check_run_options(config, no_config, kubernetes_version)
    if not paths:
        paths = [command.STDIN] if stdin_filename is not None else ["."]
    request = command.Request(paths=paths, config=config, no_config=no_config, extend_select=_split(extend_select),
                              ignore=_split(ignore), exclude=_split(exclude), stdin_filename=stdin_filename or
                              "<stdin>", kubernetes_version=kubernetes_version,
                              scope=scope.value if scope else None, baseline=baseline)
    try:
        outcome = command.check(request)
    except command.CheckError as exc:
        raise UserError(str(exc)) from None
    catalogue = load_catalogue(outcome.settings)
    card = model.build(outcome.report, catalogue.rules.values(), outcome.settings.scope)
    if format is CardFormat.html:
        body = html.render(card, title)
    elif format is CardFormat.markdown:
        body = markdown.render(card)
    else:
        body = text.render(card)
    _write(body, output)
    for note in outcome.errors:
        where = f"{note.path}{':' + str(note.line) if note.line else ''}: " if note.path else ""
        _say(f"error: {where}{note.message}")
    raise typer.Exit(EXIT_ERROR if outcome.errors else EXIT_CLEAN)
