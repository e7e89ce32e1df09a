"""Notebook submissions: each exercise's cells found, graded like files, feedback at the cell."""

from __future__ import annotations

import ast
import json
import re
import shutil
import zipfile
from pathlib import Path

import nbformat
import pytest

from grader import authoring, cli, grading, render, submission
from grader.catalog import NAMES

from .conftest import EXERCISES, FULL, OS_GLOBALS, SOLUTIONS, scores

KIT_IMPORT = re.compile(r"^from (dot_product|activations|neuron|perceptron|xor_network) "
                        r"import .*\n", re.MULTILINE)


def solution_code(name: str, edit: tuple[str, str] = ("", "")) -> str:
    """A solution as a student writes it in a notebook: no imports of earlier exercises."""
    return KIT_IMPORT.sub("", (SOLUTIONS / f"{name}.py").read_text()).replace(*edit)


def notebook(path: Path, tagged: bool = True, edits: dict[str, tuple[str, str]] | None = None,
             extra: list[str] = ()) -> Path:
    book = nbformat.v4.new_notebook()
    book.cells.append(nbformat.v4.new_markdown_cell("# How a single neuron works"))
    for name in NAMES:
        cell = nbformat.v4.new_code_cell(solution_code(name, (edits or {}).get(name, ("", ""))))
        if tagged:
            cell.metadata["tags"] = [f"exercise:{name}"]
        book.cells.append(cell)
        book.cells.append(nbformat.v4.new_code_cell("print(1 / 0)  # trying things out"))
    book.cells.extend(nbformat.v4.new_code_cell(code) for code in extra)
    nbformat.write(book, path)
    return path


def test_a_tagged_notebook_scores_like_the_files(tmp_path):
    report = grading.grade(submission.read(notebook(tmp_path / "work.ipynb")))
    assert scores(report) == FULL
    assert report.notes == ()


def test_an_untagged_notebook_is_read_by_what_each_cell_defines(tmp_path):
    path = notebook(tmp_path / "work.ipynb", tagged=False, extra=["import math\nimport random"])
    assert scores(grading.grade(submission.read(path))) == FULL


def test_magics_and_shell_escapes_are_skipped_with_a_note(tmp_path):
    edits = {"dot_product": ("def dot(w, x):", "%load_ext autoreload\n!ls\ndef dot(w, x):")}
    path = notebook(tmp_path / "work.ipynb", edits=edits)
    report = grading.grade(submission.read(path))
    assert scores(report) == FULL
    lines = solution_code("dot_product", edits["dot_product"]).split("\n")
    skipped = [str(n) for n, line in enumerate(lines, start=1) if line.startswith(("%", "!"))]
    assert report.notes == (f"Not graded, since IPython magics and shell escapes are not "
                            f"Python: code cell 1 line {', '.join(skipped)} of {path}.",)


def test_feedback_points_at_the_cell(tmp_path):
    edits = {"perceptron": ("    err = y - predict(w, b, x)", "    err = y - predict(w, b, x[9])")}
    report = grading.grade(submission.read(notebook(tmp_path / "work.ipynb", edits=edits)))
    test = report.exercises[3].tests[2]
    assert test.status == "error"
    assert f"{tmp_path / 'work.ipynb'}, code cell 7, line " in test.where
    assert without(scores(report), "perceptron") == without(FULL, "perceptron")
    assert scores(report)["perceptron"] < FULL["perceptron"]


def test_a_syntax_error_names_its_cell(tmp_path):
    edits = {"neuron": ("def neuron(w, b, x", "def neuron(w, b, x)")}
    report = grading.grade(submission.read(notebook(tmp_path / "work.ipynb", edits=edits)))
    assert "syntax error" in report.exercises[2].problem
    assert scores(report) == {**FULL, "neuron": 0}


def test_a_missing_exercise_says_how_to_tag_it(tmp_path):
    book = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(solution_code("dot_product"))
    book.cells.append(cell)
    nbformat.write(book, tmp_path / "work.ipynb")
    report = grading.grade(submission.read(tmp_path / "work.ipynb"))
    assert scores(report)["dot_product"] == 10
    assert "tag that cell exercise:activations" in report.exercises[1].problem


@pytest.mark.parametrize(("text", "message"), [
    ("{not json", "not valid JSON"),
    (json.dumps({"nbformat": 3, "worksheets": []}), "format 4 (format 3)"),
    ("[1, 2]", "format 4"),
])
def test_a_broken_notebook_is_one_line_and_exit_2(tmp_path, capsys, text, message):
    (tmp_path / "work.ipynb").write_text(text)
    assert cli.main([str(tmp_path / "work.ipynb")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_notebook_code_gets_the_same_sandbox(tmp_path):
    canary = tmp_path / "canary.txt"
    edits = {"dot_product": ("def dot(w, x):",
                             f"def dot(w, x):\n    open({str(canary)!r}, 'w').write('x')")}
    report = grading.grade(submission.read(notebook(tmp_path / "work.ipynb", edits=edits)))
    assert scores(report)["dot_product"] == 0
    assert "does not allow writing" in report.exercises[0].tests[0].message
    assert not canary.exists()
    edits = {"activations": ("def relu(z):", f"def relu(z):\n    {OS_GLOBALS}['_exit'](0)")}
    report = grading.grade(submission.read(notebook(tmp_path / "two.ipynb", edits=edits)))
    assert without(scores(report), "activations") == without(FULL, "activations")
    assert scores(report)["activations"] < FULL["activations"]


@pytest.mark.slow
def test_a_notebook_in_a_class_gets_its_row(tmp_path, capsys):
    folder = tmp_path / "class"
    folder.mkdir()
    notebook(folder / "zoe.ipynb")
    (folder / "yann.ipynb").write_text("{broken")
    assert cli.main(["bulk", str(folder), "--out", str(tmp_path / "out")]) == 0
    gradebook = (tmp_path / "out" / "gradebook.csv").read_text().splitlines()
    assert gradebook[1].startswith("yann,0,100,") and "not valid JSON" in gradebook[1]
    assert gradebook[2].startswith("zoe,100,100,")


def test_a_notebook_in_a_class_gets_the_feedback_grade_gives_in_the_class_folder(
        tmp_path, capsys, monkeypatch):
    folder = tmp_path / "class"
    folder.mkdir()
    edits = {"perceptron": ("    err = y - predict(w, b, x)", "    err = y - predict(w, b, x[9])")}
    notebook(folder / "zoe.ipynb", edits=edits)
    assert cli.main(["bulk", str(folder), "--out", str(tmp_path / "out")]) == 0
    feedback = (tmp_path / "out" / "feedback" / "zoe.txt").read_text()
    monkeypatch.chdir(folder)
    assert feedback == render.as_text(grading.grade(submission.read(Path("zoe.ipynb"))))
    assert "zoe.ipynb, code cell 7, line " in feedback and str(tmp_path) not in feedback


def without(table: dict[str, float], name: str) -> dict[str, float]:
    return {key: value for key, value in table.items() if key != name}


def test_a_helper_in_a_cell_of_its_own_is_graded_with_what_uses_it(tmp_path):
    """A helper function in an untagged cell (and the constant it uses) goes with the exercise
    that calls it; cells that compute things stay out."""
    edits = {"dot_product": ("    return sum(wi * xi for wi, xi in zip(w, x))",
                             "    return START + products(w, x)")}
    helper = "def products(w, x):\n    return sum(wi * xi for wi, xi in zip(w, x))"
    path = notebook(tmp_path / "work.ipynb", edits=edits,
                    extra=[helper, "START = 0", "print(products([1], [2]))"])
    report = grading.grade(submission.read(path))
    assert scores(report) == FULL


def test_every_try_cell_shows_all_it_computes():
    """A statement that ends at a line's end shows nothing in a cell: only the last one does."""
    from grader.authoring import TRY

    for name, code in TRY.items():
        body = ast.parse(code).body
        assert not [node for node in body[:-1] if isinstance(node, ast.Expr)], name


def test_a_notebook_saved_by_colab_scores_full_marks(tmp_path):
    """As Colab writes it: format 4.0, its own metadata, a cell id in every cell's metadata
    and no tags, sources as lists of lines, and the outputs of the cells it ran."""
    cells = [{"cell_type": "markdown", "metadata": {"id": "intro"},
              "source": ["# How a single neuron works\n", "Run each cell."]}]
    for number, name in enumerate(NAMES):
        lines = solution_code(name).splitlines(keepends=True)
        cells.append({"cell_type": "code", "execution_count": number + 1,
                      "metadata": {"id": f"cell{number}", "colab": {"base_uri": "https://localhost:8080/"},
                                   "outputId": f"out{number}"},
                      "outputs": [{"name": "stdout", "output_type": "stream", "text": ["ok\n"]}],
                      "source": lines})
    path = tmp_path / "Copy of neuron.ipynb"
    path.write_text(json.dumps({
        "nbformat": 4, "nbformat_minor": 0,
        "metadata": {"colab": {"provenance": [], "name": "Copy of neuron.ipynb"},
                     "kernelspec": {"name": "python3", "display_name": "Python 3"},
                     "language_info": {"name": "python"}},
        "cells": cells}, indent=2))
    assert scores(grading.grade(submission.read(path))) == FULL


def test_a_notebook_beside_the_untouched_stubs_is_what_is_graded(tmp_path):
    folder = tmp_path / "ada"
    shutil.copytree(EXERCISES, folder)  # the stubs, and the untouched lesson notebook
    notebook(folder / "work.ipynb")
    report = grading.grade(submission.read(folder))
    assert scores(report) == FULL
    assert any(note.startswith("Graded the notebook work.ipynb; the .py files beside it (")
               and note.endswith(") hold no work.") for note in report.notes)
    with zipfile.ZipFile(tmp_path / "ada.zip", "w") as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, f"ada/{path.name}")
    assert scores(grading.grade(submission.read(tmp_path / "ada.zip"))) == FULL


def test_py_files_beside_an_untouched_notebook_are_what_is_graded(tmp_path):
    folder = tmp_path / "bob"
    shutil.copytree(SOLUTIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(EXERCISES / "neuron.ipynb", folder)
    report = grading.grade(submission.read(folder))
    assert scores(report) == FULL
    assert "Graded the .py files: neuron.ipynb holds no work." in report.notes


def test_work_in_both_a_notebook_and_py_files_is_refused(tmp_path):
    folder = tmp_path / "carol"
    shutil.copytree(SOLUTIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    notebook(folder / "work.ipynb")
    with pytest.raises(submission.UngradableInput, match=r"carol: work in work\.ipynb and in "
                                                         r"dot_product\.py and in .*keep one"):
        submission.read(folder)


def test_notebooks_in_number_or_of_code_beyond_any_submission_are_refused(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for k in range(5):
        notebook(folder / f"work{k}.ipynb")
    with pytest.raises(submission.UngradableInput, match="5 notebooks; a submission has one"):
        submission.read(folder)
    (tmp_path / "huge.ipynb").write_text(json.dumps({  # 7 MiB of code, in a 9 MB file
        "nbformat": 4, "nbformat_minor": 5, "metadata": {},
        "cells": [{"cell_type": "code", "metadata": {}, "source": "x=1\n" * 1_800_000}]}))
    with pytest.raises(submission.UngradableInput, match="MiB of code in its cells"):
        submission.read(tmp_path / "huge.ipynb")


def test_the_generated_notebooks_first_cell_is_never_graded_with_the_students_code(tmp_path):
    """Its `from grader import check` is the kit's, even where a student's code says check."""
    book = authoring.notebook(SOLUTIONS, with_solutions=True)
    for cell in book.cells:
        if cell.metadata.get("tags") == ["exercise:dot_product"]:
            cell.source = cell.source.replace("return sum(", "check = sum(") + "\n    return check"
    nbformat.write(book, tmp_path / "work.ipynb")
    report = grading.grade(submission.read(tmp_path / "work.ipynb"))
    assert scores(report) == FULL


def cells_as_people_write_them() -> list[str]:
    """An import nothing uses, a function in a cell of its own, helpers named like another
    exercise's function, a helper defined again later, an exercise over two cells: all six
    exercises right, in cells without tags."""
    activations = solution_code("activations")
    relu = activations[activations.index("def relu"):activations.index("def step")]
    perceptron = solution_code("perceptron")
    at = perceptron.index("def train")
    return [
        "import numpy as np",
        activations.replace(relu, ""),
        relu,
        "def step(z):\n    return 'a helper of the neuron cell'\n\n" + solution_code("neuron"),
        "def mul(a, b):\n    return a + b\n\n\ndef dot(w, x):\n"
        "    if len(w) != len(x):\n        raise ValueError('lengths differ')\n"
        "    return sum(mul(a, b) for a, b in zip(w, x))",
        "def mul(a, b):\n    return a * b",
        "def step(z):\n    return 1 if z > 0 else 0\n\n" + perceptron[:at],
        perceptron[at:],
        solution_code("xor_network"),
        solution_code("universal"),
    ]


def test_untagged_cells_are_graded_as_the_notebook_runs_them(tmp_path):
    book = nbformat.v4.new_notebook()
    book.cells = [nbformat.v4.new_code_cell(code) for code in cells_as_people_write_them()]
    nbformat.write(book, tmp_path / "work.ipynb")
    report = grading.grade(submission.read(tmp_path / "work.ipynb"))
    assert scores(report) == FULL


def test_a_cell_with_every_exercise_belongs_to_every_exercise(tmp_path):
    book = nbformat.v4.new_notebook()
    book.cells = [nbformat.v4.new_code_cell("\n\n".join(solution_code(n) for n in NAMES))]
    nbformat.write(book, tmp_path / "work.ipynb")
    assert scores(grading.grade(submission.read(tmp_path / "work.ipynb"))) == FULL
