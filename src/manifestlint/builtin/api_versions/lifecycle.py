"""The API lifecycle table (``data/api-lifecycle.yaml``) and the questions the rules ask of it."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass

import yaml

from manifestlint._resources import package_file
from manifestlint.builtin.api_versions.release import Release, parse_release, show


@dataclass(frozen=True, slots=True)
class ApiEntry:
    """One apiVersion of one kind: when it was deprecated and removed, and what replaces it."""

    api_version: str
    kind: str
    deprecated: Release | None
    removed: Release | None
    replacements: tuple[tuple[str, Release], ...]  # ("apps/v1" or "discovery.k8s.io/v1 EndpointSlice", since)

    def is_removed(self, target: Release) -> bool:
        return self.removed is not None and target >= self.removed

    def is_deprecated(self, target: Release) -> bool:
        return self.deprecated is not None and target >= self.deprecated and not self.is_removed(target)

    def replacement(self, target: Release) -> str | None:
        """What to use instead at ``target``: the newest replacement still served, not itself deprecated if
        possible; when none is available yet, the first one with the release it arrives in."""
        candidates = []
        for name, since in self.replacements:
            api_version, _, kind = name.partition(" ")
            other = lookup(api_version, kind or self.kind)
            if other is not None and other.is_removed(target):
                continue
            deprecated = other is not None and other.is_deprecated(target)
            candidates.append((since <= target, not deprecated, since, name))
        if not candidates:
            return None
        available, _, since, name = max(candidates)
        return name if available else f"{name} (served from Kubernetes {show(since)})"


@dataclass(frozen=True, slots=True)
class FieldEntry:
    """A field or annotation of a served kind that is deprecated or removed."""

    where: str  # "pod-spec" or "object"
    kinds: frozenset[str]
    path: tuple[str, ...]
    annotation: str | None
    deprecated: Release | None
    removed: Release | None
    note: str
    replacement: str | None

    def status(self, target: Release) -> str | None:
        """``"removed"``, ``"deprecated"`` or None (not yet deprecated at ``target``)."""
        if self.removed is not None and target >= self.removed:
            return "removed"
        if self.deprecated is None or target >= self.deprecated:
            return "deprecated"
        return None


@functools.cache
def _table() -> tuple[dict[tuple[str, str], ApiEntry], tuple[FieldEntry, ...]]:
    raw = yaml.load(package_file("api-lifecycle.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    apis: dict[tuple[str, str], ApiEntry] = {}
    for item in raw["apis"]:
        replacements = tuple((name, parse_release(since)) for name, since in (item.get("replacements") or {}).items())
        for kind in item["kinds"]:
            apis[(item["apiVersion"], kind)] = ApiEntry(item["apiVersion"], kind, _release(item.get("deprecated")),
                                                        _release(item.get("removed")), replacements)
    fields = tuple(FieldEntry(f["where"], frozenset(f.get("kinds", ())), tuple(f.get("path", ())),
                              f.get("annotation"), _release(f.get("deprecated")), _release(f.get("removed")),
                              f["note"], f.get("replacement"))
                   for f in raw.get("fields", ()))
    return apis, fields


def _release(value: object) -> Release | None:
    return None if value is None else parse_release(str(value))


def lookup(api_version: str, kind: str) -> ApiEntry | None:
    return _table()[0].get((api_version, kind))


def entries() -> Iterator[ApiEntry]:
    yield from _table()[0].values()


def field_entries() -> tuple[FieldEntry, ...]:
    return _table()[1]
