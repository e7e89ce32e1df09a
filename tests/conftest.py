"""Helpers for the kit's own tests: submissions made from the reference solutions."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from grader import grading, submission
from grader.results import Report

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
# Set to write the golden files afresh (then review the diff by eye before committing it).
WRITE_GOLDEN = "NEURON_KIT_WRITE_GOLDEN"
SOLUTIONS = ROOT / "solutions"
EXERCISES = ROOT / "exercises"

Edits = dict[str, list[tuple[str, str]]]

# The classic way out of a Python sandbox without importing anything: the globals of the os
# module, found through a class that os defines. Hostile tests reach for os with it, so that
# what stops them is the audit hook on the action, not the import rule.
OS_GLOBALS = ("[c for c in ().__class__.__base__.__subclasses__() "
              "if c.__name__ == '_wrap_close'][0].__init__.__globals__")


def write_submission(folder: Path, edits: Edits | None = None,
                     replace: dict[str, str] | None = None) -> Path:
    """The reference solutions in `folder`, with `edits` (file: [(old, new)]) applied and
    whole files `replace`d."""
    shutil.copytree(SOLUTIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    for name, changes in (edits or {}).items():
        path = folder / f"{name}.py"
        text = path.read_text()
        for old, new in changes:
            assert old in text, f"{old!r} is not in {name}.py"
            text = text.replace(old, new)
        path.write_text(text)
    for name, text in (replace or {}).items():
        (folder / f"{name}.py").write_text(text)
    return folder


def scores(report: Report) -> dict[str, float]:
    return {exercise.name: exercise.score for exercise in report.exercises}


FULL = {"dot_product": 10, "activations": 20, "neuron": 10, "perceptron": 30,
        "xor_network": 20, "universal": 10}


@pytest.fixture
def grade_with(tmp_path: Path) -> Callable[..., Report]:
    """Grade the solutions with some edits: grade_with({"dot_product": [(old, new)]})."""
    counter = iter(range(1000))

    def run(edits: Edits | None = None, replace: dict[str, str] | None = None,
            **options: object) -> Report:
        folder = write_submission(tmp_path / f"submission{next(counter)}", edits, replace)
        return grading.grade(submission.read(folder), **options)  # type: ignore[arg-type]

    return run


def assert_golden(name: str, out: str) -> None:
    """`out` is the golden file `name`, to the byte. A missing golden file fails: only
    NEURON_KIT_WRITE_GOLDEN=1 writes one."""
    golden = GOLDEN / name
    if os.environ.get(WRITE_GOLDEN) == "1":
        golden.write_text(out)
    assert golden.exists(), f"no golden file {golden}: write it with {WRITE_GOLDEN}=1, review it"
    assert out == golden.read_text()
