"""Fixes as data: what a rule proposes to change in the document it reported, never how.

A rule attaches a ``Fix`` to a ``Violation``; ``manifestlint.fix.apply`` turns its edits into text
changes that keep every other byte of the file. Paths are field paths from the document's root, as in
``Violation.path``. Only plain data goes in values (str, int, bool, None, dicts and lists of them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from manifestlint.positions import FieldPath

__all__ = ["AppendDocument", "AppendItem", "Edit", "FieldPath", "Fix", "MoveItem", "RemoveKey", "SetValue"]


@dataclass(frozen=True, slots=True)
class SetValue:
    """Set the value at ``path``, creating the missing mappings on the way (never list items)."""

    path: FieldPath
    value: Any


@dataclass(frozen=True, slots=True)
class RemoveKey:
    """Remove a mapping entry with a scalar value; a comment on its line is kept on a line of its own."""

    path: FieldPath


@dataclass(frozen=True, slots=True)
class AppendItem:
    """Append ``value`` to the list at ``path`` (created, with missing mappings, when absent)."""

    path: FieldPath
    value: Any


@dataclass(frozen=True, slots=True)
class MoveItem:
    """Move item ``index`` of the block list at ``path`` to its end, its comments and lines with it."""

    path: FieldPath
    index: int


@dataclass(frozen=True, slots=True)
class AppendDocument:
    """Append a new document (``---`` then ``data``) at the end of the file."""

    data: dict[str, Any]


Edit = SetValue | RemoveKey | AppendItem | MoveItem | AppendDocument


@dataclass(frozen=True, slots=True)
class Fix:
    """What to change, and how to say it: ``description`` completes "fixed: …" (``set allowPrivilegeEscalation:
    false``)."""

    description: str
    edits: tuple[Edit, ...]

    @classmethod
    def set(cls, path: FieldPath, value: Any, description: str | None = None) -> Fix:
        """The most common fix: one value set (with the mappings that lead to it)."""
        from manifestlint.fix.emit import inline

        key = next((step for step in reversed(path) if isinstance(step, str)), "")
        return cls(description or f"set {key}: {inline(value)}", (SetValue(path, value),))
