"""`grade release OUT`: what students receive, and nothing they must not.

The release holds the stubs and the lesson notebook (made from the solutions, as `grade
generate` makes them), the grader with the public tests only, and a README for students. It
never holds a solution, a known-good building block, or a hidden test: hidden tests are cut
from each suite, with the helpers only they used, and the release checks itself before it is
written out for good.
"""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

from grader import authoring, wheel
from grader.catalog import EXERCISES, NAMES, PACKAGE

LEFT_OUT = ("known_good", "__pycache__", "release.py")  # solutions, compiled files, this builder
STUDENT_README = """# How a single neuron works: your exercises

Write your answers in `exercises/`: six modules, one per exercise (or the same six exercises
in one notebook, `exercises/neuron.ipynb`). Each function starts with `raise
NotImplementedError`; its docstring says what to build, with an example and the pitfall to
avoid.

## Checking your work

Install the grader once, then grade as often as you like:

    python3 -m venv .venv && .venv/bin/pip install -q . && .venv/bin/grade exercises

(`.venv\\Scripts\\grade` on Windows.) To type just `grade` in a new terminal, activate the
environment first: `source .venv/bin/activate` (Windows: `.venv\\Scripts\\activate`). Then
`grade` grades `exercises/` (or, run inside `exercises/`, the files there), `grade
exercises/perceptron.py` one exercise, `grade exercises/neuron.ipynb` the notebook.

For each test you see whether it passed and its points; for a failure, what was called, what
was expected, what came back, and a hint.

In the notebook you need no terminal: run its first code cell once, then the check cell
after each exercise. `check("dot_product")` grades that exercise as you last ran its cell,
without saving, and `check()` grades all six; the feedback is `grade`'s. In Google Colab the
first cell also installs the grader, from where your instructor put it.

## What the score means

`grade` runs the public tests: the score is out of their points. Your instructor grades with
hidden tests as well, which try other inputs: code that is right passes them too, code
written to fit the public tests does not. The exercises' points (10, 20, 10, 30, 20, 10) add
up to 100 in the final grade.
"""
PROJECT = "neuron-kit-student"
SUMMARY = "The exercises of the lesson 'How a single neuron works', and their grader"
DEPENDENCIES = ("pytest>=8", "pytest-timeout>=2.1", "numpy>=1.24", "nbformat>=5")
SCRIPTS = {"grade": "grader.cli:console"}
PYPROJECT = """[build-system]
requires = ["setuptools>=64"]
build-backend = "setuptools.build_meta"

[project]
name = "{project}"
version = "{version}"
description = "{summary}"
requires-python = ">=3.10"
dependencies = [{dependencies}]

[project.scripts]
grade = "grader.cli:console"

[tool.setuptools]
packages = ["grader", "grader.boundary", "grader.lms", "grader.notebook_check",
            "grader.similarity"]

[tool.setuptools.package-data]
grader = ["py.typed", "suites/*.py", "suites/*.toml", "stubs/*.py"]
"""


# GitHub Classroom's autograding: the workflow's name, its one job's name and the reporter's
# runner result are what Classroom reads (classroom-resources/autograding-grading-reporter).
# grade exits 1 when a test fails, which must not stop the reporter: `|| true`.
CLASSROOM_WORKFLOW = """name: Autograding Tests
on:
  - push
  - workflow_dispatch
permissions:
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    steps:
      - name: Checkout code
        uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: Neuron exercises
        id: neuron
        run: |
          python -m pip install -q .
          result=$(grade exercises --format classroom || true)
          echo "result=$result" >> "$GITHUB_OUTPUT"
      - name: Autograding Reporter
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
          NEURON_RESULTS: "${{ steps.neuron.outputs.result }}"
        with:
          runners: neuron
"""


class LeakError(Exception):
    """The release would hold something students must not see."""


def public_suite(text: str) -> str:
    """A suite without its hidden tests, the helpers, classes and constants only they used, and
    the imports only they needed (numpy, say: a public test carries expected values, never the
    code behind them, nor a hidden test's data)."""
    tree = ast.parse(text)
    cut: list[ast.stmt] = [node for node in tree.body if isinstance(node, ast.FunctionDef) and any(
        isinstance(d, ast.Name) and d.id == "hidden" for d in node.decorator_list)]
    while True:
        kept = [node for node in tree.body if node not in cut]
        used = {n.id for node in kept for n in ast.walk(node)
                if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
        unused = [node for node in kept if (defines := defined(node))
                  and not any(name.startswith("test_") for name in defines)
                  and not defines & used]
        if not unused:
            break
        cut += unused
    lines = text.split("\n")
    for node in sorted(tree.body, key=lambda n: n.lineno, reverse=True):
        first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
        if node in cut:
            del lines[first - 1 : node.end_lineno]
        elif isinstance(node, ast.Import) or (
                isinstance(node, ast.ImportFrom) and node.module != "__future__"):
            names = [a for a in node.names if (a.asname or a.name).split(".")[0] in used]
            if len(names) < len(node.names):
                node.names = names
                lines[first - 1 : node.end_lineno] = [ast.unparse(node)] if names else []
    return re.sub(r"\n{4,}", "\n\n\n", "\n".join(lines)).replace(
        "Hidden suite for", "Public tests of", 1)


def defined(node: ast.stmt) -> set[str]:
    """The names a top-level helper, class or constant of a suite defines (none for anything
    else: an import, a test's decorators are not cut by name)."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return {node.name}
    targets = node.targets if isinstance(node, ast.Assign) else (
        [node.target] if isinstance(node, ast.AnnAssign) else [])
    names = {t.id for t in targets if isinstance(t, ast.Name)}
    return names if names and len(names) == len(targets) else set()


def answers_in(suite: str) -> list[str]:
    """What in a public suite could compute an answer: a function (or a name assigned) called
    as one of the contract's, or an import of numpy."""
    contract = {name for exercise in EXERCISES for name in exercise.defines}
    found = []
    for node in ast.walk(ast.parse(suite)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name in contract:
            found.append(f"line {node.lineno} defines {node.name}")
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str)
              and node.value.split(".")[0] == "numpy"):
            found.append(f"line {node.lineno} names numpy")
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id in contract:
            found.append(f"line {node.lineno} defines {node.id}")
        elif isinstance(node, ast.Import | ast.ImportFrom):
            modules = [node.module or ""] if isinstance(node, ast.ImportFrom) else [
                alias.name for alias in node.names]
            if any(module.split(".")[0] == "numpy" for module in modules):
                found.append(f"line {node.lineno} imports numpy")
    return sorted(found, key=lambda text: int(text.split()[1]))


def hidden_texts(text: str) -> list[str]:
    """The source lines of a suite's hidden tests (what a release must not contain)."""
    tree = ast.parse(text)
    lines = text.split("\n")
    found = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and any(
                isinstance(d, ast.Name) and d.id == "hidden" for d in node.decorator_list):
            found += [line.strip() for line in lines[node.lineno : node.end_lineno]]
    return [line for line in found if len(line) > 12 and not line.startswith(('"""', "#"))]


def leaks(release: Path, solutions: Path) -> list[str]:
    """Lines of a solution body or of a hidden test that stand anywhere in the release."""
    secrets = set()
    for name in NAMES:
        solution = (solutions / f"{name}.py").read_text(encoding="utf-8")
        # A line the stub shows outside the markers (a formula its docstring teaches) is
        # public by the author's choice; the rest of the marked code is not.
        public = authoring.stub(solution)
        secrets |= {line for line in authoring.solution_body(solution)
                    if len(line) > 12 and line not in public}
        secrets |= set(hidden_texts((PACKAGE / "suites" / f"test_{name}.py").read_text()))
    found = []
    for path in sorted(release.rglob("*")):
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            found += [f"{path.relative_to(release)}: {s}" for s in sorted(secrets) if s in text]
    return found


def build(out: Path, solutions: Path, version: str, wheel_url: str | None = None) -> Path:
    """Write the release into `out` (which must not exist yet), with its wheel in `out/dist`;
    the notebook installs the grader from `wheel_url` (the wheel's URL, or its folder's)
    where it is missing. Returns the wheel's path."""
    out.mkdir(parents=True)
    name = wheel.filename(PROJECT, version)
    if wheel_url and not wheel_url.endswith(".whl"):
        wheel_url = f"{wheel_url.rstrip('/')}/{name}"
    try:
        authoring.generate(solutions, out / "exercises", wheel_url)
        shutil.copytree(PACKAGE, out / "grader", ignore=shutil.ignore_patterns(*LEFT_OUT))
        for suite in sorted((out / "grader" / "suites").glob("test_*.py")):
            suite.write_text(public_suite(suite.read_text(encoding="utf-8")), encoding="utf-8")
        (out / "README.md").write_text(STUDENT_README, encoding="utf-8")
        workflows = out / ".github" / "workflows"
        workflows.mkdir(parents=True)
        (workflows / "classroom.yml").write_text(CLASSROOM_WORKFLOW, encoding="utf-8")
        (out / "pyproject.toml").write_text(PYPROJECT.format(
            project=PROJECT, version=version, summary=SUMMARY,
            dependencies=", ".join(f'"{d}"' for d in DEPENDENCIES)), encoding="utf-8")
        found = leaks(out, solutions)
        for suite in sorted((out / "grader" / "suites").glob("test_*.py")):
            found += [f"{suite.name}: {answer}"
                      for answer in answers_in(suite.read_text(encoding="utf-8"))]
        if found:
            raise LeakError(f"the release would show {len(found)} secret line(s), first "
                            f"{found[0]}")
        return wheel.build(out / "grader", out / "dist", PROJECT, version, SUMMARY,
                           DEPENDENCIES, SCRIPTS)
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)
        raise
