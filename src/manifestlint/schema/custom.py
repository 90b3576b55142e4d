"""Schemas of custom resources: from CustomResourceDefinitions in the input and from schema folders.

A CRD's ``openAPIV3Schema`` (a structural schema with Kubernetes extensions) becomes a strict JSON
Schema: ``nullable`` adds ``null``, ``x-kubernetes-int-or-string`` allows both, objects that list their
properties reject others unless ``x-kubernetes-preserve-unknown-fields`` says otherwise, and the root
allows ``apiVersion``, ``kind`` and ``metadata``. Schema folders hold CRD files, JSON Schemas carrying
``x-kubernetes-group-version-kind``, or files named like the CRDs catalog: ``<group>/<kind>_<version>.json``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

CustomKey = tuple[str, str]  # (apiVersion, kind in lower case)
CRD_KIND = "CustomResourceDefinition"
_JUNCTORS = ("allOf", "anyOf", "oneOf")
_DROP = {"description", "format", "example", "externalDocs", "x-kubernetes-list-type", "x-kubernetes-list-map-keys",
         "x-kubernetes-map-type", "x-kubernetes-validations", "x-kubernetes-preserve-unknown-fields",
         "x-kubernetes-int-or-string", "x-kubernetes-embedded-resource", "nullable", "default"}


def key(api_version: str, kind: str) -> CustomKey:
    return api_version, kind.lower()


def from_crd(data: dict[str, Any]) -> Iterator[tuple[CustomKey, dict[str, Any]]]:
    """``(key, strict schema)`` for every served version of a CRD object (v1 and v1beta1 layouts)."""
    for found, schema in crd_versions(data):
        yield found, strict(schema)


def crd_versions(data: dict[str, Any]) -> Iterator[tuple[CustomKey, dict[str, Any]]]:
    """``(key, openAPIV3Schema as written)`` for every served version of a CRD object."""
    spec = data.get("spec")
    if not isinstance(spec, dict):
        return
    group, names = spec.get("group"), spec.get("names")
    kind = names.get("kind") if isinstance(names, dict) else None
    if not isinstance(group, str) or not isinstance(kind, str):
        return
    shared = spec.get("validation", {}).get("openAPIV3Schema") if isinstance(spec.get("validation"), dict) else None
    versions = spec.get("versions")
    if not isinstance(versions, list):
        versions = [{"name": spec.get("version")}] if isinstance(spec.get("version"), str) else []
    for version in versions:
        if not isinstance(version, dict) or not isinstance(version.get("name"), str) or version.get("served") is False:
            continue
        schema = version.get("schema", {}).get("openAPIV3Schema") if isinstance(version.get("schema"), dict) else None
        schema = schema if isinstance(schema, dict) else shared
        if isinstance(schema, dict):
            yield key(f"{group}/{version['name']}", kind), schema


def strict(schema: dict[str, Any]) -> dict[str, Any]:
    """A strict JSON Schema (draft 7) from a CRD's structural ``openAPIV3Schema``."""
    root: dict[str, Any] = _convert(schema, in_junctor=False)
    if root.get("type") in (None, "object") and "properties" in root or root.get("additionalProperties") is False:
        props = root.setdefault("properties", {})
        props.setdefault("apiVersion", {"type": "string"})
        props.setdefault("kind", {"type": "string"})
        props.setdefault("metadata", {"type": "object"})
    return root


def _convert(node: Any, in_junctor: bool) -> Any:
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {k: v for k, v in node.items() if k not in _DROP and not k.startswith("x-kubernetes-")}
    if node.get("x-kubernetes-int-or-string"):
        out.pop("type", None)
        out["type"] = ["integer", "string"]
    if node.get("nullable") and isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
    if isinstance(out.get("properties"), dict):
        out["properties"] = {name: _convert(sub, False) for name, sub in out["properties"].items()}
    if isinstance(out.get("items"), dict):
        out["items"] = _convert(out["items"], False)
    if isinstance(out.get("additionalProperties"), dict):
        out["additionalProperties"] = _convert(out["additionalProperties"], False)
    for junctor in _JUNCTORS:
        if isinstance(out.get(junctor), list):
            out[junctor] = [_convert(sub, True) for sub in out[junctor]]
    if isinstance(out.get("not"), dict):
        out["not"] = _convert(out["not"], True)
    preserve = bool(node.get("x-kubernetes-preserve-unknown-fields"))
    if node.get("x-kubernetes-embedded-resource"):
        props = out.setdefault("properties", {})
        for name in ("apiVersion", "kind"):
            props.setdefault(name, {"type": "string"})
        props.setdefault("metadata", {"type": "object"})
    if "properties" in out and "additionalProperties" not in out and not preserve and not in_junctor:
        out["additionalProperties"] = False
    return out


@functools.cache
def from_dirs(dirs: tuple[str, ...]) -> tuple[dict[CustomKey, dict[str, Any]], tuple[str, ...]]:
    """The custom schemas of the schema folders, and the problems met reading them."""
    schemas: dict[CustomKey, dict[str, Any]] = {}
    problems: list[str] = []
    for folder in dirs:
        root = Path(folder)
        if not root.is_dir():
            problems.append(f"schema folder {folder} does not exist")
            continue
        for path in sorted(p for p in root.rglob("*") if p.suffix in (".json", ".yaml", ".yml") and p.is_file()):
            try:
                text = path.read_text(encoding="utf-8")
                docs = ([json.loads(text)] if path.suffix == ".json"
                        else list(yaml.load_all(text, Loader=yaml.CSafeLoader)))
            except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as exc:
                problems.append(f"{path}: not readable as a schema ({type(exc).__name__})")
                continue
            for doc in docs:
                if isinstance(doc, dict):
                    schemas.update(_schemas_in(doc, path, root))
    return schemas, tuple(problems)


def _schemas_in(doc: dict[str, Any], path: Path, root: Path) -> Iterator[tuple[CustomKey, dict[str, Any]]]:
    if doc.get("kind") == CRD_KIND:
        yield from from_crd(doc)
        return
    gvks = doc.get("x-kubernetes-group-version-kind")
    if isinstance(gvks, list):
        for gvk in gvks:
            if isinstance(gvk, dict) and gvk.get("kind") and gvk.get("version"):
                group = gvk.get("group") or ""
                yield key(f"{group}/{gvk['version']}" if group else gvk["version"], gvk["kind"]), doc
        return
    # The CRDs catalog layout: <group>/<kind>_<version>.json
    stem, _, version = path.stem.rpartition("_")
    group = path.parent.name if path.parent != root else ""
    if stem and version and group and "properties" in doc:
        yield key(f"{group}/{version}", stem), doc
