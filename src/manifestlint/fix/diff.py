"""Unified diffs of fixed files, as ``--diff`` prints them (``git apply`` and ``patch -p1`` read them)."""

from __future__ import annotations

import difflib

from manifestlint.fix.session import FileFix

_NO_NEWLINE = "\\ No newline at end of file\n"


def unified(fixed: FileFix) -> str:
    """The diff from the original to the fixed text; empty when nothing changes."""
    if not fixed.changed or fixed.fixed is None:
        return ""
    before = fixed.original.decode("utf-8-sig").splitlines(keepends=True)
    after = fixed.fixed.decode("utf-8-sig").splitlines(keepends=True)
    name = fixed.path.replace("\\", "/").lstrip("/")  # `a/etc/x.yaml` for an absolute path, as git writes it
    lines = []
    for line in difflib.unified_diff(before, after, fromfile=f"a/{name}", tofile=f"b/{name}"):
        lines.append(line if line.endswith("\n") else line + "\n" + _NO_NEWLINE)
    return "".join(lines)
