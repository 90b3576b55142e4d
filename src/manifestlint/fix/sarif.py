"""A finding's fix as SARIF ``fixes``: one artifact change whose replacements are the fix's text edits.

Regions are 1-based lines and code-point columns, the run's ``columnKind``; an insertion is an empty
region. The edits come from ``planned``.
"""

from __future__ import annotations

from typing import Any

import sarif_om as om

from manifestlint.fix.planned import replacements
from manifestlint.model import Finding


def sarif_fixes(finding: Finding, root: str, location: Any) -> list[om.Fix] | None:
    """The SARIF ``fixes`` of a fixable finding, or None (no fix, or one that does not apply to the file)."""
    planned = replacements(finding, root)
    if not planned or finding.fix is None:
        return None
    changes = [om.Replacement(deleted_region=om.Region(start_line=r.region.line, start_column=r.region.column,
                                                       end_line=r.region.end_line, end_column=r.region.end_column),
                              inserted_content=om.ArtifactContent(text=r.text) if r.text else None)
               for r in planned]
    return [om.Fix(description=om.Message(text=finding.fix.description),
                   artifact_changes=[om.ArtifactChange(artifact_location=location, replacements=changes)])]
