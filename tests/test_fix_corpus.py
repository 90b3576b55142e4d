"""Property test over copies of real files (``../shared/corpus``): after ``--fix`` every file still parses,
carries the same comments, lints with no more findings than before, and a second ``--fix`` changes nothing.

A fixed, spread-out sample keeps it fast; Helm-rendered streams are in it too and must stay untouched.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from manifestlint import command
from manifestlint.fix.comments import comments
from manifestlint.loader import Limits, load_bytes

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SAMPLE = 80


def sample() -> list[Path]:
    files = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    step = max(1, len(files) // SAMPLE)
    return files[::step][:SAMPLE]


def lint(folder: Path, *, fix: bool = False) -> command.Outcome:
    return command.check(command.Request(paths=[str(folder)], no_config=True, fix=fix, root=folder, jobs=1))


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the shared corpus is not at {CORPUS}")
def test_fixing_real_files_keeps_them_whole(tmp_path: Path) -> None:
    originals: dict[str, bytes] = {}
    for number, source in enumerate(sample()):
        name = f"{number:03d}-{source.name}"
        shutil.copyfile(source, tmp_path / name)
        originals[name] = source.read_bytes()
    before = lint(tmp_path)
    fixed = lint(tmp_path, fix=True)
    assert fixed.fixes is not None
    counts_before = Counter(f.path for f in before.report.findings)
    counts_after = Counter(f.path for f in fixed.report.findings)
    changed = 0
    for name, original in originals.items():
        now = (tmp_path / name).read_bytes()
        if now == original:
            continue
        changed += 1
        assert not load_bytes(name, now, Limits()).problems, name
        text_before, text_after = original.decode("utf-8-sig"), now.decode("utf-8-sig")
        assert comments(text_before) == comments(text_after), name
        assert "# Source:" not in text_before, f"{name}: a Helm-rendered stream was changed"
        assert counts_after[name] <= counts_before[name], name
    assert changed == len(fixed.fixes.changed_files)
    assert changed >= len(originals) // 10, f"only {changed} of {len(originals)} files fixed"
    again = lint(tmp_path, fix=True)
    assert again.fixes is not None and again.fixes.fixed == 0, [n.message for n in again.fixes.notes][:5]
