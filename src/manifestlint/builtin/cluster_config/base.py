"""Templates the cluster configuration rules share: one flag helper serves every "component must set --X" rule.

A ``ComponentRule`` judges each control-plane component a document configures: a static pod (or
any workload) whose container runs the binary, or a kubeadm ``ClusterConfiguration`` section. Its
subclasses say which components they read and implement ``judge``; ``missing`` and ``flag_value``
produce the findings with the right place and wording for both forms.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, ClassVar

from manifestlint.document import Document
from manifestlint.k8s.components import CAPI_KINDS, ComponentConfig, component_configs, configures_components
from manifestlint.k8s.kubelet import KubeletInstance, kubelet_instances
from manifestlint.k8s.workloads import WORKLOAD_KINDS
from manifestlint.rule import Context, InputRule, Rule, Violation

OBJECT_AND_CONFIG = ("object", "cluster-config")
COMPONENT_KINDS = WORKLOAD_KINDS | {"ClusterConfiguration"} | CAPI_KINDS
KUBELET_KINDS = frozenset({"Pod", "KubeletConfiguration", "InitConfiguration", "JoinConfiguration"}) | CAPI_KINDS


class ComponentRule(Rule):
    """A per-document rule over the components a document configures."""

    components: ClassVar[frozenset[str]]
    gate = staticmethod(configures_components)

    def check(self, doc: Document, ctx: Context) -> Iterator[Violation]:
        for config in component_configs(doc):
            if config.component in self.components:
                yield from self.judge(config, ctx)

    def judge(self, config: ComponentConfig, ctx: Context) -> Iterator[Violation]:
        raise NotImplementedError


class KubeletRule(InputRule):
    """A whole-input rule over every kubelet the input configures (file, flags, kubeadm)."""

    def check_input(self, docs: Sequence[Document], ctx: Context) -> Iterator[tuple[Document, Violation]]:
        yield from unique(pair for instance in kubelet_instances(docs) for pair in self.judge(instance, ctx))

    def judge(self, kubelet: KubeletInstance, ctx: Context) -> Iterable[tuple[Document, Violation]]:
        raise NotImplementedError


def unique(pairs: Iterable[tuple[Document, Violation]]) -> Iterator[tuple[Document, Violation]]:
    """Each finding once, although two kubelets may share the file that causes it."""
    seen: set[tuple[int, tuple[Any, ...], str]] = set()
    for doc, violation in pairs:
        key = (id(doc), violation.path, violation.message)
        if key not in seen:
            seen.add(key)
            yield doc, violation


def flag_set_hint(config: ComponentConfig, name: str, value: str) -> str:
    """How to set a flag in this input: on the command line, or in kubeadm ``extraArgs``."""
    if not config.kubeadm:
        return f"`--{name}={value}`"
    section = ".".join(map(str, config.args_path))
    if config.list_form or isinstance(config.doc.get(config.args_path), list):
        return f"`{{name: {name}, value: \"{value}\"}}` in `{section}`"
    return f"`{name}: \"{value}\"` in `{section}`"


def missing(config: ComponentConfig, names: Sequence[str], why: str, fix: str = "") -> Iterator[Violation]:
    """A finding when any of ``names`` is unset or empty, at the flags' list or kubeadm section."""
    absent = [n for n in names if not config.value(n)]
    if not absent:
        return
    listed = ", ".join(f"`--{n}`" for n in absent)
    empty = [n for n in absent if config.is_explicit(n)]
    path = config.path(empty[0]) if empty else config.anchor
    verb = "sets an empty" if empty and len(absent) == 1 else "has no"
    yield Violation(path, f"{config.where} {verb} {listed}: {why}" + (f"; {fix}" if fix else ""))


def describe_flag(config: ComponentConfig, name: str) -> str:
    """The flag as the user wrote it, or kubeadm's default, for a message."""
    value = config.value(name)
    if config.is_explicit(name) or not config.kubeadm:
        return f"`--{name}={value}`"
    return f"kubeadm's default `--{name}={value}`"
