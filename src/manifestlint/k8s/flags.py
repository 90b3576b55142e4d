"""Parse a component's command line into flags, the way its flag library reads them.

Kubernetes components use pflag: ``--name=value`` and ``--name value`` both set a flag, except that a
boolean flag never takes the next word as its value (``--profiling false`` sets ``profiling=true``
and leaves a stray ``false``). etcd uses Go's ``flag`` package, which also accepts one dash. When a
flag is repeated, the last occurrence wins for the scalar flags the rules read.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from manifestlint.positions import FieldPath

# strconv.ParseBool, which both flag libraries use for boolean values.
_BOOLS = {"1": True, "t": True, "T": True, "TRUE": True, "true": True, "True": True,
          "0": False, "f": False, "F": False, "FALSE": False, "false": False, "False": False}


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a command line and the field path of the list item that holds it."""

    text: str
    path: FieldPath


@dataclass(frozen=True, slots=True)
class Flag:
    """One flag as the binary reads it.

    ``value`` is ``"true"`` for a bare boolean flag; ``stray`` is the path of a word that follows a
    boolean flag and looks like its value but is not read as one.
    """

    name: str
    value: str
    path: FieldPath
    stray: FieldPath | None = None
    stray_text: str = ""


def parse_bool(value: str | None) -> bool | None:
    """A flag value as Go parses a boolean; None when it is not one."""
    if value is None:
        return None
    return _BOOLS.get(value.strip())


def split_list(value: str | None) -> list[str]:
    """A comma-separated flag value (``Node,RBAC``) as its non-empty items."""
    if not value:
        return []
    return [item.strip() for item in value.split(",") if item.strip()]


def parse(tokens: Sequence[Token], booleans: Iterable[str] = (), *, single_dash: bool = False) -> list[Flag]:
    """Every flag of ``tokens`` in order; positional words are skipped.

    A flag whose type is unknown takes the next word as its value when that word is not itself a
    flag, which is what pflag does for every non-boolean flag.
    """
    bools = frozenset(booleans)
    flags: list[Flag] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        name = _flag_name(token.text, single_dash)
        i += 1
        if name is None:
            if token.text == "--":
                break
            continue
        name, eq, value = name.partition("=")
        if eq:
            flags.append(Flag(name, value, token.path))
            continue
        following = tokens[i] if i < len(tokens) else None
        if name in bools:
            if following is not None and parse_bool(following.text) is not None:
                flags.append(Flag(name, "true", token.path, following.path, following.text))
                i += 1
            else:
                flags.append(Flag(name, "true", token.path))
        elif following is not None and _flag_name(following.text, single_dash) is None and following.text != "--":
            flags.append(Flag(name, following.text, token.path))
            i += 1
        else:
            flags.append(Flag(name, "", token.path))
    return flags


def last_wins(flags: Iterable[Flag]) -> dict[str, Flag]:
    """Each flag's effective occurrence: the last one."""
    effective: dict[str, Flag] = {}
    for flag in flags:
        effective[flag.name] = flag
    return effective


def _flag_name(text: str, single_dash: bool) -> str | None:
    if text.startswith("--") and len(text) > 2 and text[2] != "-":
        return text[2:]
    if single_dash and text.startswith("-") and len(text) > 1 and text[1] != "-":
        return text[1:]
    return None
