"""Resolve YAML scalars exactly as Kubernetes does.

Kubernetes decodes YAML with sigs.k8s.io/yaml, which uses go-yaml v2 (YAML 1.1) and then JSON.
This module ports go-yaml v2's ``resolve.go`` for plain (unquoted) scalars: ``yes``/``on``/``y``
are ``true``, ``010`` is octal 8, ``1_000`` is 1000, and timestamps stay strings.
"""

from __future__ import annotations

import math
import re
import sys
from typing import Any

# The plain words with a special meaning (also the seed of PLAIN_VALUES).
_SPECIAL: dict[str, Any] = {}
for _words, _value in (
    (("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), True),
    (("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), False),
    (("", "~", "null", "Null", "NULL"), None),
    ((".nan", ".NaN", ".NAN"), math.nan),
    ((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), math.inf),
    (("-.inf", "-.Inf", "-.INF"), -math.inf),
):
    for _word in _words:
        _SPECIAL[_word] = _value

_NUMBER_START = frozenset("-+0123456789.")
_YAML_STYLE_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_GO_INT = re.compile(r"^[-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9][0-9]*|0)$")
_INT64 = 1 << 63
_UINT64 = 1 << 64

YAML_TAG = "tag:yaml.org,2002:"


def _go_parse_int(text: str) -> int | None:
    """strconv.ParseInt/ParseUint with base 0, within 64 bits; None if it is not an integer."""
    if not _GO_INT.match(text):
        return None
    sign = -1 if text[0] == "-" else 1
    digits = text.lstrip("+-")
    if digits[:2] in ("0x", "0X"):
        value = int(digits[2:], 16)
    elif digits[:2] in ("0b", "0B"):
        value = int(digits[2:], 2)
    elif digits[:2] in ("0o", "0O"):
        value = int(digits[2:], 8)
    elif len(digits) > 1 and digits[0] == "0":
        value = int(digits[1:], 8)
    else:
        value = int(digits)
    value *= sign
    if -_INT64 <= value < _UINT64:
        return value
    return None


def resolve_plain(text: str) -> Any:
    """The value of an untagged plain scalar."""
    if text.isdigit() and text.isascii() and (text[0] != "0" or len(text) == 1) and len(text) < 19:
        return int(text)  # the commonest number, a plain decimal well inside 64 bits
    special = _SPECIAL.get(text, _SPECIAL)
    if special is not _SPECIAL:
        return special
    if text[0] not in _NUMBER_START:
        return text
    plain = text.replace("_", "") if "_" in text else text
    if not plain:
        return text
    number = _go_parse_int(plain)
    if number is not None:
        return number
    if _YAML_STYLE_FLOAT.match(plain):
        try:
            return float(plain)
        except ValueError:  # pragma: no cover - the regex admits only valid floats
            return text
    return text


class _PlainValues(dict[str, Any]):
    """Plain scalar text to its value, remembered from the first time it is seen.

    Documents repeat the same keys and many values thousands of times; remembered words are
    interned, so each is one object for the whole run. Bounded: past the limit, values are
    resolved each time.
    """

    def __missing__(self, text: str) -> Any:
        value = resolve_plain(text)
        if len(self) < _PLAIN_LIMIT and len(text) <= 100:
            if type(value) is str:
                value = sys.intern(value)
            self[text] = value
        return value


_PLAIN_LIMIT = 100_000
PLAIN_VALUES = _PlainValues(_SPECIAL)


def resolve_tagged(text: str, tag: str) -> tuple[Any, bool]:
    """The value of a scalar with an explicit tag, and whether Kubernetes knows that tag."""
    if not tag.startswith(YAML_TAG):
        return text, False
    short = tag[len(YAML_TAG):]
    if short in ("str", "binary", "timestamp"):
        return text, True
    value = resolve_plain(text) if text else None
    if short == "null" and value is None:
        return None, True
    if short == "bool" and isinstance(value, bool):
        return value, True
    if short in ("int", "float") and isinstance(value, (int, float)) and not isinstance(value, bool):
        if short == "int" and isinstance(value, int):
            return value, True
        if short == "float":
            return float(value), True
    if short in ("bool", "null", "int", "float"):
        return text, False
    return text, False


def key_to_string(key: Any) -> str:
    """A mapping key as sigs.k8s.io/yaml turns it into a JSON object key."""
    if isinstance(key, str):
        return key
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, float):
        if math.isinf(key):
            return "+Inf" if key > 0 else "-Inf"
        if math.isnan(key):
            return "NaN"
        return repr(key).rstrip("0").rstrip(".") if "e" not in repr(key) else repr(key)
    return str(key)
