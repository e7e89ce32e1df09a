"""Student code parsed or compiled in the grading process, with no warning shown.

A SyntaxWarning (`x is 1`, an invalid escape sequence) would print the student's file name and
text (any characters) where the grader's own output goes, and under `python -W error` it would
become an error the student never made.
"""

from __future__ import annotations

import ast
import warnings
from types import CodeType


def parse(text: str | bytes, filename: str = "<unknown>") -> ast.Module:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(text, filename)


def compiled(text: str, filename: str) -> CodeType:
    """The code the worker's own `compile` would make of the text."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return compile(text, filename, "exec", dont_inherit=True)
