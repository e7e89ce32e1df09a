"""What the hidden suites assert, written so that a failure is data a student can act on.

Every check takes the `Outcome` of a call and raises `Mismatch` (the test failed: here is what
was called, what was expected, what came back, and a hint) or `StudentRaised` (the code raised
where a value was due; the test errored). A value is compared only after its type is checked:
a number must be an exact int or float, a vector a list or tuple.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterator
from typing import Any, NoReturn

import pytest

from grader import pictures
from grader.boundary.wire import Opaque, is_number, show
from grader.pictures import Picture
from grader.student import Outcome, Student, StudentRaised

ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth")
REL_TOL = 1e-6
ABS_TOL = 1e-9

points = pytest.mark.points
hidden = pytest.mark.hidden
of = pytest.mark.of  # of("predict"): the test checks that function of its exercise
builds_on = pytest.mark.builds_on  # builds_on("predict"): what it calls calls that function
# property_of("update"): a property of the function (arguments left alone, an error raised),
# which counts only where the function answers one of its value tests (marked of("update")).
property_of = pytest.mark.property_of


class Mismatch(AssertionError):
    """The student's answer was wrong; the fields are what the feedback shows."""

    def __init__(self, outcome: Outcome | None, expected: str, actual: str, hint: str) -> None:
        super().__init__(f"expected {expected}, got {actual}")
        self.call = str(outcome.call) if outcome else ""
        self.output = outcome.output if outcome else ""
        self.expected = expected
        self.actual = actual
        self.hint = hint


def fail(outcome: Outcome | None, *, expected: str, actual: str | None = None,
         hint: str) -> NoReturn:
    """Fail with a description of what was expected, beyond what the other checks say."""
    if actual is None:
        actual = show(answer(outcome, hint)) if outcome else ""
    raise Mismatch(outcome, expected, actual, hint)


def type_problem(actual: Any, expected: Any) -> str | None:
    """Why `actual` cannot be compared with `expected` (a short reason), or None."""
    if is_number(expected):
        if type(actual) is bool:
            return "a bool, where a number is due"
        if isinstance(actual, Opaque):
            return "a number must be a plain int or float"
        return None if is_number(actual) else "not a number"
    if isinstance(expected, list | tuple):
        if not isinstance(actual, list | tuple):
            return "not a list or tuple"
        if len(actual) != len(expected):
            return f"{len(actual)} items, where {len(expected)} are due"
        for i, (item, want) in enumerate(zip(actual, expected, strict=True)):
            problem = type_problem(item, want)
            if problem:
                return f"item {i}: {problem}"
        return None
    raise TypeError(f"a suite expected {type(expected).__name__}, which checks cannot compare")


def described(actual: Any, problem: str | None) -> str:
    return f"{show(actual)} ({problem})" if problem else show(actual)


def is_close(actual: Any, expected: Any, rel: float, abs_: float) -> bool:
    if isinstance(expected, list | tuple):
        return all(is_close(a, e, rel, abs_) for a, e in zip(actual, expected, strict=True))
    if math.isnan(expected):
        return bool(math.isnan(actual))
    return math.isclose(actual, expected, rel_tol=rel, abs_tol=abs_)


def answer(outcome: Outcome, hint: str) -> Any:
    """What the call returned; if it raised instead, the test errors, with the hint that says
    what the call should do (a naive sigmoid's OverflowError needs the same help as a wrong
    value)."""
    if outcome.raised is not None:
        raise StudentRaised(outcome.raised, outcome.call, outcome.output, hint)
    return outcome.returned


def close(outcome: Outcome, expected: Any, *, hint: str, rel: float = REL_TOL,
          abs_: float = ABS_TOL) -> None:
    """The call returned `expected` (a number, or a vector of them) within a tolerance."""
    actual = answer(outcome, hint)
    problem = type_problem(actual, expected)
    if problem or not is_close(actual, expected, rel, abs_):
        raise Mismatch(outcome, show(expected), described(actual, problem), hint)


def equal(outcome: Outcome, expected: Any, *, hint: str) -> None:
    """The call returned exactly `expected` (ints, or vectors of them; a list or a tuple)."""
    actual = answer(outcome, hint)
    problem = type_problem(actual, expected) or not_an_int(actual, expected)
    if problem or not same(actual, expected):
        raise Mismatch(outcome, show(expected), described(actual, problem), hint)


def returns_like(outcome: Outcome, like: Any, *, hint: str) -> None:
    """The call returned a value of `like`'s kind (a number, or a vector of as many numbers),
    whatever the value: a test of a property (arguments left unchanged, an error raised on bad
    input) leaves the value to the tests of the value, so that a wrong value costs its points
    once, while an answer of no kind at all (a stub's, a None) still fails."""
    actual = answer(outcome, hint)
    problem = type_problem(actual, like)
    if problem:
        raise Mismatch(outcome, kind(like), described(actual, problem), hint)


def kind(like: Any) -> str:
    if not isinstance(like, list | tuple):
        return "a number"
    items = "numbers" if all(map(is_number, like)) else "items"
    return f"a list or tuple of {len(like)} {items}"


def not_an_int(actual: Any, expected: Any) -> str | None:
    """Where an int is due (the contract says so for predict and xor) and a float came back,
    saying so: `1.0` next to an expected `1` looks right otherwise."""
    if isinstance(expected, list | tuple):
        for i, (item, want) in enumerate(zip(actual, expected, strict=True)):
            if problem := not_an_int(item, want):
                return f"item {i}: {problem}"
        return None
    return "a float, where an int is due" if type(expected) is int and type(
        actual) is float else None


def same(actual: Any, expected: Any) -> bool:
    if isinstance(expected, list | tuple):
        return all(same(a, e) for a, e in zip(actual, expected, strict=True))
    return type(actual) is type(expected) and bool(actual == expected)


def returns(outcome: Outcome) -> None:
    """The call returned rather than raised (what it returned is checked elsewhere)."""
    if outcome.raised is not None:
        raise StudentRaised(outcome.raised, outcome.call, outcome.output)


def raises(outcome: Outcome, exception: str, *, hint: str) -> None:
    """The call raised `exception` (or a subclass of it)."""
    raised = outcome.raised
    if raised is not None and raised.is_a(exception):
        return
    if raised is not None and raised.not_written:
        raise StudentRaised(raised, outcome.call, outcome.output)
    actual = f"raised {raised.headline()}" if raised else f"returned {show(outcome.returned)}"
    raise Mismatch(outcome, f"{exception} raised", actual, hint)


def curve(title: str, student: Student, function: str, expected: Callable[[float], float],
          low: float, high: float, before: tuple[Any, ...] = (), after: tuple[Any, ...] = (),
          count: int = 41) -> Picture:
    """The student's function(*before, x, *after) against the expected one over [low, high],
    as a picture. Its calls are unmetered, and it stops at the first that cannot answer."""
    xs = [low + (high - low) * i / (count - 1) for i in range(count)]
    with student.session.unmetered():
        yours = [outcome.returned if outcome.raised is None else None for outcome in
                 getattr(student, function).each((*before, x, *after) for x in xs)]
    return pictures.curves(title, xs, {"expected": [expected(x) for x in xs], "yours": yours})


@contextlib.contextmanager
def picture_on_failure(draw: Callable[[], Picture]) -> Iterator[None]:
    """When a check inside fails, attach `draw()` to the feedback (it may call student code
    again; if that fails too, there is simply no picture)."""
    try:
        yield
    except Mismatch:
        with contextlib.suppress(Exception):  # a help, never a reason to grade otherwise
            pictures.attach(draw())
        raise


def unchanged(outcome: Outcome, *, hint: str) -> None:
    """The call left its arguments as they were. Check its answer first (with close or
    equal): a call that answers nothing useful leaves its arguments alone too."""
    returns(outcome)
    if outcome.mutated:
        call = outcome.call
        given = [*call.args, *(call.kwargs or {}).values()]
        changed = ", ".join(f"{ORDINALS[place]} argument (it was {show(given[place])})"
                            if place < len(ORDINALS) and place < len(given)
                            else f"argument {place + 1}" for place in outcome.mutated)
        raise Mismatch(outcome, "the arguments left unchanged", f"it changed its {changed}",
                       hint)
