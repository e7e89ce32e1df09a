"""Student code parsed in the grading process never shows a warning."""

from __future__ import annotations

import warnings

import pytest

from grader import parsing

WARNS = 'x = 1\nif x is 1:\n    y = "\\d"\n'  # SyntaxWarnings, where Python gives them


@pytest.mark.parametrize("read", [parsing.parse, parsing.compiled])
def test_nothing_is_shown_and_nothing_is_an_error(read, capsys):
    with warnings.catch_warnings(record=True) as shown:
        warnings.simplefilter("always")
        read(WARNS, "a\x1b[31mname.py")
    assert not shown and capsys.readouterr() == ("", "")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # as under `python -W error`
        read(WARNS, "name.py")


def test_the_code_is_what_compile_makes():
    code = parsing.compiled("def f():\n    return 1\n", "f.py")
    assert code.co_filename == "f.py"
    assert code.co_code == compile("def f():\n    return 1\n", "f.py", "exec").co_code
