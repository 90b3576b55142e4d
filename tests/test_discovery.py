"""Which files a run lints: folders, skipped folders, exclude globs, symlinks and duplicates."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, run_cli

from manifestlint.discovery import Excludes, Skipped, anchor, expand

CLI = REPO / "fixtures" / "inputs" / "cli"
PRIVILEGED = CLI / "privileged.yaml"
SELECT = ("--select", "ML101")


def lint(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    proc = run_cli(*args, **kwargs)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def linted(proc: subprocess.CompletedProcess[str]) -> list[str]:
    """The files with an ML101 finding, in report order (each test file has exactly one)."""
    return [line.split(":", 1)[0] for line in proc.stdout.splitlines() if " ML101 " in line]


def skipped(proc: subprocess.CompletedProcess[str]) -> dict[str, str]:
    """``--verbose``'s notes: path -> reason."""
    notes = {}
    for line in proc.stdout.splitlines():
        path, sep, reason = line.partition(": note: skipped: ")
        if sep:
            notes[path] = reason
    return notes


def put(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if name.endswith(".json"):
            path.write_text(json.dumps({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                                        "spec": {"containers": [{"name": "c", "image": "x:1",
                                                                 "securityContext": {"privileged": True}}]}}))
        else:
            shutil.copy(PRIVILEGED, path)


# --- folders -------------------------------------------------------------------------------


def test_folders_are_searched_recursively_for_yaml_yml_and_json(tmp_path: Path) -> None:
    put(tmp_path, "a.yaml", "deep/er/b.yml", "c.json", "D.YAML", ".hidden/e.yaml")
    (tmp_path / "notes.txt").write_text("privileged: true\n")
    (tmp_path / "deep" / "kustomize.yaml.bak").write_text("privileged: true\n")
    proc = lint(".", "--no-config", *SELECT, cwd=tmp_path)
    assert sorted(linted(proc)) == [".hidden/e.yaml", "D.YAML", "a.yaml", "c.json", "deep/er/b.yml"]
    assert proc.stdout.splitlines()[-1].endswith("in 5 files, 5 documents.")


def test_vcs_dependency_and_vendor_folders_are_skipped(tmp_path: Path) -> None:
    put(tmp_path, "app.yaml", ".git/x.yaml", "node_modules/pkg/x.yaml", "vendor/x.yaml", "sub/vendor/x.yaml")
    proc = lint(".", "--no-config", *SELECT, "--verbose", cwd=tmp_path)
    assert linted(proc) == ["app.yaml"]
    notes = skipped(proc)
    assert {path: reason for path, reason in notes.items() if path.endswith("/")} == {
        ".git/": ".git folders are not searched",
        "node_modules/": "node_modules folders are not searched",
        "sub/vendor/": "vendor folders are not searched",
        "vendor/": "vendor folders are not searched",
    }


def test_a_file_named_inside_a_skipped_folder_is_linted(tmp_path: Path) -> None:
    put(tmp_path, "vendor/x.yaml")
    assert linted(lint("vendor/x.yaml", "vendor", "--no-config", *SELECT, cwd=tmp_path)) == ["vendor/x.yaml"]


def test_verbose_lists_non_kubernetes_files_with_the_reason(tmp_path: Path) -> None:
    put(tmp_path, "app.yaml")
    (tmp_path / "values.yaml").write_text("replicas: 2\n")
    (tmp_path / "notes.yaml").write_text("title: hello\n")
    proc = lint(".", "--no-config", *SELECT, "--verbose", cwd=tmp_path)
    notes = skipped(proc)
    assert notes["values.yaml"] == "Helm chart values"
    assert "notes.yaml" in notes
    quiet = lint(".", "--no-config", *SELECT, cwd=tmp_path)
    assert skipped(quiet) == {}
    assert quiet.stdout.splitlines()[-1] == (
        "Found 1 finding (1 error) in 3 files, 1 document; 2 files skipped (--verbose says why).")
    assert proc.stdout.splitlines()[-1] == "Found 1 finding (1 error) in 3 files, 1 document; 2 files skipped."


# --- exclude globs -------------------------------------------------------------------------


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    put(tmp_path, "generated/a.yaml", "k8s/generated/b.yaml", "k8s/app.yaml", "k8s/testdata/t.yaml",
        "k8s/web.tmpl.yaml", "k8s/out/o.yaml")
    return tmp_path


def test_exclude_globs_are_relative_to_the_config_file(tree: Path) -> None:
    (tree / ".manifestlint.yaml").write_text('select: [ML101]\nexclude: ["generated/**"]\n')
    at_top = lint(".", cwd=tree)
    assert "generated/a.yaml" not in linted(at_top) and "k8s/generated/b.yaml" in linted(at_top)
    # From k8s/, "generated/**" still means <config folder>/generated, not k8s/generated.
    below = lint(".", "..", "--verbose", cwd=tree / "k8s")
    assert "generated/b.yaml" in linted(below)
    assert "../generated/a.yaml" not in linted(below)
    assert skipped(below)["../generated/"].startswith("excluded by ")


def test_exclude_name_patterns_match_at_any_depth(tree: Path) -> None:
    (tree / ".manifestlint.yaml").write_text('select: [ML101]\nexclude: [testdata, "*.tmpl.yaml", "out/"]\n')
    proc = lint(".", "--verbose", cwd=tree / "k8s")
    assert sorted(linted(proc)) == ["app.yaml", "generated/b.yaml"]
    notes = skipped(proc)
    assert notes["testdata/"] == "excluded by 'testdata'"
    assert notes["web.tmpl.yaml"] == "excluded by '*.tmpl.yaml'"
    assert notes["out/"] == "excluded by 'out/'"


def test_excludes_apply_to_files_named_on_the_command_line(tree: Path) -> None:
    """pre-commit passes every changed file by name: the configured excludes must still hold."""
    (tree / ".manifestlint.yaml").write_text('select: [ML101]\nexclude: ["k8s/generated/**", testdata]\n')
    proc = lint("k8s/generated/b.yaml", "k8s/testdata/t.yaml", "k8s/app.yaml", "--verbose", cwd=tree)
    assert linted(proc) == ["k8s/app.yaml"]
    assert set(skipped(proc)) == {"k8s/generated/b.yaml", "k8s/testdata/t.yaml"}
    only_excluded = lint("k8s/generated/b.yaml", cwd=tree)
    assert only_excluded.returncode == 0
    assert "no .yaml, .yml or .json files to lint" in only_excluded.stderr


def test_exclude_on_the_command_line_is_relative_to_the_working_directory(tree: Path) -> None:
    proc = lint(".", "--no-config", *SELECT, "--exclude", "generated/**", cwd=tree / "k8s")
    assert "generated/b.yaml" not in linted(proc) and "app.yaml" in linted(proc)


# --- symlinks and duplicates ----------------------------------------------------------------


def test_a_folder_symlinked_to_its_parent_is_not_followed(tmp_path: Path) -> None:
    put(tmp_path, "outside.yaml", "k8s/app.yaml", "k8s/sub/deep.yaml")
    (tmp_path / "k8s" / "sub" / "up").symlink_to("..")
    (tmp_path / "k8s" / "loop").symlink_to("..")
    (tmp_path / "k8s" / "self").symlink_to(".")
    proc = lint("k8s", "--no-config", *SELECT, "--verbose", cwd=tmp_path)
    assert sorted(linted(proc)) == ["k8s/app.yaml", "k8s/sub/deep.yaml"]  # not outside.yaml, nothing twice
    notes = skipped(proc)
    for link in ("k8s/loop/", "k8s/self/", "k8s/sub/up/"):
        assert "a loop" in notes[link]


def test_a_symlinked_folder_elsewhere_is_followed_once(tmp_path: Path) -> None:
    put(tmp_path, "shared/base.yaml", "k8s/app.yaml")
    (tmp_path / "k8s" / "base").symlink_to("../shared")
    (tmp_path / "k8s" / "again").symlink_to("../shared")
    proc = lint("k8s", "shared", "--no-config", *SELECT, cwd=tmp_path)
    assert sorted(linted(proc)) == ["k8s/again/base.yaml", "k8s/app.yaml"]


def test_a_file_given_twice_or_through_two_paths_is_linted_once(tmp_path: Path) -> None:
    put(tmp_path, "k8s/app.yaml")
    (tmp_path / "k8s" / "link.yaml").symlink_to("app.yaml")
    proc = lint("k8s/app.yaml", "k8s/app.yaml", "./k8s/app.yaml", str(tmp_path / "k8s/app.yaml"), "k8s",
                "k8s/../k8s/link.yaml", "--no-config", *SELECT, "--verbose", cwd=tmp_path)
    assert linted(proc) == ["k8s/app.yaml"]
    assert proc.stdout.splitlines()[-1] == "Found 1 finding (1 error) in 1 file, 1 document."
    assert skipped(proc)["k8s/link.yaml"] == "same file as k8s/app.yaml, linted once"


def test_a_broken_symlink_in_a_folder_is_left_out_not_fatal(tmp_path: Path) -> None:
    put(tmp_path, "app.yaml")
    (tmp_path / "gone.yaml").symlink_to("missing.yaml")
    proc = lint(".", "--no-config", *SELECT, "--verbose", cwd=tmp_path)
    assert proc.returncode == 1 and linted(proc) == ["app.yaml"]
    assert "broken symbolic link" in skipped(proc)["gone.yaml"]


def test_a_symlinked_file_keeps_the_name_it_was_given(tmp_path: Path) -> None:
    put(tmp_path, "real/app.yaml")
    (tmp_path / "current.yaml").symlink_to("real/app.yaml")
    assert linted(lint("current.yaml", "--no-config", *SELECT, cwd=tmp_path)) == ["current.yaml"]


def test_process_substitution_pipes_are_read(tmp_path: Path) -> None:
    """`manifestlint <(helm template …)` names a pipe, not a regular file."""
    read_end, write_end = os.pipe()
    os.write(write_end, PRIVILEGED.read_bytes())
    os.close(write_end)
    try:
        proc = subprocess.run([*_python_m(), f"/dev/fd/{read_end}", "--no-config", *SELECT], pass_fds=(read_end,),
                              capture_output=True, text=True, cwd=tmp_path, timeout=60)
    finally:
        os.close(read_end)
    assert proc.returncode == 1, proc.stderr
    assert f"/dev/fd/{read_end}:15:13: ML101" in proc.stdout


def _python_m() -> list[str]:
    return [sys.executable, "-m", "manifestlint"]


# --- the glob language, directly -------------------------------------------------------------


@pytest.mark.parametrize(("pattern", "path", "is_dir", "excluded"), [
    ("charts/**", "/p/charts", True, True),
    ("charts/**", "/p/charts/a/b.yaml", False, True),
    ("charts/**", "/p/k8s/charts/b.yaml", False, False),
    ("**/testdata/**", "/p/testdata/x.yaml", False, True),
    ("**/testdata/**", "/p/a/b/testdata/x.yaml", False, True),
    ("**/testdata/**", "/q/testdata/x.yaml", False, False),
    ("deploy/*.yaml", "/p/deploy/x.yaml", False, True),
    ("deploy/*.yaml", "/p/deploy/sub/x.yaml", False, False),
    ("./deploy/x.yaml", "/p/deploy/x.yaml", False, True),
    ("/deploy/x.yaml", "/p/deploy/x.yaml", False, False),  # an absolute pattern stays absolute
    ("*.tmpl.yaml", "/anywhere/web.tmpl.yaml", False, True),
    ("x?.yaml", "/p/x1.yaml", False, True),
    ("x[0-9].yaml", "/p/x7.yaml", False, True),
    ("x[!0-9].yaml", "/p/x7.yaml", False, False),
    ("out/", "/p/a/out", True, True),
    ("out/", "/p/a/out", False, False),
])
def test_exclude_glob_language(pattern: str, path: str, is_dir: bool, excluded: bool) -> None:
    assert (Excludes([pattern], Path("/p")).match(path, is_dir=is_dir) is not None) is excluded


def test_anchor_escapes_glob_characters_in_the_base(tmp_path: Path) -> None:
    base = tmp_path / "odd[1]*dir"
    base.mkdir()
    pattern = anchor("charts/**", base)
    assert Excludes([pattern], Path("/")).match(f"{base.as_posix()}/charts/a.yaml", is_dir=False)
    assert not Excludes([pattern], Path("/")).match(f"{tmp_path.as_posix()}/oddXdir/charts/a.yaml", is_dir=False)


def test_expand_reports_what_it_leaves_out(tmp_path: Path) -> None:
    put(tmp_path, "a.yaml", "node_modules/b.yaml")
    notes: list[Skipped] = []
    files = list(expand([str(tmp_path), str(tmp_path / "a.yaml")], tmp_path, [], skipped=notes))
    assert [f.display for f in files] == ["a.yaml"]
    assert [n.display for n in notes] == ["node_modules/", "a.yaml"]
