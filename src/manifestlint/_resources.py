"""Locate the data shipped beside the code: top-level ``rules/`` and ``schemas/``.

In a wheel they are installed as ``manifestlint/_data/{rules,schemas}``; in a source checkout they
are the repository's top-level folders.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).resolve().parent


@functools.cache
def data_dir(name: str) -> Path:
    """The directory ``rules`` or ``schemas``, wherever this installation keeps it."""
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    checkout = _PACKAGE.parents[1] / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"manifestlint data directory {name!r} is missing from this installation")


@functools.cache
def schema(name: str) -> dict[str, Any]:
    """A JSON Schema from ``schemas/``, e.g. ``config.schema.json``."""
    with open(data_dir("schemas") / name, encoding="utf-8") as handle:
        loaded: dict[str, Any] = json.load(handle)
    return loaded


def package_file(name: str) -> Path:
    return _PACKAGE / "data" / name
