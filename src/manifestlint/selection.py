"""Which rules run, at which severity: select / extend-select / ignore and severity overrides.

A selector matches a rule by id (``ML101``), id prefix (``ML1``), name (``privileged-container``),
checklist item (``WL-5``), tag (``pss:baseline``, ``cis:5.2.1``) or ``ALL``.
"""

from __future__ import annotations

from collections.abc import Iterable

from manifestlint.rule import Rule


class SelectorError(ValueError):
    """A selector that names no rule, checklist item or tag."""


def matches(selector: str, rule: Rule) -> bool:
    meta = rule.meta
    if selector == "ALL":
        return True
    upper = selector.upper()
    return (
        meta.id == upper
        or (upper[:2].isalpha() and meta.id.startswith(upper) and upper[-1:].isdigit())
        or meta.id.rstrip("0123456789") == upper
        or selector == meta.name
        or selector in meta.checklist
        or selector in meta.tags
    )


def check_selectors(selectors: Iterable[str], rules: Iterable[Rule], setting: str) -> None:
    rules = list(rules)
    for selector in selectors:
        if not any(matches(selector, rule) for rule in rules):
            raise SelectorError(f"{setting}: {selector!r} matches no rule id, name, checklist item or tag")


def enabled_rules(rules: Iterable[Rule], *, select: Iterable[str] | None, extend_select: Iterable[str] = (),
                  ignore: Iterable[str] = ()) -> list[Rule]:
    """The rules that run: the defaults (or ``select``), plus ``extend_select``, minus ``ignore``."""
    select = list(select) if select is not None else None
    extend_select, ignore = list(extend_select), list(ignore)
    chosen = []
    for rule in rules:
        picked = rule.meta.enabled if select is None else any(matches(s, rule) for s in select)
        picked = picked or any(matches(s, rule) for s in extend_select)
        if picked and not any(matches(s, rule) for s in ignore):
            chosen.append(rule)
    return chosen
