"""The class report in a real headless browser: it loads cleanly, and says what the gradebook
says. Needs Debian's chromium (`.ci/run` installs it)."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest

from grader import cli, report
from grader.catalog import NAMES
from grader.gradebook import Row, Tally

from .conftest import write_submission

pytestmark = pytest.mark.slow
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--enable-logging=stderr",
                  "--v=0"]


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    browser = shutil.which("chromium")
    if browser is None:
        pytest.fail("the report is tested in Debian's chromium: apt-get install chromium")
    return subprocess.run([browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120)


class Page(HTMLParser):
    """The report's table rows, links, and anything that would load from elsewhere."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.links: list[str] = []
        self.external: list[str] = []
        self.in_row = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "tr" and "data-submission" in values:
            self.rows.append([])
            self.in_row = True
        if tag in ("script", "link", "img", "iframe") or "src" in values:
            self.external.append(tag)
        if tag == "a":
            self.links.append(values.get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self.in_row = False

    def handle_data(self, data: str) -> None:
        if self.in_row and data.strip():
            self.rows[-1].append(data.strip())


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("report")
    folder = root / "class"
    folder.mkdir()
    write_submission(folder / "alice")
    write_submission(folder / "bob & <i>co", {"perceptron": [
        ("err = y - predict(w, b, x)", "err = predict(w, b, x) - y")]})
    (folder / "carol.zip").write_bytes(b"no zip")
    assert cli.main(["bulk", str(folder), "--out", str(root / "out")]) == 0
    return root / "out"


def test_the_report_loads_cleanly_and_matches_the_gradebook(graded, tmp_path):
    page = graded / "report.html"
    shot = tmp_path / "report.png"
    result = chromium("--window-size=1280,2000", f"--screenshot={shot}", page.as_uri(),
                      profile=tmp_path / "profile")
    assert shot.is_file() and shot.stat().st_size > 10_000, result.stderr
    dom = chromium("--dump-dom", page.as_uri(), profile=tmp_path / "profile")
    console = [line for line in dom.stderr.splitlines() if "CONSOLE" in line]
    assert console == []
    parsed = Page()
    parsed.feed(dom.stdout)
    book = list(csv.reader(io.StringIO((graded / "gradebook.csv").read_text())))[1:]
    assert [row[:3 + len(NAMES)] for row in parsed.rows] == [
        row[:3 + len(NAMES)] for row in book]
    assert parsed.rows[1][0] == "bob & <i>co"  # shown as text, never as markup
    assert parsed.external == []
    # bob is alice with one mistake: the similarity section lists them, with their page.
    assert sorted(parsed.links) == ["feedback/alice.txt",
                                    "feedback/bob%20%26%20%3Ci%3Eco.txt", "feedback/carol.txt",
                                    "similarity/pair-1.html"]
    for href in parsed.links:
        assert (graded / unquote(href)).is_file(), href


def test_a_pair_page_loads_cleanly_and_shows_names_as_text(graded, tmp_path):
    page = graded / "similarity" / "pair-1.html"
    dom = chromium("--dump-dom", page.as_uri(), profile=tmp_path / "profile")
    assert [line for line in dom.stderr.splitlines() if "CONSOLE" in line] == []
    parsed = Page()
    parsed.feed(dom.stdout)
    assert parsed.external == [] and parsed.links == []
    assert "<th>bob &amp; &lt;i&gt;co</th>" in dom.stdout and "<mark>" in dom.stdout


def test_a_class_of_a_thousand_stays_one_light_page():
    rows = [Row(f"student{i:04d}", i % 101, 100, (10, 20, 10, 30, 20, 10), "")
            for i in range(1000)]
    tally = Tally(totals=[row.score for row in rows], max_score=100)
    html = report.page(rows, tally)
    assert html.count("data-submission=") == 1000
    assert len(html.encode()) < 1_000_000
