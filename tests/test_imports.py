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
