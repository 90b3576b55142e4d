"""``--jobs``: worker processes find exactly what one process finds, however they are started."""

from __future__ import annotations

import concurrent.futures
import functools
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import pytest

from conftest import REPO
from manifestlint import runner
from manifestlint.testing import lint_paths

FOLDER = REPO / "fixtures" / "rules"


def _seen(report):
    return [(f.rule_id, f.path, f.span, f.message, f.suppressed_by, f.replacements)
            for f in [*report.findings, *report.suppressed]]


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_workers_find_what_one_process_finds(method: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} start method here")
    one = lint_paths([FOLDER], ["ML"], jobs=1, plan_fixes=True)
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor",  # the runner imports it when it forks
                        functools.partial(ProcessPoolExecutor, mp_context=multiprocessing.get_context(method)))
    two = lint_paths([FOLDER], ["ML"], jobs=2, plan_fixes=True)
    assert len(one.findings) > 500
    assert sum(bool(f.replacements) for f in one.findings) > 100  # fixes planned in the workers too
    assert _seen(two) == _seen(one)
    assert (two.files, two.documents) == (one.files, one.documents)
    assert not runner._WORKER  # the run's rule set is not left behind for the next run
