"""Fix the files of a finished run: apply, check, and (for ``--fix``) write.

Per file: the fixable open findings are fixed in rounds (edits that touch different lines are made
together, then the file is parsed again for fresh positions). The result must parse without
problems, keep every comment, and lint with each fixed finding gone and no finding that was not there
before; else the file is left as it was and the reason reported. Helm-rendered streams are never
fixed: the fix belongs in the chart.

Each file is first judged by the per-object rules alone. The whole-input rules then judge every fixed
file at once, each seeing the others as fixed (the tree as ``--fix`` leaves it): a file that gains a
whole-input finding, or keeps one its fixes should remove, is put back as it was, and the rest are
judged again, until none is put back. So a run with many fixed files lints the whole input a few
times, not once per file.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from manifestlint.discovery import InputFile
from manifestlint.document import Document
from manifestlint.engine import RuleSet, lint_file, lint_input
from manifestlint.fix.apply import TextEdit, Unfixable, apply, plan
from manifestlint.fix.comments import CommentScanError, lost
from manifestlint.fix.edits import FieldPath
from manifestlint.fix.emit import Style
from manifestlint.fix.style import detect
from manifestlint.loader import Limits, LoadedFile, load_bytes
from manifestlint.loader.comments import Directives, helm_sources
from manifestlint.model import Finding, Notification

MAX_ROUNDS = 64
MAX_PASSES = 4
_LINE_NUMBER = re.compile(r"\bline \d+")


@dataclass(slots=True)
class FileFix:
    """What fixing one file came to."""

    path: str  # as reported
    target: Path | None  # the file on disk; None for stdin
    original: bytes
    fixed: bytes | None = None  # None: nothing to change, or left untouched
    applied: list[Finding] = field(default_factory=list)
    unfixed: list[tuple[Finding, str]] = field(default_factory=list)
    error: str | None = None  # why the file was left untouched
    findings: list[Finding] | None = None  # the file's findings once fixed (open and suppressed)
    written: bool = False

    @property
    def changed(self) -> bool:
        return self.fixed is not None and self.fixed != self.original


@dataclass(slots=True)
class FixRun:
    """Every file a run had fixes for."""

    files: list[FileFix] = field(default_factory=list)
    stdin: bytes | None = None  # the stream read from stdin, as it came
    notes: list[Notification] = field(default_factory=list)  # what was not fixed, and why

    @property
    def fixed(self) -> int:
        return sum(len(f.applied) for f in self.files if f.changed)

    @property
    def changed_files(self) -> list[FileFix]:
        return [f for f in self.files if f.changed]

    @property
    def unfixed(self) -> list[tuple[Finding, str]]:
        return [pair for f in self.files for pair in f.unfixed]


@dataclass(slots=True)
class _Judged:
    """A file its per-object rules accept as fixed, waiting for the whole-input rules' word."""

    result: FileFix
    fixable: list[Finding]  # what was to be fixed, for the notes if the file is put back
    documents: list[Document]  # what the whole-input rules keep of the fixed file
    directives: Directives
    own: list[Finding]  # its per-object findings once fixed
    before: list[Finding]  # its whole-input findings before the fixes
    applied: list[Finding]  # the whole-input findings its fixes remove


class Fixer:
    """Fixes files with the rules, limits and inputs of one run."""

    def __init__(self, ruleset: RuleSet, limits: Limits, inputs: Sequence[InputFile],
                 stdin: tuple[str, bytes] | None = None) -> None:
        self.ruleset = ruleset
        self.limits = limits
        self.inputs = {f.display: f for f in inputs}
        self.stdin = stdin
        self._input_rule_ids = {active.rule.meta.id for active in ruleset.input_rules}
        self._others: dict[str, tuple[list[Document], Directives]] | None = None

    def fix(self, findings: Iterable[Finding], suppressed: Iterable[Finding]) -> FixRun:
        """Fix every file with a fixable open finding; ``findings`` and ``suppressed`` are the run's."""
        every = [*findings, *suppressed]
        by_file: dict[str, list[Finding]] = {}  # the fixable ones
        every_by_file: dict[str, list[Finding]] = {}
        for finding in every:
            every_by_file.setdefault(finding.path, []).append(finding)
            if finding.fix is not None and not finding.suppressed_by:
                by_file.setdefault(finding.path, []).append(finding)
        run = FixRun()
        judged: list[_Judged] = []
        for path in sorted(by_file):
            source = self._source(path)
            if source is None:
                continue
            target, data = source
            result, waiting = self._fix_file(path, target, data, by_file[path], every_by_file[path])
            run.files.append(result)
            if waiting is not None:
                judged.append(waiting)
        self._judge_whole_input(judged)
        return run

    def _source(self, path: str) -> tuple[Path | None, bytes] | None:
        if self.stdin is not None and path == self.stdin[0]:
            return None, self.stdin[1]
        found = self.inputs.get(path)
        if found is None:
            return None
        try:
            return found.path, found.path.read_bytes()
        except OSError:
            return None

    def _fix_file(self, path: str, target: Path | None, data: bytes, fixable: list[Finding],
                  before: list[Finding]) -> tuple[FileFix, _Judged | None]:
        """The file fixed as far as its per-object rules can tell, and what the whole-input rules must
        still judge (None: nothing changed, or no whole-input rule runs)."""
        result = FileFix(path, target, data)

        def give_up(reason: str) -> tuple[FileFix, None]:
            _put_back(result, fixable, reason)
            return result, None

        sources = [f.helm_source for f in fixable if f.helm_source]
        bom, text = _decode(data)
        if text is None:
            return give_up("only UTF-8 files can be fixed")
        if sources or helm_sources(text):
            where = f" (from {sources[0]})" if sources else ""
            return give_up(f"rendered by Helm{where}: fix the chart's values or templates instead")
        if target is not None and self.inputs[path].in_chart_templates:
            return give_up("a Helm chart template: fix it by hand")
        loaded = self._load(path, data)
        if loaded.problems or loaded.skipped:
            return give_up("the file has YAML problems: fix them first")
        style = detect(text)
        whole_input = self._input_rule_ids
        current, todo = text, fixable
        findings = [f for f in before if f.rule_id not in whole_input]
        applied_whole_input: list[Finding] = []
        kept: tuple[list[Document], Directives] = ([], loaded.directives)  # of the last accepted pass
        attempted: set[tuple[str, int, FieldPath]] = set()
        # A fix can make another possible (privileged: false lets allowPrivilegeEscalation be fixed): passes
        # go on until nothing new is fixable, so that a second --fix changes nothing. The passes see the
        # per-object findings; whole-input ones are fixed in the first pass and judged after every file.
        for number in range(MAX_PASSES):
            attempted |= {_place(f) for f in todo}
            fixed_text, applied, unfixed = self._pass(current, loaded, todo, style)
            if fixed_text == current:
                result.unfixed += unfixed + [(f, "the fix changes nothing") for f in applied]
                break
            loaded = self._load(path, _encode(fixed_text, bom))
            problem = "a fix made the file unreadable" if loaded.problems else None
            after: list[Finding] = []
            if problem is None:
                linted = lint_file(loaded, self.ruleset)
                after = linted.findings
                problem = _compare(findings, after, applied)
            if problem is not None:
                if number == 0:
                    return give_up(problem)
                result.unfixed += [(f, problem) for f in todo]
                break
            result.applied += applied
            result.unfixed += unfixed
            applied_whole_input += [f for f in applied if f.rule_id in whole_input]
            current, findings, kept = fixed_text, after, (linted.retained, loaded.directives)
            todo = [f for f in after if f.fix is not None and not f.suppressed_by and _place(f) not in attempted]
            if not todo:
                break
        if current != text:
            try:  # once, at the end: the round-trip scanner is the slow part of a fix
                missing = lost(text, current)
            except CommentScanError as exc:
                return give_up(f"cannot check its comments: {exc}")
            if missing:
                return give_up(f"a fix would lose the comment {missing[0]!r}")
            result.fixed = _encode(current, bom)
            result.findings = findings
            if whole_input:
                before_whole_input = [f for f in before if f.rule_id in whole_input]
                return result, _Judged(result, fixable, *kept, findings, before_whole_input, applied_whole_input)
        return result, None

    def _judge_whole_input(self, judged: list[_Judged]) -> None:
        """Lint the whole input with every judged file as fixed; put back those that do worse, and again."""
        while judged:
            fixed = {j.result.path: j for j in judged}
            documents: list[Document] = []
            directives: dict[str, Directives] = {}
            for path, (docs, file_directives) in self._other_documents().items():
                if path in fixed:
                    docs, file_directives = fixed[path].documents, fixed[path].directives
                documents += docs
                directives[path] = file_directives
            found: dict[str, list[Finding]] = {}
            for finding in lint_input(documents, self.ruleset, directives).findings:
                found.setdefault(finding.path, []).append(finding)
            put_back = []
            for waiting in judged:
                after = found.get(waiting.result.path, [])
                problem = _compare(waiting.before, after, waiting.applied)
                if problem is None:
                    waiting.result.findings = [*waiting.own, *after]
                else:
                    _put_back(waiting.result, waiting.fixable, problem)
                    put_back.append(waiting)
            if not put_back:
                return
            judged = [j for j in judged if j not in put_back]

    def _pass(self, text: str, loaded: LoadedFile, todo: list[Finding],
              style: Style) -> tuple[str, list[Finding], list[tuple[Finding, str]]]:
        """Make the fixes of ``todo`` in ``text``: in rounds of edits on different lines, parsed again
        between rounds for fresh positions."""
        applied: list[Finding] = []
        unfixed: list[tuple[Finding, str]] = []
        pending = sorted(todo, key=lambda f: (f.document_index, f.span.line, f.span.column, f.rule_id))
        current = text
        for _ in range(MAX_ROUNDS):
            if not pending:
                break
            docs = loaded.documents
            taken: list[tuple[int, int]] = []
            batch: list[TextEdit] = []
            deferred: list[Finding] = []
            for finding in pending:
                doc = docs[finding.document_index] if finding.document_index < len(docs) else None
                if doc is not None and (doc.kind, doc.name) != (finding.obj.kind, finding.obj.name):
                    doc = None
                assert finding.fix is not None
                try:
                    edits = plan(finding.fix, doc, current, style)
                except Unfixable as exc:
                    unfixed.append((finding, str(exc)))
                    continue
                lines = [_line_range(current, e) for e in edits]
                if any(_overlaps(a, b) for a in lines for b in taken):
                    deferred.append(finding)
                    continue
                taken += lines
                batch += edits
                applied.append(finding)
            if not batch:
                break
            current = apply(current, batch)
            loaded = load_bytes(loaded.path, current.encode("utf-8"), self.limits, check_path=False)
            if loaded.problems:
                break
            pending = deferred
        unfixed += [(f, "too many fixes in one place") for f in pending if f not in applied]
        return current, applied, unfixed

    def _load(self, path: str, data: bytes) -> LoadedFile:
        in_templates = path in self.inputs and self.inputs[path].in_chart_templates
        return load_bytes(path, data, self.limits, in_chart_templates=in_templates, check_path=False)

    def _other_documents(self) -> dict[str, tuple[list[Document], Directives]]:
        """The documents whole-input rules keep from every input as it is on disk (read once)."""
        if self._others is None:
            self._others = {}
            for display, found in self.inputs.items():
                try:
                    data = found.path.read_bytes()
                except OSError:
                    continue
                loaded = load_bytes(display, data, self.limits, in_chart_templates=found.in_chart_templates)
                self._others[display] = ([d for d in loaded.documents if self.ruleset.retains(d)], loaded.directives)
            if self.stdin is not None:
                loaded = load_bytes(self.stdin[0], self.stdin[1], self.limits, check_path=False)
                self._others[self.stdin[0]] = ([d for d in loaded.documents if self.ruleset.retains(d)],
                                               loaded.directives)
        return self._others


def _put_back(result: FileFix, fixable: list[Finding], reason: str) -> None:
    """Leave the file as it was: nothing applied, every fix noted as not made, and why."""
    result.applied, result.fixed, result.findings = [], None, None
    result.unfixed = [(f, reason) for f in fixable]
    result.error = reason


def _decode(data: bytes) -> tuple[bool, str | None]:
    if data.startswith(codecs.BOM_UTF8):
        data, bom = data[len(codecs.BOM_UTF8):], True
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False, None
    else:
        bom = False
    try:
        return bom, data.decode("utf-8")
    except UnicodeDecodeError:
        return bom, None


def _encode(text: str, bom: bool) -> bytes:
    return (codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8")


def _line_range(text: str, edit: TextEdit) -> tuple[int, int]:
    """The lines an edit touches, as the character range from the start of its first to the end of its last."""
    start = text.rfind("\n", 0, edit.start) + 1
    end = text.find("\n", edit.end)
    return start, len(text) if end < 0 else end


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _key(finding: Finding) -> tuple[str, int, str]:
    return finding.rule_id, finding.document_index, _LINE_NUMBER.sub("line N", finding.message)


def _place(finding: Finding) -> tuple[str, int, FieldPath]:
    return finding.rule_id, finding.document_index, finding.field_path


def _compare(before: list[Finding], after: list[Finding], applied: list[Finding]) -> str | None:
    """Why the fixed file is not acceptable: a fixed finding remains or a new one appears.

    A finding after the fix is the same as one before when the rule, document and field path agree
    (its message may change: ML107 on a container no longer privileged) or the rule, document and
    message do (its path may change: a provider moved in its list).
    """
    unmatched = list(before)
    remaining: list[Finding] = []
    for finding in after:
        match = next((b for b in unmatched if _place(b) == _place(finding)), None) or \
            next((b for b in unmatched if _key(b) == _key(finding)), None)
        if match is None:
            return f"a fix would add a finding: {finding.rule_id} {finding.message}"
        unmatched.remove(match)
        remaining.append(match)
    for finding in applied:
        if any(finding is r for r in remaining):
            return f"the fix does not remove {finding.rule_id}: {finding.message}"
    return None
