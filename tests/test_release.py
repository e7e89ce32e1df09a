"""The student release: stubs, notebook, public tests, a README, and nothing secret."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager
from nbclient import NotebookClient

from grader import __version__, authoring, cli, release
from grader.catalog import NAMES, SUITES

from .conftest import SOLUTIONS, write_submission


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("release") / "neuron-kit"
    assert cli.main(["release", str(out), "--solutions", str(SOLUTIONS)]) == 0
    return out


def release_text(out) -> str:
    return "\n".join(p.read_text(errors="replace") for p in sorted(out.rglob("*"))
                     if p.is_file())


def test_the_students_readme_says_how_to_run_grade(built):
    readme = (built / "README.md").read_text()
    assert "`.venv\\Scripts\\grade`" in readme and "\\\\" not in readme
    assert "source .venv/bin/activate" in readme


def test_the_release_reports_to_github_classroom(built):
    workflow = (built / ".github" / "workflows" / "classroom.yml").read_text()
    assert workflow.startswith("name: Autograding Tests\n")  # what Classroom looks for
    assert "\n  run-autograding-tests:\n" in workflow
    assert "grade exercises --format classroom || true" in workflow
    assert "NEURON_RESULTS: \"${{ steps.neuron.outputs.result }}\"" in workflow
    assert "runners: neuron" in workflow


def test_the_release_holds_what_students_need(built):
    names = {str(p.relative_to(built)) for p in built.rglob("*") if p.is_file()}
    assert {f"exercises/{n}.py" for n in NAMES} <= names
    assert {"exercises/neuron.ipynb", "README.md", "pyproject.toml", "grader/cli.py",
            "grader/boundary/worker.py", "grader/suites/suites.toml"} <= names
    readme = (built / "README.md").read_text()
    assert "grade exercises" in readme and "hidden tests" in readme


def test_no_solution_no_building_block_no_hidden_test(built):
    assert not any(p.name in ("solutions", "known_good") for p in built.rglob("*"))
    text = release_text(built)
    for name in NAMES:
        solution = (SOLUTIONS / f"{name}.py").read_text()
        public = authoring.stub(solution)
        secret = [line for line in authoring.solution_body(solution)
                  if len(line) > 12 and line not in public]
        assert [line for line in secret if line in text] == [], name
        suite = (SUITES / f"test_{name}.py").read_text()
        hidden = [node for node in ast.parse(suite).body if isinstance(node, ast.FunctionDef)
                  and any(getattr(d, "id", "") == "hidden" for d in node.decorator_list)]
        assert hidden, f"{name} has no hidden test to keep out"
        for node in hidden:
            assert f"def {node.name}(" not in text
            body = ast.get_source_segment(suite, node.body[-1])
            assert body and body not in text


def test_public_suite_cuts_hidden_tests_and_their_helpers():
    suite = ('from grader.checks import hidden, points\n\n\ndef helper():\n    return 1\n\n\n'
             'def shared():\n    return 2\n\n\n@hidden\n@points(1)\ndef test_secret(student):\n'
             '    assert helper() == shared()\n\n\n@points(1)\ndef test_open(student):\n'
             '    assert shared() == 2\n')
    public = release.public_suite(suite)
    assert "test_secret" not in public and "def helper" not in public
    assert "def shared" in public and "def test_open" in public
    ast.parse(public)


def test_public_suites_carry_expected_values_not_the_code_behind_them(built):
    for suite in sorted((built / "grader" / "suites").glob("test_*.py")):
        text = suite.read_text()
        assert release.answers_in(text) == [], suite.name
        assert text.startswith('"""Public tests of exercise'), suite.name
        ast.parse(text)


def test_answer_code_in_a_public_suite_is_found():
    suite = ('import numpy as np\nfrom math import tau\n\n\ndef predict(w, b, x):\n'
             '    return 1\n\n\ndef test_gate(student):\n    step = tau\n')
    assert release.answers_in(suite) == ["line 1 imports numpy", "line 5 defines predict",
                                         "line 10 defines step"]
    assert release.answers_in("from numpy.linalg import norm\n") == ["line 1 imports numpy"]
    assert release.answers_in("def test_it(student):\n    student.step(0)\n") == []


def test_a_release_with_answer_code_in_a_public_test_is_refused(tmp_path, monkeypatch):
    cut = release.public_suite
    monkeypatch.setattr(release, "public_suite", lambda text: cut(text) + (
        "\n\ndef test_more(student):\n    dot = sum\n" if "exercise 1," in text else ""))
    out = tmp_path / "release"
    with pytest.raises(release.LeakError, match=r"test_dot_product\.py: line \d+ defines dot$"):
        release.build(out, SOLUTIONS, "0")
    assert not out.exists()


def test_public_suite_cuts_constants_and_classes_only_hidden_tests_use():
    suite = ('from grader.checks import hidden, points\n\nSECRET = [1, 2]\nSHARED = 3\n\n\n'
             'class Probe:\n    pass\n\n\n@hidden\n@points(1)\ndef test_secret(student):\n'
             '    assert Probe() and SECRET and SHARED\n\n\n@points(1)\n'
             'def test_open(student):\n    assert SHARED\n')
    public = release.public_suite(suite)
    assert "SECRET" not in public and "Probe" not in public and "SHARED = 3" in public
    ast.parse(public)
    assert release.answers_in("import importlib\nnp = importlib.import_module('numpy')\n"
                              "async def dot(w, x):\n    pass\n") == [
        "line 2 names numpy", "line 3 defines dot"]


def test_public_suite_keeps_only_the_imports_its_tests_use():
    suite = ('"""Hidden suite for exercise 9."""\n\nfrom __future__ import annotations\n\n'
             'import math\nimport random\n\nimport numpy as np\n\nfrom grader.checks import '
             '(\n    close,\n    hidden,\n    points,\n)\n\n\n@points(1)\ndef test_open(student):'
             '\n    close(student.f(), math.pi, hint="")\n\n\n@hidden\n@points(1)\n'
             'def test_secret(student):\n    close(student.f(random.random()), np.pi, hint="")\n')
    public = release.public_suite(suite)
    assert public.startswith('"""Public tests of exercise 9."""')
    assert "import math" in public and "from __future__ import annotations" in public
    assert "random" not in public and "numpy" not in public and "hidden" not in public
    assert "from grader.checks import close, points" in public
    assert "\n\n\n\n" not in public
    ast.parse(public)


def test_a_fresh_install_of_the_release_grades(built, tmp_path):
    target = tmp_path / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                    str(target), str(built)], check=True, capture_output=True, timeout=300)
    env = {**os.environ, "PYTHONPATH": str(target)}
    stubs = subprocess.run([sys.executable, "-m", "grader", str(built / "exercises")],
                           capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert stubs.returncode == 1
    assert "not started: dot is still the stub" in stubs.stdout
    solved = subprocess.run([sys.executable, "-m", "grader", str(SOLUTIONS), "--format",
                             "json"], capture_output=True, text=True, cwd=tmp_path, env=env,
                            timeout=120)
    assert solved.returncode == 0, solved.stderr
    assert f'"{target}' not in solved.stderr
    data = json.loads(solved.stdout)
    assert data["score"] == data["max_score"] < 100  # the public tests' points
    assert all(not test["hidden"] for e in data["exercises"] for test in e["tests"])
    refused = subprocess.run([sys.executable, "-m", "grader", "release", str(tmp_path / "x")],
                             capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60)
    assert refused.returncode == 2 and "student release" in refused.stderr
    assert "Traceback" not in refused.stderr
    # With no working predict to stand in, what calls a broken one says to fix it first.
    broken = write_submission(tmp_path / "broken", {"perceptron": [
        ("return step(dot(w, x) + b)", "return int(dot(w, x) + b >= 0)")]})
    graded = subprocess.run([sys.executable, "-m", "grader", str(broken / "perceptron.py")],
                            capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    words = " ".join(graded.stdout.split())
    assert "predict did not pass all its tests, and 5 tests of what calls it failed" in words
    assert "fix predict first" in words and "graded with a working" not in words


def test_a_release_goes_into_a_new_folder(built, capsys):
    assert cli.main(["release", str(built)]) == 2
    assert "exists already" in capsys.readouterr().err


def test_the_notebook_installs_the_grader_from_where_the_instructor_puts_the_wheel(tmp_path):
    out = tmp_path / "release"
    assert cli.main(["release", str(out), "--solutions", str(SOLUTIONS), "--wheel-url",
                     "https://example.edu/neuron/"]) == 0
    book = nbformat.read(out / "exercises" / "neuron.ipynb", as_version=4)
    setup = next(cell.source for cell in book.cells if "setup" in cell.metadata.get("tags", []))
    wheel_name = f"neuron_kit_student-{__version__}-py3-none-any.whl"
    python = TransformerManager().transform_cell(setup)
    assert (f"get_ipython().run_line_magic('pip', 'install -q https://example.edu/neuron/"
            f"{wheel_name}')") in python
    assert python.index("find_spec(\"grader\") is None") < python.index("run_line_magic")
    assert [path.name for path in (out / "dist").iterdir()] == [wheel_name]


@pytest.mark.parametrize(("url", "said"), [
    ("", "not a URL or path"), ("https://x/$HOME/", "not a URL or path"),
    ("a b", "not a URL or path"), ("https://x/{y}", "not a URL or path"),
    ("https://x/'y'", "not a URL or path"), ("https://x/d?dl=1", "not a URL or path"),
    ("https://x/kit.whl", "ends in another file name than the wheel's"),
    ("https://x/neuron_kit_student-0.0.1-py3-none-any.whl", "ends in another file name"),
])
def test_a_wheel_url_a_notebook_cannot_install_from_is_one_line(tmp_path, capsys, url, said):
    assert cli.main(["release", str(tmp_path / "r"), "--wheel-url", url]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and said in err
    assert not (tmp_path / "r").exists()


@pytest.mark.slow
def test_a_notebook_checks_with_the_grader_the_wheel_installs(built, tmp_path, monkeypatch):
    target = tmp_path / "installed"
    (wheel_path,) = (built / "dist").glob("*.whl")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                    str(target), str(wheel_path)], check=True, capture_output=True, timeout=300)
    assert not (target / "grader" / "known_good").exists()
    assert (target / "bin" / "grade").is_file()
    monkeypatch.setenv("PYTHONPATH", str(target))  # the kernel's, and its grading process's
    book = nbformat.read(built / "exercises" / "neuron.ipynb", as_version=4)
    for cell in book.cells:
        if cell.metadata.get("tags") == ["exercise:dot_product"]:
            cell.source = (SOLUTIONS / "dot_product.py").read_text()
    book.cells.append(nbformat.v4.new_code_cell("import grader\nprint(grader.__file__)"))
    NotebookClient(book, timeout=300, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert book.cells[-1].outputs[0]["text"].startswith(str(target))
    shown = {cell.source: cell.outputs[0]["data"]["text/plain"] for cell in book.cells
             if cell.metadata.get("tags") == ["check"]}
    dot, activations = shown['check("dot_product")'], shown['check("activations")']
    assert "(hidden)" not in dot and "FAIL" not in dot and "Total: 8/8" in dot
    assert "not started: sigmoid, tanh, relu" in " ".join(activations.split())
