"""``python -m manifestlint``."""

from manifestlint.cli import main

raise SystemExit(main())
