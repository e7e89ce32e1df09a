"""`grade --watch`: a save is graded again, and what changed is what it shows."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time

from grader import watch
from grader.render import Style

from .conftest import ROOT, write_submission

MISTAKE = ("wi * xi", "wi + xi")


def fix(path):
    path.write_text(path.read_text().replace(MISTAKE[1], MISTAKE[0]))


def test_a_saved_fix_is_graded_again_and_its_change_shown(tmp_path):
    folder = write_submission(tmp_path / "work", {"dot_product": [MISTAKE]})
    out = io.StringIO()
    graded = watch.watch(folder, out, Style(), rounds=2,
                         saved=lambda n: fix(folder / "dot_product.py"), poll=0.01)
    assert graded == 0
    first, second = out.getvalue().split("--- graded in ")[1:]
    assert "dot_product" in first and "2/10" in first and "changed" not in first
    assert "Total" in second and "100/100" in second
    changes = second.split("changed since the last save:")[1]
    assert "dot_product: PASS" in changes and "activations" not in changes


def test_grade_watch_runs_until_stopped(tmp_path):
    folder = write_submission(tmp_path / "work", {"dot_product": [MISTAKE]})
    process = subprocess.Popen([sys.executable, "-m", "grader", str(folder), "--watch"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               cwd=ROOT, env={**os.environ, "NO_COLOR": "1"})
    try:
        lines = []
        deadline = time.monotonic() + 120
        while "Total" not in "".join(lines):
            assert time.monotonic() < deadline
            lines.append(process.stdout.readline())
        fix(folder / "dot_product.py")
        while "dot_product: PASS" not in "".join(lines):  # the first change it reports
            assert time.monotonic() < deadline
            lines.append(process.stdout.readline())
    finally:
        process.terminate()
        process.wait(30)
    text = "".join(lines)
    assert text.count("--- graded in ") == 2 and "dot_product: PASS" in text
    assert "Traceback" not in process.stderr.read()
