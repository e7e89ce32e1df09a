"""Whole gradings: the reference scores full marks, the stubs nothing, and every typical
mistake costs points in its own exercise only."""

from __future__ import annotations

import json
import signal

import pytest

from grader import grading, render, submission
from grader.boundary.launch import available_start_methods
from grader.catalog import EXERCISES as EXERCISES_

from .conftest import EXERCISES, FULL, OS_GLOBALS, SOLUTIONS, scores

# (what the student got wrong, its exercise, {file: [(reference text, mistaken text)]})
MISTAKES = [
    ("zip truncation in dot", "dot_product", {"dot_product": [
        ('    if len(w) != len(x):\n        raise ValueError(f"vectors of different lengths: '
         '{len(w)} and {len(x)}")\n', "")]}),
    ("dot adds instead of multiplying", "dot_product", {"dot_product": [
        ("wi * xi for", "wi + xi for")]}),
    ("dot works in place in w", "dot_product", {"dot_product": [
        ("    return sum(wi * xi for wi, xi in zip(w, x))",
         "    for i in range(len(w)):\n        w[i] = w[i] * x[i]\n    return sum(w)")]}),
    ("dot of empty vectors is None", "dot_product", {"dot_product": [
        ("    return sum(", "    if not w:\n        return None\n    return sum(")]}),
    ("the overflowing sigmoid", "activations", {"activations": [
        ("    if z >= 0:\n        return 1.0 / (1.0 + math.exp(-z))\n    ez = math.exp(z)\n"
         "    return ez / (1.0 + ez)", "    return 1 / (1 + math.exp(-z))")]}),
    ("the overflowing tanh", "activations", {"activations": [
        ("    e = math.exp(-2.0 * abs(z))\n    return math.copysign((1.0 - e) / (1.0 + e), z)",
         "    return (math.exp(z) - math.exp(-z)) / (math.exp(z) + math.exp(-z))")]}),
    ("step(0) == 1", "activations", {"activations": [
        ("return 1 if z > 0 else 0\n    # END SOLUTION\n\n\ndef sigmoid_prime",
         "return 1 if z >= 0 else 0\n    # END SOLUTION\n\n\ndef sigmoid_prime")]}),
    ("step returns a bool", "activations", {"activations": [
        ("return 1 if z > 0 else 0\n    # END SOLUTION\n\n\ndef sigmoid_prime",
         "return z > 0\n    # END SOLUTION\n\n\ndef sigmoid_prime")]}),
    ("relu is abs", "activations", {"activations": [("return max(0, z)", "return abs(z)")]}),
    ("sigmoid_prime forgets the 1 -", "activations", {"activations": [
        ("return s * (1 - s)", "return s * s")]}),
    ("tanh_prime forgets the square", "activations", {"activations": [
        ("return 1 - tanh(z) ** 2", "return 1 - tanh(z)")]}),
    ("relu_prime(0) == 1", "activations", {"activations": [
        ("return 1 if z > 0 else 0\n    # END SOLUTION\n\n\ndef chain",
         "return 1 if z >= 0 else 0\n    # END SOLUTION\n\n\ndef chain")]}),
    ("chain_gradient adds the slopes", "activations", {"activations": [
        ("    gradient = 1\n    for z in zs:\n        gradient *= prime(z)",
         "    gradient = 0\n    for z in zs:\n        gradient += prime(z)")]}),
    ("neuron forgets the bias", "neuron", {"neuron": [
        ("activation(dot(w, x) + b)", "activation(dot(w, x))")]}),
    ("neuron ignores its activation", "neuron", {"neuron": [
        ("return activation(dot(w, x) + b)", "return sigmoid(dot(w, x) + b)")]}),
    ("boundary slope with the wrong sign", "neuron", {"neuron": [
        ("return (-w1 / w2, -b / w2)", "return (w1 / w2, -b / w2)")]}),
    ("boundary divides by a zero w2", "neuron", {"neuron": [
        ('    if w2 == 0:\n        raise ValueError("w2 is 0: the boundary is the vertical '
         'line x1 = -b / w1")\n', "")]}),
    ("predict fires on the boundary", "perceptron", {"perceptron": [
        ("return step(dot(w, x) + b)", "return 1 if dot(w, x) + b >= 0 else 0")]}),
    ("the flipped update sign", "perceptron", {"perceptron": [
        ("err = y - predict(w, b, x)", "err = predict(w, b, x) - y")]}),
    ("the frozen bias", "perceptron", {"perceptron": [
        ("for wi, xi in zip(w, x)], b + lr * err", "for wi, xi in zip(w, x)], b")]}),
    ("update mutates the weights", "perceptron", {"perceptron": [
        ("    return [wi + lr * err * xi for wi, xi in zip(w, x)], b + lr * err",
         "    for i in range(len(w)):\n        w[i] += lr * err * x[i]\n"
         "    return w, b + lr * err")]}),
    ("update forgets the learning rate", "perceptron", {"perceptron": [
        ("[wi + lr * err * xi for", "[wi + err * xi for")]}),
    ("mistakes counted after the update", "perceptron", {"perceptron": [
        ("            mistakes[-1] += predict(w, b, x) != y\n"
         "            w, b = update(w, b, x, y, lr)",
         "            w, b = update(w, b, x, y, lr)\n"
         "            mistakes[-1] += predict(w, b, x) != y")]}),
    ("train never stops early", "perceptron", {"perceptron": [
        ("        if mistakes[-1] == 0:\n            break\n", "")]}),
    ("XOR gate weights that compute OR", "perceptron", {"perceptron": [
        ('    if gate == "XOR":\n        raise ValueError("XOR is not linearly separable: '
         'no single neuron computes it")\n',
         '    if gate == "XOR":\n        return HAND_WEIGHTS["OR"]\n')]}),
    ("AND weights that compute OR", "perceptron", {"perceptron": [
        ('"AND": ((1, 1), -1.5)', '"AND": ((1, 1), -0.5)')]}),
    ("XOR network weights that compute OR", "xor_network", {"xor_network": [
        ("    [[1, 1], [-1, -1]],\n    [-0.5, 1.5],\n    [1, 1],\n    -1.5,",
         "    [[1, 1], [1, 1]],\n    [-0.5, -0.5],\n    [1, 1],\n    -0.5,")]}),
    ("layer without its shape check", "xor_network", {"xor_network": [
        ('    if len(W) != len(b):\n        raise ValueError(f"{len(W)} rows of weights but '
         '{len(b)} biases")\n', "")]}),
    ("layer forgets the bias", "xor_network", {"xor_network": [
        ("activation(dot(wi, x) + bi)", "activation(dot(wi, x))")]}),
    ("xor returns a float", "xor_network", {"xor_network": [
        ("    return step(dot(w_out, hidden) + b_out)",
         "    return float(step(dot(w_out, hidden) + b_out))")]}),
    ("bump scales only x by k", "universal", {"universal": [
        ("sigmoid(k * (x - left)) - sigmoid(k * (x - right))",
         "sigmoid(k * x - left) - sigmoid(k * x - right)")]}),
    ("approximate heights at the left edge", "universal", {"universal": [
        ("f((left + right) / 2)", "f(left)")]}),
    ("evaluate ignores steepness", "universal", {"universal": [
        ("bump(x, left, right, height, steepness)", "bump(x, left, right, height)")]}),
]


def test_reference_solutions_score_full_marks():
    report = grading.grade(submission.read(SOLUTIONS))
    assert scores(report) == FULL
    assert report.score == report.max_score == 100
    assert report.passed


def test_untouched_stubs_score_nothing():
    report = grading.grade(submission.read(EXERCISES))
    assert report.score == 0
    assert report.max_score == 100
    for exercise in report.exercises:
        assert exercise.tests, exercise.name
        for test in exercise.tests:
            if test.id == "test_xor_weights_compute_xor":  # the stub's XOR_WEIGHTS is None
                assert test.status == "failed"
                assert test.actual == "None"
            else:
                assert test.status == "error"
                assert "not written yet" in test.message


# What each mistake costs, read from the suites (the points of the tests it fails) and
# reviewed by hand: one mistake, one loss, in its own exercise.
COSTS = {
    'zip truncation in dot': 2,
    'dot adds instead of multiplying': 8,
    'dot works in place in w': 2,
    'dot of empty vectors is None': 1,
    'the overflowing sigmoid': 2,
    'the overflowing tanh': 2,
    'step(0) == 1': 2,
    'step returns a bool': 2,
    'relu is abs': 2,
    'sigmoid_prime forgets the 1 -': 2,
    'tanh_prime forgets the square': 2,
    'relu_prime(0) == 1': 1,
    'chain_gradient adds the slopes': 3,
    'neuron forgets the bias': 5,
    'neuron ignores its activation': 2,
    'boundary slope with the wrong sign': 4,
    'boundary divides by a zero w2': 1,
    'predict fires on the boundary': 1,
    'the flipped update sign': 5,
    'the frozen bias': 5,
    'update mutates the weights': 2,
    'update forgets the learning rate': 2,
    'mistakes counted after the update': 14,
    'train never stops early': 11,
    'XOR gate weights that compute OR': 2,
    'AND weights that compute OR': 3,
    'XOR network weights that compute OR': 6,
    'layer without its shape check': 1,
    'layer forgets the bias': 6,
    'xor returns a float': 6,
    'bump scales only x by k': 3,
    'approximate heights at the left edge': 3,
    'evaluate ignores steepness': 2,
}


@pytest.mark.slow
@pytest.mark.parametrize(("mistake", "exercise", "edits"), MISTAKES,
                         ids=[m[0] for m in MISTAKES])
def test_a_mistake_costs_points_in_its_own_exercise_only(grade_with, mistake, exercise, edits):
    report = grade_with(edits)
    got = scores(report)
    assert FULL[exercise] - got[exercise] == COSTS[mistake]
    assert got[exercise] < FULL[exercise], f"{mistake} was not noticed"
    assert {name: score for name, score in got.items() if name != exercise} == {
        name: score for name, score in FULL.items() if name != exercise
    }


def test_dependents_are_graded_with_working_building_blocks(grade_with):
    report = grade_with({"dot_product": [("wi * xi for", "wi + xi for")]})
    by_name = {exercise.name: exercise for exercise in report.exercises}
    assert by_name["dot_product"].score < 10
    for name in ("neuron", "perceptron", "xor_network"):
        assert by_name[name].score == FULL[name]
        assert any("working dot_product" in note for note in by_name[name].notes)
    assert not by_name["universal"].notes  # universal does not build on dot_product


def test_own_building_blocks_are_used_when_they_pass(grade_with):
    report = grade_with()
    assert not any(exercise.notes for exercise in report.exercises)


@pytest.mark.skipif("fork" not in available_start_methods(), reason="fork is POSIX only")
def test_both_start_methods_grade_alike(grade_with):
    edits = {"perceptron": [("err = y - predict(w, b, x)", "err = predict(w, b, x) - y")],
             "dot_product": [("    return sum(", f"    {OS_GLOBALS}['_exit'](1)\n    return sum(")]}
    forked, spawned = (grade_with(edits, start_method=method) for method in ("fork", "spawn"))
    assert render.as_json(forked) == render.as_json(spawned)
    assert scores(forked)["dot_product"] == 0 and scores(forked)["perceptron"] < 30


def test_selected_exercises_are_graded_alone(grade_with):
    report = grade_with(exercises=["perceptron"])
    assert [exercise.name for exercise in report.exercises] == ["perceptron"]
    assert report.max_score == 30


def test_same_submission_same_report(grade_with):
    edits = {"perceptron": [("err = y - predict(w, b, x)", "err = predict(w, b, x) - y")]}
    first, second = grade_with(edits), grade_with(edits)
    assert first.to_json() == second.to_json()


CONTRACT_FUNCTIONS = {e.name: [n for n in e.defines if not n.isupper()] for e in EXERCISES_}
FAKES = {
    "None": "return None",
    "zero": "return 0",
    "one": "return 1",
    "first argument": "return args[0] if args else 0",
    "always equal": "return type('Yes', (), {'__eq__': lambda s, o: True, "
                    "'__hash__': None, '__float__': lambda s: 0.0})()",
    "ValueError": "raise ValueError('no')",
}


@pytest.mark.slow
@pytest.mark.parametrize("fake", FAKES)
def test_answers_that_ignore_the_question_score_nothing(tmp_path, fake):
    for module, functions in CONTRACT_FUNCTIONS.items():
        text = "".join(f"def {name}(*args, **kwargs):\n    {FAKES[fake]}\n\n\n"
                       for name in functions)
        if module == "xor_network":
            text += "XOR_WEIGHTS = ([[1, 1], [1, 1]], [0, 0], [1, 1], 0)\n"
        (tmp_path / f"{module}.py").write_text(text)
    report = grading.grade(submission.read(tmp_path))
    earned = {test.id: test.score for exercise in report.exercises for test in exercise.tests
              if test.score}
    assert earned == {}


def test_suites_that_do_not_run_are_a_grader_failure_not_a_pass(monkeypatch):
    monkeypatch.setattr(grading, "PYTEST_ARGS", [*grading.PYTEST_ARGS, "-c", "/no/such.toml"])
    with pytest.raises(grading.GraderBroken, match="did not run"):
        grading.grade(submission.read(SOLUTIONS))


def test_an_install_without_its_suites_is_reported_not_passed(monkeypatch, tmp_path, capsys):
    from grader import catalog, cli

    monkeypatch.setattr(catalog, "SUITES", tmp_path)
    monkeypatch.setattr(catalog.Exercise, "suite", property(lambda e: tmp_path / "x.py"))
    code = cli.main([str(SOLUTIONS)])
    assert code == 2
    assert "the grader is broken" in capsys.readouterr().err


def test_platforms_without_some_protection_say_so_once(grade_with, monkeypatch):
    monkeypatch.setattr(grading, "missing_protections", lambda: ["the memory limit"])
    report = grade_with()
    assert len(report.notes) == 1
    assert "runs without: the memory limit" in report.notes[0]
    assert report.score == 100


def test_what_a_submission_prints_is_capped_in_all(grade_with, monkeypatch):
    monkeypatch.setattr(grading, "OUTPUT_PER_SUBMISSION", 5000)
    report = grade_with({"dot_product": [("    return sum(", "    print('x' * 1900)\n"
                                          "    return 1 + sum(")]})
    printed = sum(len(t.output) for e in report.exercises for t in e.tests)
    assert 5000 <= printed <= 5000 + 200 * len(report.exercises[0].tests)
    assert any("dropped: the feedback quotes" in t.output for t in report.exercises[0].tests)


def test_a_test_that_runs_too_long_is_stopped_by_the_suite_timeout(grade_with, monkeypatch):
    # The per-call limit is the first guard; pytest-timeout's limit on a whole test is the
    # last, and must still apply to tests run through the plugin's own protocol.
    monkeypatch.setattr(grading, "PYTEST_ARGS", [*grading.PYTEST_ARGS, "--timeout=1"])
    alarm = signal.signal(signal.SIGALRM, signal.SIG_IGN)  # so that the grader's must be undone
    report = grade_with({"dot_product": [("    return sum(", "    while True:\n        pass\n"
                                          "    return sum(")]}, call_timeout=30)
    dot = report.exercises[0]
    assert {test.status for test in dot.tests} == {"timeout"}
    assert {test.message for test in dot.tests} == {"the test ran out of time"}
    assert any(test.hidden for test in dot.tests)
    assert signal.signal(signal.SIGALRM, alarm) is signal.SIG_IGN  # the grader's went with it
    assert {name: score for name, score in scores(report).items() if name != "dot_product"} == {
        name: score for name, score in FULL.items() if name != "dot_product"}


def test_a_suite_that_cannot_be_imported_is_a_grader_failure(monkeypatch, tmp_path):
    from grader import catalog

    broken = tmp_path / "test_dot_product.py"
    broken.write_text("import no_such_module\n")
    monkeypatch.setattr(catalog.Exercise, "suite", property(lambda e: broken))
    with pytest.raises(grading.GraderBroken, match="could not be collected"):
        grading.grade(submission.read(SOLUTIONS))



def test_what_a_failed_exercise_did_to_its_worker_does_not_reach_the_next(grade_with):
    wrong = (SOLUTIONS / "dot_product.py").read_text().replace("wi * xi for", "wi + xi for")
    patched = wrong + "\n\nimport math\n\nmath.exp = lambda z: 0.0\n"
    report = grade_with(replace={"dot_product": patched})
    assert scores(report) == scores(grade_with(replace={"dot_product": wrong}))
    assert scores(report)["activations"] == FULL["activations"]


def test_an_endless_loop_after_a_failed_exercise_costs_its_timeouts_once(grade_with,
                                                                         monkeypatch):
    """A loop is no reason to grade an exercise again: it costs what it costs without the
    failed exercise before it."""
    from grader.boundary import parent as boundary

    timeouts = []
    receive = boundary.Worker.receive

    def counted(self, number, timeout):
        try:
            return receive(self, number, timeout)
        except boundary.WorkerTimeout:
            timeouts.append(number)
            raise

    monkeypatch.setattr(boundary.Worker, "receive", counted)
    loop = {"activations": [("def sigmoid(z):\n",
                             "def sigmoid(z):\n    while True:\n        pass\n")]}
    alone = grade_with(loop, call_timeout=0.3)
    timed_out_alone = len(timeouts)
    after_a_failure = grade_with({**loop, "dot_product": [("wi * xi for", "wi + xi for")]},
                                 call_timeout=0.3)
    assert timed_out_alone and len(timeouts) == 2 * timed_out_alone
    assert scores(after_a_failure)["activations"] == scores(alone)["activations"]


@pytest.mark.parametrize(("patch", "workers"), [
    # the blocks in one worker, the exercises built on them in a fresh one with working blocks
    ("", 2),
    # and activations, harmed by the patch, graded again alone; dot_product's hidden tests then
    # run in a worker of their own, since activations' hidden tests ran in the one before
    ("math.exp = lambda z: 0.0", 4),
])
def test_a_fresh_worker_only_for_an_exercise_a_failed_one_may_have_harmed(
        grade_with, monkeypatch, patch, workers):
    """After a failed exercise, the next ones keep its worker; one that loses points there is
    graded again in a fresh worker, and that grading counts."""
    starts = counted_starts(monkeypatch)
    wrong = (SOLUTIONS / "dot_product.py").read_text().replace("wi * xi for", "wi + xi for")
    report = grade_with(replace={"dot_product": f"{wrong}\n\nimport math\n\n{patch}\n"})
    assert {name: score for name, score in scores(report).items() if name != "dot_product"} == {
        name: score for name, score in FULL.items() if name != "dot_product"}
    assert len(starts) == workers


@pytest.mark.parametrize(("mistakes", "workers"), [
    ({}, 1),
    ({"neuron": [("activation(dot(w, x) + b)", "activation(dot(w, x))")]}, 1),
    # and one more, where train's tests are graded again with a working update
    ({"perceptron": [("err = y - predict(w, b, x)", "err = predict(w, b, x) - y")]}, 2),
])
def test_one_worker_grades_a_submission_whose_building_blocks_pass(
        grade_with, monkeypatch, mistakes, workers):
    starts = counted_starts(monkeypatch)
    report = grade_with(mistakes)
    assert scores(report)["dot_product"] == FULL["dot_product"]
    assert len(starts) == workers


def counted_starts(monkeypatch) -> list[int]:
    from grader.boundary import parent as boundary

    starts: list[int] = []
    start = boundary.Worker.start
    monkeypatch.setattr(boundary.Worker, "start", lambda self: starts.append(1) or start(self))
    return starts


def test_a_report_renders_whatever_numbers_a_test_reported(grade_with):
    """Weights too large for a float fail their test; the report still renders, with the
    picture that cannot be drawn left out and a note in its place."""
    report = grade_with({"perceptron": [("    return HAND_WEIGHTS[gate]",
                                         "    return [10 ** 1200, 1], 0")]})
    text = render.as_text(report)
    assert "left out" in text
    json.loads(render.as_json(report))
    assert scores(report)["perceptron"] < FULL["perceptron"]


def test_a_helper_of_a_building_block_still_serves_the_exercises_built_on_it(grade_with):
    """With a working activations standing in for the student's, a helper of their own that
    universal imports from it is still theirs."""
    report = grade_with({
        "activations": [("return max(0, z)", "return abs(z)"),
                        ("def tanh(z):",
                         "def squash(z):\n    return sigmoid(z)\n\n\ndef tanh(z):")],
        "universal": [("from activations import sigmoid", "from activations import squash"),
                      ("sigmoid(k * (x - left)) - sigmoid(k * (x - right))",
                       "squash(k * (x - left)) - squash(k * (x - right))")],
    })
    assert scores(report)["activations"] < FULL["activations"]
    assert scores(report)["universal"] == FULL["universal"]
    assert any("working activations" in note for note in report.exercises[5].notes)


def test_an_error_gets_the_hint_of_its_test(grade_with):
    """A naive sigmoid overflows: the error says so, and the hint says what to do about it."""
    report = grade_with({"activations": [(
        "    if z >= 0:\n        return 1.0 / (1.0 + math.exp(-z))\n    ez = math.exp(z)\n"
        "    return ez / (1.0 + ez)", "    return 1 / (1 + math.exp(-z))")]})
    errors = [t for t in report.exercises[1].tests if "OverflowError" in t.message]
    assert errors and all("sign of z" in test.hint for test in errors)


@pytest.mark.parametrize(("edits", "xor_points"), [
    # an xor that ignores XOR_WEIGHTS, and no weights: no forward pass, no points for it
    ({"xor_network": [("    W_hidden, b_hidden, w_out, b_out = XOR_WEIGHTS\n", ""),
                      ("    hidden = layer(W_hidden, b_hidden, [x1, x2], step)\n"
                       "    return step(dot(w_out, hidden) + b_out)", "    return x1 ^ x2"),
                      ("XOR_WEIGHTS = (\n    [[1, 1], [-1, -1]],\n    [-0.5, 1.5],\n"
                       "    [1, 1],\n    -1.5,\n)", "XOR_WEIGHTS = None")]}, 0),
    # wrong weights and a right forward pass: the weights' test fails, xor's does not
    ({"xor_network": [("    -1.5,\n)", "    -0.5,\n)")]}, 6),
])
def test_xor_is_the_forward_pass_through_the_students_weights(grade_with, edits, xor_points):
    report = grade_with(edits)
    (xor,) = [t for t in report.exercises[4].tests if t.id == "test_xor_truth_table"]
    assert xor.score == xor_points
    assert scores(report)["xor_network"] < FULL["xor_network"]


def test_a_function_given_up_on_names_the_call_that_ran_out_of_time(grade_with):
    report = grade_with({"dot_product": [("def dot(w, x):\n",
                                          "def dot(w, x):\n    while True:\n        pass\n")]},
                        call_timeout=0.3)
    skipped = [t for t in report.exercises[0].tests if t.message.startswith("not run")]
    assert [t for t in skipped if not t.hidden] and [t for t in skipped if t.hidden]
    first = report.exercises[0].tests[0].call  # a public test's: the first that timed out
    for test in skipped:  # a hidden test quotes no call, not even a public one
        assert test.message.endswith(f"first on {first}") != test.hidden


def test_a_misspelt_function_is_named_with_the_closest_one(grade_with):
    report = grade_with({"dot_product": [("def dot(w, x):", "def dott(w, x):")]})
    messages = {test.message for test in report.exercises[0].tests}
    assert messages == {"dot_product.py defines no dot; did you mean dott?"}
    assert scores(report)["neuron"] == FULL["neuron"]  # graded with a working dot


@pytest.mark.parametrize(("mistake", "exercise", "function", "own"), [
    ({"perceptron": [("    return step(dot(w, x) + b)", "    return step(dot(w, x) + b + 1)")]},
     "perceptron", "predict", 3),
    ({"xor_network": [("return [activation(dot(wi, x) + bi) for wi, bi in zip(W, b)]",
                       "return [activation(dot(wi, x) - bi) for wi, bi in zip(W, b)]")]},
     "xor_network", "layer", 6),
    ({"universal": [("return height * (sigmoid(k * (x - left)) - sigmoid(k * (x - right)))",
                     "return height * (sigmoid(k * (x - left)) + sigmoid(k * (x - right)))")]},
     "universal", "bump", 3),
])
def test_a_function_that_others_call_costs_only_its_own_tests(grade_with, mistake, exercise,
                                                              function, own):
    """predict -> update and train, layer -> xor, bump -> evaluate: a mistake in the first
    costs the points of its own tests, and the others are graded with a working one."""
    report = grade_with(mistake)
    assert scores(report) == {**FULL, exercise: FULL[exercise] - own}
    (result,) = [e for e in report.exercises if e.name == exercise]
    assert any(f"graded with a working {function}" in note for note in result.notes)


def test_a_function_that_passes_once_its_callee_works_is_not_stood_in_for(grade_with):
    """A broken predict fails update's tests too; graded again with a working predict, update
    passes, so train is graded with the student's own update (and a working predict)."""
    report = grade_with({"perceptron": [("    return step(dot(w, x) + b)",
                                         "    return 1 if dot(w, x) + b >= 0 else 0")]})
    notes = report.exercises[3].notes
    assert any("predict did not pass" in note for note in notes)
    assert not any("update" in note for note in notes)
    lost = FULL["perceptron"] - scores(report)["perceptron"]
    assert lost == COSTS["predict fires on the boundary"]


BROKEN_NEURON = ("activation(dot(w, x) + b)", "activation(dot(w, x))")


@pytest.mark.parametrize(("edits", "broken", "built", "lost"), [
    # perceptron's predict through the student's own neuron
    ({"neuron": [BROKEN_NEURON], "perceptron": [
        ("from dot_product import dot", "from dot_product import dot\nfrom neuron import neuron"),
        ("    return step(dot(w, x) + b)", "    return neuron(w, b, x, step)")]},
     "neuron", "perceptron", 5),
    # xor's output neuron through the student's own predict
    ({"perceptron": [("    return step(dot(w, x) + b)", "    return bool(step(dot(w, x) + b))")],
      "xor_network": [
          ("from dot_product import dot", "from dot_product import dot\nimport perceptron"),
          ("    return step(dot(w_out, hidden) + b_out)",
           "    return perceptron.predict(w_out, b_out, hidden)")]},
     "perceptron", "xor_network", 3),
    # bump as two neurons of the student's own
    ({"neuron": [BROKEN_NEURON], "universal": [
        ("from activations import sigmoid", "from activations import sigmoid\nfrom neuron import "
                                            "neuron"),
        ("    return height * (sigmoid(k * (x - left)) - sigmoid(k * (x - right)))",
         "    return height * (neuron([k], -k * left, [x]) - neuron([k], -k * right, [x]))")]},
     "neuron", "universal", 5),
])
def test_an_earlier_exercise_a_file_imports_is_stood_in_for(grade_with, edits, broken, built,
                                                            lost):
    """The contract lets a file import the earlier exercises: a mistake in one it imports costs
    that one's points only, and the note says the later one was graded with a working one."""
    report = grade_with(edits)
    assert scores(report) == {**FULL, broken: FULL[broken] - lost}
    (result,) = [e for e in report.exercises if e.name == built]
    assert any(f"graded with a working {broken}" in note for note in result.notes)
