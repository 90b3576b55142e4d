"""What the API-version rules share: the target release from the rule options."""

from __future__ import annotations

from manifestlint.builtin.api_versions.release import DEFAULT_RELEASE, OPTION, OPTION_SCHEMA, Release, parse_release
from manifestlint.rule import Context

OPTIONS_SCHEMA = {"type": "object", "properties": {OPTION: OPTION_SCHEMA}, "additionalProperties": False}
PSP_KIND = "PodSecurityPolicy"


def target(ctx: Context) -> Release:
    """The release the run checks against (the options schema already rejected malformed values)."""
    try:
        return parse_release(str(ctx.options.get(OPTION) or DEFAULT_RELEASE))
    except ValueError:
        return parse_release(DEFAULT_RELEASE)
