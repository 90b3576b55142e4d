"""Plain value types shared by the loader, the engine and the reporters."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from manifestlint.fix.edits import Fix


class Severity(str, enum.Enum):
    """How much a finding matters; the values are SARIF levels."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls(value.lower())
        except ValueError:
            raise ValueError(f"unknown severity {value!r} (expected error, warning or note)") from None


_RANK = {Severity.NOTE: 1, Severity.WARNING: 2, Severity.ERROR: 3}


class Span(NamedTuple):
    """A 1-based region of a file; ``end_column`` is exclusive, as in SARIF.

    A named tuple, not a frozen dataclass: every finding makes one, and a tuple is cheaper to make.
    """

    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, line: int, column: int) -> Span:
        return cls(line, column, line, column + 1)


@dataclass(frozen=True, slots=True)
class ObjectRef:
    """Which Kubernetes object a finding is about."""

    kind: str = ""
    namespace: str = ""
    name: str = ""
    api_version: str = ""

    def label(self) -> str:
        if not self.kind:
            return ""
        name = f"{self.namespace}/{self.name}" if self.namespace else self.name
        return f"{self.kind} {name}".strip()


class Replacement(NamedTuple):
    """One text edit of a planned fix: the region it replaces (empty for an insertion) and the new text."""

    region: Span
    text: str


@dataclass(slots=True)
class Finding:
    """One violation of one rule at one place."""

    rule_id: str
    rule_name: str
    severity: Severity
    message: str
    path: str
    span: Span
    obj: ObjectRef = field(default_factory=ObjectRef)
    field_path: tuple[str | int, ...] = ()
    checklist: tuple[str, ...] = ()
    helm_source: str | None = None
    document_index: int = 0
    suppressed_by: str | None = None
    # Other places that matter (path, region, message): the rendered location of a Helm template finding.
    related: list[tuple[str, Span, str]] = field(default_factory=list)
    fix: Fix | None = None  # what --fix would change (carried from the rule's Violation)
    # The fix as text edits of the file, planned while the run had it (for SARIF): None when not
    # planned, () when it does not apply to the file as written.
    replacements: tuple[Replacement, ...] | None = None

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def column(self) -> int:
        return self.span.column

    def sort_key(self) -> tuple[Any, ...]:
        return (self.path, self.span.line, self.span.column, self.rule_id, self.message)


@dataclass(frozen=True, slots=True)
class Notification:
    """Something the tool has to say that is not a finding: a skipped file, a crashed rule."""

    level: Severity
    message: str
    path: str | None = None
    line: int | None = None
    rule_id: str | None = None
    kind: str = "info"  # "skipped", "rule-crash", "plugin", "info"
