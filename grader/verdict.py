"""A test's result, judged from the exception it raised, never from pytest's output.

A hidden test's feedback keeps its result and hint and nothing that could echo its inputs. Every
text field is capped here, on the trusted side, whatever the worker sent or the value showed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

from grader.checks import Mismatch
from grader.results import Status, TestResult
from grader.student import StudentError, StudentRaised, StudentTimeout

FIELD_CHARS = 4000  # characters any one field of a test's feedback may hold


@dataclass(frozen=True)
class Test:
    """What the results need of a hidden test, read once from its function and markers."""

    id: str
    name: str  # the first line of its docstring: what the student reads
    points: float
    hidden: bool
    exercise: str
    of: str = ""  # the function of its exercise it checks (its `of` marker)
    builds_on: tuple[str, ...] = ()  # the functions what it calls calls (`builds_on` marker)
    property_of: str = ""  # the function whose property it checks (`property_of` marker)


class TestTimedOut(Exception):
    """A whole test outlasted pytest-timeout's limit (the last guard: calls have their own)."""


class Feedback(TypedDict, total=False):
    """What a failed test tells the student (the text fields of a TestResult)."""

    message: str
    call: str
    expected: str
    actual: str
    hint: str
    output: str
    where: str


def capped(text: str, limit: int = FIELD_CHARS) -> str:
    if len(text) <= limit:
        return text
    return f"{text[:limit]}\n... and {len(text) - limit} more characters, left out"


def judge(test: Test, error: BaseException | None) -> TestResult:
    """One test's result: its points when it passed, and what the student needs to know."""

    def result(status: Status, fields: Feedback | None = None) -> TestResult:
        texts: dict[str, str] = {key: capped(str(value)) for key, value in
                                 (fields or {}).items()}
        return TestResult(id=test.id, name=test.name, status=status, max_score=test.points,
                          score=test.points if status == "passed" else 0, hidden=test.hidden,
                          **texts)  # type: ignore[arg-type]

    if error is None:
        return result("passed")
    status: Status
    fields: Feedback
    if isinstance(error, Mismatch):
        status = "failed"
        fields = {"call": error.call, "expected": error.expected, "actual": error.actual,
                  "hint": error.hint, "output": error.output,
                  "message": f"expected {capped(error.expected)}, got {capped(error.actual)}"}
    elif isinstance(error, StudentError):
        status = "timeout" if isinstance(error, StudentTimeout) else "error"
        where = error.raised.where() if isinstance(error, StudentRaised) else ""
        fields = {"call": error.call, "message": error.message + error.detail,
                  "output": error.output, "where": where, "hint": error.hint}
    elif isinstance(error, AssertionError):
        status, fields = "failed", {"message": str(error)}
    elif isinstance(error, TestTimedOut):
        status, fields = "timeout", {"message": "the test ran out of time"}
    else:
        status = "error"
        fields = {"message": f"the grader failed on this test, not your code (please report "
                             f"it): {type(error).__name__}: {error}"}
    return result(status, hide(fields, error) if test.hidden else fields)


def hide(fields: Feedback, error: BaseException) -> Feedback:
    """A hidden test's feedback: its result and hint, none of its inputs or their echoes."""
    if isinstance(error, StudentRaised):
        raised = error.raised
        message = error.message if raised.not_written else f"raised {raised.builtin_name}"
        # Not the functions' names: code can make a function whose name holds its inputs.
        lines = [f"{f.filename}, line {f.line}" for f in raised.frames]
        return {"message": message, "where": "\n".join(lines), "hint": error.hint}
    if isinstance(error, StudentError):
        return {"message": error.message}
    if isinstance(error, TestTimedOut):
        return {"message": fields.get("message", "")}
    if isinstance(error, AssertionError):
        return {"message": "your answer was not the expected one", "hint": fields.get("hint", "")}
    return {"message": "the grader failed on this test, not your code (please report it)"}
