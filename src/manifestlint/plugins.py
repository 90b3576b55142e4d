"""Find and register plugins: the built-in bundles and third-party entry points, the same way."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from importlib.metadata import entry_points

import pluggy

from manifestlint import hookspecs
from manifestlint.model import Notification, Severity

ENTRY_POINT_GROUP = "manifestlint"

# Built-in bundles, in the order their rules are listed (pytest's ``default_plugins``).
BUILTIN_PLUGINS = (
    "core",
    "pod_security",
    "resources",
    "images",
    "probes",
    "identity",
    "metadata",
    "cluster_config",
    "api_versions",
    "network", "rbac", "namespaces", "inventory",
    "schemas",
    "reporters",
)


def plugin_manager(*, blocked: Iterable[str] = (), load_entry_points: bool = True
                   ) -> tuple[pluggy.PluginManager, list[Notification]]:
    """A plugin manager with every built-in bundle and installed plugin that is not blocked.

    A plugin that fails to import is reported as a notification; the others still load.
    """
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    notes: list[Notification] = []
    for name in blocked:
        pm.set_blocked(name)
    for name in BUILTIN_PLUGINS:
        if pm.is_blocked(name):
            continue
        pm.register(importlib.import_module(f"manifestlint.builtin.{name}"), name=name)
    if load_entry_points:
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            if pm.is_blocked(ep.name) or pm.get_plugin(ep.name) is not None:
                continue
            try:
                plugin = ep.load()
                pm.register(plugin, name=ep.name)
            except Exception as exc:  # a broken plugin must not stop the run
                notes.append(Notification(Severity.WARNING, f"plugin {ep.name!r} ({ep.value}) failed to load: "
                                          f"{type(exc).__name__}: {exc}", kind="plugin"))
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        notes.append(Notification(Severity.WARNING, f"plugin validation: {exc}", kind="plugin"))
    return pm, notes
