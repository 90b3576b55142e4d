"""JUnit XML for CI test-report views: one test suite, one test case per file.

A file's findings are its ``<failure>`` elements; a file without findings passes; a skipped file
is ``<skipped>``; a file that could not be read or on which a rule crashed gets ``<error>``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from manifestlint.model import Finding, Notification
from manifestlint.report import Report
from manifestlint.reporters.text import finding_line

SUITE = "manifestlint"
# Characters XML 1.0 cannot hold at all, even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def render(report: Report, *, color: bool = False) -> str:
    findings: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        findings[finding.path].append(finding)
    notes: dict[str, list[Notification]] = defaultdict(list)
    loose: list[Notification] = []
    for note in report.notifications:
        (notes[note.path] if note.path else loose).append(note)
    paths = list(dict.fromkeys([*report.paths, *findings, *notes]))

    suites = ET.Element("testsuites", name=SUITE)
    suite = ET.SubElement(suites, "testsuite", name=SUITE)
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for path in sorted(paths):
        case = ET.SubElement(suite, "testcase", classname=SUITE, name=_xml_text(path))
        counts["tests"] += 1
        for finding in findings.get(path, []):
            counts["failures"] += 1
            failure = ET.SubElement(case, "failure", type=finding.rule_id,
                                    message=_xml_text(f"{finding.rule_id} {finding.rule_name}: {finding.message}"))
            failure.text = _xml_text(finding_line(finding))
        for note in notes.get(path, []):
            if note.kind == "skipped":
                counts["skipped"] += 1
                ET.SubElement(case, "skipped", message=_xml_text(note.message))
            elif note.kind in ("rule-crash", "unreadable"):
                counts["errors"] += 1
                error = ET.SubElement(case, "error", type=note.kind, message=_xml_text(note.message))
                error.text = _xml_text(f"{path}{':' + str(note.line) if note.line else ''}: {note.message}")
    if loose:
        ET.SubElement(suite, "system-err").text = _xml_text("\n".join(f"{n.level.value}: {n.message}" for n in loose))
    for element in (suites, suite):
        element.set("tests", str(counts["tests"]))
        element.set("failures", str(counts["failures"]))
        element.set("errors", str(counts["errors"]))
    suite.set("skipped", str(counts["skipped"]))
    suite.set("time", f"{report.elapsed:.3f}")
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
