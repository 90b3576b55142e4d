"""Generate schemas/kubernetes/<X.Y>/definitions.json.gz from the kubernetes-validate package's schemas.

kubernetes-validate ships, for every Kubernetes release, JSON Schemas generated from the release's
official OpenAPI document (``_definitions.json`` plus one file per kind). We keep only what validation
needs: the definitions without descriptions, ``format`` and other annotations, the strict variant
(``additionalProperties: false`` on every object), and an index from ``apiVersion/kind`` to the
definition, minified and gzipped (about 25 KB per release instead of 4.8 MB).

Usage (offline once the wheel is downloaded; run by hand, commit the output):
    pip download --no-deps -d /tmp/kv kubernetes-validate==1.37.0 && unzip -q -d /tmp/kv/x /tmp/kv/*.whl
    python tools/gen_k8s_schemas.py /tmp/kv/x/kubernetes_validate/kubernetes-json-schema
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parents[1] / "schemas" / "kubernetes"
KEEP = {"type", "properties", "required", "items", "additionalProperties", "$ref", "enum", "oneOf", "anyOf", "allOf"}
# Kinds that are API plumbing, never written in a manifest.
PLUMBING = {"DeleteOptions", "WatchEvent", "Status", "APIGroup", "APIGroupList", "APIResourceList", "APIVersions"}


def compact(node: Any) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "properties":
                out[key] = {name: compact(sub) for name, sub in value.items()}
            elif key in KEEP:
                out[key] = compact(value)
        branches = out.get("oneOf")
        if isinstance(branches, list) and branches and all(set(b) == {"type"} for b in branches):
            # IntOrString and Quantity: "one of string|null, integer|null" fails on null (both match): a union.
            types = [t for b in branches for t in (b["type"] if isinstance(b["type"], list) else [b["type"]])]
            del out["oneOf"]
            out["type"] = list(dict.fromkeys(types))
        if "$ref" in out:
            out["$ref"] = out["$ref"].replace("/api/_definitions.json#", "#")
        return out
    if isinstance(node, list):
        return [compact(item) for item in node]
    return node


def release_of(folder: Path) -> str:
    match = re.match(r"v(\d+)\.(\d+)\.\d+-local-strict$", folder.name)
    assert match, folder
    return f"{match.group(1)}.{match.group(2)}"


def main(source: Path) -> None:
    for folder in sorted(source.glob("v*-local-strict")):
        defs = json.loads((folder / "_definitions.json").read_text())["$defs"]
        kinds = {}
        for name, definition in defs.items():
            for gvk in definition.get("x-kubernetes-group-version-kind", []):
                if gvk["kind"] in PLUMBING or gvk["kind"].endswith("List") and gvk["kind"] != "List":
                    continue
                api_version = f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"]
                kinds[f"{api_version}/{gvk['kind']}"] = name
        release = release_of(folder)
        document = {"release": release, "source": f"kubernetes-validate {folder.name}",
                    "kinds": dict(sorted(kinds.items())),
                    "$defs": {name: compact(d) for name, d in sorted(defs.items())}}
        target = OUT / release / "definitions.json.gz"
        target.parent.mkdir(parents=True, exist_ok=True)
        payload = json.dumps(document, separators=(",", ":"), sort_keys=False).encode()
        target.write_bytes(gzip.compress(payload, compresslevel=9, mtime=0))
        print(f"{release}: {len(kinds)} kinds, {len(payload):,} bytes, {target.stat().st_size:,} gzipped")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
