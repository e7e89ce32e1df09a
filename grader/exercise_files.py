"""Which files of a folder or a zip are a submission: its exercise files, or its notebook.

Learning platforms pack a student's files in folders (`exercises/` in a GitHub Classroom
repository, a project folder inside a Moodle upload), so exercise files are found at any depth,
passing over what is never a student's work: hidden folders (`.git`, `.ipynb_checkpoints`),
`__MACOSX` and `._` files, `__pycache__`, installed packages. The choice is never a guess:

- two copies of one exercise's file refuse the submission, naming them (copies in many folders
  look like a whole class, which `grade collect` splits into one entry per student);
- a notebook is graded instead of `.py` files when only the notebook holds work (the `.py`
  files beside it are the untouched stubs), and the submission says so; work in both, or in
  two notebooks, refuses the submission.
"""

from __future__ import annotations

import ast
import functools
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from grader import parsing
from grader.catalog import NAMES

SKIPPED_FOLDERS = frozenset({"__MACOSX", "__pycache__", "site-packages", "dist-packages",
                             "node_modules"})
MAX_DEPTH = 8  # folders below the submission's own
MAX_FILES = 10_000
CLASS_COPIES = 3  # copies of one exercise: a whole class, not one student's second thoughts


class Refused(Exception):
    """The files do not make one submission; the message says why, naming them."""


@dataclass(frozen=True)
class File:
    path: str  # relative to the submission, with / between folders
    read: Callable[[], bytes | None]  # its bytes; None when larger than the cap
    link: bool = False

    @property
    def name(self) -> str:
        return PurePosixPath(self.path).name


def wanted(path: str) -> bool:
    """Whether a file at `path` (relative, / between folders) could be a student's work."""
    # A zip's names may climb (`../x.py`) or start at /: only names here, never extracted.
    *folders, name = [p for p in PurePosixPath(path).parts if p not in ("/", ".", "..")] or [""]
    return (len(folders) <= MAX_DEPTH and not name.startswith(("._", "."))
            and not any(f.startswith(".") or f in SKIPPED_FOLDERS for f in folders))


def in_folder(folder: Path, read: Callable[[Path], bytes | None]) -> list[File]:
    """The files under `folder` that could be work. Links are listed (to be refused), never
    followed; FIFOs and devices are left out, since opening one could wait forever."""
    found: list[File] = []
    for root, folders, files in os.walk(folder):
        relative = Path(root).relative_to(folder).parts
        folders[:] = [] if len(relative) >= MAX_DEPTH else sorted(
            f for f in folders if not f.startswith(".") and f not in SKIPPED_FOLDERS)
        for name in sorted(files):
            path = Path(root, name)
            with_slashes = "/".join((*relative, name))
            try:
                mode = path.lstat().st_mode
            except OSError:
                continue
            if wanted(with_slashes) and (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
                found.append(File(with_slashes, functools.partial(read, path), stat.S_ISLNK(mode)))
            if len(found) > MAX_FILES:
                raise Refused(f"more than {MAX_FILES} files")
    return found


def exercise_stem(file: File) -> str | None:
    stem, _, suffix = file.name.rpartition(".")
    return stem if suffix == "py" and stem in NAMES else None


def single_copies(files: list[File]) -> dict[str, File]:
    """Each exercise's one file; Refused where an exercise has several."""
    by_name: dict[str, list[File]] = {}
    for file in files:
        stem = exercise_stem(file)
        if stem:
            by_name.setdefault(stem, []).append(file)
    many = {name: copies for name, copies in by_name.items() if len(copies) > 1}
    if many:
        name = max(sorted(many, key=NAMES.index), key=lambda n: len(many[n]))
        copies = sorted(many[name], key=lambda file: file.path)
        shown = ", ".join(c.path for c in copies[:4]) + (", ..." if len(copies) > 4 else "")
        if len(copies) >= CLASS_COPIES:
            raise Refused(f"{len(copies)} copies of {name}.py ({shown}): this looks like a "
                          "whole class; `grade collect` makes one entry per student of it")
        raise Refused(f"two copies of {name}.py ({shown}): keep the one to grade, remove "
                      "the other")
    return {name: copies[0] for name, copies in by_name.items()}


def holds_work(text: str) -> bool:
    """Whether code defines a function whose body does more than raise NotImplementedError
    (the stubs' body). Code that cannot be parsed is somebody's work."""
    try:
        tree = parsing.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return True
    return any(isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
               and not stub_body(node.body) for node in ast.walk(tree))


def stub_body(body: list[ast.stmt]) -> bool:
    statements = [s for s in body
                  if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    return (len(statements) == 1 and isinstance(statements[0], ast.Raise)
            and "NotImplementedError" in ast.unparse(statements[0]))
