"""Expand the paths given on the command line into the files to lint.

Folders are searched recursively for ``.yaml``, ``.yml`` and ``.json`` files, skipping version
control and dependency folders and the ``exclude`` globs. Symlinked folders are followed unless
they lead back to a folder being walked (a loop), and a file reached twice (named twice, or
through a symlink) is linted once.

Exclude globs use gitignore's habit: a pattern without a ``/`` (``testdata``, ``*.tmpl.yaml``)
matches a file or folder name at any depth; a pattern with one (``charts/**``,
``deploy/generated/*.yaml``) is a path relative to a base folder, the configuration file's folder
once ``anchor`` has made it absolute. ``**`` spans folders and a trailing ``/`` matches folders only.
"""

from __future__ import annotations

import os
import re
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


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file or folder left out of the run, and why (shown by ``--verbose``)."""

    display: str
    reason: str


def anchor(pattern: str, base: Path) -> str:
    """``pattern`` made independent of the working directory: relative to ``base`` when it has a ``/``."""
    body = pattern[2:] if pattern.startswith("./") else pattern
    if "/" not in body.rstrip("/") or os.path.isabs(body):
        return body
    prefix = _glob_escape(os.path.abspath(base).replace(os.sep, "/").rstrip("/"))
    return f"{prefix}/{body.lstrip('/')}"


def _glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


class Excludes:
    """Compiled exclude globs; see the module docstring for their meaning."""

    def __init__(self, patterns: Sequence[str], base: Path) -> None:
        self.patterns = list(patterns)
        self._names: list[tuple[re.Pattern[str], bool, str]] = []
        self._paths: list[tuple[re.Pattern[str], bool, str]] = []
        for pattern in patterns:
            anchored = anchor(pattern, base)
            dir_only = anchored.endswith("/")
            body = anchored.rstrip("/") or "/"
            target = self._paths if "/" in body else self._names
            target.append((re.compile(_translate(body)), dir_only, pattern))

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def match(self, path: str, *, is_dir: bool, names: Sequence[str] | None = None,
              parents: bool = True) -> str | None:
        """The pattern that excludes ``path`` (an absolute ``/``-separated path), if any.

        Name patterns are tried on ``names`` (default: the last part of ``path``): the folders and
        name of a path given on the command line, which no walk has tested one by one. ``parents``
        also tries the path patterns on every parent folder (a walk has tested those already).
        """
        names = [path.rpartition("/")[2]] if names is None else names
        for regex, dir_only, pattern in self._names:
            for i, name in enumerate(names):
                if (is_dir or not dir_only or i < len(names) - 1) and regex.fullmatch(name):
                    return pattern
        for regex, dir_only, pattern in self._paths:
            if (is_dir or not dir_only) and regex.fullmatch(path):
                return pattern
            if parents and _any_parent_matches(regex, path):
                return pattern
        return None


def _any_parent_matches(regex: re.Pattern[str], path: str) -> bool:
    index = path.rfind("/")
    while index > 0:
        if regex.fullmatch(path[:index]):
            return True
        index = path.rfind("/", 0, index)
    return False


def _translate(glob: str) -> str:
    """A regular expression for a ``/``-separated glob with ``**``, ``*``, ``?`` and ``[...]``."""
    out: list[str] = []
    i, n = 0, len(glob)
    while i < n:
        c = glob[i]
        if glob.startswith("**", i):
            j = i + 2
            at_start = i == 0 or glob[i - 1] == "/"
            if at_start and glob.startswith("/", j):
                out.append("(?:.*/)?")  # "**/": zero or more folders
                i = j + 1
                continue
            if at_start and j == n and out and out[-1] == "/":
                out[-1] = "(?:/.*)?"  # "/**" at the end: the folder and everything in it
                i = j
                continue
            out.append(".*")
            i = j
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            end = glob.find("]", i + 2 if glob.startswith(("[!", "[^"), i) else i + 1)
            if end < 0:
                out.append(re.escape(c))
                i += 1
                continue
            body = glob[i + 1:end]
            if len(body) == 1:  # also how `anchor` escapes a literal *, ? or [
                out.append(re.escape(body))
            else:
                negate = body[:1] in ("!", "^")
                body = body[1:] if negate else body
                out.append("[" + ("^" if negate else "") + body.replace("\\", "\\\\").replace("[", "\\[") + "]")
            i = end + 1
        else:
            out.append("/" if c == "/" else re.escape(c))
            i += 1
    return "".join(out)


def display_path(path: Path | str, root: Path) -> str:
    """``path`` relative to ``root`` with ``/`` separators when inside it, else as given.

    Symlinks are kept as the user sees them; only when the path is not under ``root`` that way is
    its real location tried.
    """
    absolute = os.path.abspath(path)
    relative = _relative(absolute, str(root))
    if relative is None:
        relative = _relative(os.path.realpath(absolute), str(root))
    return Path(path).as_posix() if relative is None else relative


def _relative(path: str, root: str) -> str | None:
    if path == root:
        return "."
    prefix = root.rstrip(os.sep) + os.sep
    return path[len(prefix):].replace(os.sep, "/") if path.startswith(prefix) else None


def _child(display: str, name: str) -> str:
    return name if display == "." else f"{display.rstrip('/')}/{name}"


def expand(paths: Sequence[str], root: Path, exclude: Sequence[str], *,
           skipped: list[Skipped] | None = None) -> Iterator[InputFile]:
    """Files under ``paths``: named files as given, folders walked for YAML and JSON files.

    ``exclude`` globs that are not absolute are taken relative to ``root``. A path that does not
    exist raises ``PathError``. When ``skipped`` is given, every file or folder left out is
    appended to it with the reason.
    """
    root = root.resolve()
    walker = _Walker(root, Excludes(exclude, root), skipped)
    for given in paths:
        yield from walker.given(given)


class _Walker:
    """One expansion: remembers what it has yielded so that nothing is linted twice."""

    def __init__(self, root: Path, excludes: Excludes, skipped: list[Skipped] | None) -> None:
        self.root = root
        self.excludes = excludes
        self.skipped = skipped
        self.seen_files: dict[str, str] = {}  # real path -> display path
        self.seen_dirs: set[str] = set()

    def _skip(self, display: str, reason: str) -> None:
        if self.skipped is not None:
            self.skipped.append(Skipped(display, reason))

    def _excluded(self, absolute: str, real: str | None, display: str, *, is_dir: bool,
                  given: bool = False) -> bool:
        """Whether an exclude glob leaves this path out (noted for ``--verbose``).

        ``absolute`` is the path as reached, ``real`` its resolved form (None: resolve it here).
        """
        if not self.excludes:
            return False
        absolute = absolute.replace(os.sep, "/")
        names = None
        if given:  # test the folders of the path too, but only those below the root
            inside = display != "." and not display.startswith("../") and not os.path.isabs(display)
            names = display.rstrip("/").split("/") if inside else []
            if not inside and display != ".":
                names = [absolute.rpartition("/")[2]]
        pattern = self.excludes.match(absolute, is_dir=is_dir, names=names, parents=given)
        if pattern is None:
            real = (os.path.realpath(absolute) if real is None else real).replace(os.sep, "/")
            if real != absolute:
                pattern = self.excludes.match(real, is_dir=is_dir, names=[])
        if pattern is not None:
            self._skip(display, f"excluded by {pattern!r}")
            return True
        return False

    def given(self, given: str) -> Iterator[InputFile]:
        if not given.strip():
            raise PathError("an empty path was given (an unset shell variable?); use '.' for this folder")
        path = Path(given)
        display = display_path(path, self.root)
        if path.is_dir():
            if not self._excluded(os.path.abspath(path), None, display, is_dir=True, given=True):
                yield from self._walk(os.path.abspath(path), display)
        elif path.exists():  # a regular file, or a pipe such as `<(helm template …)`
            real = os.path.realpath(path)
            if (not self._excluded(os.path.abspath(path), real, display, is_dir=False, given=True)
                    and self._first_time(real, display)):
                yield InputFile(path, display, _in_chart_templates(Path(real)))
        elif path.is_symlink():
            raise PathError(f"{given}: broken symbolic link (its target {os.readlink(path)!r} does not exist)")
        else:
            raise PathError(f"{given}: no such file or directory")

    def _first_time(self, real: str, display: str) -> bool:
        """Remember ``real``; False (and a note) when it was linted already."""
        first = self.seen_files.get(real)
        if first is not None:
            self._skip(display, f"same file as {first}, linted once")
            return False
        self.seen_files[real] = display
        return True

    def _walk(self, top: str, top_display: str) -> Iterator[InputFile]:
        top_real = os.path.realpath(top)
        if top_real in self.seen_dirs:
            self._skip(top_display, "folder already searched")
            return
        self.seen_dirs.add(top_real)
        # (folder, its real path, as shown, whether it is inside a chart's templates/)
        in_templates = _in_chart_templates(Path(top_real, "_"))
        stack: list[tuple[str, str, str, bool]] = [(top, top_real, top_display, in_templates)]
        while stack:
            directory, real_dir, dir_display, chart_templates = stack.pop()
            try:
                entries = sorted(os.scandir(directory), key=lambda e: e.name)
            except OSError as exc:
                raise PathError(f"{dir_display}: cannot read folder: {exc.strerror or exc}") from None
            subdirs: list[tuple[str, str, str, bool]] = []
            for entry in entries:
                display = _child(dir_display, entry.name)
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                if is_dir:
                    real = self._subdir(entry, real_dir, display)
                    if real is not None:
                        below = _templates_below(entry, real, chart_templates)
                        subdirs.append((entry.path, real, display, below))
                elif entry.name.lower().endswith(EXTENSIONS):
                    file = self._walked_file(entry, real_dir, display, chart_templates)
                    if file is not None:
                        yield file
            stack.extend(reversed(subdirs))

    def _subdir(self, entry: os.DirEntry[str], real_parent: str, display: str) -> str | None:
        """The real path of a folder to descend into, or None when it is skipped."""
        if entry.name in SKIPPED_DIRS:
            self._skip(display + "/", f"{entry.name} folders are not searched")
            return None
        real = os.path.realpath(entry.path) if entry.is_symlink() else os.path.join(real_parent, entry.name)
        if self._excluded(entry.path, real, display + "/", is_dir=True):
            return None
        if real == real_parent or real_parent.startswith(real.rstrip(os.sep) + os.sep):
            self._skip(display + "/", "symbolic link to a folder that contains it (a loop), not followed")
            return None
        if real in self.seen_dirs:
            self._skip(display + "/", "folder already searched through another path")
            return None
        self.seen_dirs.add(real)
        return real

    def _walked_file(self, entry: os.DirEntry[str], real_dir: str, display: str,
                     chart_templates: bool) -> InputFile | None:
        try:
            regular = entry.is_file()
        except OSError:
            regular = False
        if not regular:
            self._skip(display, "not a regular file (a broken symbolic link?)")
            return None
        symlink = entry.is_symlink()
        real = os.path.realpath(entry.path) if symlink else os.path.join(real_dir, entry.name)
        if self._excluded(entry.path, real, display, is_dir=False):
            return None
        if not self._first_time(real, display):
            return None
        return InputFile(Path(entry.path), display, _in_chart_templates(Path(real)) if symlink else chart_templates)


def _templates_below(entry: os.DirEntry[str], real: str, parent_in_templates: bool) -> bool:
    """``_in_chart_templates`` for a subfolder, from its parent's answer (the nearest ``templates`` decides)."""
    if entry.is_symlink():
        return _in_chart_templates(Path(real, "_"))
    if entry.name == "templates":
        return os.path.isfile(os.path.join(os.path.dirname(real), "Chart.yaml"))
    return parent_in_templates


def _in_chart_templates(path: Path) -> bool:
    """Whether ``path`` is inside the ``templates/`` folder of a Helm chart."""
    for parent in path.parents:
        if parent.name == "templates":
            return (parent.parent / "Chart.yaml").is_file()
    return False
