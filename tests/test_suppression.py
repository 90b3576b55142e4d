"""Suppressions: the object annotation and ``# manifestlint:`` comments, end to end and in the comment reader."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from conftest import REPO, run_cli

from manifestlint.loader.comments import directives
from manifestlint.suppression import annotation_rules

CLI = REPO / "fixtures" / "inputs" / "cli"
SELECT = ("--no-config", "--select", "ML101,ML102")
FINDING = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):\d+: (?P<rule>\w+) \[\w+\] .*?(?P<suppressed> \[suppressed by "
                     r"(?P<by>.*)\])?$")


def lint(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    proc = run_cli(*args, **kwargs)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def findings(proc: subprocess.CompletedProcess[str]) -> tuple[set[tuple[str, int]], dict[tuple[str, int], str]]:
    """(open findings, suppressed findings -> what suppressed them) as (rule, line) pairs."""
    open_, suppressed = set(), {}
    for line in proc.stdout.splitlines():
        match = FINDING.match(line)
        if match is None:
            continue
        key = (match["rule"], int(match["line"]))
        if match["suppressed"]:
            suppressed[key] = match["by"]
        else:
            open_.add(key)
    return open_, suppressed


# --- the annotation ------------------------------------------------------------------------


def test_annotation_by_id_and_name_with_a_reason() -> None:
    proc = lint(str(CLI / "annotation.yaml"), *SELECT, "--show-suppressed")
    open_, suppressed = findings(proc)
    assert open_ == {("ML101", 38)}  # the annotation on the pod template alone does not count
    reason = "annotation manifestlint.io/ignore (break-glass debug pod, ticket OPS-12)"
    assert suppressed == {("ML102", 15): reason, ("ML101", 20): reason}
    assert proc.stdout.splitlines()[-1] == "Found 1 finding (1 error) in 1 file, 2 documents; 2 suppressed."
    assert proc.returncode == 1


def test_suppressed_findings_are_counted_but_not_listed_by_default() -> None:
    proc = lint(str(CLI / "annotation.yaml"), *SELECT)
    open_, suppressed = findings(proc)
    assert open_ == {("ML101", 38)} and suppressed == {}
    assert "2 suppressed" in proc.stdout.splitlines()[-1]


def test_only_suppressed_findings_exit_0(tmp_path: Path) -> None:
    text = (CLI / "annotation.yaml").read_text().split("---\n")[0]
    (tmp_path / "debug.yaml").write_text(text)
    proc = lint(str(tmp_path / "debug.yaml"), *SELECT)
    assert proc.returncode == 0
    assert proc.stdout.splitlines()[-1] == "Found 0 findings in 1 file, 1 document; 2 suppressed."


@pytest.mark.parametrize(("value", "expected"), [
    ("ML101", {"ml101": ""}),
    ("ML101,host-namespaces -- reason", {"ml101": "reason", "host-namespaces": "reason"}),
    (" ml101 , Host-Namespaces ", {"ml101": "", "host-namespaces": ""}),
    ("ML101=needs the GPU driver, ML102", {"ml101": "needs the GPU driver", "ml102": ""}),
    ("all -- sandbox", {"all": "sandbox"}),
    ("", {}),
])
def test_annotation_values(value: str, expected: dict[str, str]) -> None:
    assert annotation_rules({"annotations": {"manifestlint.io/ignore": value}}) == expected


@pytest.mark.parametrize("metadata", [{}, {"annotations": None}, {"annotations": ["x"]},
                                      {"annotations": {"manifestlint.io/ignore": 5}}])
def test_odd_annotations_suppress_nothing(metadata: dict) -> None:
    assert annotation_rules(metadata) == {}


# --- comments ------------------------------------------------------------------------------


def test_comment_directives_end_to_end() -> None:
    proc = lint(str(CLI / "comments.yaml"), *SELECT, "--show-suppressed")
    open_, suppressed = findings(proc)
    # Reported: hostIPC with no directive, a directive for another rule, a malformed directive, and
    # a privileged container whose line holds directive-like text in a string. The directive-like
    # values in the annotations (quoted and block text) suppress nothing.
    assert open_ == {("ML102", 20), ("ML101", 37), ("ML101", 41), ("ML101", 44)}
    assert suppressed == {
        ("ML102", 18): "comment on line 15: # manifestlint: ignore=host-namespaces (the node agent needs it)",
        ("ML102", 19): "comment on line 19: # manifestlint: ignore=ML102",
        ("ML101", 25): "comment on line 25: # manifestlint: ignore=ml101",
        ("ML101", 31): "comment on line 30: # manifestlint: ignore=ML101 (checked by hand)",
        ("ML101", 34): "comment on line 34: # manifestlint: ignore",
    }
    assert proc.stdout.splitlines()[-1] == "Found 4 findings (4 errors) in 1 file, 1 document; 5 suppressed."


def test_ignore_file_for_one_rule() -> None:
    proc = lint(str(CLI / "ignore-file.yaml"), *SELECT, "--show-suppressed")
    open_, suppressed = findings(proc)
    assert open_ == {("ML101", 13)}
    assert set(suppressed) == {("ML102", 8), ("ML102", 21)}


def test_bare_ignore_file_covers_every_rule(tmp_path: Path) -> None:
    path = tmp_path / "legacy.yaml"
    path.write_text((CLI / "privileged.yaml").read_text() + "# manifestlint: ignore-file -- legacy, replaced in Q3\n")
    proc = lint(str(path), *SELECT)
    assert proc.returncode == 0
    assert "Found 0 findings in 1 file, 1 document; 2 suppressed." in proc.stdout


def test_json_lists_suppressed_findings_with_what_suppressed_them() -> None:
    proc = lint(str(CLI / "comments.yaml"), *SELECT, "--format", "json")
    data = json.loads(proc.stdout)
    assert len(data["findings"]) == 4 and len(data["suppressed"]) == 5
    assert {f["suppressed_by"] for f in data["suppressed"]} >= {"comment on line 34: # manifestlint: ignore"}


# --- Helm-rendered streams -----------------------------------------------------------------


def test_helm_rendered_stream_keeps_directives_and_annotations() -> None:
    proc = lint(str(CLI / "helm-rendered.yaml"), *SELECT, "--show-suppressed")
    open_, suppressed = findings(proc)
    # ignore-file in templates/debug.yaml covers both documents rendered from it, not deployment.yaml
    assert open_ == {("ML101", 45)}
    assert suppressed[("ML101", 14)] == suppressed[("ML101", 27)] == (
        "comment on line 3: # manifestlint: ignore-file=ML101 (the debug template is privileged on purpose)")
    assert suppressed[("ML102", 40)] == "annotation manifestlint.io/ignore (uses the node's network by design)"
    assert "[from web/templates/deployment.yaml]" in proc.stdout


def test_helm_rendered_stream_on_stdin() -> None:
    """`helm template CHART | manifestlint -`: the same suppressions as from a file."""
    stream = (CLI / "helm-rendered.yaml").read_bytes()
    from_stdin = lint("-", *SELECT, "--show-suppressed", stdin=stream)
    from_file = lint(str(CLI / "helm-rendered.yaml"), *SELECT, "--show-suppressed")
    assert findings(from_stdin) == findings(from_file)
    assert from_stdin.returncode == 1


# --- the comment reader, directly ----------------------------------------------------------


def covered(text: str, line: int, *names: str) -> str | None:
    return directives(text).match(line, names or ("ML101", "privileged-container"))


def test_directive_on_the_line_and_on_the_line_above() -> None:
    text = "a: 1 # manifestlint: ignore=ML101\n# manifestlint: ignore=ML101\nb: 2\nc: 3\n"
    assert covered(text, 1) and covered(text, 3)
    assert covered(text, 4) is None
    assert covered(text, 1, "ML102", "host-namespaces") is None


def test_a_directive_above_passes_over_blank_and_comment_lines_only() -> None:
    text = "# manifestlint: ignore=ML101\n\n# why: see ticket\n   \nb: 2\nc: 3\n"
    assert covered(text, 5) and covered(text, 6) is None


def test_crlf_line_endings() -> None:
    text = "a: 1\r\n# manifestlint: ignore=ML101\r\nb: 2\r\nc: 3 # manifestlint: ignore\r\n"
    assert covered(text, 3) and covered(text, 4) and covered(text, 1) is None


@pytest.mark.parametrize("text", [
    'a: "x # manifestlint: ignore"\n',
    "a: 'x # manifestlint: ignore'\n",
    "a: 'it''s # manifestlint: ignore'\n",
    'a: "say \\"hi\\" # manifestlint: ignore"\n',
    'a: ["x", "y # manifestlint: ignore"]\n',
    "a: {k: 'v # manifestlint: ignore'}\n",
    'a: "a long string\n  # manifestlint: ignore\n  continues"\n',
    "a: x#manifestlint: ignore\n",
])
def test_directive_text_inside_a_value_is_not_a_directive(text: str) -> None:
    found = directives(text)
    assert not found, found


@pytest.mark.parametrize("text", [
    "script: |\n  echo # manifestlint: ignore-file\n  # manifestlint: ignore-file\nb: 1\n",
    "script: >-\n  # manifestlint: ignore-file\n\n  more\nb: 1\n",
    "items:\n  - |\n    # manifestlint: ignore-file\n  - b\n",
    "spec:\n  - run: |\n      # manifestlint: ignore-file\n    name: x\n",
    "a: |2\n    # manifestlint: ignore-file\n",
])
def test_block_scalars_are_text(text: str) -> None:
    assert not directives(text).file


def test_a_comment_after_a_block_scalar_counts_again() -> None:
    text = "script: |\n  echo hi\n# manifestlint: ignore-file=ML101\nb: 1\n"
    assert covered(text, 4)


def test_a_plain_apostrophe_does_not_open_a_string() -> None:
    text = "msg: don't panic # manifestlint: ignore=ML101\nb: it's # manifestlint: ignore\n"
    assert covered(text, 1) and covered(text, 2)


@pytest.mark.parametrize("comment", [
    "# manifestlint: ignore ML101",       # no "="
    "# manifestlint: ignore=",            # "=" and nothing
    "# manifestlint: ignored=ML101",
    "# manifestlint: disable=ML101",
    "# TODO manifestlint: ignore",
    "# manifestlint: ignore=ML101 because",
])
def test_malformed_directives_suppress_nothing(comment: str) -> None:
    assert covered(f"a: 1 {comment}\n", 1) is None


def test_names_and_ids_in_any_case_with_spaces() -> None:
    text = "a: 1 # manifestlint:ignore = ml101 , Host-Namespaces --  reason  \n"
    assert covered(text, 1) == "comment on line 1: # manifestlint: ignore=ml101,Host-Namespaces (reason)"
    assert covered(text, 1, "ML102", "host-namespaces")


def test_ignore_file_in_a_helm_stream_covers_its_template_only() -> None:
    text = ("---\n# Source: c/templates/a.yaml\n# manifestlint: ignore-file=ML101\nkind: Pod\n"
            "---\n# Source: c/templates/b.yaml\nkind: Pod\n"
            "---\n# Source: c/templates/a.yaml\nkind: Pod\n")
    assert covered(text, 4) and covered(text, 10)
    assert covered(text, 7) is None


def test_ignore_file_above_every_source_covers_the_stream() -> None:
    text = "# manifestlint: ignore-file\n---\n# Source: c/templates/a.yaml\nkind: Pod\n---\n# Source: c/b.yaml\nx: 1\n"
    assert covered(text, 4) and covered(text, 7)


def test_an_unclosed_quote_does_not_hide_the_next_documents_directives() -> None:
    text = 'a: "unclosed\n---\nb: 1 # manifestlint: ignore=ML101\n'
    assert covered(text, 3)


def test_worker_processes_suppress_the_same() -> None:
    files = [str(CLI / name) for name in ("comments.yaml", "helm-rendered.yaml", "annotation.yaml", "ignore-file.yaml")]
    one = lint(*files, *SELECT, "--show-suppressed", "--jobs", "1")
    two = lint(*files, *SELECT, "--show-suppressed", "--jobs", "2")
    assert one.stdout == two.stdout
    assert one.stdout.splitlines()[-1] == "Found 7 findings (7 errors) in 4 files, 8 documents; 12 suppressed."
