"""Rendering is a pure function of a report: text for people, the contract's JSON for tools."""

from __future__ import annotations

import json
import random
import textwrap

from grader import render
from grader.render import Style, as_json, as_text
from grader.results import ExerciseResult, Report, TestResult

REPORT = Report("alice", (
    ExerciseResult("dot_product", 10, (
        TestResult("test_a", "dot adds products", "passed", 4, 4),
        TestResult("test_b", "dot refuses mismatched lengths", "failed", 0, 6,
                   call="dot([1], [1, 2])", expected="ValueError raised", actual="returned 1",
                   hint="pair each entry", message="expected ValueError raised, got returned 1"),
    )),
    ExerciseResult("activations", 20, (
        TestResult("test_c", "sigmoid", "error", 0, 10, message="not written yet", where="w"),
        TestResult("test_d", "tanh", "error", 0, 10, message="not written yet", where="w"),
        TestResult("test_e", "relu", "passed", 0, 0),
    )),
))


def test_text_shows_call_expected_got_and_hint():
    text = as_text(REPORT)
    assert "called:   dot([1], [1, 2])" in text
    assert "expected: ValueError raised" in text
    assert "got:      returned 1" in text
    assert "hint:     pair each entry" in text
    assert text.rstrip().endswith("Total: 4/30")


def test_one_cause_is_explained_once():
    text = as_text(REPORT)
    assert text.count("not written yet") == 1
    assert "the same as above" in text


def test_an_exercise_not_started_is_one_line_of_what_to_do():
    stub = ExerciseResult("neuron", 10, (
        TestResult("t1", "neuron", "error", 0, 5, message="not written yet: ...",
                   where="exercises/neuron.py, line 3, in neuron: raise NotImplementedError"),
        TestResult("t2", "boundary", "error", 0, 5, message="not written yet: ...",
                   where="exercises/neuron.py, line 9, in decision_boundary: raise"),
    ), notes=("dot_product did not pass all its tests, ...",))
    text = as_text(Report("bob", (stub,)))
    assert "not started: neuron, decision_boundary are still the stub" in text
    assert "exercises/neuron.py" in text and "ERROR" not in text and "note" not in text


def test_a_line_is_wrapped_as_textwrap_wraps_it():
    rng = random.Random(7)
    alphabet = [" ", " ", "-", "x", "yz", "\t", "\u00e9", "\u00a0", "\u3000", "\x85", "(", "0.5"]
    for _ in range(5000):
        line = "".join(rng.choice(alphabet) for _ in range(rng.randrange(30)))
        width = rng.randrange(1, 40)
        assert render.rows_of(line, width) == textwrap.wrap(line, width, break_on_hyphens=False)


def test_colour_codes_only_when_asked():
    assert "\033[" not in as_text(REPORT)
    assert "\033[32mPASS" in as_text(REPORT, Style(colour=True))


def test_json_has_the_contract_keys():
    data = json.loads(as_json(REPORT))
    assert data["score"] == 4 and data["max_score"] == 30
    assert data["exercises"][0]["tests"][1]["status"] == "failed"
    assert data["exercises"][0]["tests"][1]["hint"] == "pair each entry"


# Gradescope's documented results.json format (gradescope-autograders.readthedocs.io, "Autograder
# Specifications"): what the autograder harness accepts.
VISIBILITY = {"enum": ["hidden", "after_due_date", "after_published", "visible"]}
GRADESCOPE = {
    "type": "object",
    "properties": {
        "score": {"type": "number"},
        "execution_time": {"type": "number"},
        "output": {"type": "string"},
        "visibility": VISIBILITY,
        "stdout_visibility": VISIBILITY,
        "extra_data": {"type": "object"},
        "tests": {"type": "array", "items": {
            "type": "object",
            "properties": {
                "score": {"type": "number"},
                "max_score": {"type": "number"},
                "status": {"enum": ["passed", "failed"]},
                "name": {"type": "string"},
                "number": {"type": "string"},
                "output": {"type": "string"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "visibility": VISIBILITY,
                "extra_data": {"type": "object"},
            },
            "additionalProperties": False,
        }},
    },
    "additionalProperties": False,
    "anyOf": [{"required": ["score"]},
              {"properties": {"tests": {"items": {"required": ["score"]}}}}],
}


def test_gradescope_results_follow_the_documented_format():
    import jsonschema

    from grader import grading, submission
    from grader.render import as_gradescope

    from .conftest import EXERCISES

    hidden = TestResult("test_e", "secret", "failed", 0, 2, hidden=True, message="wrong",
                        hint="think")
    report = Report("bob", (*REPORT.exercises, ExerciseResult("neuron", 2, (hidden,))))
    for data in (json.loads(as_gradescope(report)),
                 json.loads(as_gradescope(grading.grade(submission.read(EXERCISES))))):
        jsonschema.validate(data, GRADESCOPE)
        assert data["score"] == sum(test["score"] for test in data["tests"])
    data = json.loads(as_gradescope(report))
    assert [t["visibility"] for t in data["tests"]] == ["visible"] * 5 + ["hidden"]
    assert "dot([1], [1, 2])" in data["tests"][1]["output"]
    assert data["tests"][0]["output"] == ""


def test_classroom_results_are_what_its_reporter_adds_up():
    """classroom-resources/autograding-grading-reporter decodes a step's output from base64,
    sums every test's score and adds up max_score; a runner whose status is fail fails."""
    import base64

    from grader.render import as_classroom

    hidden = TestResult("test_e", "secret", "failed", 0, 2, hidden=True, call="dot([7], [8])",
                        message="wrong")
    report = Report("bob", (*REPORT.exercises, ExerciseResult("neuron", 2, (hidden,))))
    data = json.loads(base64.b64decode(as_classroom(report)))
    assert (data["version"], data["status"], data["max_score"]) == (1, "fail", report.max_score)
    assert sum(test["score"] for test in data["tests"]) == report.score
    assert {test["status"] for test in data["tests"]} <= {"pass", "fail"}
    assert set(data["tests"][0]) == {"name", "status", "score", "message", "test_code",
                                     "filename", "line_no", "duration"}
    assert data["tests"][-1]["test_code"] == ""  # a hidden test's call is never shown
