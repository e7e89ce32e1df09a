"""The contract's import rule, checked before any student code runs."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from grader.imports import examine, examine_tree


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


KIT = Path(__file__).resolve().parent.parent
READ_TWO_WAYS = [
    "import math\nfrom math import exp\nimport random, typing\n",
    "from __future__ import annotations\nimport math.something\n",
    "class A:\n    import math\n    def f(self):\n        from dot_product import dot\n",
    "def f():\n    def g():\n        import os\n",
    "from . import dot_product\n", "from .dot_product import dot\n",
    "import math as m\n" + "".join(f"x{i} = {i}.5\n" for i in range(300)) + "import json\n",
    "names = [" + ", ".join(f"'n{i}'" for i in range(300)) + "]\nimport json\n",
    # the level's constant is number 256, whose low byte names the constant 0
    "x = 0\nt = ('sqrt',)\n" + "".join(f"v = {i}.5\n" for i in range(254))
    + "from .math import sqrt\n",
    "return 1\n", "def dot(w, x)\n    return 0\n", "x = '\0'\n",
]


@pytest.mark.parametrize("text", [
    *READ_TWO_WAYS, *(path.read_text() for folder in ("solutions", "exercises")
                      for path in sorted((KIT / folder).glob("*.py"))),
])
@pytest.mark.parametrize("module", ["dot_product", "perceptron"])
def test_reading_the_compiled_code_finds_what_the_tree_does(text, module):
    fast = examine(module, text, "f.py")
    tree = examine_tree(module, text, "f.py", None)
    assert (fast.problem, fast.kit) == (tree.problem, tree.kit)
    assert (fast.code is None) == bool(fast.problem) or "return 1" in text


def test_the_code_is_the_files_own():
    examined = examine("perceptron", "from dot_product import dot\nW = [1, 2]\n", "p.py")
    assert examined.kit == {"dot_product"}
    assert examined.code is not None and examined.code.co_filename == "p.py"
    assert "W" in examined.code.co_names


def test_no_warning_reaches_the_graders_output(capsys):
    text = 'x = 1\nif x is 1:\n    y = "\\d"\n'  # SyntaxWarnings, where Python gives them
    with warnings.catch_warnings(record=True) as shown:
        warnings.simplefilter("always")
        fast = examine("dot_product", text, "a\x1b[31mname.py")
        tree = examine_tree("dot_product", text, "a\x1b[31mname.py", None)
    assert fast.problem == tree.problem == "" and fast.code is not None
    assert not shown and capsys.readouterr() == ("", "")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # as under `python -W error`
        assert examine("dot_product", text, "dot_product.py").code is not None
