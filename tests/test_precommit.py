"""The pre-commit hooks, run by the real ``pre-commit`` the way a user's repository runs them.

manifestlint is installed from a wheel built here from this checkout: the hook repository handed to
``pre-commit try-repo`` holds our ``.pre-commit-hooks.yaml`` and a one-line package that requires
``manifestlint==<this version>``, found through ``PIP_FIND_LINKS``. Its dependencies come from the
package index that pip is configured with, as for any install. ``try-repo`` builds the hook
environment anew for each run (about 10 s), so the tests make few runs.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from manifestlint import __version__

REPO = Path(__file__).resolve().parent.parent
HOOKS_FILE = REPO / ".pre-commit-hooks.yaml"

BAD = """\
apiVersion: v1
kind: Pod
metadata: {name: bad, namespace: shop}
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext: {privileged: true}
"""
GOOD = BAD.replace("bad", "good").replace("privileged: true", "privileged: false")
NAMESPACE = "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n"
GIT_ENV = {"GIT_AUTHOR_NAME": "test", "GIT_AUTHOR_EMAIL": "test@example.com", "GIT_COMMITTER_NAME": "test",
           "GIT_COMMITTER_EMAIL": "test@example.com", "GIT_CONFIG_NOSYSTEM": "1"}


def test_hooks_file_is_a_valid_manifest() -> None:
    pytest.importorskip("pre_commit")
    from pre_commit.clientlib import load_manifest

    hooks = {hook["id"]: hook for hook in load_manifest(str(HOOKS_FILE))}
    assert set(hooks) == {"manifestlint", "manifestlint-all"}
    assert hooks["manifestlint"]["pass_filenames"] is True
    assert hooks["manifestlint"]["types_or"] == ["yaml", "json"]
    assert hooks["manifestlint-all"]["pass_filenames"] is False
    assert hooks["manifestlint-all"]["require_serial"] is True
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["entry"] == "manifestlint check"


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env={**os.environ, **GIT_ENV})


def _commit_all(cwd: Path) -> None:
    _git(cwd, "add", "-A")
    _git(cwd, "commit", "-q", "--no-gpg-sign", "-m", "update")


@pytest.fixture(scope="module")
def hook_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    if importlib.util.find_spec("pre_commit") is None:
        if os.environ.get("CI"):
            pytest.fail("pre-commit is a test dependency (pip install '.[test]')")
        pytest.skip("pre-commit is not installed (pip install '.[test]')")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    base = tmp_path_factory.mktemp("precommit")
    wheels = base / "wheels"
    build = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(wheels), str(REPO)]
    if importlib.util.find_spec("hatchling") is not None:
        build.insert(4, "--no-build-isolation")  # no download of the build backend when it is at hand
    subprocess.run(build, check=True, capture_output=True, timeout=300)
    assert list(wheels.glob("manifestlint-*.whl"))

    hooks = base / "hooks"
    hooks.mkdir()
    shutil.copy(HOOKS_FILE, hooks / ".pre-commit-hooks.yaml")
    (hooks / "setup.py").write_text("from setuptools import setup\n\nsetup(name='manifestlint-hooks-under-test', "
                                    f"version='0', install_requires=['manifestlint=={__version__}'])\n")
    _git(hooks, "init", "-q")
    _commit_all(hooks)

    finds = " ".join(filter(None, [str(wheels), os.environ.get("PIP_FIND_LINKS", "")]))
    env = {**os.environ, **GIT_ENV, "PIP_FIND_LINKS": finds, "PRE_COMMIT_HOME": str(base / "cache"),
           "PRE_COMMIT_COLOR": "never", "NO_COLOR": "1"}
    env.pop("VIRTUAL_ENV", None)
    yield {"hooks": hooks, "env": env, "base": base}


def _project(base: Path, name: str, files: dict[str, str]) -> Path:
    project = base / name
    project.mkdir()
    for file, text in files.items():
        (project / file).write_text(text)
    _git(project, "init", "-q")
    _commit_all(project)
    return project


def _try_repo(env: dict[str, object], project: Path, hook: str, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(env["hooks"]), *([hook] if hook else []),
               "--color", "never", *args]
    return subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=600,
                          env=env["env"])  # type: ignore[arg-type]


def test_hook_fails_on_a_bad_manifest_then_passes(hook_env: dict[str, object]) -> None:
    config = "select: [ML101, ML102, ML103]\n"
    project = _project(hook_env["base"], "changed-files",  # type: ignore[arg-type]
                       {"bad.yaml": BAD, "good.yaml": GOOD, ".manifestlint.yaml": config,
                        "notes.json": '{"not": "kubernetes"}'})

    failed = _try_repo(hook_env, project, "manifestlint", "--all-files")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "bad.yaml:8:" in failed.stdout and "ML101" in failed.stdout
    assert "good.yaml:" not in failed.stdout

    (project / "bad.yaml").write_text(BAD.replace("privileged: true", "privileged: false"))
    _commit_all(project)
    fixed = _try_repo(hook_env, project, "manifestlint", "--all-files")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "Passed" in fixed.stdout


def test_all_hook_lints_the_configured_paths_as_one_input(hook_env: dict[str, object]) -> None:
    # ML633 judges a namespace by its workloads: it needs the Namespace and the Pod in one input.
    project = _project(hook_env["base"], "one-input",  # type: ignore[arg-type]
                       {"namespace.yaml": NAMESPACE, "pod.yaml": GOOD, ".manifestlint.yaml": "select: [ML633]\n"})

    # Both hooks in one run (try-repo builds a fresh environment per run): only namespace.yaml changed.
    run = _try_repo(hook_env, project, "", "--files", "namespace.yaml")
    assert run.returncode == 1, run.stdout + run.stderr
    per_file, whole = run.stdout.split("manifestlint (all configured paths)")
    assert "Passed" in per_file and "ML633" not in per_file
    assert "Failed" in whole and "namespace.yaml:3:" in whole and "ML633" in whole
    assert "2 documents" in whole


def test_readme_documents_both_hooks() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for hook in yaml.safe_load(HOOKS_FILE.read_text(encoding="utf-8")):
        assert f"id: {hook['id']}\n" in readme
