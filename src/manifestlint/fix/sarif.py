"""A finding's fix as SARIF ``fixes``: one artifact change whose replacements are the fix's text edits.

The edits are planned against the file as it is on disk, alone (the same edits ``--fix`` makes first),
so each result's fix applies on its own; regions are 1-based lines and code-point columns, the run's
``columnKind``, and an insertion is an empty region.
"""

from __future__ import annotations

import functools
import os
from typing import Any

import sarif_om as om

from manifestlint.fix.apply import Unfixable, plan
from manifestlint.fix.style import detect
from manifestlint.loader import Limits, LoadedFile, load_bytes
from manifestlint.loader.comments import helm_sources
from manifestlint.model import Finding
from manifestlint.source import SourceText


@functools.lru_cache(maxsize=16)
def _load(path: str, stamp: int) -> tuple[str, LoadedFile] | None:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        text = data.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    return text, load_bytes(path, data, Limits(), check_path=False)


def sarif_fixes(finding: Finding, root: str, location: Any) -> list[om.Fix] | None:
    """The SARIF ``fixes`` of a fixable finding, or None (no fix, a Helm-rendered stream, stdin, a changed file)."""
    if finding.fix is None or finding.helm_source:
        return None
    path = finding.path if os.path.isabs(finding.path) else os.path.join(root, finding.path)
    try:
        stamp = os.stat(path).st_mtime_ns
    except OSError:
        return None
    found = _load(path, stamp)
    if found is None:
        return None
    text, loaded = found
    if loaded.problems or helm_sources(text) or finding.document_index >= len(loaded.documents):
        return None
    try:
        edits = plan(finding.fix, loaded.documents[finding.document_index], text, detect(text))
    except Unfixable:
        return None
    if not edits:
        return None
    source = SourceText(text)
    replacements = []
    for edit in sorted(edits, key=lambda e: e.start):
        start_line, start_column = source.line_column(edit.start)
        end_line, end_column = source.line_column(edit.end)
        replacements.append(om.Replacement(
            deleted_region=om.Region(start_line=start_line, start_column=start_column, end_line=end_line,
                                     end_column=end_column),
            inserted_content=om.ArtifactContent(text=edit.new) if edit.new else None))
    return [om.Fix(description=om.Message(text=finding.fix.description),
                   artifact_changes=[om.ArtifactChange(artifact_location=location, replacements=replacements)])]
