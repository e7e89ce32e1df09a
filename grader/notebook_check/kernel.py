"""The code a running IPython kernel has run, as notebook cells to grade.

A kernel keeps every cell it ran, in order, in its input history (`In`). What the student's
functions are now is what the latest run of each cell defined, so for each exercise the
latest cell that defines its functions is graded, with the latest version of each helper cell
and import cell; a cell re-run after an edit replaces its earlier runs. Cells are named as
IPython names them in tracebacks: `Cell In[7]`.
"""

from __future__ import annotations

import ast
from typing import Any

from grader.notebook import (
    Cell,
    defined_by,
    definitions_only,
    exercise_of_code,
    imports_only,
    python_of,
)


class NotInNotebook(Exception):
    """check() was called outside an IPython kernel: there are no cells to grade."""


def history() -> list[str]:
    """The kernel's input history as the student typed it (index = execution count)."""
    try:
        from IPython import get_ipython
    except ImportError:
        raise NotInNotebook("check() grades the cells of a notebook; outside one, run "
                            "`grade` on your files") from None
    shell: Any = get_ipython()
    if shell is None:
        raise NotInNotebook("check() grades the cells of a notebook; outside one, run "
                            "`grade` on your files")
    return [code if type(code) is str else "" for code in shell.history_manager.input_hist_raw]


def latest(inputs: list[str]) -> list[Cell]:
    """The cells to grade, in the order of their latest runs."""
    chosen: dict[tuple[str, object], Cell] = {}
    for count, code in enumerate(inputs):
        key = role(code) if count and code.strip() else None
        if key is not None:
            chosen.pop(key, None)  # a re-run replaces the earlier run, and moves to the end
            chosen[key] = Cell(f"Cell In[{count}]", code)
    return list(chosen.values())


def role(code: str) -> tuple[str, object] | None:
    """What a cell is for grading: an exercise's code, imports, or definitions (keyed so that
    a later run of the same cell replaces it); None for a cell grading never reads."""
    python, _ = python_of(code)
    if python is None:
        return None
    name = exercise_of_code(python)
    if name:
        return ("exercise", name)
    if imports_grader(python):  # `from grader import check`: the kit, not the student's code
        return None
    if imports_only(python):
        return ("imports", python.strip())
    if definitions_only(python):
        return ("defines", frozenset(defined_by(python)))
    return None


def imports_grader(code: str) -> bool:
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return any((isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "grader")
               or (isinstance(node, ast.Import)
                   and any(alias.name.split(".")[0] == "grader" for alias in node.names))
               for node in ast.walk(tree))
