"""``python -m manifestlint``."""

from manifestlint.cli import entry

entry()
