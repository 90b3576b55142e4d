"""Hostile and broken input: always a finding or a note at the right line, never a traceback or a hang."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_cli

PRIVILEGED_POD = """apiVersion: v1
kind: Pod
metadata:
  name: p{n}
spec:
  containers:
    - name: app
      image: app:1.0
      securityContext:
        privileged: true
"""


def lint(*paths: Path | str, stdin: bytes | None = None, extra: tuple[str, ...] = ()) -> tuple[int, list[dict], str]:
    """Run the CLI with only the built-in input and privileged-container rules, JSON output."""
    proc = run_cli(*map(str, paths), "--no-config", "--select", "ML0,ML101", "--format", "json", *extra, stdin=stdin)
    assert "Traceback" not in proc.stderr, proc.stderr
    report = json.loads(proc.stdout)
    return proc.returncode, report["findings"], proc.stderr


def ids_lines(findings: list[dict]) -> list[tuple[str, int]]:
    return [(f["rule"], f["line"]) for f in findings]


def test_binary_file_is_a_finding(tmp_path: Path) -> None:
    path = tmp_path / "image.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    code, findings, _ = lint(path)
    assert code == 1
    assert ids_lines(findings) == [("ML001", 1)]
    assert "binary" in findings[0]["message"]


def test_invalid_utf8_reports_its_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf\xe9\n")
    code, findings, _ = lint(path)
    assert ids_lines(findings) == [("ML001", 4)]
    assert "UTF-8" in findings[0]["message"] and findings[0]["column"] == 12


@pytest.mark.parametrize("text, line, words", [
    ("apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n", 4, "tab"),
    ('apiVersion: v1\nkind: Pod\nmetadata:\n  name: "x\n', 5, "quoted scalar"),
    ("apiVersion: v1\nkind: Pod\nmetadata: {name: x\n", 4, "flow mapping"),
])
def test_syntax_errors_point_at_the_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(text)
    code, findings, _ = lint(path)
    assert code == 1
    assert ids_lines(findings) == [("ML001", line)]
    assert words in findings[0]["message"]


def test_billion_laughs_is_cut_off(tmp_path: Path) -> None:
    lines = ["apiVersion: v1", "kind: ConfigMap", "metadata: {name: lol}", "data:",
             '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"  {name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    path = tmp_path / "lol.yaml"
    path.write_text("\n".join(lines) + "\n")
    code, findings, _ = lint(path)
    assert [f["rule"] for f in findings] == ["ML003"]
    assert "billion laughs" in findings[0]["message"]


def test_deep_flow_nesting_is_a_finding(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata: " + "[" * 20000 + "]" * 20000 + "\n")
    code, findings, _ = lint(path)
    assert code == 1
    assert len(findings) == 1 and findings[0]["rule"] in ("ML001", "ML003") and findings[0]["line"] == 4
    assert "nesting" in findings[0]["message"]


def test_deep_block_nesting_is_limited(tmp_path: Path) -> None:
    body = "".join("  " * i + f"k{i}:\n" for i in range(400))
    path = tmp_path / "deep-block.yaml"
    path.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\n" + body)
    code, findings, _ = lint(path)
    assert [f["rule"] for f in findings] == ["ML003"]
    assert "nesting deeper than 256" in findings[0]["message"]


def test_five_megabyte_line_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  blob: " + "x" * 5_000_000
                    + "\n---\n" + PRIVILEGED_POD.format(n=1))
    code, findings, _ = lint(path)
    assert ids_lines(findings) == [("ML101", 16)]


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    (tmp_path / ".manifestlint.yaml").write_text("limits: {max-file-size: 1000}\n")
    path = tmp_path / "big.yaml"
    path.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  blob: " + "x" * 2000 + "\n")
    proc = run_cli(str(path), "--config", str(tmp_path / ".manifestlint.yaml"), "--format", "json",
                   "--select", "ML0")
    findings = json.loads(proc.stdout)["findings"]
    assert ids_lines(findings) == [("ML003", 1)] and "max-file-size" in findings[0]["message"]


@pytest.mark.parametrize("text", ["", "# just a comment\n# and another\n", "---\n---\n...\n", "\n\n   \n"])
def test_empty_files_are_clean(tmp_path: Path, text: str) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text(text)
    code, findings, _ = lint(path)
    assert (code, findings) == (0, [])


@pytest.mark.parametrize("text", ["just a string\n", "- a\n- b\n", "42\n", "name: not-kubernetes\nvalues: [1, 2]\n"])
def test_non_kubernetes_yaml_is_skipped(tmp_path: Path, text: str) -> None:
    path = tmp_path / "other.yaml"
    path.write_text(text)
    proc = run_cli(str(path), "--no-config", "--select", "ML0", "--verbose")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    assert "skipped: no Kubernetes objects" in proc.stdout


def test_list_among_objects_is_invalid(tmp_path: Path) -> None:
    path = tmp_path / "mixed.yaml"
    path.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n- a\n- b\n---\nplain scalar\n")
    code, findings, _ = lint(path)
    assert ids_lines(findings) == [("ML004", 5), ("ML004", 8)]


@pytest.mark.parametrize("snippet, line", [
    ("apiVersion: [v1]\nkind: Pod\nmetadata: {name: a}\nspec: {containers: []}\n", 1),
    ("apiVersion: v1\nkind: {a: b}\nmetadata: {name: a}\n", 2),
    ("apiVersion: v1\nkind: Pod\nmetadata: just-a-name\nspec: {containers: []}\n", 3),
    ("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: [1, 2]\n", 4),
    ("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers: {name: x}\n", 5),
    ("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - just-a-string\n", 6),
    ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  template:\n    spec:\n      containers: null\n", 7),
    ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  template: 7\n", None),
])
def test_wrong_types_do_not_crash_rules(tmp_path: Path, snippet: str, line: int | None) -> None:
    path = tmp_path / "wrong.yaml"
    path.write_text(snippet)
    proc = run_cli(str(path), "--no-config", "--format", "json")
    assert "Traceback" not in proc.stderr and proc.returncode in (0, 1), proc.stderr
    report = json.loads(proc.stdout)
    assert not [n for n in report["notifications"] if "crashed" in n["message"]], report["notifications"]
    invalid = [f["line"] for f in report["findings"] if f["rule"] == "ML004"]
    if line is not None:
        assert line in invalid


def test_python_tags_are_never_constructed(tmp_path: Path) -> None:
    marker = tmp_path / "owned"
    path = tmp_path / "evil.yaml"
    path.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: evil}\ndata:\n"
                    f"  x: !!python/object/apply:os.system [\"touch {marker}\"]\n")
    code, findings, _ = lint(path)
    assert not marker.exists()
    assert ids_lines(findings) == [("ML005", 5)]


def test_symlink_loop_terminates(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "pod.yaml").write_text(PRIVILEGED_POD.format(n=1))
    (tmp_path / "a" / "loop").symlink_to(tmp_path / "a", target_is_directory=True)
    (tmp_path / "a" / "up").symlink_to(tmp_path, target_is_directory=True)
    code, findings, _ = lint(tmp_path)
    assert ids_lines(findings) == [("ML101", 10)]


def test_broken_document_among_many(tmp_path: Path) -> None:
    docs = [PRIVILEGED_POD.format(n=i) for i in range(200)]
    docs[100] = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n"
    path = tmp_path / "many.yaml"
    path.write_text("---\n".join(docs))
    code, findings, _ = lint(path)
    syntax = [f for f in findings if f["rule"] == "ML001"]
    privileged = [f for f in findings if f["rule"] == "ML101"]
    assert len(syntax) == 1 and 1100 <= syntax[0]["line"] <= 1106
    assert len(privileged) == 199
    assert privileged[-1]["line"] == 199 * 11 + 4  # the last pod; the broken document is 6 lines short
    assert privileged[-1]["object"]["name"] == "p199"


def test_other_files_are_linted_after_a_broken_one(tmp_path: Path) -> None:
    (tmp_path / "a-broken.yaml").write_text("key: [\n")
    (tmp_path / "b-pod.yaml").write_text(PRIVILEGED_POD.format(n=1))
    code, findings, _ = lint(tmp_path)
    assert sorted(ids_lines(findings)) == [("ML001", 2), ("ML101", 10)]


def test_utf16_with_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "windows.yaml"
    path.write_bytes(PRIVILEGED_POD.format(n=1).replace("\n", "\r\n").encode("utf-16"))
    code, findings, _ = lint(path)
    assert ids_lines(findings) == [("ML101", 10)] and findings[0]["column"] == 9


def test_utf8_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + PRIVILEGED_POD.format(n=1).encode())
    assert ids_lines(lint(path)[1]) == [("ML101", 10)]


def test_json_manifest_positions(tmp_path: Path) -> None:
    path = tmp_path / "pod.json"
    path.write_text(json.dumps({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "j"}, "spec": {
        "containers": [{"name": "a", "image": "a:1", "securityContext": {"privileged": True}}]}}, indent=2))
    findings = lint(path)[1]
    assert ids_lines(findings) == [("ML101", 13)]


def test_list_kind_items_keep_their_positions(tmp_path: Path) -> None:
    pod = PRIVILEGED_POD.format(n=1)
    items = "".join("  " + line + "\n" if line else "\n" for line in pod.splitlines())
    path = tmp_path / "list.yaml"
    path.write_text("apiVersion: v1\nkind: List\nitems:\n" + items.replace("  apiVersion", "- apiVersion", 1))
    findings = lint(path)[1]
    assert ids_lines(findings) == [("ML101", 13)] and findings[0]["object"]["name"] == "p1"


def test_yaml_11_booleans_count(tmp_path: Path) -> None:
    path = tmp_path / "yes.yaml"
    path.write_text(PRIVILEGED_POD.format(n=1).replace("privileged: true", "privileged: yes"))
    assert ids_lines(lint(path)[1]) == [("ML101", 10)]


def test_stdin_with_helm_sources() -> None:
    stream = ("---\n# Source: web/templates/pod.yaml\n" + PRIVILEGED_POD.format(n=1)).encode()
    code, findings, _ = lint("-", stdin=stream)
    assert ids_lines(findings) == [("ML101", 12)]
    assert findings[0]["helm_source"] == "web/templates/pod.yaml" and findings[0]["path"] == "<stdin>"


def test_unrendered_helm_template_is_skipped_with_advice(tmp_path: Path) -> None:
    chart = tmp_path / "chart"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: web\nversion: 1.0.0\n")
    (chart / "values.yaml").write_text("replicas: 1\n")
    (chart / "templates" / "deploy.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n"
        "spec:\n  replicas: {{ .Values.replicas }}\n")
    proc = run_cli(str(tmp_path), "--no-config", "--verbose")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "unrendered Helm template" in proc.stdout and "helm template" in proc.stdout
    assert "Helm chart metadata" in proc.stdout
