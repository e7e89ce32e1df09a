"""The contract's import rule, checked before any student code runs."""

from __future__ import annotations

import pytest

from grader.imports import examine


def problem(module: str, text: str, filename: str) -> str:
    return examine(module, text, filename)[0]


@pytest.mark.parametrize("line", [
    "import math", "from math import exp", "import random, typing",
    "from __future__ import annotations", "from typing import Sequence",
])
def test_allowed_everywhere(line):
    assert problem("dot_product", f"{line}\n", "dot_product.py") == ""


def test_earlier_exercises_may_be_imported():
    assert problem("perceptron", "from dot_product import dot\nimport activations\n", "p.py") == ""
    assert problem("neuron", "import neuron_helper\n", "n.py") != ""


@pytest.mark.parametrize(("module", "line", "named"), [
    ("dot_product", "import numpy as np", "numpy"),
    ("dot_product", "x = 1\nimport os", "imports os on line 2"),
    ("activations", "from math import exp\ndef f():\n    import subprocess", "subprocess"),
    ("dot_product", "from activations import step", "activations"),
    ("neuron", "from . import dot_product", "."),
    ("neuron", "import math.something, json", "json"),
])
def test_refused_imports_name_the_import_and_its_line(module, line, named):
    message = problem(module, line + "\n", f"{module}.py")
    assert named in message
    assert "line" in message


def test_syntax_errors_name_the_line():
    message = problem("dot_product", "def dot(w, x)\n    return 0\n", "dot_product.py")
    assert "syntax error" in message and "line 1" in message
    assert "def dot(w, x)" in message


def nested_finally(levels: int) -> str:
    """Code whose compiled size doubles with each level: CPython writes a `finally` body
    twice, once for the way out with an exception and once without."""
    lines = []
    for depth in range(levels):
        pad = "    " * (2 * depth)
        lines += [f"{pad}try:", f"{pad}    x = {depth}", f"{pad}finally:"]
    lines.append("    " * (2 * levels) + "x = -1")
    return "\n".join(lines) + "\n"


@pytest.mark.timeout(10)  # compiling it takes about 30 s and a lot of memory; parsing, none
def test_the_check_never_compiles_student_code():
    # Compiling is left to the worker, under its limits: here a file of 1.5 KB would take the
    # grading process's time and memory.
    assert problem("dot_product", nested_finally(21), "dot_product.py") == ""
