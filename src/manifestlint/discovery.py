"""Expand the paths given on the command line into the files to lint."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

EXTENSIONS = (".yaml", ".yml", ".json")
SKIPPED_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", "vendor", ".venv", "__pycache__", ".tox"})


class PathError(Exception):
    """A path given by the user that does not exist or cannot be read."""


@dataclass(frozen=True, slots=True)
class InputFile:
    """A file to lint: where it is, how to show it, and whether it is a chart template."""

    path: Path
    display: str
    in_chart_templates: bool = False


def display_path(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` with ``/`` separators when inside it, else as given."""
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _excluded(display: str, patterns: Sequence[str]) -> bool:
    return any(fnmatch.fnmatchcase(display, p) or fnmatch.fnmatchcase(display, p.rstrip("/") + "/*")
               or any(fnmatch.fnmatchcase(part, p) for part in display.split("/")) for p in patterns)


def expand(paths: Sequence[str], root: Path, exclude: Sequence[str]) -> Iterator[InputFile]:
    """Files under ``paths``: named files as given, directories walked for YAML and JSON files.

    Symlinked directories are followed once (loops are cut by their real path); ``.git``,
    ``node_modules``, ``vendor`` and the configured ``exclude`` globs are skipped. A path that does
    not exist raises ``PathError``.
    """
    root = root.resolve()
    for given in paths:
        path = Path(given)
        if path.is_file():
            yield InputFile(path, display_path(path, root), _in_chart_templates(path.resolve()))
        elif path.is_dir():
            yield from _walk(path, root, exclude)
        elif path.exists() or path.is_symlink():
            raise PathError(f"{given}: not a regular file or directory (a broken symlink?)")
        else:
            raise PathError(f"{given}: no such file or directory")


def _walk(top: Path, root: Path, exclude: Sequence[str]) -> Iterator[InputFile]:
    seen: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(top, followlinks=True, onerror=_raise):
        real = os.path.realpath(dirpath)
        if real in seen:
            dirnames[:] = []
            continue
        seen.add(real)
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_DIRS
                             and not _excluded(display_path(here / d, root), exclude))
        chart_templates = _in_chart_templates(Path(real))
        for name in sorted(filenames):
            if not name.endswith(EXTENSIONS):
                continue
            file = here / name
            display = display_path(file, root)
            if exclude and _excluded(display, exclude):
                continue
            if file.is_file():
                yield InputFile(file, display, chart_templates)


def _raise(error: OSError) -> None:
    raise PathError(f"{error.filename}: {error.strerror}")


def _in_chart_templates(path: Path) -> bool:
    """Whether ``path`` is inside the ``templates/`` folder of a Helm chart."""
    for parent in path.parents:
        if parent.name == "templates":
            return (parent.parent / "Chart.yaml").is_file()
    return False
