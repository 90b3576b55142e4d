"""The checklist scorecard: statuses, the three renderings, and the HTML page in a real headless Chromium."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from conftest import REPO, run_cli

from manifestlint import checklist, command
from manifestlint.runner import load_catalogue
from manifestlint.scorecard import html, markdown, model, text
from manifestlint.scorecard.guidance import GUIDANCE
from manifestlint.scorecard.model import Status

PRIVILEGED = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: "@team <script>alert(1)</script>", namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:latest
          securityContext: {privileged: true}
"""


def _card(tmp_path: Path, *, scope: str | None = None, extend: list[str] | None = None) -> model.Scorecard:
    (tmp_path / "app.yaml").write_text(PRIVILEGED)
    outcome = command.check(command.Request(paths=[str(tmp_path)], no_config=True, root=tmp_path, scope=scope,
                                            extend_select=extend or []))
    return model.build(outcome.report, load_catalogue(outcome.settings).rules.values(), outcome.settings.scope)


@pytest.fixture(scope="module")
def card(tmp_path_factory: pytest.TempPathFactory) -> model.Scorecard:
    return _card(tmp_path_factory.mktemp("card"))


def _item(card: model.Scorecard, item_id: str) -> model.ItemScore:
    return next(item for item in card.items if item.id == item_id)


def test_every_checklist_item_once_in_its_section(card: model.Scorecard) -> None:
    assert [item.id for item in card.items] == list(checklist.items())
    for section in card.sections:
        assert all(item.id.startswith(section.id + "-") for item in section.items)


def test_findings_list_the_worst_first(card: model.Scorecard) -> None:
    wl5 = _item(card, "WL-5")
    assert wl5.status is Status.FINDINGS and wl5.findings >= 3
    assert wl5.worst[0][0].rule_id == "ML101"  # the one error outranks the warnings
    assert len(wl5.worst) <= model.WORST_LISTED
    assert wl5.worst[0][1].doc.endswith("/docs/rules/ML101.md")


def test_items_files_cannot_show_say_why_and_what_instead(card: model.Scorecard) -> None:
    static_no = [i for i in checklist.items().values() if model.static_level(i) == "no"]
    assert {i.id for i in static_no} == {"MS-4", "MS-5", "OP-1", "OP-2"}
    for item in static_no:
        score = _item(card, item.id)
        if score.status is Status.FINDINGS:  # the example plugin's EXA001 names OP-2
            continue
        assert score.status is Status.NOT_CHECKABLE
        assert score.detail == GUIDANCE[item.id].reason and score.instead
    assert "dev" in _item(card, "MS-5").instead or "folder" in _item(card, "MS-5").instead


def test_partial_items_that_pass_say_what_files_cannot_show(card: model.Scorecard) -> None:
    for item in checklist.items().values():
        if model.static_level(item) == "partial":
            assert item.id in GUIDANCE, f"{item.id} is partial: add what files cannot show to guidance.py"
    ms3 = _item(card, "MS-3")
    assert ms3.status is Status.PASSED and "files cannot show" in ms3.detail and ms3.instead


def test_scope_items_need_the_cluster_scope(tmp_path: Path, card: model.Scorecard) -> None:
    assert _item(card, "WL-6").status is Status.NEEDS_CLUSTER
    assert _item(card, "RA-1").status is Status.NEEDS_CLUSTER
    cluster = _card(tmp_path, scope="cluster")
    assert cluster.scope == "cluster"
    assert not [i for i in cluster.items if i.status is Status.NEEDS_CLUSTER]
    assert _item(cluster, "WL-6").status is Status.FINDINGS  # no runtime detection agent in this "cluster"


def test_rules_off_by_default_leave_an_item_not_checked(tmp_path: Path, card: model.Scorecard) -> None:
    ns8 = _item(card, "NS-8")
    assert ns8.status is Status.NOT_CHECKED and "--extend-select NS-8" in ns8.detail
    assert {r.id for r in ns8.off} >= {"ML616", "ML617"}
    assert _item(_card(tmp_path, extend=["NS-8"]), "NS-8").status is not Status.NOT_CHECKED


def test_markdown_escapes_what_comes_from_the_input(card: model.Scorecard) -> None:
    page = markdown.render(card)
    assert page.startswith("## K8S Production Checklist\n")
    assert "<script>" not in page and "@team" not in page
    assert "[ML101](https://github.com/manifestlint/manifestlint/blob/main/docs/rules/ML101.md)" in page
    assert markdown.escape("a `b<c>` [x](y) @me") == "a `b<c>` \\[x\\](y) @\u200bme"
    assert markdown.escape("odd ` tick") == "odd \\` tick"
    for section in card.sections:
        assert f"| {section.title} | " in page


def test_markdown_fits_in_a_pull_request_comment(card: model.Scorecard) -> None:
    full = markdown.render(card)
    assert "Findings listed" not in full
    short = markdown.render(card, max_chars=len(full) - 1)
    assert len(short) < len(full) and "Findings listed: at most 2 per item" in short
    bare = markdown.render(card, max_chars=1)
    assert "Findings listed: at most 0 per item" in bare and "[ML101](" not in bare
    assert "findings" in bare.split("**WL-5**")[1].split("\n- ")[0]


def test_text_lists_sections_with_a_bar(card: model.Scorecard) -> None:
    page = text.render(card)
    assert page.startswith("K8S Production Checklist: ")
    assert re.search(r"^Workload Containment and Security \[[#x~.\-]{20}\] \d/6 passed$", page, re.M)


def test_html_is_self_contained(card: model.Scorecard) -> None:
    page = html.render(card)
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page.lower().replace("&lt;script&gt;", "")
    assert not re.search(r"<(link|img|iframe|object|embed)\b|\bsrc=|@import|url\(", page, re.I)
    hrefs = re.findall(r'href="([^"]+)"', page)
    assert hrefs and all(h.startswith("https://github.com/manifestlint/manifestlint/blob/main/docs/rules/")
                         for h in hrefs)
    assert len(re.findall(r'<div class="item ', page)) == len(checklist.items())
    assert page.count('<div class="bar"') == len(checklist.sections())


def test_cli_writes_markdown_and_html(tmp_path: Path) -> None:
    (tmp_path / "app.yaml").write_text(PRIVILEGED)
    proc = run_cli("checklist", str(tmp_path), "--format", "markdown", "--no-config")
    assert proc.returncode == 0, proc.stderr
    assert "❌ **WL-5**" in proc.stdout
    proc = run_cli("checklist", str(tmp_path), "-f", "html", "-o", str(tmp_path / "card.html"), "--no-config")
    assert proc.returncode == 0 and proc.stdout == "", proc.stderr
    assert (tmp_path / "card.html").read_text().startswith("<!DOCTYPE html>")
    assert run_cli("checklist", str(tmp_path / "missing")).returncode == 2
    bad_release = run_cli("checklist", str(tmp_path), "--kubernetes-version", "abc")
    assert bad_release.returncode == 2 and "--kubernetes-version" in bad_release.stderr


def _browser() -> str | None:
    return next((found for name in ("chromium", "chromium-browser", "google-chrome", "chrome")
                 if (found := shutil.which(name))), None)


def _png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and raw RGB(A) rows of an 8-bit, non-interlaced PNG (what Chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = chunk
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, color = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and color in (2, 6)
    step = 3 if color == 2 else 4
    raw, stride, rows, previous = zlib.decompress(idat), width * step, [], bytearray(width * step)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - step] if x >= step else 0
            up, corner = previous[x], previous[x - step] if x >= step else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, rows


def test_html_renders_in_headless_chromium(tmp_path: Path, card: model.Scorecard) -> None:
    browser = _browser()
    if browser is None:
        pytest.skip("no Chromium on the PATH: install the Debian package `chromium` (.ci/run does when apt works)")
    page = tmp_path / "checklist.html"
    page.write_text(html.render(card), encoding="utf-8")
    screenshot = tmp_path / "checklist.png"
    flags = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
             f"--user-data-dir={tmp_path / 'profile'}"]
    shot = subprocess.run([*flags, "--window-size=1100,900", f"--screenshot={screenshot}", page.as_uri()],
                          capture_output=True, text=True, timeout=120)
    assert shot.returncode == 0 and screenshot.is_file(), shot.stderr[-2000:]
    width, height, rows = _png_pixels(screenshot.read_bytes())
    assert (width, height) == (1100, 900)
    step = len(rows[0]) // width
    colours = {row[x:x + 3] for row in rows[::4] for x in range(0, len(row), step * 4)}
    for status in (Status.PASSED, Status.FINDINGS, Status.NEEDS_CLUSTER):  # the first sections' bars and badges
        assert bytes.fromhex(html.COLORS[status][1:]) in colours, f"no {status.value} colour on the screenshot"

    dom = subprocess.run([*flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert dom.stdout.count('<div class="item ') == len(checklist.items())
    assert "<h1>K8S Production Checklist</h1>" in dom.stdout


def test_shipped_examples_have_a_scorecard() -> None:
    proc = run_cli("checklist", "examples/manifests", "--no-config", cwd=REPO)
    assert proc.returncode == 0, proc.stderr
    assert "WL-5  " in proc.stdout
