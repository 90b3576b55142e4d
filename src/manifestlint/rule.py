"""What a rule is: its metadata, its check, and what a check reports."""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from manifestlint.document import Document
from manifestlint.model import Severity
from manifestlint.positions import FieldPath

if TYPE_CHECKING:
    from manifestlint.fix.edits import Fix

RULE_ID = re.compile(r"^[A-Z]{2,5}[0-9]{3}$")
RULE_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
DOC_SECTIONS = ("What it does", "Why is this bad?", "How to fix", "References")


@dataclass(frozen=True, slots=True)
class RuleDocs:
    """The sections every rule's page has (ruff's layout); examples come from the fixtures."""

    what: str
    why: str
    fix: str
    references: tuple[str, ...] = ()

    @classmethod
    def from_markdown(cls, text: str) -> RuleDocs:
        """Parse a docstring with ``## What it does`` / ``## Why is this bad?`` / ... sections."""
        sections: dict[str, list[str]] = {}
        current: list[str] | None = None
        for line in _dedent(text).splitlines():
            if line.startswith("## "):
                current = sections.setdefault(line[3:].strip(), [])
            elif current is not None:
                current.append(line)
        def get(name: str) -> str:
            return "\n".join(sections.get(name, [])).strip()

        refs = tuple(r.lstrip("-* ").strip() for r in get("References").splitlines() if r.strip())
        return cls(get("What it does"), get("Why is this bad?"), get("How to fix"), refs)

    def missing(self) -> list[str]:
        texts = (self.what, self.why, self.fix, self.references)
        return [name for name, text in zip(DOC_SECTIONS, texts, strict=True) if not text]


def _dedent(text: str) -> str:
    return inspect.cleandoc(text or "")


@dataclass(frozen=True)
class RuleMeta:
    """Everything known about a rule apart from its check.

    ``targets`` lists the kinds it reads (empty: every object of its ``categories``);
    ``checklist`` the K8S Production Checklist item ids it enforces; ``tags`` CIS numbers, Pod
    Security Standards levels (``pss:baseline``) and ``security`` for security rules. ``fixable``:
    some of its findings carry a fix (``--fix``), described in ``fix_note`` for the rule's page.
    """

    id: str
    name: str
    title: str
    severity: Severity
    checklist: tuple[str, ...]
    tags: tuple[str, ...] = ()
    targets: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset({"object"})
    enabled: bool = True
    security_severity: str | None = None
    options_schema: Mapping[str, Any] | None = None
    docs: RuleDocs = field(default_factory=lambda: RuleDocs("", "", ""))
    plugin: str = ""
    fixable: bool = False
    fix_note: str = ""

    @property
    def help_uri(self) -> str:
        return f"https://github.com/manifestlint/manifestlint/blob/main/docs/rules/{self.id}.md"

    def default_options(self) -> dict[str, Any]:
        props = (self.options_schema or {}).get("properties", {})
        return {key: spec["default"] for key, spec in props.items() if "default" in spec}


@dataclass(frozen=True, slots=True)
class Violation:
    """One problem a check found: the field path it is at, and what to tell the user.

    ``path`` may go beyond what exists (a missing field): the finding then points at the deepest
    existing part, the parent that should hold it. ``fix``, when the right change is certain, is what
    ``--fix`` does about it (``manifestlint.fix.edits``).
    """

    path: FieldPath
    message: str
    severity: Severity | None = None
    fix: Fix | None = None


@dataclass(frozen=True, slots=True)
class Context:
    """What a check may read besides the document: its options and the run's scope.

    ``scope`` is ``"default"`` (a namespace-level rule judges only namespaces whose Namespace object
    is in the input) or ``"cluster"`` (the input describes the whole cluster).
    """

    options: Mapping[str, Any]
    scope: str = "default"


class Gate(Protocol):
    """A cheap test several rules share: whether a document can concern them at all."""

    def __call__(self, doc: Document, /) -> bool: ...


class Rule:
    """A per-object rule: a pure function of one document and the rule's options.

    Subclasses set ``meta`` and implement ``check``; the class docstring holds the docs sections.
    ``gate``, when set, is a cheap test of the document that rules sharing it need to pass before
    any of them has something to say (a container running a control-plane binary, say): the
    engine asks it once per document for all of them. ``per_object`` is False for rules with no
    per-object check (whole-input rules, rules the engine reports from loader problems).
    """

    meta: ClassVar[RuleMeta]
    gate: ClassVar[Gate | None] = None
    per_object: ClassVar[bool] = True

    def check(self, doc: Document, ctx: Context) -> Iterable[Violation]:
        raise NotImplementedError

    def run_notes(self, ctx: Context) -> Iterable[str]:
        """What the rule says once per run, whatever the input (a fallback it takes, say); none by default."""
        return ()


class InputRule(Rule):
    """A whole-input rule: it sees every targeted document of the run at once."""

    per_object = False

    def check_input(self, docs: Sequence[Document], ctx: Context) -> Iterable[tuple[Document, Violation]]:
        raise NotImplementedError

    def check(self, doc: Document, ctx: Context) -> Iterable[Violation]:  # pragma: no cover - not per-object
        return ()


def define(**fields: Any) -> Any:
    """Class decorator: attach ``RuleMeta`` to a Python rule, its docs taken from the docstring."""

    def attach(cls: type[Rule]) -> type[Rule]:
        for key in ("checklist", "tags"):
            fields[key] = tuple(fields.get(key, ()))
        for key in ("targets", "categories"):
            if key in fields and not isinstance(fields[key], frozenset):  # a frozenset subclass may compute
                fields[key] = frozenset(fields[key])
        if isinstance(fields.get("severity"), str):
            fields["severity"] = Severity.parse(fields["severity"])
        cls.meta = RuleMeta(docs=RuleDocs.from_markdown(cls.__doc__ or ""), **fields)
        return cls

    return attach
