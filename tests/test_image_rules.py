"""Image reference parsing and the options of the image rules (RA-6) that fixtures cannot vary."""

from __future__ import annotations

from pathlib import Path

import pytest

from manifestlint.builtin.images.reference import parse, registry_matches
from manifestlint.config import Settings
from manifestlint.runner import load_catalogue
from manifestlint.testing import lint_paths

DIGEST = "sha256:" + "ab" * 32


@pytest.mark.parametrize(("image", "registry", "repository", "tag", "digest"), [
    ("nginx", "docker.io", "library/nginx", None, None),
    ("nginx:1.27", "docker.io", "library/nginx", "1.27", None),
    ("bitnami/redis:7", "docker.io", "bitnami/redis", "7", None),
    ("docker.io/nginx", "docker.io", "library/nginx", None, None),
    ("index.docker.io/library/nginx:1", "docker.io", "library/nginx", "1", None),
    ("localhost:5000/app", "localhost:5000", "app", None, None),
    ("localhost/app:2", "localhost", "app", "2", None),
    ("registry.example.com:443/team/app:latest", "registry.example.com:443", "team/app", "latest", None),
    ("Registry/app:1", "registry", "app", "1", None),
    (f"nginx:latest@{DIGEST}", "docker.io", "library/nginx", "latest", DIGEST),
    (f"ghcr.io/acme/api@{DIGEST}", "ghcr.io", "acme/api", None, DIGEST),
])
def test_parse(image: str, registry: str, repository: str, tag: str | None, digest: str | None) -> None:
    ref = parse(image)
    assert ref is not None
    assert (ref.registry, ref.repository, ref.tag, ref.digest) == (registry, repository, tag, digest)


@pytest.mark.parametrize("image", ["", "  ", "${IMAGE}", "$(REGISTRY)/app:1", "{{ .Values.image }}", "a b", ":1"])
def test_unjudgeable_images_are_not_parsed(image: str) -> None:
    assert parse(image) is None


def test_digests_must_be_well_formed() -> None:
    assert parse(f"app@{DIGEST}").pinned  # type: ignore[union-attr]
    assert not parse("app@sha256:abc").pinned  # type: ignore[union-attr]
    assert not parse("app@sha256:" + "AB" * 32).pinned  # type: ignore[union-attr]


@pytest.mark.parametrize(("image", "prefix", "expected"), [
    ("nginx:1", "docker.io/library", True),
    ("nginx:1", "docker.io", True),
    ("nginx:1", "index.docker.io/library/", True),
    ("bitnami/redis:7", "docker.io/library", False),
    ("ghcr.io/acme/api:1", "ghcr.io/acme", True),
    ("ghcr.io/acme-fork/api:1", "ghcr.io/acme", False),
    ("registry.example.com.evil.io/app:1", "registry.example.com", False),
    ("registry.example.com:5000/app:1", "registry.example.com", False),
    ("registry.example.com:5000/app:1", "registry.example.com:5000", True),
    ("REGISTRY.example.com/app:1", "registry.EXAMPLE.com", True),
])
def test_registry_prefixes_match_whole_components(image: str, prefix: str, expected: bool) -> None:
    ref = parse(image)
    assert ref is not None
    assert registry_matches(ref, prefix) is expected


MANIFEST = """\
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - {name: a, image: "quay.io/acme/a:stable"}
    - {name: b, image: "nginx:1.27", imagePullPolicy: IfNotPresent}
"""


def _findings(tmp_path: Path, rule: str, options: dict[str, object] | None = None) -> list[tuple[int, str]]:
    target = tmp_path / "pod.yaml"
    target.write_text(MANIFEST)
    report = lint_paths([target], [rule], rule_options={rule: options} if options is not None else None)
    return [(f.line, f.message) for f in report.findings if f.rule_id == rule]


def test_registry_rule_is_off_by_default_and_passes_everything_without_a_list(tmp_path: Path) -> None:
    catalogue = load_catalogue(Settings())
    assert not catalogue.rules["ML205"].meta.enabled
    assert _findings(tmp_path, "ML205") == []
    assert _findings(tmp_path, "ML205", {"allowed-registries": []}) == []
    assert [line for line, _ in _findings(tmp_path, "ML205", {"allowed-registries": ["docker.io/library"]})] == [6]


def test_mutable_tags_option(tmp_path: Path) -> None:
    assert _findings(tmp_path, "ML203") == []
    found = _findings(tmp_path, "ML203", {"mutable-tags": ["latest", "stable"]})
    assert [line for line, _ in found] == [6]
    assert "mutable tag `stable`" in found[0][1]


def test_exempt_registries_option(tmp_path: Path) -> None:
    assert [line for line, _ in _findings(tmp_path, "ML204")] == [6, 7]
    assert [line for line, _ in _findings(tmp_path, "ML204", {"exempt-registries": ["quay.io/acme"]})] == [7]
