"""The composite GitHub Action (action.yml): its inputs are documented, and its shell steps work.

The shell steps run here as the runner would run them (``bash --noprofile --norc -eo pipefail``,
``GITHUB_OUTPUT`` and ``GITHUB_STEP_SUMMARY`` files, expressions substituted), with manifestlint
installed by the action's own install step into a fresh virtualenv from a wheel built from this
checkout. The ``uses:`` steps (setup-python, upload-sarif) are GitHub's and are not run.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from manifestlint import __version__

REPO = Path(__file__).resolve().parent.parent
ACTION = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
BAD = """\
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  containers:
    - name: web
      image: nginx:1.27
      securityContext: {privileged: true}
"""


def test_action_is_composite_with_described_inputs() -> None:
    assert ACTION["runs"]["using"] == "composite"
    expected = {"paths", "config", "format", "fail-on", "sarif-file", "kubernetes-version", "version", "upload",
                "category"}
    assert expected <= set(ACTION["inputs"])
    for name, spec in ACTION["inputs"].items():
        assert spec.get("description"), name
        assert isinstance(spec.get("default"), str), f"{name}: give every input a string default"


def test_every_input_and_output_is_documented_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## GitHub Actions"):]
    for name in [*ACTION["inputs"], *ACTION["outputs"]]:
        assert f"| `{name}` |" in section, f"README: document the action's `{name}`"


def test_expressions_name_declared_inputs_and_stay_out_of_scripts() -> None:
    text = (REPO / "action.yml").read_text(encoding="utf-8")
    used = set(re.findall(r"inputs\.([a-z0-9-]+)", text))
    assert used == set(ACTION["inputs"]), "every input is used, and only declared inputs are"
    for step in ACTION["runs"]["steps"]:
        if "run" in step:
            assert step.get("shell") == "bash", step["name"]
            assert "${{" not in step["run"], f"{step['name']}: pass inputs through env, not into the script"


def test_upload_uses_the_category() -> None:
    upload = next(s for s in ACTION["runs"]["steps"] if str(s.get("uses", "")).startswith(
        "github/codeql-action/upload-sarif@"))
    assert upload["with"]["category"] == "${{ inputs.category }}"
    assert "inputs.upload == 'true'" in upload["if"]


class Runner:
    """Just enough of the Actions runner for this action's bash steps."""

    def __init__(self, workspace: Path, inputs: dict[str, str], env: dict[str, str]) -> None:
        self.workspace = workspace
        self.inputs = {name: spec["default"] for name, spec in ACTION["inputs"].items()} | inputs
        self.env = env
        self.outputs: dict[str, dict[str, str]] = {}
        self.summary = workspace.parent / f"{workspace.name}-summary.md"
        self.summary.write_text("")

    def value(self, expression: str) -> Any:
        if "&&" in expression:
            return all(self.value(part.strip()) for part in expression.split("&&"))
        if "==" in expression:
            left, right = (part.strip() for part in expression.split("==", 1))
            return str(self.value(left)) == right.strip("'")
        if expression.startswith("inputs."):
            return self.inputs[expression[len("inputs."):]]
        match = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expression)
        if match:
            return self.outputs.get(match[1], {}).get(match[2], "")
        raise AssertionError(f"expression not supported by the test runner: {expression}")

    def expand(self, text: str) -> str:
        return EXPRESSION.sub(lambda m: str(self.value(m[1])), text)

    def run(self) -> list[tuple[str, int, str]]:
        """Run every bash step until one fails; return (step name, exit code, output) of each run."""
        ran = []
        for step in ACTION["runs"]["steps"]:
            if "run" not in step:
                continue
            condition = step.get("if")
            if condition and not self.value(EXPRESSION.fullmatch(condition)[1]):  # type: ignore[index]
                continue
            output_file = self.workspace.parent / f"{self.workspace.name}-output-{len(ran)}"
            output_file.write_text("")
            env = {**self.env, **{k: self.expand(str(v)) for k, v in step.get("env", {}).items()},
                   "GITHUB_OUTPUT": str(output_file), "GITHUB_STEP_SUMMARY": str(self.summary),
                   "GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(self.workspace)}
            proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                                  cwd=self.workspace, env=env, capture_output=True, text=True, timeout=600)
            if "id" in step:
                self.outputs[step["id"]] = dict(line.split("=", 1) for line in output_file.read_text().splitlines())
            ran.append((step["name"], proc.returncode, proc.stdout + proc.stderr))
            if proc.returncode != 0:
                break
        return ran


@pytest.fixture(scope="module")
def python_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A fresh virtualenv on the PATH, as actions/setup-python leaves one, and a wheel of this checkout."""
    base = tmp_path_factory.mktemp("action")
    wheels = base / "wheels"
    build = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(wheels), str(REPO)]
    if importlib.util.find_spec("hatchling") is not None:
        build.insert(4, "--no-build-isolation")
    subprocess.run(build, check=True, capture_output=True, timeout=300)
    subprocess.run([sys.executable, "-m", "venv", str(base / "venv")], check=True, capture_output=True, timeout=300)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "NO_COLOR", "FORCE_COLOR")}
    env["PATH"] = f"{base / 'venv' / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["PIP_FIND_LINKS"] = " ".join(filter(None, [str(wheels), os.environ.get("PIP_FIND_LINKS", "")]))
    return env


def _workspace(tmp_path: Path, manifest: str) -> Path:
    workspace = tmp_path / "repo"
    (workspace / "deploy" / "prod").mkdir(parents=True)
    (workspace / "deploy" / "prod" / "web.yaml").write_text(manifest)
    (workspace / ".manifestlint.yaml").write_text("select: [ML101, ML203]\n")
    return workspace


def test_shell_steps_lint_write_sarif_and_fail_after_the_upload(tmp_path: Path,
                                                               python_env: dict[str, str]) -> None:
    runner = Runner(_workspace(tmp_path, BAD), {"paths": "deploy/prod\n", "version": __version__,
                                                 "category": "prod-cluster", "checklist-summary": "true"},
                    python_env)
    ran = runner.run()
    names = [name for name, _, _ in ran]
    assert names == ["Install manifestlint", "Lint", "Checklist scorecard", "Fail on findings"], ran
    install, lint, _, fail = ran
    assert install[1] == 0 and f"manifestlint {__version__}" in install[2]
    assert lint[1] == 0, lint[2]  # the lint step never fails: the upload comes first
    assert "::error file=deploy/prod/web.yaml,line=8," in lint[2] and "title=ML101" in lint[2]
    outputs = runner.outputs["lint"]
    assert outputs == {"sarif-written": "true", "exit-code": "1", "findings": "1", "sarif-file": "manifestlint.sarif"}
    sarif = json.loads((runner.workspace / "manifestlint.sarif").read_text())
    assert sarif["runs"][0]["automationDetails"] == {"id": "prod-cluster/"}
    assert sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
        "deploy/prod/web.yaml"
    assert fail[1] == 1 and "::error title=manifestlint::manifestlint exited 1" in fail[2]
    assert "❌ **WL-5**" in runner.summary.read_text()


def test_shell_steps_pass_on_a_clean_tree_and_honour_fail_on(tmp_path: Path, python_env: dict[str, str]) -> None:
    # `version` left empty: the latest release, which here is the wheel of this checkout.
    runner = Runner(_workspace(tmp_path, BAD.replace("nginx:1.27", "nginx:latest")),
                    {"paths": "deploy", "fail-on": "error", "format": "text", "sarif-file": "out/ml.sarif",
                     "config": ".manifestlint.yaml"}, python_env)
    (runner.workspace / "deploy" / "prod" / "web.yaml").write_text(
        BAD.replace("privileged: true", "privileged: false").replace("nginx:1.27", "nginx:latest"))
    ran = runner.run()
    assert [code for _, code, _ in ran] == [0, 0, 0], ran
    assert runner.outputs["lint"]["exit-code"] == "0" and runner.outputs["lint"]["findings"] == "1"  # a warning
    assert "automationDetails" not in json.loads((runner.workspace / "out" / "ml.sarif").read_text())["runs"][0]
