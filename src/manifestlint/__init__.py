"""manifestlint: an offline linter for Kubernetes manifests and cluster configuration files."""

from __future__ import annotations

__version__ = "0.1.0"

from manifestlint.hookspecs import hookimpl  # noqa: E402

__all__ = ["__version__", "hookimpl"]
