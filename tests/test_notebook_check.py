"""check() in a notebook: the lesson's notebook run top to bottom in a real Jupyter kernel
(nbclient, ipykernel), its check cells compared with what `grade` gives for the same code."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from jupyter_client.manager import start_new_kernel
from nbclient import NotebookClient

from grader import authoring, grading, render, submission
from grader.catalog import NAMES
from grader.notebook_check import kernel, protocol, server
from grader.notebook_check.client import Checked

from .conftest import FULL, SOLUTIONS
from .test_grading import MISTAKES
from .test_notebook import cells_as_people_write_them, solution_code

pytestmark = pytest.mark.slow

# Where the same code stands: a saved notebook's cell for `grade`, a run cell for check().
PLACE = re.compile(r"(\S+\.ipynb, code cell \d+|Cell In\[\d+\])")
SCORES = ("import json\nprint(json.dumps({name: [value.score, value.max_score] for name, value "
          "in zip(NAMES, [v for v in Out.values() if hasattr(v, 'max_score')])}))")
SYNTAX_ERROR = ("def xor(x1, x2):", "def xor(x1, x2)")
RAISES = ("return activation(dot(w, x) + b)", "return activation(dot(w, x) + b) / 0")


def mistake(label: str) -> tuple[str, str]:
    """The edit of one of test_grading's typical mistakes."""
    return next(edits[name][0] for known, name, edits in MISTAKES if known == label)


def lesson(edits: dict[str, tuple[str, str]]) -> nbformat.NotebookNode:
    """The lesson's notebook as `grade generate` writes it, its exercise cells filled with the
    solutions and `edits` made to them, and a last cell printing what each check returned."""
    book = authoring.notebook(SOLUTIONS, with_solutions=True)
    for cell in book.cells:
        name = cell.metadata.get("tags", [""])[0].removeprefix("exercise:")
        if name in edits:
            old, new = edits[name]
            assert old in cell.source, f"{old!r} is not in {name}'s cell"
            cell.source = cell.source.replace(old, new)
    book.cells.append(nbformat.v4.new_code_cell(
        f"NAMES = {list(NAMES)!r}\n{SCORES}", id="scores"))
    return book


def run_in_a_kernel(book: nbformat.NotebookNode, folder: Path) -> nbformat.NotebookNode:
    NotebookClient(book, timeout=300, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(folder)}}).execute()
    return book


def shown(book: nbformat.NotebookNode, name: str) -> dict[str, str]:
    cell = next(c for c in book.cells if c.get("id") == f"{name}-check")
    results = [out for out in cell.outputs if out.output_type == "execute_result"]
    assert len(results) == 1, f"{name}'s check cell showed {cell.outputs}"
    return results[0]["data"]


def returned(book: nbformat.NotebookNode) -> dict[str, list[float]]:
    cell = next(c for c in book.cells if c.get("id") == "scores")
    return json.loads("".join(out.get("text", "") for out in cell.outputs))


def same_place(text: str) -> str:
    """The text with each cell's name the same, and its lines joined (a longer name wraps the
    lines differently)."""
    return PLACE.sub("<cell>", " ".join(text.split()))


@pytest.mark.parametrize("edits", [
    {},
    {"dot_product": mistake("zip truncation in dot"), "activations": mistake("relu is abs"),
     "neuron": RAISES,
     "perceptron": mistake("the flipped update sign"), "xor_network": SYNTAX_ERROR,
     "universal": mistake("approximate heights at the left edge")},
], ids=["solutions", "mistakes"])
def test_check_cells_show_what_grade_gives_for_the_same_code(tmp_path, monkeypatch, edits):
    book = run_in_a_kernel(lesson(edits), tmp_path)
    monkeypatch.chdir(tmp_path)  # `grade neuron.ipynb`, as a student types it
    nbformat.write(book, "neuron.ipynb")
    work = submission.read(Path("neuron.ipynb"))
    got = returned(book)
    for name in NAMES:
        report = grading.grade(work, exercises=[name])
        data = shown(book, name)
        text = render.as_text(report, render.Style(colour=False)).rstrip("\n")
        assert same_place(data["text/plain"]) == same_place(text), name
        assert got[name] == [report.score, report.max_score], name
        assert "<div class='neuron-kit-check'>" in data["text/html"]
    if not edits:
        assert {name: score for name, (score, _) in got.items()} == FULL
    else:
        assert all(got[name][0] < FULL[name] for name in NAMES)
        assert "Cell In[" in shown(book, "neuron")["text/plain"]  # where it raised, as IPython


def test_a_check_grades_the_latest_run_of_a_cell_not_the_first(tmp_path):
    book = nbformat.v4.new_notebook()
    right = solution_code("dot_product")
    wrong = solution_code("dot_product", mistake("dot adds instead of multiplying"))
    book.cells = [nbformat.v4.new_code_cell(code) for code in (
        "from grader import check", wrong, "check('dot_product')", right,
        "check('dot_product')", "check('neuron')")]
    run_in_a_kernel(book, tmp_path)
    first, second, other = (book.cells[n].outputs[0]["data"]["text/plain"] for n in (2, 4, 5))
    assert "dot_product" in first and "Total: 2/10" in first
    assert "Total: 10/10" in second
    assert "has not run neuron's code yet: run the cell with it" in other


def test_the_kernels_cells_latest_runs_in_order():
    inputs = ["", "import math", "def dot(w, x):\n    return 1", "dot([1], [2])",
              "from grader import check", "def helper():\n    return 2",
              "def dot(w, x):\n    return 2", "def helper():\n    return 3", "%pip install x",
              "def sigmoid(z) return 1"]
    cells = kernel.latest(inputs)
    assert [cell.label for cell in cells] == ["Cell In[1]", "Cell In[6]", "Cell In[7]",
                                              "Cell In[9]"]
    assert [cell.code for cell in cells][1:3] == [inputs[6], inputs[7]]


def test_a_cell_run_again_comes_after_what_ran_since():
    """The kernel's helper is what ran last: the module it is graded as defines it last."""
    first, both = "def helper():\n    return 1", "def helper():\n    return 2\ndef other(): pass"
    cells = kernel.latest(["", first, both, first])
    assert [cell.label for cell in cells] == ["Cell In[2]", "Cell In[3]"]


def test_check_outside_a_notebook_says_where_it_works():
    out = subprocess.run([sys.executable, "-c", "from grader import check; check()"],
                         capture_output=True, text=True)
    assert "check() grades the cells of a notebook; outside one, run `grade`" in out.stderr


def test_an_exercise_the_kit_does_not_have_is_named_with_the_ones_it_has():
    from grader import check

    with pytest.raises(ValueError, match="there is no exercise 'dot'; the exercises are "
                                         "dot_product, activations"):
        check("dot")


@pytest.mark.parametrize("line", [
    b"not json\n", b"[]\n", b'{"cells": [], "exercise": "os"}\n',
    b'{"cells": [["a", 1]], "exercise": null}\n', b'{"cells": [], "exercise": null, "x": 1}\n',
    b'{"cells": [["' + b"a" * 101 + b'", ""]], "exercise": null}\n',
])
def test_a_malformed_request_is_answered_with_what_is_wrong(line):
    with pytest.raises(protocol.BadRequest):
        protocol.read_request(line)


def test_the_grading_process_answers_a_bad_request_and_grades_the_next():
    code = (SOLUTIONS / "dot_product.py").read_text()
    requests = io.BytesIO(b"[]\n" + protocol.encode(protocol.Request([("Cell In[3]", code)],
                                                                     "dot_product")))
    answers = io.BytesIO()
    server.serve(requests, answers)
    bad, good = map(protocol.read_answer, answers.getvalue().splitlines())
    assert bad.error.startswith("a request without exactly the fields")
    assert (good.score, good.max_score, good.error) == (10, 10, "")
    assert good.report["exercises"][0]["name"] == "dot_product"


def test_what_a_student_chose_is_escaped_in_the_html():
    code = "def dot(w, x):\n    print('<script>alert(1)</script>')\n    return 0"
    requests = io.BytesIO(protocol.encode(protocol.Request([("Cell In[3]", code)],
                                                           "dot_product")))
    answers = io.BytesIO()
    server.serve(requests, answers)
    answer = protocol.read_answer(answers.getvalue())
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in answer.html
    assert "<script>" not in answer.html
    assert Checked(answer.score, answer.max_score, answer.report, answer.text,
                   answer.html)._repr_html_() == answer.html


def test_the_grading_process_imports_nothing_from_the_notebooks_folder(tmp_path, monkeypatch):
    canary = tmp_path / "canary"
    for module in ("pytest", "numpy", "grader"):
        (tmp_path / f"{module}.py").write_text(f"open({str(canary)!r}, 'w').write('{module}')")
    monkeypatch.chdir(tmp_path)
    from grader.notebook_check.client import Server

    asker = Server()
    try:
        code = (SOLUTIONS / "dot_product.py").read_text()
        answer = asker.ask(protocol.Request([("Cell In[1]", code)], "dot_product"))
    finally:
        asker.stop()
    assert (answer.score, answer.error) == (10, "")
    assert not canary.exists()


def test_check_grades_what_the_kernel_has_defined(tmp_path):
    book = nbformat.v4.new_notebook()
    book.cells = [nbformat.v4.new_code_cell(code) for code in [
        "from grader import check", *cells_as_people_write_them(), "check()"]]
    run_in_a_kernel(book, tmp_path)
    shown = book.cells[-1].outputs[0]["data"]["text/plain"]
    assert "Total: 100/100" in shown, shown


def test_interrupting_the_kernel_leaves_the_grading_process_ready():
    """Jupyter interrupts a kernel's whole process group: the grading process is not in it."""
    km, kc = start_new_kernel(kernel_name="python3")
    printed: list[str] = []

    def run(code: str) -> None:
        kc.execute_interactive(code, timeout=120, output_hook=lambda message: printed.append(
            message["content"].get("text", "")))

    asked = ("from grader.notebook_check.client import SERVER\n"
             "print(check('dot_product').score, SERVER.process.pid)")
    try:
        run(f"from grader import check\n{solution_code('dot_product')}")
        run(asked)
        looping = kc.execute("import time\nwhile True:\n    time.sleep(0.05)")
        time.sleep(1)
        km.interrupt_kernel()
        while kc.get_shell_msg(timeout=60)["parent_header"].get("msg_id") != looping:
            pass
        run(asked)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    before, after = (text.split() for text in printed if text.strip())
    assert before[0] == after[0] == "10"
    assert before[1] == after[1]  # the same grading process, kept
