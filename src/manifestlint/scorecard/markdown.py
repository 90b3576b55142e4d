"""The scorecard as GitHub-flavoured Markdown, for a pull-request comment.

Text taken from the input (object names, paths, messages) is escaped so that it cannot open a link,
inject HTML or @-mention anyone.
"""

from __future__ import annotations

import re

from manifestlint.scorecard.model import WORST_LISTED, ItemScore, Scorecard, Status
from manifestlint.scorecard.text import PASSED_MEANS, findings_label, headline, scanned

ICONS = {Status.PASSED: "✅", Status.FINDINGS: "❌", Status.NEEDS_CLUSTER: "🔭", Status.NOT_CHECKABLE: "➖",
         Status.NOT_CHECKED: "⚪"}
BAR_WIDTH = 10
MAX_CHARS = 60_000  # a GitHub comment holds 65,536 characters
_SPECIAL = re.compile(r"([\\\[\]<>*_|#!~])")


def escape(text: str) -> str:
    """Input text for Markdown: no links, HTML, emphasis or mentions. Code spans are kept as they are
    (Markdown renders nothing inside them); an unpaired backtick is escaped."""
    parts = text.replace("\n", " ").split("`")
    if len(parts) % 2 == 0:  # an odd number of backticks: the last one is text
        parts[-2:] = [parts[-2] + "\0" + parts[-1]]
    return "`".join(part if i % 2 else _plain(part).replace("\0", "\\`") for i, part in enumerate(parts))


def code(text: str) -> str:
    return "`" + text.replace("`", "'").replace("\n", " ") + "`"


def _plain(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text).replace("@", "@\u200b")


def bar(section_counts: dict[Status, int]) -> str:
    total = sum(section_counts.values()) or 1
    passed = round(BAR_WIDTH * section_counts[Status.PASSED] / total)
    failed = round(BAR_WIDTH * section_counts[Status.FINDINGS] / total)
    failed = min(failed, BAR_WIDTH - passed)
    return "🟩" * passed + "🟥" * failed + "⬜" * (BAR_WIDTH - passed - failed)


def render(card: Scorecard, max_chars: int = MAX_CHARS) -> str:
    """The scorecard; fewer findings per item are listed when it would not fit in a comment."""
    for listed in (WORST_LISTED, 2, 0):
        page = _render(card, listed)
        if len(page) <= max_chars:
            break
    if listed < WORST_LISTED:
        page += (f"\nFindings listed: at most {listed} per item, to fit in a pull-request comment; "
                 "`manifestlint` lists them all.\n")
    return page


def _render(card: Scorecard, listed: int) -> str:
    lines = ["## K8S Production Checklist", "", f"**{headline(card)}** ({escape(scanned(card))})", "",
             "| Section | Items by status | Passed | Findings | Other |", "|---|---|---|---|---|"]
    for section in card.sections:
        counts = {status: section.count(status) for status in Status}
        other = len(section.items) - counts[Status.PASSED] - counts[Status.FINDINGS]
        lines.append(f"| {section.title} | {bar(counts)} | {counts[Status.PASSED]} | {counts[Status.FINDINGS]} | "
                     f"{other} |")
    lines.append("")
    for section in card.sections:
        lines += [f"### {section.title}", ""]
        for item in section.items:
            lines += _item(item, listed)
        lines.append("")
    lines.append("Legend: " + " · ".join(f"{ICONS[s]} {s.label}" for s in Status) + ". " + PASSED_MEANS)
    return "\n".join(lines) + "\n"


def _item(item: ItemScore, listed: int) -> list[str]:
    status = findings_label(item.findings) if item.status is Status.FINDINGS else item.status.label
    lines = [f"- {ICONS[item.status]} **{item.id}** {escape(item.text)}: {status}"]
    if item.status is not Status.FINDINGS:
        lines.append(f"  <br>{escape(item.detail)}")
        if item.instead:
            lines.append(f"  <br>Instead: {item.instead}")
    for finding, rule in item.worst[:listed]:
        link = f"[{rule.id}]({rule.doc})" if rule.doc else rule.id
        lines.append(f"  - {link} {code(f'{finding.path}:{finding.line}')} {finding.severity.value}: "
                     f"{escape(finding.message)}")
    shown = min(listed, len(item.worst))
    if item.findings > shown:
        lines.append(f"  - {'and ' if shown else ''}{item.findings - shown} {'more' if shown else 'findings'}")
    return lines
