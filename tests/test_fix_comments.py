"""A fix must keep every comment: ``lost`` finds those a fixed text no longer holds, with or without the
round-trip scan (skipped when every line with a ``#`` is still there)."""

from __future__ import annotations

import pytest

from manifestlint.fix import comments as comments_mod
from manifestlint.fix.comments import comments, lost

BEFORE = """\
# a header
apiVersion: v1
kind: Pod
metadata:
  name: web  # the name
  annotations:
    note: "not # a comment"
spec:
  containers:
  - name: web
    image: nginx:1.27  # pinned by hand
"""


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the round-trip scanner is asked to read."""
    seen: list[str] = []
    real = comments_mod.comments

    def counting(text: str):  # type: ignore[no-untyped-def]
        seen.append(text)
        return real(text)

    monkeypatch.setattr(comments_mod, "comments", counting)
    return seen


def test_comments_are_what_the_scanner_calls_comments() -> None:
    assert comments(BEFORE) == {"# a header": 1, "# the name": 1, "# pinned by hand": 1}


def test_lines_added_around_kept_comments_need_no_scan(scans: list[str]) -> None:
    after = BEFORE.replace("    image: nginx:1.27  # pinned by hand\n",
                           "    image: nginx:1.27  # pinned by hand\n    securityContext:\n      privileged: false\n")
    assert lost(BEFORE, after) == []
    assert scans == []


def test_a_changed_line_with_a_comment_is_scanned_and_its_comment_kept(scans: list[str]) -> None:
    after = BEFORE.replace("nginx:1.27  # pinned", "nginx:1.28  # pinned")
    assert lost(BEFORE, after) == []
    assert len(scans) == 2


def test_a_dropped_comment_is_found() -> None:
    after = BEFORE.replace("  name: web  # the name\n", "  name: web\n")
    assert lost(BEFORE, after) == ["# the name"]


def test_a_hash_inside_a_string_is_not_a_comment() -> None:
    after = BEFORE.replace('"not # a comment"', '"changed"')
    assert lost(BEFORE, after) == []


def test_a_comment_kept_fewer_times_is_lost() -> None:
    before = "a: 1  # same\nb: 2  # same\n"
    assert lost(before, "a: 1  # same\nb: 3\n") == ["# same"]
