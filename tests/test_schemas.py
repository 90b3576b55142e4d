"""Strict schema validation (ML810, ML811): bundled schemas per release, CRDs, schema folders, corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REPO, run_cli

from manifestlint.config import Settings
from manifestlint.runner import load_catalogue
from manifestlint.schema import bundled, compiled, custom
from manifestlint.testing import lint_paths

CORPUS = REPO.parent / "shared" / "corpus"
CATALOGUE = load_catalogue(Settings())
WIDGET_CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: {type: object, properties: {size: {type: integer}}}
"""
WIDGET = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: 1, sise: 2}\n"


def lint(paths: list[Path], rules: tuple[str, ...] = ("ML810", "ML811"), **options: object):
    rule_options = {rule: dict(options) for rule in rules} if options else None
    report = lint_paths(paths, rules, root=paths[0].parent, rule_options=rule_options, catalogue=CATALOGUE)
    assert not [n for n in report.notifications if n.kind == "rule-crash"], report.notifications
    return report.findings


def test_every_bundled_release_loads_and_knows_the_common_kinds() -> None:
    releases = bundled.available()
    assert releases[0] <= (1, 25) and releases[-1] >= (1, 34) and (1, 34) in releases
    for release in releases:
        schemas = bundled.load(release)
        for kind in ("v1/Pod", "apps/v1/Deployment", "batch/v1/CronJob", "networking.k8s.io/v1/Ingress"):
            assert kind in schemas.kinds, (release, kind)


def test_bundle_is_compact() -> None:
    files = list((REPO / "schemas" / "kubernetes").glob("*/definitions.json.gz"))
    assert files and sum(f.stat().st_size for f in files) < 600_000


@pytest.mark.parametrize(("release", "expected"), [((1, 34), (1, 34)), ((1, 20), (1, 25)), ((1, 99), None)])
def test_nearest_release(release, expected) -> None:
    found = bundled.nearest(release)
    assert found == (expected or bundled.available()[-1])


def test_validators_are_compiled_once_per_release_and_kind(tmp_path: Path) -> None:
    compiled.builtin_validator.cache_clear()
    path = tmp_path / "pods.yaml"
    path.write_text("---\n".join(f"apiVersion: v1\nkind: Pod\nmetadata: {{name: p{i}}}\nspec:\n  containers: "
                                 f"[{{name: c, image: x}}]\n" for i in range(20)))
    assert lint([path]) == []
    assert compiled.builtin_validator.cache_info().misses == 1
    assert compiled.builtin_validator.cache_info().hits == 19


def test_target_release_decides_which_fields_exist(tmp_path: Path) -> None:
    # securityContext.appArmorProfile arrived in Kubernetes 1.30.
    path = tmp_path / "pod.yaml"
    path.write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: x\n"
                    "    securityContext:\n      appArmorProfile: {type: RuntimeDefault}\n")
    (old,) = lint([path], ("ML810",), **{"kubernetes-version": "1.29"})
    assert old.line == 9 and "unknown field `appArmorProfile`" in old.message
    assert lint([path], ("ML810",), **{"kubernetes-version": "1.30"}) == []


def test_crd_in_another_file_of_the_input_validates_its_resources(tmp_path: Path) -> None:
    (tmp_path / "crd.yaml").write_text(WIDGET_CRD)
    (tmp_path / "widget.yaml").write_text(WIDGET)
    (finding,) = lint([tmp_path])
    assert finding.rule_id == "ML811" and finding.path.endswith("widget.yaml") and finding.line == 4
    assert "unknown field `sise` in `spec`: did you mean `size`?" in finding.message
    (note,) = lint([tmp_path / "widget.yaml"])
    assert note.severity.value == "note" and "no schema for custom resource Widget" in note.message


def test_schema_dir_holds_crds_catalog_files_and_gvk_schemas(tmp_path: Path) -> None:
    schemas = tmp_path / "schemas"
    (schemas / "example.com").mkdir(parents=True)
    (schemas / "widget-crd.yaml").write_text(WIDGET_CRD)
    (schemas / "example.com" / "gadget_v1.json").write_text(json.dumps(
        {"type": "object", "properties": {"spec": {"type": "object", "properties": {"enabled": {"type": "boolean"}},
                                                   "additionalProperties": False}}}))
    (schemas / "thing.json").write_text(json.dumps(
        {"x-kubernetes-group-version-kind": [{"group": "example.com", "version": "v2", "kind": "Thing"}],
         "type": "object", "properties": {"spec": {"type": "string"}}}))
    manifests = tmp_path / "manifests"
    manifests.mkdir()
    (manifests / "all.yaml").write_text(WIDGET + "---\napiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g}\n"
                                        "spec: {enabled: 3}\n---\napiVersion: example.com/v2\nkind: Thing\n"
                                        "metadata: {name: t}\nspec: {a: 1}\n")
    proc = run_cli("--no-config", "--select", "ML811", "--schema-dir", str(schemas), str(manifests))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "did you mean `size`?" in proc.stdout
    assert "`spec.enabled` must be a boolean (true or false), not an integer" in proc.stdout
    assert "`spec` must be a string, not a mapping" in proc.stdout
    assert "no schema" not in proc.stdout


def test_crd_conversion_honours_kubernetes_extensions() -> None:
    schema = custom.strict({"type": "object", "properties": {
        "a": {"x-kubernetes-int-or-string": True}, "b": {"type": "string", "nullable": True},
        "c": {"type": "object", "x-kubernetes-preserve-unknown-fields": True, "properties": {"x": {"type": "string"}}},
        "d": {"type": "object", "properties": {"y": {"type": "string"}}}}})
    validator = compiled.custom_validator(schema)
    assert validator.is_valid({"apiVersion": "x/v1", "kind": "K", "metadata": {"name": "n"}, "a": 1, "b": None,
                               "c": {"x": "s", "z": 1}, "d": {"y": "s"}})
    assert not validator.is_valid({"d": {"y": "s", "z": 1}})
    assert not validator.is_valid({"a": [1]})


def test_messages_never_echo_values(tmp_path: Path) -> None:
    path = tmp_path / "secret.yaml"
    path.write_text("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  password: 123456789\n")
    (finding,) = lint([path], ("ML810",))
    assert "123456789" not in finding.message and "must be a string, not an integer" in finding.message


def test_kustomize_patch_directives_are_not_unknown_fields(tmp_path: Path) -> None:
    path = tmp_path / "patch.yaml"
    path.write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n"
                    "    resources:\n      $patch: delete\n")
    assert lint([path], ("ML810",)) == []


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
def test_corpus_lints_without_crash_and_every_finding_has_a_real_line() -> None:
    findings = lint([CORPUS / "real", CORPUS / "helm-rendered"])
    assert findings
    for finding in findings:
        lines = Path(finding.path if Path(finding.path).is_absolute() else CORPUS / finding.path).read_text(
            errors="replace").count("\n") + 1
        assert 1 <= finding.line <= lines, finding
