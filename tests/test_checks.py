"""Checks compare only after the type is right, and explain what was wrong."""

from __future__ import annotations

import pytest

from grader.boundary.wire import Opaque
from grader.checks import Mismatch, close, equal, raises, type_problem, unchanged
from grader.student import Call, Outcome, Raised, StudentRaised


def returned(value, mutated=()):
    return Outcome(Call("f", ([1],), {}), returned=value, mutated=mutated)


def raised(name, bases):
    return Outcome("f(1)", raised=Raised(name, bases, "msg", ()))


@pytest.mark.parametrize(("actual", "expected", "reason"), [
    (True, 1, "a bool"),
    (Opaque("F", "1.0"), 1.0, "plain int or float"),
    ("1", 1, "not a number"),
    (5, [5], "not a list or tuple"),
    ([1, 2], [1], "2 items, where 1 are due"),
    ([1, (2, None)], [1, (2, 3)], "item 1: item 1: not a number"),
])
def test_type_problems(actual, expected, reason):
    assert reason in type_problem(actual, expected)


def test_ints_are_fine_where_floats_are_expected():
    close(returned(2), 2.0000000001, hint="")
    close(returned((1, [2.0])), [1.0, (2, )], hint="")


def test_close_fails_with_the_fields_a_student_reads():
    with pytest.raises(Mismatch) as failure:
        close(returned(3.5), 3.0, hint="think")
    assert (failure.value.call, failure.value.expected, failure.value.actual,
            failure.value.hint) == ("f([1])", "3.0", "3.5", "think")


def test_equal_wants_exact_ints():
    equal(returned([1, 0]), [1, 0], hint="")
    with pytest.raises(Mismatch) as failure:
        equal(returned(1.0), 1, hint="")
    assert failure.value.actual == "1.0 (a float, where an int is due)"
    with pytest.raises(Mismatch) as failure:
        equal(returned([1, 0.0]), [1, 0], hint="")
    assert failure.value.actual == "[1, 0.0] (item 1: a float, where an int is due)"
    with pytest.raises(Mismatch):
        equal(returned(True), 1, hint="")


def test_raises_accepts_subclasses_and_refuses_values():
    raises(raised("MyError", ("ValueError", "Exception")), "ValueError", hint="")
    with pytest.raises(Mismatch, match="returned 5"):
        raises(returned(5), "ValueError", hint="")
    with pytest.raises(Mismatch, match="TypeError"):
        raises(raised("TypeError", ("TypeError",)), "ValueError", hint="")
    with pytest.raises(StudentRaised, match="not written yet"):
        raises(raised("NotImplementedError", ("NotImplementedError", "RuntimeError")),
               "ValueError", hint="")


def test_unchanged():
    unchanged(returned(1), hint="")
    with pytest.raises(Mismatch, match=r"changed its first argument \(it was \[1\]\)"):
        unchanged(returned(1, mutated=(0,)), hint="")
    with pytest.raises(StudentRaised):
        unchanged(raised("ValueError", ("ValueError",)), hint="")
