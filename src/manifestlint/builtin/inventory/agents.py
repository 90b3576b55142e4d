"""The known cluster agents (``data/inventory.yaml``) and how to find them in the input."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from manifestlint._resources import package_file
from manifestlint.cluster.model import ClusterModel
from manifestlint.k8s.workloads import containers

AGENT_SCHEMA = {
    "type": "array",
    "default": [],
    "description": "More agents that count, each {name, images, kinds, provides} (provides: which capabilities, "
                   "default all of the rule's).",
    "items": {"type": "object", "additionalProperties": False, "required": ["name"], "properties": {
        "name": {"type": "string"},
        "images": {"type": "array", "items": {"type": "string"}},
        "kinds": {"type": "array", "items": {"type": "string"}},
        "provides": {"type": "array", "items": {"type": "string"}}}},
}


@dataclass(frozen=True, slots=True)
class Agent:
    name: str
    images: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()


@functools.cache
def known_agents() -> dict[str, tuple[Agent, ...]]:
    """Capability -> the agents that provide it, from the shipped data file."""
    with open(package_file("inventory.yaml"), encoding="utf-8") as handle:
        raw = yaml.load(handle, Loader=yaml.CSafeLoader)
    return {capability: tuple(_agent(item) for item in items) for capability, items in raw.items()}


def _agent(raw: Mapping[str, Any]) -> Agent:
    images, kinds = raw.get("images"), raw.get("kinds")
    return Agent(str(raw["name"]), tuple(map(str, images if isinstance(images, list) else ())),
                 tuple(map(str, kinds if isinstance(kinds, list) else ())))


def agents_for(capability: str, extra: Iterable[Mapping[str, Any]], capabilities: Sequence[str]) -> list[Agent]:
    """The shipped agents of ``capability`` plus the user's (``extra``) that provide it."""
    found = list(known_agents().get(capability, ()))
    for item in extra:
        provides = item.get("provides") or list(capabilities)
        if capability in provides:
            found.append(_agent(item))
    return found


def repository(image: str) -> str:
    """An image reference's repository path without registry host, tag or digest."""
    name = image.split("@", 1)[0]
    first, _, rest = name.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        name = rest
    last_colon = name.rfind(":")
    if last_colon > name.rfind("/"):
        name = name[:last_colon]
    return name.removeprefix("library/")


def image_matches(image: str, pattern: str) -> bool:
    repo = repository(image)
    if "/" not in pattern:
        return repo.rsplit("/", 1)[-1] == pattern
    return repo == pattern or repo.endswith("/" + pattern)


def present(model: ClusterModel, agents: Sequence[Agent]) -> list[str]:
    """The names of the agents the input runs or declares."""
    found: list[str] = []
    images = model.memo("images", lambda: {str(c.data.get("image", "")) for w in model.workloads
                                           for c in containers(w.doc)})
    for agent in agents:
        if any(image_matches(image, p) for image in images for p in agent.images) or \
                any(_has_kind(model, k) for k in agent.kinds):
            found.append(agent.name)
    return found


def _has_kind(model: ClusterModel, entry: str) -> bool:
    kind, _, group = entry.partition(".")
    docs = model.of_kind(kind)
    return any(not group or d.api_group == group for d in docs)
