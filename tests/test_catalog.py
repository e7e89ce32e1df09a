"""The contract's exercises: files line up, points add up, known-good blocks really work."""

from __future__ import annotations

import ast
import importlib.util

from grader import grading, submission
from grader.catalog import BY_NAME, EXERCISES, KNOWN_GOOD, MAX_SCORE, NAMES, SUITES

from .conftest import EXERCISES as STUBS
from .conftest import SOLUTIONS, write_submission


def suite_points(name: str) -> int:
    tree = ast.parse((SUITES / f"test_{name}.py").read_text())
    total = 0
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            marks = [d for d in node.decorator_list if isinstance(d, ast.Call)
                     and getattr(d.func, "id", "") == "points"]
            assert len(marks) == 1, f"{node.name} needs exactly one @points"
            total += marks[0].args[0].value  # type: ignore[attr-defined]
    return total


def test_points_follow_the_contract():
    assert {e.name: e.points for e in EXERCISES} == {
        "dot_product": 10, "activations": 20, "neuron": 10, "perceptron": 30,
        "xor_network": 20, "universal": 10}
    assert MAX_SCORE == 100


def test_each_suite_adds_up_to_its_exercise():
    for exercise in EXERCISES:
        assert suite_points(exercise.name) == exercise.points, exercise.name


def test_exercises_solutions_and_suites_line_up_file_for_file():
    expected = {f"{name}.py" for name in NAMES}
    assert {p.name for p in STUBS.glob("*.py")} == expected
    assert {p.name for p in SOLUTIONS.glob("*.py")} == expected
    assert {p.name for p in SUITES.glob("test_*.py")} == {f"test_{n}" for n in expected}


def test_every_test_has_a_docstring_for_the_student():
    for exercise in EXERCISES:
        tree = ast.parse(exercise.suite.read_text())
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                doc = ast.get_docstring(node)
                assert doc, f"{exercise.name}: {node.name}"
                # its first line is the test's name: a docstring on two lines loses the rest
                assert "\n" not in doc.strip(), f"{exercise.name}: {node.name}"


def test_stubs_define_every_function_of_the_solutions():
    for name in NAMES:
        def functions(path):
            tree = ast.parse(path.read_text())
            return {(n.name, tuple(a.arg for a in n.args.args)) for n in tree.body
                    if isinstance(n, ast.FunctionDef)}
        assert functions(STUBS / f"{name}.py") == functions(SOLUTIONS / f"{name}.py"), name


def test_suites_never_import_the_solutions():
    for path in SUITES.glob("*.py"):
        assert "solutions" not in path.read_text(), path.name


def test_known_good_blocks_pass_their_own_suites(tmp_path):
    """The building blocks, and the exercises a later file may import, scored by their own
    suites: each stands in for a student's only where it is right."""
    blocks = {path.stem: path.read_text() for path in KNOWN_GOOD.glob("*.py")}
    assert set(blocks) == {"dot_product", "activations", "neuron", "perceptron", "xor_network"}
    folder = write_submission(tmp_path / "blocks", replace=blocks)
    report = grading.grade(submission.read(folder), exercises=list(blocks))
    assert report.score == sum(BY_NAME[name].points for name in blocks)


def test_known_good_functions_pass_their_own_tests(tmp_path):
    """Each working function (predict, layer, bump), in place of the reference's, scores full
    marks: it stands in for a student's only where it is right."""
    functions = {path.stem: path.read_text() for path in (KNOWN_GOOD / "functions").glob("*.py")}
    assert set(functions) == {"perceptron", "xor_network", "universal"}
    replaced = {name: (SOLUTIONS / f"{name}.py").read_text() + "\n\n" + text
                for name, text in functions.items()}
    folder = write_submission(tmp_path / "functions", replace=replaced)
    report = grading.grade(submission.read(folder), exercises=list(functions))
    assert report.score == sum(BY_NAME[name].points for name in functions)


def test_the_public_expected_trainings_are_what_the_rule_gives():
    """The perceptron suite's literal TRAINED values agree with its own rule (its oracle)."""
    spec = importlib.util.spec_from_file_location("suite", SUITES / "test_perceptron.py")
    suite = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(suite)
    for gate, trained in suite.TRAINED.items():
        assert suite.train(suite.TRUTH[gate]) == trained
