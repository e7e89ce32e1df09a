"""Student material made from the reference solutions, the one source an author edits.

A solution marks what students must write:

    def double(x):
        '''The docstring the student reads.'''
        # BEGIN SOLUTION
        return 2 * x
        # END SOLUTION

In the stub, the marked lines become `raise NotImplementedError`, at the marker's indentation.
`# BEGIN SOLUTION (stub: XOR_WEIGHTS = None)` puts that line there instead, and
`# BEGIN SOLUTION (stub: nothing)` leaves nothing. Everything else is copied as it is, so the
stubs and the solutions can never drift apart: `grade generate` writes the stubs (and the
lesson's notebook), and a test fails when `exercises/` is not what it would write.
"""

from __future__ import annotations

import ast
import re
import shlex
from pathlib import Path

import nbformat

from grader.catalog import NAMES

NOTEBOOK = "neuron.ipynb"

BEGIN = re.compile(r"^(\s*)# BEGIN SOLUTION(?: \(stub: (.*)\))?\s*$")
END = re.compile(r"^\s*# END SOLUTION\s*$")


class MarkerError(Exception):
    """Solution markers that do not pair up; the message names the line."""


def stub(solution: str, filename: str = "solution") -> str:
    """The student's version of a solution: each marked block replaced."""
    out: list[str] = []
    opened = 0
    for number, line in enumerate(solution.split("\n"), start=1):
        begin = BEGIN.match(line)
        if begin:
            if opened:
                raise MarkerError(f"{filename}, line {number}: BEGIN SOLUTION inside the one "
                                  f"from line {opened}")
            opened = number
            indent, replacement = begin.groups()
            if replacement is None:
                out.append(f"{indent}raise NotImplementedError")
            elif replacement != "nothing":
                out.append(f"{indent}{replacement}")
        elif END.match(line):
            if not opened:
                raise MarkerError(f"{filename}, line {number}: END SOLUTION without BEGIN")
            opened = 0
        elif not opened:
            out.append(line)
    if opened:
        raise MarkerError(f"{filename}, line {opened}: BEGIN SOLUTION never ends")
    # A block removed whole leaves the blank lines around it: keep at most two in a row.
    return re.sub(r"\n{4,}", "\n\n\n", "\n".join(out))


def solution_body(solution: str) -> list[str]:
    """The marked lines of a solution (what a student release must never contain)."""
    lines, inside = [], False
    for line in solution.split("\n"):
        if BEGIN.match(line):
            inside = True
        elif END.match(line):
            inside = False
        elif inside and line.strip():
            lines.append(line.strip())
    return lines


def write_stubs(solutions: Path, out: Path, names: list[str]) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in names:
        source = solutions / f"{name}.py"
        target = out / f"{name}.py"
        target.write_text(stub(source.read_text(encoding="utf-8"), str(source)),
                          encoding="utf-8")
        written.append(target)
    return written


# A line or two per exercise for the student to run once the code is written.
TRY = {
    "dot_product": "dot([1, 2, 3], [4, 5, 6])  # 32",
    # In parentheses: a line ending in a comma would end the statement there, and the cell
    # would show only its last line's value.
    "activations": "(sigmoid(0), tanh(1), relu(-2), step(0),\n"
                   " chain_gradient(sigmoid_prime, [0] * 10))",
    "neuron": "neuron([1, 1], -2, [1, 1]), decision_boundary((1, 1), -1.5)",
    "perceptron": "train(GATES['OR']), train(GATES['XOR'], epochs=10)[2]",
    "xor_network": "[xor(a, b) for a in (0, 1) for b in (0, 1)]  # [0, 1, 1, 0]",
    "universal": "bumps = approximate(math.sin, 0, 2 * math.pi, 100)\n"
                 "evaluate(bumps, 1.0), math.sin(1.0)",
}
INTRODUCTION = """# How a single neuron works

A neuron is a dot product followed by a squish: it weighs its inputs, adds a bias, and
passes the sum through a nonlinear activation. In six exercises you build one by hand,
teach it logic gates with the perceptron rule, find what it cannot learn (XOR), fix that
with a hidden layer, and see how enough neurons can approximate any curve.

Run the first code cell once. Then write your code in the cells tagged `exercise:...` (each
starts with `raise NotImplementedError`), run it, run the cell below it to try it, and run
the check cell after that: `check("dot_product")` grades the exercise as you last ran it,
no saving needed, and explains every failure. `check()` grades all six. From a terminal,
`grade neuron.ipynb` grades the saved notebook the same way. Each exercise may use the
functions of the ones before it; import only `math`, `random` and `typing`."""
SETUP = """# Run this cell first: it loads check(), which grades an exercise as you last ran it.
from grader import check"""
# Where the grader may be missing (Google Colab, say), the first cell installs it.
SETUP_WITH_INSTALL = """# Run this cell first. Where the grader is missing (Google Colab, say),
# it installs it; then it loads check(), which grades an exercise as you last ran it.
import importlib.util
if importlib.util.find_spec("grader") is None:
    %pip install -q {wheel}
from grader import check"""
KIT_IMPORT = re.compile(r"^from (\w+) import .*\n", re.MULTILINE)


def lesson_cells(name: str, module: str) -> tuple[str, str]:
    """The module's docstring as the lesson's markdown, and its code without the docstring
    and without imports of earlier exercises (a notebook shares one namespace)."""
    tree = ast.parse(module)
    first = tree.body[0]
    doc = ast.get_docstring(tree) or name
    code = "\n".join(module.split("\n")[first.end_lineno:]).strip("\n")
    code = KIT_IMPORT.sub(lambda m: "" if m.group(1) in NAMES else m.group(0), code + "\n")
    title, _, rest = doc.partition("\n")
    return f"## {title}\n{rest}", code.strip("\n")


def notebook(solutions: Path, with_solutions: bool = False,
             wheel: str | None = None) -> nbformat.NotebookNode:
    """The lesson as one notebook: markdown that teaches, the cell that loads check() (and
    installs the grader from `wheel`, a URL or path, where it is missing), then per exercise
    its code cell (tagged for grading), a cell to try it and a cell to check it. Cell ids are
    fixed, so that writing it twice gives the same file."""
    book = nbformat.v4.new_notebook()
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                   "language": "python"}
    setup = SETUP_WITH_INSTALL.format(wheel=shlex.quote(wheel)) if wheel else SETUP
    book.cells += [nbformat.v4.new_markdown_cell(INTRODUCTION, id="introduction"),
                   nbformat.v4.new_code_cell(setup, id="setup", metadata={"tags": ["setup"]})]
    for name in NAMES:
        text = (solutions / f"{name}.py").read_text(encoding="utf-8")
        markdown, code = lesson_cells(name, text if with_solutions else stub(text, name))
        if with_solutions:
            code = "\n".join(line for line in code.split("\n")
                             if not BEGIN.match(line) and not END.match(line))
        exercise = nbformat.v4.new_code_cell(code, id=f"{name}-code")
        exercise.metadata["tags"] = [f"exercise:{name}"]
        tryout = nbformat.v4.new_code_cell(TRY[name], id=f"{name}-try")
        tryout.metadata["tags"] = ["try"]
        checking = nbformat.v4.new_code_cell(f'check("{name}")', id=f"{name}-check",
                                             metadata={"tags": ["check"]})
        book.cells += [nbformat.v4.new_markdown_cell(markdown, id=f"{name}-lesson"),
                       exercise, tryout, checking]
    nbformat.validate(book)
    return book


def generate(solutions: Path, out: Path, wheel: str | None = None) -> list[Path]:
    """Everything students get, from the solutions: the stubs and the notebook."""
    written = write_stubs(solutions, out, list(NAMES))
    path = out / NOTEBOOK
    nbformat.write(notebook(solutions, wheel=wheel), path)
    return [*written, path]
