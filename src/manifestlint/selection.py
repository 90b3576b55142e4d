"""Which rules run: select / extend-select / ignore, from the configuration and the command line.

A selector matches a rule by id (``ML101``), id prefix (``ML1``, ``ML``), name
(``privileged-container``), checklist item (``WL-5``), tag (``pss:baseline``, ``cis:5.2.1``) or
``ALL``; ids, checklist items and names match in any case.

Settings come in layers, the configuration file first and the command line over it (ruff's
habit): a layer's ``select`` replaces what the layers below chose, then its ``extend-select``
adds rules and its ``ignore`` removes them. So ``--select ML101`` runs ML101 even when the
configuration ignores it, and ``--extend-select`` can turn back on a rule the file ignores.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from manifestlint.rule import Rule


class SelectorError(ValueError):
    """A selector that names no rule, checklist item or tag."""


@dataclass(frozen=True, slots=True)
class Layer:
    """One source of selectors; ``origin`` prefixes error messages (``--`` for the command line)."""

    select: Sequence[str] | None = None
    extend_select: Sequence[str] = ()
    ignore: Sequence[str] = ()
    origin: str = ""
    names: dict[str, str] = field(default_factory=lambda: {"select": "select", "extend-select": "extend-select",
                                                           "ignore": "ignore"})


def cli_layer(select: Sequence[str] | None, extend_select: Sequence[str], ignore: Sequence[str]) -> Layer:
    """The command line's selectors, named as its options in error messages."""
    return Layer(select, extend_select, ignore, names={"select": "--select", "extend-select": "--extend-select",
                                                       "ignore": "--ignore"})


def matches(selector: str, rule: Rule) -> bool:
    meta = rule.meta
    upper = selector.upper()
    if upper == "ALL":
        return True
    return (
        meta.id == upper
        or (upper[:2].isalpha() and meta.id.startswith(upper) and upper[-1:].isdigit())
        or meta.id.rstrip("0123456789") == upper
        or selector.lower() == meta.name
        or upper in (item.upper() for item in meta.checklist)
        or selector in meta.tags
        or selector.lower() in meta.tags
    )


class _SelectorIndex:
    """Selector -> matching rule ids, computed once per selector (a resolved selection lists every id)."""

    def __init__(self, rules: list[Rule]) -> None:
        self._rules = rules
        self._by_id = {rule.meta.id: rule for rule in rules}
        self._cache: dict[str, frozenset[str]] = {}

    def ids(self, selector: str) -> frozenset[str]:
        found = self._cache.get(selector)
        if found is None:
            exact = self._by_id.get(selector.upper())
            if exact is not None:  # a whole id names one rule: ids all have three digits
                found = frozenset({exact.meta.id})
            else:
                found = frozenset(rule.meta.id for rule in self._rules if matches(selector, rule))
            self._cache[selector] = found
        return found

    def union(self, selectors: Iterable[str]) -> set[str]:
        chosen: set[str] = set()
        for selector in selectors:
            chosen |= self.ids(selector)
        return chosen


def _suggestion(selector: str, rules: list[Rule]) -> str:
    vocabulary = {word for rule in rules for word in (rule.meta.id, rule.meta.name, *rule.meta.checklist,
                                                       *rule.meta.tags)}
    close = difflib.get_close_matches(selector, sorted(vocabulary), n=1, cutoff=0.6)
    if not close:
        close = difflib.get_close_matches(selector.upper(), sorted(vocabulary), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else "; `manifestlint rules` lists them"


def resolve(rules: Iterable[Rule], layers: Sequence[Layer]) -> list[Rule]:
    """The rules chosen by ``layers``, lowest first; a selector naming nothing raises ``SelectorError``."""
    rules = list(rules)
    index = _SelectorIndex(rules)
    chosen = {rule.meta.id for rule in rules if rule.meta.enabled}
    for layer in layers:
        prefix = f"{layer.origin}: " if layer.origin else ""
        for key, selectors in (("select", layer.select or ()), ("extend-select", layer.extend_select),
                               ("ignore", layer.ignore)):
            for selector in selectors:
                if not index.ids(selector):
                    raise SelectorError(f"{prefix}{layer.names[key]}: {selector!r} matches no rule id, name, "
                                        f"checklist item or tag{_suggestion(selector, rules)}")
        if layer.select is not None:
            chosen = index.union(layer.select)
        chosen |= index.union(layer.extend_select)
        chosen -= index.union(layer.ignore)
    return [rule for rule in rules if rule.meta.id in chosen]
