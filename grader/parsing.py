"""Student code parsed in the grading process, with no warning shown.

A SyntaxWarning (`x is 1`, an invalid escape sequence) would print the student's file name and
text (any characters) where the grader's own output goes, and under `python -W error` it would
become an error the student never made.
"""

from __future__ import annotations

import ast
import warnings


def parse(text: str | bytes, filename: str = "<unknown>") -> ast.Module:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(text, filename)
