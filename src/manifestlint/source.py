"""The text of one input file, turning character indexes into lines and columns when asked."""

from __future__ import annotations

import bisect
import re
from array import array
from itertools import accumulate

# Line breaks as YAML 1.1 (and libyaml) counts them; str.splitlines also breaks at these others.
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_SPLITLINES_ONLY = "\v\f\x1c\x1d\x1e"  # `in` per character: a memchr each, far faster than a regex scan


class SourceText:
    """A file's decoded text; line starts are computed on the first lookup, since most files have
    no finding at all."""

    __slots__ = ("text", "_starts")

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: array[int] | None = None

    def line_column(self, index: int) -> tuple[int, int]:
        """1-based line and column (in code points) of the character at ``index``."""
        starts = self._starts if self._starts is not None else self._line_starts()
        line = bisect.bisect_right(starts, index)
        return line, index - starts[line - 1] + 1

    def compact(self) -> None:
        """Keep only the line table: documents kept for whole-input rules need positions, not text."""
        if self.text:
            self._line_starts()
            self.text = ""

    def _line_starts(self) -> array[int]:
        starts = array("q", [0])
        text = self.text
        if any(char in text for char in _SPLITLINES_ONLY):  # str.splitlines would break where YAML does not
            starts.extend(m.end() for m in _BREAK.finditer(text))
        else:
            starts.extend(accumulate(map(len, text.splitlines(keepends=True))))
            if text and text[-1] not in "\n\r\x85\u2028\u2029":
                starts.pop()  # the end of a last line without a break does not start another line
        self._starts = starts
        return starts
