"""``--render-kustomize``: build a kustomization with ``kustomize build`` or ``kubectl kustomize``, offline."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from manifestlint.external_render import run_renderer

# The names kustomize accepts for the file that makes a folder a kustomization, in its order of preference.
FILE_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")

# Remote bases are fetched with git or over HTTP: allow only local git repositories and send HTTP to a
# closed local port, so a kustomization with a remote resource fails (and says so) instead of downloading.
_DEAD_PROXY = "http://127.0.0.1:9"


def kustomization_file(folder: Path) -> Path | None:
    """The kustomization file of ``folder``, or None when it is not a kustomization."""
    for name in FILE_NAMES:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


def kustomizations(folders: Iterable[Path]) -> dict[Path, Path]:
    """Kustomization folders among ``folders`` (resolved, sorted), each with its kustomization file."""
    found = {}
    for folder in {f.resolve() for f in folders}:
        file = kustomization_file(folder)
        if file is not None:
            found[folder] = file
    return dict(sorted(found.items()))


def command() -> list[str] | None:
    """``kustomize build``, else ``kubectl kustomize``, else None when neither is on the PATH."""
    if kustomize := shutil.which("kustomize"):
        return [kustomize, "build"]
    if kubectl := shutil.which("kubectl"):
        return [kubectl, "kustomize"]
    return None


def offline_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("no_proxy", "http_proxy", "https_proxy")}
    env.update(GIT_ALLOW_PROTOCOL="file", GIT_TERMINAL_PROMPT="0", HTTP_PROXY=_DEAD_PROXY,
               HTTPS_PROXY=_DEAD_PROXY, http_proxy=_DEAD_PROXY, https_proxy=_DEAD_PROXY)
    return env


def build(folder: Path, shown: str) -> tuple[bytes | None, str | None]:
    """The built output of the kustomization in ``folder`` (``shown`` names it in errors), or None and why."""
    argv = command()
    if argv is None:
        return None, "neither `kustomize` nor `kubectl` is on the PATH"
    label = f"{Path(argv[0]).name} {argv[1]} {shown}"
    return run_renderer([*argv, str(folder)], label, offline_env())
