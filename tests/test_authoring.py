"""One source of truth: the stubs and the notebook are made from the solutions."""

from __future__ import annotations

import ast
import subprocess
import sys

import nbformat
import pytest

from grader import authoring, cli, grading, submission
from grader.catalog import NAMES, PACKAGE

from .conftest import EXERCISES, FULL, SOLUTIONS, scores


def test_exercises_are_what_grade_generate_writes(tmp_path, capsys):
    """Fails when someone edits exercises/ by hand or forgets to run `grade generate`."""
    assert cli.main(["generate", "--solutions", str(SOLUTIONS), "--out", str(tmp_path)]) == 0
    generated = sorted(p.name for p in tmp_path.iterdir())
    assert generated == sorted([*(f"{n}.py" for n in NAMES), authoring.NOTEBOOK])
    stale = [name for name in generated
             if (tmp_path / name).read_bytes() != (EXERCISES / name).read_bytes()]
    assert stale == [], f"exercises/ is stale; run `grade generate` ({stale})"


def test_the_grader_keeps_the_stubs_the_similarity_report_leaves_out():
    kept = PACKAGE / "stubs"
    assert sorted(p.name for p in kept.glob("*.py")) == sorted(f"{n}.py" for n in NAMES)
    stale = [n for n in NAMES if (kept / f"{n}.py").read_bytes()
             != (EXERCISES / f"{n}.py").read_bytes()]
    assert stale == [], f"grader/stubs/ is stale; run `grade generate` ({stale})"


def test_markers_are_replaced():
    solution = ("def f(x):\n    '''Doc.'''\n    # BEGIN SOLUTION\n    return x\n"
                "    # END SOLUTION\n\n\n# BEGIN SOLUTION (stub: K = None)\nK = 3\n"
                "# END SOLUTION\n\n\n# BEGIN SOLUTION (stub: nothing)\nSECRET = 1\n"
                "# END SOLUTION\n\n\ndef g():\n    pass\n")
    assert authoring.stub(solution) == ("def f(x):\n    '''Doc.'''\n    raise NotImplementedError"
                                        "\n\n\nK = None\n\n\ndef g():\n    pass\n")
    assert authoring.solution_body(solution) == ["return x", "K = 3", "SECRET = 1"]


@pytest.mark.parametrize(("text", "message"), [
    ("# BEGIN SOLUTION\nx = 1\n", "line 1: BEGIN SOLUTION never ends"),
    ("x = 1\n# END SOLUTION\n", "line 2: END SOLUTION without BEGIN"),
    ("# BEGIN SOLUTION\n# BEGIN SOLUTION\n# END SOLUTION\n", "line 2: BEGIN SOLUTION inside"),
])
def test_broken_markers_name_their_line(text, message):
    with pytest.raises(authoring.MarkerError, match=message):
        authoring.stub(text)


def code_lines(text: str) -> set[str]:
    """A module's lines, its docstrings left out (they teach, quoting the contract's formulas)."""
    tree = ast.parse(text)
    documented = set()
    for node in [tree, *ast.walk(tree)]:
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and isinstance(
                body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            documented |= set(range(body[0].lineno, body[0].end_lineno + 1))
    return {line.strip() for number, line in enumerate(text.split("\n"), start=1)
            if number not in documented and line.strip()}


def test_no_solution_body_is_left_in_the_stubs():
    for name in NAMES:
        stub = code_lines((EXERCISES / f"{name}.py").read_text())
        body = authoring.solution_body((SOLUTIONS / f"{name}.py").read_text())
        leaked = [line for line in body if line in stub and any(c.isalnum() for c in line)]
        assert leaked == [], name


def test_the_notebook_validates_and_grades_like_the_files(tmp_path):
    path = EXERCISES / authoring.NOTEBOOK
    nbformat.validate(nbformat.read(path, as_version=nbformat.NO_CONVERT))
    assert grading.grade(submission.read(path)).score == 0
    solved = tmp_path / "solved.ipynb"
    nbformat.write(authoring.notebook(SOLUTIONS, with_solutions=True), solved)
    assert scores(grading.grade(submission.read(solved))) == FULL


def test_with_solutions_the_notebook_runs_top_to_bottom_as_plain_python(tmp_path):
    """Its lesson and try cells; check() needs a kernel (tests/test_notebook_check.py)."""
    book = authoring.notebook(SOLUTIONS, with_solutions=True)
    program = "\n\n".join(cell.source for cell in book.cells if cell.cell_type == "code"
                           and not {"setup", "check"} & set(cell.metadata.get("tags", [])))
    (tmp_path / "notebook.py").write_text(program + "\nprint(evaluate(bumps, 1.0))\n")
    result = subprocess.run([sys.executable, str(tmp_path / "notebook.py")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert abs(float(result.stdout) - 0.8414709848) < 0.05


def test_generate_refuses_a_folder_without_solutions(tmp_path, capsys):
    assert cli.main(["generate", "--solutions", str(tmp_path), "--out", str(tmp_path)]) == 2
    assert "no dot_product.py" in capsys.readouterr().err
