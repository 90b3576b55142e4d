"""Plain scalars resolve as Kubernetes (go-yaml v2, YAML 1.1) resolves them, also when remembered."""

from __future__ import annotations

import math

import pytest

from manifestlint.loader import Limits
from manifestlint.loader.scalars import PLAIN_VALUES, key_to_string, resolve_plain
from manifestlint.loader.yaml_events import parse_stream

CASES = [
    ("yes", True), ("On", True), ("y", True), ("no", False), ("OFF", False), ("~", None), ("null", None),
    ("80", 80), ("0", 0), ("010", 8), ("0x1F", 31), ("0b101", 5), ("1_000", 1000), ("-12", -12),
    ("1.5", 1.5), (".5", 0.5), ("1e3", 1000.0), ("-.inf", -math.inf),
    ("99999999999999999999", 1e20), ("2001-12-14", "2001-12-14"), ("1.2.3", "1.2.3"),
    ("nginx:1.25", "nginx:1.25"), ("+", "+"), ("-1-", "-1-"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_plain_scalar_values(text: str, expected: object) -> None:
    assert resolve_plain(text) == expected
    for _ in range(2):  # the first lookup fills the table, the second reads it back
        value = PLAIN_VALUES[text]
        assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_loader_reads_values_and_keys(text: str, expected: object) -> None:
    docs, problem = parse_stream(f"a: {text}\n{text}: b\n", Limits())
    assert problem is None
    data = docs[0].data
    assert data["a"] == expected and type(data["a"]) is type(expected)
    assert data[key_to_string(expected)] == "b"


def test_nan_is_a_float() -> None:
    assert math.isnan(PLAIN_VALUES[".NaN"])


def test_quoted_scalars_stay_strings() -> None:
    docs, _ = parse_stream('a: "yes"\nb: \'80\'\n"on": 1\n', Limits())
    assert docs[0].data == {"a": "yes", "b": "80", "on": 1}
