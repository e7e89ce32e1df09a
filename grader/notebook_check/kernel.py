"""The code a running IPython kernel has run, as notebook cells to grade.

A kernel keeps every cell it ran, in order, in its input history (`In`). What the student's
functions are now is what the cells defined, the latest run last: so the cells are graded in
the order of their latest runs, a cell re-run (after an edit, say) replacing its earlier runs
when it defines the same names. They are then read as `grade` reads a notebook without tags.
Cells are named as IPython names them in tracebacks: `Cell In[7]`.
"""

from __future__ import annotations

from typing import Any

from grader.notebook import Cell, defined_names, definitions_only, python_of


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
    """What a cell is for grading, keyed so that a later run of the same cell replaces it:
    the names it defines (an exercise's functions, a helper, a constant), or its text for
    imports alone; None for a cell grading never reads (trying things out, the kit's own
    `from grader import check`)."""
    python, _ = python_of(code)
    if python is None:
        return None
    names = defined_names(python)
    if names:
        return ("defines", frozenset(names))
    if definitions_only(python):
        return ("imports", python.strip())
    return None
