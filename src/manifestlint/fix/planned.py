"""A finding's fix as text edits of its file, with lines and columns: what SARIF ``fixes`` carry.

The edits are those ``--fix`` makes first, planned against the file alone, so each finding's fix
applies on its own. A run that writes SARIF plans them while each file is at hand (``plan_in_run``);
a finding made without that is planned against its file on disk, read and parsed again.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass

from manifestlint.fix.apply import Unfixable, plan
from manifestlint.fix.emit import Style
from manifestlint.fix.style import detect
from manifestlint.loader import Limits, LoadedFile, load_bytes
from manifestlint.loader.comments import helm_sources
from manifestlint.model import Finding, Replacement, Span
from manifestlint.source import SourceText


@dataclass(frozen=True, slots=True)
class _File:
    """A file as fixes are planned against it: read, parsed and measured once."""

    text: str
    loaded: LoadedFile
    style: Style
    source: SourceText


def plan_in_run(findings: list[Finding], loaded: LoadedFile, text: str) -> None:
    """Plan the fixes of one file's findings while its documents are at hand."""
    fixable = [f for f in findings if f.fix is not None]
    if not fixable:
        return
    file = None if loaded.problems or helm_sources(text) else _File(text, loaded, detect(text), SourceText(text))
    for finding in fixable:
        finding.replacements = _planned(finding, file)


def replacements(finding: Finding, root: str) -> tuple[Replacement, ...]:
    """The finding's fix as replacements in order; () when there is none or it does not apply (a
    Helm-rendered stream, stdin, a file that no longer parses)."""
    if finding.fix is None or finding.helm_source:
        return ()
    if finding.replacements is not None:
        return finding.replacements
    path = finding.path if os.path.isabs(finding.path) else os.path.join(root, finding.path)
    try:
        stamp = os.stat(path).st_mtime_ns
    except OSError:
        return ()
    return _planned(finding, _load(path, stamp))


@functools.lru_cache(maxsize=16)  # findings come sorted by file: a small cache reads each file once
def _load(path: str, stamp: int) -> _File | None:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        text = data.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    loaded = load_bytes(path, data, Limits(), check_path=False)
    if loaded.problems or helm_sources(text):
        return None
    return _File(text, loaded, detect(text), SourceText(text))


def _planned(finding: Finding, file: _File | None) -> tuple[Replacement, ...]:
    if file is None or finding.fix is None or finding.document_index >= len(file.loaded.documents):
        return ()
    try:
        edits = plan(finding.fix, file.loaded.documents[finding.document_index], file.text, file.style)
    except Unfixable:
        return ()
    at = file.source.line_column
    return tuple(Replacement(Span(*at(edit.start), *at(edit.end)), edit.new)
                 for edit in sorted(edits, key=lambda e: e.start))
