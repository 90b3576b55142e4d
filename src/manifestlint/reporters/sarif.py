"""SARIF 2.1.0 as GitHub code scanning and IDEs read it.

The log is built from sarif-om's classes and serialized by ``sarif_serialize`` (not sarif-om's own
serializer, which drops explicit ``level: "warning"``). What code scanning needs is always there:
one run, a ``results`` array even when empty, every enabled rule with its descriptions and help,
``security-severity`` as a string, exactly one location per result with a relative ``/``-separated
URI under ``%SRCROOT%``, and our own line-shift-proof id in ``fingerprints`` (``partialFingerprints``
is left to ``upload-sarif``, which computes it).

Suppressed findings are left out unless ``--show-suppressed`` asks for them: code scanning ignores
``suppressions`` and would open alerts for them. Tool problems go to
``invocations[0].toolExecutionNotifications``: rule crashes and unreadable files as errors (and
``executionSuccessful: false``), plugin failures as warnings, and skipped files as notes (they are
about the input met at run time, not the configuration; a bad configuration ends the run before
any report exists, so ``toolConfigurationNotifications`` stays absent).

``category`` (``--sarif-category``) becomes ``automationDetails.id`` (``category/``), so that several
uploads of one commit (one per cluster folder) do not replace each other in code scanning. GitHub
rejects a run of more than 25,000 results (and shows the 5,000 most severe): beyond that, the
25,000 most severe are kept and a warning notification says how many were left out.
"""

from __future__ import annotations

import json
import os
import posixpath
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

import attr
import sarif_om as om

from manifestlint import __version__, docs
from manifestlint.model import Finding, Notification, Severity, Span
from manifestlint.report import Report
from manifestlint.reporters.fingerprint import KEY as FINGERPRINT_KEY
from manifestlint.reporters.fingerprint import fingerprints
from manifestlint.reporters.sarif_serialize import to_data
from manifestlint.rule import Rule, RuleMeta

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/manifestlint/manifestlint"
SRCROOT = "%SRCROOT%"
HARD_ERRORS = frozenset({"rule-crash", "unreadable"})
NOTIFICATION_KINDS = {
    "rule-crash": "A rule raised an exception; the object was not fully checked.",
    "unreadable": "A file could not be read.",
    "plugin": "A plugin failed to load or to register.",
    "skipped": "A file was skipped: not Kubernetes, or a Helm template that needs rendering first.",
    "info": "Information about the run.",
    "truncated": "Results were left out: GitHub code scanning rejects a run of more than 25,000 results.",
}
# GitHub's limits: rule names up to 255 characters, descriptions up to 1024, 20 tags per rule.
MAX_NAME, MAX_DESCRIPTION, MAX_TAGS = 255, 1024, 20
MAX_RESULTS = 25_000  # per run; a larger run is rejected by the upload


@attr.s(auto_attribs=True)
class InSourceSuppression:
    """SARIF 2.1.0 ``suppression``: sarif-om's class predates the final schema and says ``state``."""

    kind: str = attr.ib(metadata={"schema_property_name": "kind"})
    status: str | None = attr.ib(default=None, metadata={"schema_property_name": "status"})
    justification: str | None = attr.ib(default=None, metadata={"schema_property_name": "justification"})


def render(report: Report, *, color: bool = False, category: str | None = None) -> str:
    data = to_data(build(report, category=category))
    head = {key: data.pop(key) for key in ("$schema", "version")}  # first, for people reading the file
    # Compact: the indenting encoder is pure Python and 6x slower; logs of big repositories run to megabytes.
    return json.dumps({**head, **data}, separators=(",", ":")) + "\n"


def build(report: Report, *, category: str | None = None, max_results: int = MAX_RESULTS) -> om.SarifLog:
    rules = sorted(report.rules, key=lambda r: r.meta.id)
    index = {rule.meta.id: i for i, rule in enumerate(rules)}
    ids = fingerprints([*report.findings, *report.suppressed, *report.baselined])
    shown = report.findings
    if report.show_suppressed:
        shown = sorted([*report.findings, *report.suppressed], key=lambda f: f.sort_key())
    notifications = list(report.notifications)
    if len(shown) > max_results:
        total = len(shown)
        shown = most_severe(shown, max_results, report.rules)
        notifications.append(Notification(
            Severity.WARNING, f"{total - max_results} results left out: GitHub code scanning rejects a run of "
            f"more than {max_results}, so these are the most severe. Fix or baseline findings (--baseline), or "
            "split the run by folder with one --sarif-category each", kind="truncated"))
    kinds = sorted({n.kind for n in notifications})
    driver = om.ToolComponent(
        name="manifestlint", semantic_version=__version__, information_uri=INFORMATION_URI,
        rules=[descriptor(rule, report.severities.get(rule.meta.id, rule.meta.severity)) for rule in rules],
        notifications=[om.ReportingDescriptor(id=kind, short_description=om.MultiformatMessageString(
            text=NOTIFICATION_KINDS.get(kind, kind))) for kind in kinds] or None,
    )
    run = om.Run(
        tool=om.Tool(driver=driver),
        results=[result(f, index.get(f.rule_id), ids[id(f)], report.root) for f in shown],
        invocations=[invocation(notifications, index, {kind: i for i, kind in enumerate(kinds)},
                                report.root)],
        original_uri_base_ids={SRCROOT: om.ArtifactLocation(uri=root_uri(report.root))},
        column_kind="unicodeCodePoints",  # the loader counts columns in code points
    )
    if category:
        run.automation_details = om.RunAutomationDetails(id=automation_id(category))
    return om.SarifLog(runs=[run], version="2.1.0", schema_uri=SCHEMA_URI)


def automation_id(category: str) -> str:
    """GitHub reads ``automationDetails.id`` as ``category/run-id``: a bare category gets the slash."""
    return category if "/" in category else category + "/"


def most_severe(findings: list[Finding], limit: int, rules: Sequence[Rule] = ()) -> list[Finding]:
    """The ``limit`` most severe findings (level, then the rule's security severity), in report order."""
    security = {}
    for rule in rules:
        try:
            security[rule.meta.id] = float(rule.meta.security_severity or 0)
        except ValueError:
            continue

    def weight(finding: Finding) -> tuple[int, float]:
        return finding.severity.rank, security.get(finding.rule_id, 0.0)

    kept = {id(f) for f in sorted(findings, key=weight, reverse=True)[:limit]}
    return [f for f in findings if id(f) in kept]


def descriptor(rule: Rule, level: Severity) -> om.ReportingDescriptor:
    meta = rule.meta
    properties: dict[str, object] = {"tags": list(dict.fromkeys(meta.tags))[:MAX_TAGS],
                                     "checklist": list(meta.checklist)}
    if "security" in meta.tags and meta.security_severity:
        properties["security-severity"] = str(meta.security_severity)
    return om.ReportingDescriptor(
        id=meta.id,
        name=meta.name[:MAX_NAME],
        short_description=om.MultiformatMessageString(text=_clip(meta.title or meta.id)),
        full_description=om.MultiformatMessageString(text=_clip(meta.docs.what or meta.title or meta.id)),
        help=om.MultiformatMessageString(text=help_text(meta), markdown=docs.page(rule)),
        help_uri=meta.help_uri,
        default_configuration=om.ReportingConfiguration(level=level.value),
        properties=properties,
    )


def help_text(meta: RuleMeta) -> str:
    """The rule's docs as plain text, for viewers that do not render ``help.markdown``."""
    text = meta.docs
    parts = [f"{meta.title}.", text.what, f"Why is this bad? {text.why}" if text.why else "",
             f"How to fix: {text.fix}" if text.fix else "",
             "References:\n" + "\n".join(f"- {ref}" for ref in text.references) if text.references else ""]
    return "\n\n".join(part for part in parts if part)


def result(finding: Finding, rule_index: int | None, fingerprint: str, root: str) -> om.Result:
    sarif_result = om.Result(
        message=om.Message(text=finding.message or finding.rule_name),
        rule_id=finding.rule_id,
        rule_index=-1 if rule_index is None else rule_index,
        level=finding.severity.value,
        locations=[om.Location(physical_location=physical_location(finding.path, root, finding.span))],
        fingerprints={FINGERPRINT_KEY: fingerprint},
    )
    if finding.fix is not None:
        from manifestlint.fix.sarif import sarif_fixes

        sarif_result.fixes = sarif_fixes(finding, root, artifact_location(finding.path, root))
    if finding.related:
        sarif_result.related_locations = [om.Location(physical_location=physical_location(path, root, span),
                                                      message=om.Message(text=text))
                                          for path, span, text in finding.related]
    elif finding.helm_source:
        # The `# Source:` path is relative to the chart's parent, not to the scanned root: no base id.
        sarif_result.related_locations = [om.Location(
            physical_location=om.PhysicalLocation(artifact_location=artifact_location(finding.helm_source, None)),
            message=om.Message(text=f"rendered from {finding.helm_source}"))]
    if finding.suppressed_by:
        sarif_result.suppressions = [InSourceSuppression(kind="inSource", status="accepted",
                                                         justification=finding.suppressed_by)]
    return sarif_result


def invocation(notifications: Sequence[Notification], rule_index: dict[str, int], kind_index: dict[str, int],
               root: str) -> om.Invocation:
    return om.Invocation(
        execution_successful=not any(n.kind in HARD_ERRORS for n in notifications),
        tool_execution_notifications=[notification(n, rule_index, kind_index, root) for n in notifications] or None,
    )


def notification(note: Notification, rule_index: dict[str, int], kind_index: dict[str, int],
                 root: str) -> om.Notification:
    sarif_note = om.Notification(message=om.Message(text=note.message), level=note.level.value,
                                 descriptor=om.ReportingDescriptorReference(id=note.kind,
                                                                            index=kind_index[note.kind]))
    if note.rule_id:
        sarif_note.associated_rule = om.ReportingDescriptorReference(id=note.rule_id,
                                                                     index=rule_index.get(note.rule_id, -1))
    if note.path:
        sarif_note.locations = [om.Location(physical_location=om.PhysicalLocation(
            artifact_location=artifact_location(note.path, root),
            region=om.Region(start_line=note.line) if note.line and note.line > 0 else None))]
    return sarif_note


def physical_location(path: str, root: str, span: Span) -> om.PhysicalLocation:
    return om.PhysicalLocation(artifact_location=artifact_location(path, root), region=region(span))


def region(span: Span) -> om.Region:
    """A schema-valid region: 1-based, the end never before the start (``endColumn`` exclusive)."""
    start_line, start_column = max(1, span.line), max(1, span.column)
    end_line = max(start_line, span.end_line)
    end_column = max(1, span.end_column)
    if end_line == start_line:
        end_column = max(start_column, end_column)
    return om.Region(start_line=start_line, start_column=start_column, end_line=end_line, end_column=end_column)


def artifact_location(path: str, root: str | None) -> om.ArtifactLocation:
    """A relative, percent-encoded URI under ``%SRCROOT%``; an absolute ``file:`` URI outside the root.

    With ``root`` None the path is emitted relative, without a base.
    """
    normal = posixpath.normpath(path)
    outside = normal == ".." or normal.startswith("../")
    if os.path.isabs(normal) or (outside and root is not None):
        absolute = Path(os.path.abspath(os.path.join(root or ".", normal)))
        return om.ArtifactLocation(uri=absolute.as_uri())
    return om.ArtifactLocation(uri=quote(normal, safe="/"), uri_base_id=SRCROOT if root is not None else None)


def root_uri(root: str) -> str:
    uri = Path(os.path.abspath(root)).as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _clip(text: str) -> str:
    return text if len(text) <= MAX_DESCRIPTION else text[:MAX_DESCRIPTION - 1] + "…"
