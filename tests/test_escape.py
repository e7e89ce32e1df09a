"""Student-controlled text is shown, not obeyed, by terminals, editors and spreadsheets."""

from __future__ import annotations

import pytest

from grader.escape import cell, markdown, uncell, visible


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


@pytest.mark.parametrize(("text", "shown"), [
    ("<b>x</b>", "\\<b\\>x\\</b\\>"), ("a|b", "a\\|b"), ("*x* _y_", "\\*x\\* \\_y\\_"),
    ("[l](u)", "\\[l\\]\\(u\\)"), ("bea&ZeroWidthSpace;", "bea\\&ZeroWidthSpace;"),
    ("two\nlines\x1b", "two lines\\\\x1b"),  # shown as written out: \x1b
])
def test_markdown_shows_what_it_would_otherwise_read(text, shown):
    assert markdown(text) == shown
