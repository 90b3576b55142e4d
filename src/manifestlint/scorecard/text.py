"""The scorecard for a terminal: one line per item, the worst findings under it."""

from __future__ import annotations

from manifestlint.scorecard.model import Scorecard, Status

BAR_WIDTH = 20
PASSED_MEANS = ("An item passes when its rules found nothing in the files given: for the component items (CS, "
                "MS-2, RA-5), give the control-plane static pods and the kubeadm, kubelet, audit and encryption "
                "configuration too.")
_MARKS = {Status.PASSED: "#", Status.FINDINGS: "x", Status.NEEDS_CLUSTER: "~", Status.NOT_CHECKABLE: "-",
          Status.NOT_CHECKED: "."}


def headline(card: Scorecard) -> str:
    parts = [f"{card.count(Status.PASSED)} passed", f"{card.count(Status.FINDINGS)} with findings"]
    others = (Status.NEEDS_CLUSTER, Status.NOT_CHECKABLE, Status.NOT_CHECKED)
    parts += [f"{n} {status.label.replace('needs', 'need' if n != 1 else 'needs')}"
              for status in others if (n := card.count(status))]
    return ", ".join(parts)


def scanned(card: Scorecard) -> str:
    text = f"{card.files} file{'s' if card.files != 1 else ''}, {card.documents} document" \
           f"{'s' if card.documents != 1 else ''}; scope: {card.scope}"
    if card.suppressed:
        text += f"; {card.suppressed} suppressed finding{'s' if card.suppressed != 1 else ''} not counted"
    if card.baselined:
        text += f"; {card.baselined} finding{'s' if card.baselined != 1 else ''} in the baseline not counted"
    return text


def findings_label(count: int) -> str:
    return f"{count} finding{'s' if count != 1 else ''}"


def bar(counts: dict[Status, int], width: int = BAR_WIDTH) -> str:
    total = sum(counts.values()) or 1
    cells = "".join(_MARKS[status] * round(width * n / total) for status, n in counts.items())
    return cells[:width].ljust(width, cells[-1:] or " ")


def render(card: Scorecard) -> str:
    lines = [f"K8S Production Checklist: {headline(card)} ({scanned(card)})", ""]
    for section in card.sections:
        counts = {status: section.count(status) for status in Status}
        lines.append(f"{section.title} [{bar(counts)}] {counts[Status.PASSED]}/{len(section.items)} passed")
        for item in section.items:
            status = findings_label(item.findings) if item.status is Status.FINDINGS else item.status.label
            lines.append(f"  {item.id:<5} {status:<24} {item.text}")
            if item.status is not Status.FINDINGS:
                lines.append(f"        {item.detail}")
                if item.instead:
                    lines.append(f"        Instead: {item.instead}")
            for finding, rule in item.worst:
                lines.append(f"        {finding.path}:{finding.line}:{finding.column}: {rule.id} "
                             f"[{finding.severity.value}] {finding.message}")
            if item.findings > len(item.worst):
                lines.append(f"        ... and {item.findings - len(item.worst)} more")
        lines.append("")
    lines.append("Legend: # passed, x findings, ~ needs --scope cluster, - not checkable from files, . not checked")
    lines.append(PASSED_MEANS)
    return "\n".join(lines) + "\n"
