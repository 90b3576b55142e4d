"""Stable finding ids that survive line shifts: the same id in the JSON report and in SARIF.

The id hashes what a finding is about, never where it is: the rule, the file, the object
(kind, namespace, name) and the field path. Findings that share all of these (two parse errors in
one file, two unnamed objects) are told apart by their order of occurrence.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from manifestlint.model import Finding

KEY = "manifestlint/v1"


def identity(finding: Finding) -> str:
    obj = finding.obj
    return json.dumps([finding.rule_id, finding.path, obj.kind, obj.namespace, obj.name, list(finding.field_path)],
                      separators=(",", ":"), ensure_ascii=False)


def fingerprints(findings: Iterable[Finding]) -> dict[int, str]:
    """``id(finding)`` -> hex SHA-256 for every finding, open and suppressed alike.

    Pass open and suppressed findings together so a finding keeps its id when it is suppressed.
    """
    ordered = sorted(findings, key=lambda f: f.sort_key())
    seen: dict[str, int] = {}
    result: dict[int, str] = {}
    for finding in ordered:
        key = identity(finding)
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        if occurrence:
            key += f"#{occurrence}"
        result[id(finding)] = hashlib.sha256(key.encode("utf-8")).hexdigest()
    return result
