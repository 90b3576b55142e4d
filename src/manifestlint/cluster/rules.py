"""The base of cluster-wide rules: one ``ClusterModel`` per run, shared by every such rule."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from manifestlint.cluster.model import ClusterModel, model_for
from manifestlint.cluster.objects import NamespaceInfo
from manifestlint.document import Document
from manifestlint.positions import FieldPath
from manifestlint.rule import Context, InputRule, Violation

Finding = tuple[Document, Violation]


class ClusterRule(InputRule):
    """A whole-input rule that reads the cluster model; subclasses implement ``check_model``.

    Every cluster rule targets every object (empty ``targets``), so that they all receive the same
    documents and share one model.
    """

    def check_input(self, docs: Sequence[Document], ctx: Context) -> Iterator[Finding]:
        return self.check_model(model_for(docs, ctx.scope), ctx)

    def check_model(self, model: ClusterModel, ctx: Context) -> Iterator[Finding]:
        raise NotImplementedError


def at_namespace(model: ClusterModel, info: NamespaceInfo, message: str,
                 path: FieldPath | None = None) -> Iterator[Finding]:
    """A finding about ``info``: at ``path`` of its Namespace object, else at the first object using it."""
    if info.doc is not None:
        yield info.doc, Violation(path or ("metadata", "name"), message)
        return
    anchor = model.anchor(info)
    if anchor is None:
        return
    name = f"namespace {info.name!r}"
    note = "no Namespace object in the input declares it; this object is the first that uses it"
    if name in message:
        message = message.replace(name, f"{name} ({note})", 1)
    else:
        message += f" ({name}: {note})"
    yield anchor[0], Violation(anchor[1], message)


def quoted(names: Sequence[str], limit: int = 4) -> str:
    shown = [repr(n) for n in names[:limit]]
    if len(names) > limit:
        shown.append(f"and {len(names) - limit} more")
    return ", ".join(shown)
