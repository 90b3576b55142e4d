"""Turn a file's bytes into text: byte-order marks, UTF-16/32, invalid UTF-8 and binary files."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True, slots=True)
class DecodeError:
    message: str
    line: int
    column: int


def decode(data: bytes) -> str | DecodeError:
    """The text of ``data``, or why it cannot be read as YAML text."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                return DecodeError(f"invalid {encoding.upper()} data: {exc.reason}", 1, 1)
    if b"\x00" in data[:8192]:
        return DecodeError("binary file (NUL bytes), not YAML or JSON text", 1, 1)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = data[exc.start]
        return DecodeError(f"invalid UTF-8 (byte 0x{byte:02x}); YAML files must be UTF-8 or UTF-16 with a BOM",
                           line, column)
