"""Student code parsed in the grading process never shows a warning."""

from __future__ import annotations

import warnings

from grader import parsing

WARNS = 'x = 1\nif x is 1:\n    y = "\\d"\n'  # SyntaxWarnings, where Python gives them


def test_nothing_is_shown_and_nothing_is_an_error(capsys):
    with warnings.catch_warnings(record=True) as shown:
        warnings.simplefilter("always")
        parsing.parse(WARNS, "a\x1b[31mname.py")
    assert not shown and capsys.readouterr() == ("", "")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # as under `python -W error`
        parsing.parse(WARNS, "name.py")

