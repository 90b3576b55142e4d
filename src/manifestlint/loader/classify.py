"""Decide what a file or a document is: a Kubernetes object, a cluster config file, or neither."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

OBJECT = "object"
CLUSTER_CONFIG = "cluster-config"

# API groups of component configuration files (not objects served by the API server).
CLUSTER_CONFIG_GROUPS = frozenset({
    "kubeadm.k8s.io",
    "kubelet.config.k8s.io",
    "apiserver.config.k8s.io",
    "apiserver.k8s.io",
    "audit.k8s.io",
    "kubeproxy.config.k8s.io",
    "kubescheduler.config.k8s.io",
    "kubecontrollermanager.config.k8s.io",
    "pod-security.admission.config.k8s.io",
    "eventratelimit.admission.k8s.io",
    "credentialprovider.kubelet.k8s.io",
})

_KUSTOMIZE_NOTE = ("a Kustomize file: lint its output with `kustomize build DIR | manifestlint -`, "
                   "or with `--render-kustomize`")

# Files that are YAML or JSON but never Kubernetes objects, by name.
_NAMED_FILES = {
    "chart.yaml": "Helm chart metadata",
    "chart.lock": "Helm chart lock file",
    "values.yaml": "Helm chart values",
    "values.yml": "Helm chart values",
    "values.schema.json": "Helm values schema",
    "kustomization.yaml": _KUSTOMIZE_NOTE,
    "kustomization.yml": _KUSTOMIZE_NOTE,
    ".pre-commit-config.yaml": "pre-commit configuration",
    ".pre-commit-hooks.yaml": "pre-commit hook definitions",
    ".manifestlint.yaml": "manifestlint configuration",
    ".manifestlint.yml": "manifestlint configuration",
    "docker-compose.yml": "a Compose file",
    "docker-compose.yaml": "a Compose file",
    "compose.yml": "a Compose file",
    "compose.yaml": "a Compose file",
    ".gitlab-ci.yml": "GitLab CI configuration",
    "action.yml": "a GitHub Action definition",
    "action.yaml": "a GitHub Action definition",
    "mkdocs.yml": "MkDocs configuration",
    "package.json": "an npm package file",
    "package-lock.json": "an npm lock file",
    "tsconfig.json": "TypeScript configuration",
    "renovate.json": "Renovate configuration",
    ".golangci.yml": "golangci-lint configuration",
    ".goreleaser.yml": "GoReleaser configuration",
    ".goreleaser.yaml": "GoReleaser configuration",
    "codecov.yml": "Codecov configuration",
    ".yamllint": "yamllint configuration",
    ".yamllint.yaml": "yamllint configuration",
}

_SKIPPED_KINDS = {
    ("kustomize.config.k8s.io", "Kustomization"): _NAMED_FILES["kustomization.yaml"],
    ("kustomize.config.k8s.io", "Component"): "a Kustomize component: lint the build output instead",
    ("", "Config"): "a kubeconfig file",
}

HELM_TEMPLATE_NOTE = ("an unrendered Helm template: render it first, e.g. "
                      "`helm template CHART_DIR | manifestlint -`")


def skip_reason_for_path(path: str) -> str | None:
    """Why a file is not linted, judged by its path alone."""
    slashed = path.replace("\\", "/")
    name = slashed.rpartition("/")[2].lower()
    if name in ("kustomization.yaml", "kustomization.yml"):
        return _KUSTOMIZE_NOTE.replace("DIR", str(PurePosixPath(slashed).parent))
    if name in _NAMED_FILES:
        return _NAMED_FILES[name]
    if name.startswith("values") and name.endswith((".yaml", ".yml")) and name.count(".") >= 1 and (
        name.startswith(("values-", "values.", "values_"))
    ):
        return "Helm chart values"
    parts = slashed.split("/")
    if ".github" in parts and ("workflows" in parts or name in ("dependabot.yml", "dependabot.yaml")):
        return "GitHub configuration (workflow or dependabot), not Kubernetes"
    return None


def classify(data: Any) -> tuple[str | None, str | None]:
    """``(category, None)`` for a Kubernetes document, else ``(None, why it is skipped)``.

    A mapping with neither ``apiVersion`` nor ``kind`` is not Kubernetes and is skipped. One with
    either is a Kubernetes document; its shape is checked by rule ML004.
    """
    if not isinstance(data, dict):
        return None, "not a mapping"
    if "apiVersion" not in data and "kind" not in data:
        return None, "no apiVersion or kind"
    api_version = data.get("apiVersion")
    kind = data.get("kind")
    group = api_version.rpartition("/")[0] if isinstance(api_version, str) else ""
    if isinstance(kind, str):
        skipped = _SKIPPED_KINDS.get((group, kind))
        if skipped and (kind != "Config" or "clusters" in data or "contexts" in data):
            return None, skipped
    if group in CLUSTER_CONFIG_GROUPS:
        return CLUSTER_CONFIG, None
    return OBJECT, None


def is_list_kind(data: dict[str, Any]) -> bool:
    kind = data.get("kind")
    return isinstance(kind, str) and kind.endswith("List") and isinstance(data.get("items"), list)
