"""Detect how a file writes YAML, so that inserted lines look like their neighbours."""

from __future__ import annotations

import re
from collections import Counter

from manifestlint.fix.emit import Style

# A line that opens a block: `key:` (optionally after `- ` items) with nothing but a comment after it.
_OPENER = re.compile(r"^(?P<lead> *(?:- +)*)(?P<key>[^\s#\-][^#]*?|\"[^\"]*\"|'[^']*'):[ \t]*(?:#.*)?$")
_CONTENT = re.compile(r"^( *)(\S)")


def detect(text: str) -> Style:
    """The file's line break, mapping indent and sequence offset; the most common of each wins, and a
    file without examples gets 2 and indented sequences."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines()
    indents: Counter[int] = Counter()
    offsets: Counter[int] = Counter()
    for number, line in enumerate(lines):
        opener = _OPENER.match(line)
        if opener is None:
            continue
        column = len(opener.group("lead"))
        for following in lines[number + 1:]:
            content = _CONTENT.match(following)
            if content is None or content.group(2) == "#":
                continue
            step = len(content.group(1)) - column
            if content.group(2) == "-" and following[len(content.group(1)):][1:2] in (" ", ""):
                if step >= 0:
                    offsets[step] += 1
            elif step > 0:
                indents[step] += 1
            break
    indent = indents.most_common(1)[0][0] if indents else 2
    offset = offsets.most_common(1)[0][0] if offsets else indent
    return Style(newline, indent if indent in (2, 3, 4, 8) else 2, offset if offset <= 8 else indent)
