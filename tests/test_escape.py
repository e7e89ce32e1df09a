"""Student-controlled text is shown, not obeyed, by terminals, editors and spreadsheets."""

from __future__ import annotations

import pytest

from grader.escape import cell, uncell, visible


def test_escapes_and_carriage_returns_are_written_out():
    text = "ok\x1b[2J\rTotal: 100/100\x07\u202e"
    shown = visible(text)
    assert shown == "ok\\x1b[2J\\x0dTotal: 100/100\\x07\\u202e"
    assert all(ch.isprintable() for ch in shown)


def test_newlines_and_ordinary_text_are_kept():
    assert visible("line one\nlíne twö → 3") == "line one\nlíne twö → 3"


@pytest.mark.parametrize("text", ["=HYPERLINK(\"x\")", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"])
def test_a_cell_a_spreadsheet_would_run_is_quoted(text):
    assert cell(text) == "'" + text
    assert uncell(cell(text)) == text


def test_other_cells_are_as_they_were():
    assert cell("alice") == "alice"
    assert cell("") == ""
