"""``--render-kustomize``: kustomizations built with a stand-in ``kustomize`` or ``kubectl``, and linted."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        privileged: true
"""


def stand_in(bin_dir: Path, name: str, subcommand: str, output: Path, log: Path) -> None:
    """A ``name`` that logs its arguments and offline settings, and prints ``output`` for ``name subcommand DIR``."""
    bin_dir.mkdir(exist_ok=True)
    script = bin_dir / name
    script.write_text(f"#!/bin/sh\n[ \"$1\" = {subcommand} ] || exit 3\n"
                      f"echo \"$* git=$GIT_ALLOW_PROTOCOL proxy=$HTTPS_PROXY\" >> '{log}'\n"
                      f"/bin/cat '{output}'\n")
    script.chmod(0o755)


def tree(tmp_path: Path, file_name: str = "kustomization.yaml") -> Path:
    overlay = tmp_path / "deploy" / "overlay"
    overlay.mkdir(parents=True)
    (overlay / file_name).write_text("resources:\n  - ../base\n")
    (tmp_path / "rendered.yaml").write_text(POD)
    return overlay


def test_kustomize_build_output_is_linted_as_one_more_input(tmp_path: Path) -> None:
    tree(tmp_path)
    log = tmp_path / "calls.log"
    stand_in(tmp_path / "bin", "kustomize", "build", tmp_path / "rendered.yaml", log)
    proc = run_cli("--no-config", "--select", "ML101", "--verbose", "--render-kustomize", "deploy", cwd=tmp_path,
                   env={"PATH": f"{tmp_path / 'bin'}:/usr/bin:/bin"})
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "deploy/overlay/kustomization.yaml (kustomize build):11:" in proc.stdout
    assert "ML101" in proc.stdout
    assert "its build is linted as `deploy/overlay/kustomization.yaml (kustomize build)`" in proc.stderr + proc.stdout
    calls = log.read_text().splitlines()
    assert len(calls) == 1 and calls[0].startswith(f"build {tmp_path / 'deploy' / 'overlay'} ")
    assert "git=file" in calls[0] and "proxy=http://127.0.0.1:9" in calls[0]


def test_kubectl_kustomize_when_only_kubectl_is_present(tmp_path: Path) -> None:
    overlay = tree(tmp_path, "Kustomization")
    (overlay / "extra.yaml").write_text("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n")
    log = tmp_path / "calls.log"
    stand_in(tmp_path / "bin", "kubectl", "kustomize", tmp_path / "rendered.yaml", log)
    proc = run_cli("--no-config", "--select", "ML101", "--render-kustomize", "deploy", cwd=tmp_path,
                   env={"PATH": str(tmp_path / "bin")})
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "deploy/overlay/Kustomization (kustomize build):11:" in proc.stdout
    assert log.read_text().startswith(f"kustomize {overlay} ")


def test_a_named_kustomization_folder_is_built(tmp_path: Path) -> None:
    overlay = tree(tmp_path)
    log = tmp_path / "calls.log"
    stand_in(tmp_path / "bin", "kustomize", "build", tmp_path / "rendered.yaml", log)
    proc = run_cli("--no-config", "--select", "ML101", "--render-kustomize", str(overlay), cwd=tmp_path,
                   env={"PATH": str(tmp_path / "bin")})
    assert proc.returncode == 1 and "kustomization.yaml (kustomize build):11:" in proc.stdout, proc.stderr


def test_a_failed_build_is_one_error_naming_the_folder(tmp_path: Path) -> None:
    tree(tmp_path)
    (tmp_path / "bin").mkdir()
    fake = tmp_path / "bin" / "kustomize"
    fake.write_text("#!/bin/sh\necho 'Error: accumulating resources: ../base: no such file' >&2\nexit 1\n")
    fake.chmod(0o755)
    proc = run_cli("--no-config", "--quiet", "--render-kustomize", "deploy", cwd=tmp_path,
                   env={"PATH": str(tmp_path / "bin")})
    assert proc.returncode == 2, proc.stdout + proc.stderr
    errors = [line for line in proc.stderr.splitlines() if "error" in line]
    assert len(errors) == 1 and "Traceback" not in proc.stderr
    assert "kustomize build deploy/overlay failed: Error: accumulating resources" in errors[0]


def test_without_kustomize_or_kubectl_the_flag_exits_2(tmp_path: Path) -> None:
    tree(tmp_path)
    (tmp_path / "empty").mkdir()
    proc = run_cli("--no-config", "--render-kustomize", "deploy", cwd=tmp_path, env={"PATH": str(tmp_path / "empty")})
    assert proc.returncode == 2
    assert "--render-kustomize needs the `kustomize` or `kubectl` command on the PATH" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_without_the_flag_the_kustomization_is_noted_with_how_to_lint_it(tmp_path: Path) -> None:
    tree(tmp_path)
    proc = run_cli("--no-config", "--verbose", "deploy", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout + proc.stderr
    assert "deploy/overlay/kustomization.yaml: note: skipped: a Kustomize file: lint its output with " \
           "`kustomize build deploy/overlay | manifestlint -`, or with `--render-kustomize`" in out
