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
    """A file's decoded text, turning character indexes into lines and columns.

    Most files have few findings, so the first lookups in a small file whose only line break is
    ``\n`` count newlines in place; a table of line starts is built once a file is large or asked
    often (a bisect per lookup from then on).
    """

    __slots__ = ("text", "_starts", "_counted", "_newlines_only")

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: array[int] | None = None
        self._counted = 0
        self._newlines_only: bool | None = None

    def line_column(self, index: int) -> tuple[int, int]:
        """1-based line and column (in code points) of the character at ``index``."""
        starts = self._starts
        if starts is None:
            if self._counted < _COUNTED_LOOKUPS and self._countable():
                self._counted += 1
                text = self.text
                return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)
            starts = self._line_starts()
        line = bisect.bisect_right(starts, index)
        return line, index - starts[line - 1] + 1

    def compact(self) -> None:
        """Drop the text where a line table can stand for it (documents kept for whole-input rules need
        positions, not text); a small file without a table keeps its text, which costs less to keep
        than a table costs to build."""
        if self.text and (self._starts is not None or not self._countable()):
            self._line_starts()
            self.text = ""

    def _countable(self) -> bool:
        """Whether lines can be counted in place: a small text whose only line break is ``\n``."""
        if self._newlines_only is None:
            text = self.text
            self._newlines_only = len(text) <= _COUNTABLE_SIZE and not any(b in text for b in _OTHER_BREAKS)
        return self._newlines_only

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


_COUNTED_LOOKUPS = 24  # past this many lookups in one file, a table is cheaper
_COUNTABLE_SIZE = 64 * 1024
_OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029")  # YAML line breaks other than \n (CRLF included)
