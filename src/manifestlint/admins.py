"""``manifestlint admins PATH…``: who is cluster admin (checklist OP-3), as a table or JSON.

Lists every subject bound to ``cluster-admin`` or to a role that grants ``*`` on ``*`` in every API group
(aggregated ClusterRoles resolved), every ``system:masters`` subject, and every binding to
``system:authenticated``, ``system:unauthenticated`` or ``system:anonymous``, with the binding and where
it is. Suppressions do not apply: an inventory lists everyone. Exits 0, or 2 on usage and input errors.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from manifestlint.builtin.rbac.subjects import ANONYMOUS_USER, PUBLIC_GROUPS
from manifestlint.cli import UserError, _say, _split, _write, check_run_options

# The subjects ML704 reports: bindings that give a role to everyone.
PUBLIC = {("Group", group) for group in PUBLIC_GROUPS} | {("User", ANONYMOUS_USER)}


class AdminsFormat(str, Enum):
    text = "text"
    json = "json"


@dataclass(frozen=True, slots=True)
class Entry:
    subject: str
    power: str
    scope: str
    binding: str
    role: str
    path: str
    line: int


admins_app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None,
                         context_settings={"help_option_names": ["-h", "--help"]})


@admins_app.command(name="admins", help="List who is cluster admin (checklist OP-3): subjects bound to "
                    "cluster-admin or an equivalent role, system:masters, and bindings to anonymous or all users."
                    "\n\nExit status: 0, or 2 for usage and input errors.")
def admins(
    paths: Annotated[list[str] | None, typer.Argument(metavar="[PATH]...", show_default=False,
                                                         help="Files and folders to read; '-' for stdin "
                                                              "[default: .].")] = None,
    format: Annotated[AdminsFormat, typer.Option("--format", "-f", help="Output format.")] = AdminsFormat.text,
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE", dir_okay=False,
                                                   help="Write the inventory to FILE.")] = None,
    config: Annotated[Path | None, typer.Option("--config", "-c", metavar="FILE", help="Configuration file "
                                                   "(for its excludes and limits).")] = None,
    no_config: Annotated[bool, typer.Option("--no-config", help="Use no configuration file.")] = False,
    exclude: Annotated[list[str] | None, typer.Option(metavar="GLOB", help="Leave out matching files.")] = None,
) -> None:
    check_run_options(config, no_config, None)
    entries = inventory(paths or ["."], config, no_config, _split(exclude))
    as_json = format is AdminsFormat.json
    _write(json.dumps([asdict(e) for e in entries], indent=2) + "\n" if as_json else render(entries), output)


def inventory(paths: list[str], config: Path | None, no_config: bool, exclude: list[str]) -> list[Entry]:
    """The administrators that the files under ``paths`` make, sorted by subject."""
    from manifestlint.builtin.rbac.admins import administrators
    from manifestlint.builtin.rbac.subjects import BOOTSTRAP_ROLES
    from manifestlint.cluster.model import ClusterModel
    from manifestlint.config import ConfigError
    from manifestlint.discovery import PathError, anchor, expand
    from manifestlint.loader import load_bytes
    from manifestlint.runner import STDIN, Options, settings_for

    try:
        settings = settings_for(Options(paths=paths, config=config, no_config=no_config))
        settings.exclude += [anchor(pattern, Path.cwd()) for pattern in exclude]
        docs = []
        if STDIN in paths:
            docs += load_bytes("<stdin>", sys.stdin.buffer.read(), settings.limits, check_path=False).documents
        for file in expand([p for p in paths if p != STDIN], Path.cwd(), settings.exclude):
            try:
                data = file.path.read_bytes()
            except OSError as exc:
                _say(f"{file.display}: cannot read file: {exc.strerror or exc}; left out of the inventory")
                continue
            docs += load_bytes(file.display, data, settings.limits, in_chart_templates=file.in_chart_templates
                               ).documents
    except (ConfigError, PathError) as exc:
        raise UserError(str(exc)) from None
    model = ClusterModel(docs)
    entries = [Entry(admin.subject.describe(), "system:masters" if admin.subject.name == "system:masters"
                     else "admin", admin.scope, admin.binding.label, admin.role.label, admin.binding.doc.path,
                     admin.binding.doc.locate(admin.subject.path).line)
               for admin in administrators(model)]
    for binding in model.rbac.bindings:
        if binding.role_name in BOOTSTRAP_ROLES:
            continue
        for subject in binding.subjects:
            if (subject.kind, subject.name) in PUBLIC:
                scope = "the cluster" if binding.namespace is None else model.describe(binding.namespace)
                entries.append(Entry(subject.describe(), "public", scope, binding.label,
                                     f"{binding.role_kind} {binding.role_name}", binding.doc.path,
                                     binding.doc.locate(subject.path).line))
    return sorted(entries, key=lambda e: (e.subject, e.scope, e.path, e.line))


def render(entries: list[Entry]) -> str:
    if not entries:
        return "No cluster administrators found in the input.\n"
    header = ("SUBJECT", "POWER", "OVER", "VIA", "ROLE", "WHERE")
    rows = [header] + [(e.subject, e.power, e.scope, e.binding, e.role, f"{e.path}:{e.line}") for e in entries]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True)) + "  " + row[-1]
             for row in rows]
    return "\n".join(lines) + f"\n\n{len(entries)} administrator binding{'s' if len(entries) != 1 else ''}.\n"
