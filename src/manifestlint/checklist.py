"""The K8S Production Checklist items (the project's copy of ``shared/checklist.yaml``)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import yaml

from manifestlint._resources import package_file


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    id: str
    text: str
    static: str
    evidence: tuple[str, ...]


@functools.cache
def items() -> dict[str, ChecklistItem]:
    """Every checklist item by id, in checklist order."""
    with open(package_file("checklist.yaml"), encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=yaml.CSafeLoader)
    return {
        entry["id"]: ChecklistItem(entry["id"], entry["text"], str(entry.get("static", "")),
                                   tuple(entry.get("evidence") or ()))
        for entry in data["items"]
    }


@functools.cache
def sections() -> dict[str, str]:
    with open(package_file("checklist.yaml"), encoding="utf-8") as handle:
        return dict(yaml.load(handle, Loader=yaml.CSafeLoader)["sections"])
