#!/usr/bin/env python3
"""Benchmark manifestlint against a parse-only baseline (not a timed test).

Generates corpora with ../shared/bench/gen_corpus.py (1,000 and 10,000 documents, seed 1) into
bench/out/ (git-ignored), then measures, for each corpus and for ../shared/corpus when present:

- parse-only: the same files through PyYAML's libyaml ``compose_all``, nothing else (one process),
  as Python runs by default and with the cyclic garbage collector off (as manifestlint runs);
- lint: ``manifestlint`` with every default rule, in one process (``--jobs 1``), and with ``--jobs 2``;
  the one-process figure also without start-up and report (the run's own ``report.elapsed``);
- the wall time of ``manifestlint one-file.yaml`` (start-up included);
- peak memory (max RSS) of the one-process lint.

Usage: python bench/bench.py [--docs 1000 10000] [--repeat 3] [--shared ../shared] [--select RULES]
(``--select`` passes a rule selection to the lint, to time a family of rules.)
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SHARED = Path(os.environ.get("MANIFESTLINT_SHARED", REPO.parent / "shared"))
OUT = HERE / "out"


def corpus(docs: int) -> Path:
    target = OUT / f"corpus-{docs}"
    if not target.is_dir():
        subprocess.run([sys.executable, str(SHARED / "bench" / "gen_corpus.py"), str(target), "--docs", str(docs),
                        "--seed", "1"], check=True, stdout=subprocess.DEVNULL)
    return target


def yaml_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml", ".json") and p.is_file())


def parse_only(files: list[Path], collect: bool = True) -> tuple[float, int]:
    """Seconds to compose every document; ``collect=False`` runs it with the cyclic GC off, as the
    linter runs (the fair floor: what parsing alone costs without the collector's rescans)."""
    if not collect:
        gc.disable()
    try:
        return _parse_all(files)
    finally:
        gc.enable()


def _parse_all(files: list[Path]) -> tuple[float, int]:
    started = time.perf_counter()
    documents = 0
    for path in files:
        try:
            for _ in yaml.compose_all(path.read_bytes(), Loader=yaml.CSafeLoader):
                documents += 1
        except yaml.YAMLError:
            continue
    return time.perf_counter() - started, documents


# Measure what users get: byte-compiled modules (pip writes them at install time).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed_cli(args: list[str]) -> tuple[float, int, str, float]:
    """Wall seconds, max RSS in MB, the summary line and the run's own seconds of one CLI run."""
    # ``runner.run`` is wrapped to read the run's own time (``report.elapsed``: files found, read, parsed
    # and linted, findings sorted), which leaves out start-up (imports, rule registration) and the report.
    code = ("import resource, sys, time; import manifestlint.runner as runner; from manifestlint.cli import main; "
            "reports = []; run = runner.run; runner.run = lambda *a: reports.append(run(*a)) or reports[-1]; "
            "t = time.perf_counter(); rc = main(sys.argv[1:]); wall = time.perf_counter() - t; "
            "rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss; "
            "print(f'BENCH {wall:.4f} {rss} {reports[-1].elapsed:.4f}', file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=ENV)
    line = next((line for line in proc.stderr.splitlines() if line.startswith("BENCH ")), None)
    if line is None:
        raise SystemExit(f"manifestlint failed: {proc.stderr.strip()}")
    _, wall, rss, inner = line.split()
    summary = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
    return float(wall), int(rss) // 1024, summary, float(inner)


def startup_wall(path: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "manifestlint", str(path), "--no-config"], capture_output=True, env=ENV)
    return time.perf_counter() - started


def measure(name: str, root: Path, repeat: int, select: str | None = None) -> None:
    files = yaml_files(root)
    chosen = ["--select", select] if select else []
    base = [str(root), "--no-config", "--fail-on", "never", "-o", os.devnull, *chosen]
    parses, parses_no_gc, one, two = [], [], [], []
    for _ in range(repeat):  # interleaved, so that the machine's drift touches every figure alike
        parses.append(parse_only(files)[0])
        parses_no_gc.append(parse_only(files, collect=False)[0])
        one.append(timed_cli([*base, "--jobs", "1"]))
        two.append(timed_cli([*base, "--jobs", "2"]))
    parse, parse_no_gc = min(parses), min(parses_no_gc)
    lint1 = min(r[0] for r in one)
    inner1 = min(r[3] for r in one)
    lint2 = min(r[0] for r in two)
    rss = max(r[1] for r in one)
    summary = timed_cli([str(root), "--no-config", "--fail-on", "never", "--jobs", "1", *chosen])[2]
    print(f"{name}: {len(files)} files")
    print(f"  parse-only (libyaml compose_all): {parse:.2f} s; with the garbage collector off: {parse_no_gc:.2f} s")
    print(f"  lint --jobs 1: {lint1:.2f} s ({lint1 / parse:.2f}x parse-only, {lint1 / parse_no_gc:.2f}x with the "
          f"collector off), peak RSS {rss} MB")
    print(f"    of which the run itself (no start-up, no report): {inner1:.2f} s ({inner1 / parse:.2f}x parse-only)")
    print(f"  lint --jobs 2: {lint2:.2f} s ({lint2 / parse:.2f}x parse-only)")
    print(f"  {summary}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--shared", type=Path, help="the shared folder (corpus generator and corpus)")
    parser.add_argument("--select", help="lint with only these rules (ids, names, items or tags, comma-separated)")
    args = parser.parse_args()
    if args.shared:
        global SHARED
        SHARED = args.shared.resolve()
    for docs in args.docs:
        measure(f"generated corpus, {docs} documents", corpus(docs), args.repeat, args.select)
    if (SHARED / "corpus").is_dir():
        measure("shared/corpus (real-world manifests)", SHARED / "corpus", args.repeat, args.select)
    sample = next(iter(yaml_files(corpus(args.docs[0]))))
    startup_wall(sample)  # warm-up: writes the byte code
    walls = sorted(startup_wall(sample) for _ in range(max(args.repeat, 5)))
    print(f"one file ({sample.name}), wall time with start-up: median {statistics.median(walls):.3f} s, "
          f"min {walls[0]:.3f} s")


if __name__ == "__main__":
    main()
