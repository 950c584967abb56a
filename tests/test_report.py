"""The HTML review report: content, escaping, bounded size, and rendering in headless Chromium."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from garble_fix import report, workers
from garble_fix.cli import main
from garble_fix.types import Edit, RestoredText


def fake_restore(text: str, config: object = None) -> RestoredText:
    """'White Home' -> 'White House' (0.95) and 'instructed' -> 'told' (0.55)."""
    edits = []
    for found, repl, conf in (("White Home", "White House", 0.95), ("instructed", "told", 0.55)):
        i = text.find(found)
        if i >= 0:
            edits.append(Edit(i, i + len(found), found, repl, conf, "signature"))
    edits.sort()
    out, last = [], 0
    for e in edits:
        out += [text[last:e.start], e.replacement]
        last = e.end
    out.append(text[last:])
    return RestoredText("".join(out), edits, min(1.0, 0.45 * len(edits)))


@pytest.fixture(autouse=True)
def fake_core(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "restore_and_explain", fake_restore)


def test_collector_keeps_the_most_spun() -> None:
    collector = report.ReportCollector(limit=3)
    for i, score in enumerate([0.1, 0.9, 0.5, 0.95, 0.2, 0.9]):
        collector.add_text(f"doc{i}", "text", RestoredText("text", [], score))
    assert [e.source for e in collector.entries()] == ["doc3", "doc1", "doc5"]


def test_render_escapes_and_highlights() -> None:
    text = "<b>A</b> & the White Home"
    start = text.index("White Home")
    edits = [Edit(start, start + 10, "White Home", "White House", 0.95, "signature")]
    page = report.render_report([report.Entry(0.9, "x.jsonl", "line 1", text, edits, False)])
    assert "&lt;b&gt;A&lt;/b&gt; &amp; the " in page
    assert '<del>White Home</del><span class="arrow"> → </span><ins>White House</ins>' in page
    assert 'title="confidence 0.95 · signature"' in page
    assert "<script" not in page and "http" not in page  # self-contained


def _browser() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


def test_report_renders_in_headless_chromium(tmp_path: Path) -> None:
    browser = _browser()
    if browser is None:
        pytest.skip("no Chromium installed (.ci/run installs the Debian package)")
    src = tmp_path / "in.jsonl"
    docs = ["He instructed reporters at the White Home.\nSecond <para>.", "Nothing.",
            "Only the White Home here."]
    src.write_text("".join(json.dumps({"text": d}) + "\n" for d in docs))
    page = tmp_path / "report.html"
    assert main(["restore", "-q", "--no-progress", "-j", "1", str(src), "-o",
                 str(tmp_path / "o.jsonl"), "--report", str(page)]) == 0
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([browser, *flags, "--dump-dom", page.as_uri()], capture_output=True,
                         text=True, timeout=120, check=True).stdout
    # The browser parsed the page into the expected structure (sections in score order).
    assert dom.count('<section class="doc"') == 3
    assert dom.index("instructed") < dom.index("Only the")
    assert "<ins>White House</ins>" in dom and "<ins>told</ins>" in dom
    assert 'class="edit low"' in dom  # the 0.55 edit is marked for a closer look
    assert "Second &lt;para&gt;." in dom
    shot = tmp_path / "shot.png"
    subprocess.run([browser, *flags, f"--screenshot={shot}", "--window-size=1000,800",
                    page.as_uri()], capture_output=True, timeout=120, check=True)
    assert shot.stat().st_size > 5000  # a real rendering, not a blank page
