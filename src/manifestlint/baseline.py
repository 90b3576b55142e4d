"""Baselines: record today's findings, then report only new ones.

A baseline file holds the stable fingerprint of every open finding (``reporters/fingerprint.py``:
rule, file, object kind/namespace/name and field path, never the line), so inserting lines above a
finding does not bring it back, and rewriting the file drops the findings that were fixed. The file is
JSON, one finding per line, sorted by file, rule, object and field, so that its diffs read well in a
review; the line number is left out on purpose (it would change on every edit above it).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from manifestlint.model import Finding
from manifestlint.report import Report

FORMAT_VERSION = 1


class BaselineError(Exception):
    """The baseline file is missing, unreadable or not a manifestlint baseline."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One recorded finding: its fingerprint, and what a reviewer needs to recognise it."""

    fingerprint: str
    rule: str
    path: str
    object: str
    field: str
    message: str

    def sort_key(self) -> tuple[str, ...]:
        return (self.path, self.rule, self.object, self.field, self.fingerprint)

    def as_json(self) -> str:
        record = {"fingerprint": self.fingerprint, "rule": self.rule, "path": self.path, "object": self.object,
                  "field": self.field, "message": self.message}
        return json.dumps(record, ensure_ascii=False)


def field_text(path: Iterable[str | int]) -> str:
    """``("spec", "containers", 0, "image")`` -> ``spec.containers[0].image``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def entries(open_findings: list[Finding], suppressed: list[Finding]) -> list[Entry]:
    """The baseline entries of a run's open findings, sorted.

    Suppressed findings take part in the fingerprints (so ids match the JSON and SARIF reports) but
    are not recorded: their suppression already accepts them.
    """
    from manifestlint.reporters.fingerprint import fingerprints  # hashlib: only when a baseline is used

    ids = fingerprints([*open_findings, *suppressed])
    found = [Entry(ids[id(f)], f.rule_id, f.path, f.obj.label(), field_text(f.field_path), f.message)
             for f in open_findings]
    return sorted(found, key=Entry.sort_key)


def dumps(recorded: list[Entry]) -> str:
    """The baseline file's text: valid JSON with one finding per line."""
    head = f'{{\n  "manifestlint-baseline": {FORMAT_VERSION},\n  "findings": ['
    if not recorded:
        return head + "]\n}\n"
    body = ",\n".join(f"    {entry.as_json()}" for entry in recorded)
    return f"{head}\n{body}\n  ]\n}}\n"


def write(path: Path, open_findings: list[Finding], suppressed: list[Finding]) -> int:
    """Record the open findings in ``path``; returns how many were written."""
    recorded = entries(open_findings, suppressed)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dumps(recorded), encoding="utf-8")
    except OSError as exc:
        raise BaselineError(f"cannot write baseline {path}: {exc.strerror or exc}") from None
    return len(recorded)


def load(path: Path) -> frozenset[str]:
    """The fingerprints a baseline file accepts."""
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"baseline file {path} not found (create it with --write-baseline {path})") from None
    except OSError as exc:
        raise BaselineError(f"cannot read baseline {path}: {exc.strerror or exc}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise BaselineError(f"baseline {path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict) or "manifestlint-baseline" not in data:
        raise BaselineError(f"{path} is not a manifestlint baseline (no \"manifestlint-baseline\" key)")
    if data["manifestlint-baseline"] != FORMAT_VERSION:
        raise BaselineError(f"baseline {path} has format {data['manifestlint-baseline']!r}; this manifestlint "
                            f"reads format {FORMAT_VERSION}: rewrite it with --write-baseline")
    findings = data.get("findings")
    if not isinstance(findings, list) or not all(isinstance(e, dict) and isinstance(e.get("fingerprint"), str)
                                                 for e in findings):
        raise BaselineError(f"baseline {path}: \"findings\" must be a list of objects with a \"fingerprint\"")
    return frozenset(e["fingerprint"] for e in findings)


def split(open_findings: list[Finding], suppressed: list[Finding],
          accepted: frozenset[str]) -> tuple[list[Finding], list[Finding]]:
    """``(new, baselined)``: the open findings not in the baseline, and those that are."""
    from manifestlint.reporters.fingerprint import fingerprints  # hashlib: only when a baseline is used

    ids = fingerprints([*open_findings, *suppressed])
    new: list[Finding] = []
    known: list[Finding] = []
    for finding in open_findings:
        (known if ids[id(finding)] in accepted else new).append(finding)
    return new, known


def apply(report: Report, baseline: Path | None, write_to: Path | None) -> int | None:
    """``--write-baseline`` then ``--baseline`` on a finished report.

    Writing records every open finding (so fixed ones drop out) and then accepts them all in this run;
    reading moves the accepted findings from ``report.findings`` to ``report.baselined``. Returns the
    number of findings written, or None when nothing was written.
    """
    written = None
    accepted: frozenset[str] = frozenset()
    if write_to is not None:
        written = write(write_to, report.findings, report.suppressed)
        accepted = frozenset(e.fingerprint for e in entries(report.findings, report.suppressed))
    if baseline is not None:
        accepted |= load(baseline)
    if accepted:
        report.findings, report.baselined = split(report.findings, report.suppressed, accepted)
    return written
