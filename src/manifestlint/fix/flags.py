"""Fixes for command-line flags in each form they are written: ``--name=value`` in a container's
``command`` or ``args``, a kubeadm ``extraArgs`` map (v1beta3) or list of ``{name, value}`` (v1beta4).

Only a flag that is a list item of its own is changed; inside a shell script (``sh -c "…"``) or split
as ``--name value`` the fix is left to the user.
"""

from __future__ import annotations

from manifestlint.document import Document
from manifestlint.fix.edits import AppendItem, Fix, SetValue
from manifestlint.positions import FieldPath


def set_flag(doc: Document, path: FieldPath, name: str, value: str) -> Fix | None:
    """Set flag ``name`` to ``value`` where it is written (``path``, as the flag parser reports it)."""
    written = doc.get(path)
    description = f"set --{name}={value}"
    if path and isinstance(path[-1], str) and path[-1].lstrip("-") == name and not isinstance(written, (dict, list)):
        return Fix(description, (SetValue(path, value),))  # an extraArgs map
    if isinstance(written, dict) and isinstance(written.get("name"), str) and written["name"].lstrip("-") == name:
        return Fix(description, (SetValue((*path, "value"), value),))  # an extraArgs list entry
    if isinstance(written, str) and written.split("=", 1)[0] == f"--{name}" and " " not in written.strip():
        return Fix(description, (SetValue(path, f"--{name}={value}"),))
    return None


def add_flag(doc: Document, holder: FieldPath, name: str, value: str) -> Fix | None:
    """Add flag ``name`` to the flags at ``holder``: a command/args list of single words, or kubeadm extraArgs."""
    flags = doc.get(holder)
    description = f"add --{name}={value}"
    if holder and holder[-1] == "extraArgs" or holder and holder[-1] == "kubeletExtraArgs":
        if flags is None or isinstance(flags, dict):
            if doc.api_version.endswith("v1beta4"):
                return Fix(description, (AppendItem(holder, {"name": name, "value": value}),))
            return Fix(description, (SetValue((*holder, name), value),))
        if isinstance(flags, list):
            return Fix(description, (AppendItem(holder, {"name": name, "value": value}),))
        return None
    if isinstance(flags, list) and flags and all(isinstance(w, str) and " " not in w.strip() for w in flags) \
            and not any(w in ("&&", "||", ";", "|", "-c") for w in flags):
        return Fix(description, (AppendItem(holder, f"--{name}={value}"),))
    return None


def kubelet_fix(resolved: object, value: object) -> Fix | None:
    """Set a kubelet setting where its effective value comes from: the file's field or the flag; a kubelet
    run from flags alone gets the flag added."""
    from manifestlint.k8s.kubelet import Resolved

    if not isinstance(resolved, Resolved):
        return None
    setting = resolved.setting
    shown = ("true" if value else "false") if isinstance(value, bool) else str(value)
    if resolved.origin == "file":
        return Fix.set(setting.file_path, value)
    if resolved.origin == "flag" and setting.flag:
        return set_flag(resolved.doc, resolved.path, setting.flag, shown)
    if resolved.origin == "flag-default" and setting.flag:
        return add_flag(resolved.doc, resolved.path, setting.flag, shown)
    return None


def component_flag_fix(config: object, name: str, value: str) -> Fix | None:
    """Set a control-plane flag for a ``ComponentConfig``: where it is written, else added to the command
    line or kubeadm ``extraArgs`` (created when the section has none)."""
    from manifestlint.k8s.components import ComponentConfig

    if not isinstance(config, ComponentConfig):
        return None
    if config.is_explicit(name):
        return set_flag(config.doc, config.path(name), name, value)
    return add_flag(config.doc, config.args_path if config.kubeadm else config.anchor, name, value)
