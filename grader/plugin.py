"""The pytest plugin object that runs the hidden suites against one submission.

It hands each suite a `student` fixture for its exercise and records every test as a
`TestResult` while pytest runs, from the report's exception, never from pytest's output.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

from grader.catalog import BY_NAME
from grader.checks import Mismatch
from grader.results import Status, TestResult
from grader.student import Session, Student, StudentError, StudentRaised, StudentTimeout
from grader.submission import Submission

# What the feedback of one submission may quote of its printed output, in all (each call's
# output is already capped in the worker).
OUTPUT_PER_SUBMISSION = 20_000

MARKERS = (
    "points(n): what the test is worth; the points of a suite add up to its exercise's",
    "hidden: the student sees the test's name, result and hint, never its inputs",
)


@dataclass
class ExerciseState:
    student: Student | None = None
    problem: str = ""
    notes: list[str] = field(default_factory=list)
    tests: list[TestResult] = field(default_factory=list)


def exercise_of(item: pytest.Item) -> str:
    return Path(str(item.path)).stem.removeprefix("test_")


class GradingPlugin:
    def __init__(self, session: Session, submission: Submission, problems: dict[str, str],
                 known_good: set[str]) -> None:
        self.session = session
        self.submission = submission
        self.problems = problems
        self.known_good = known_good
        self.exercises: dict[str, ExerciseState] = {}
        self.output_left = OUTPUT_PER_SUBMISSION

    def pytest_configure(self, config: pytest.Config) -> None:
        for marker in MARKERS:
            config.addinivalue_line("markers", marker)

    @pytest.fixture
    def student(self, request: pytest.FixtureRequest) -> Student:
        name = exercise_of(request.node)
        state = self.state(name)
        if state.student is None and not state.problem:
            self.open(name, state)
        if state.problem:
            raise StudentError(state.problem)
        assert state.student is not None
        return state.student

    def state(self, name: str) -> ExerciseState:
        return self.exercises.setdefault(name, ExerciseState())

    def open(self, name: str, state: ExerciseState) -> None:
        """Import the exercise's module in the worker, against working building blocks
        wherever the student's own did not pass."""
        source = self.submission.sources.get(name)
        if source is None:
            state.problem = f"{name}.py is missing from the submission"
            return
        if source.problem or self.problems.get(name):
            state.problem = f"{source.filename} {source.problem or self.problems[name]}"
            return
        substitutes = []
        for block in BY_NAME[name].builds_on:
            built = self.exercises.get(block)
            if block in self.known_good and (built is None or not full_marks(built)):
                substitutes.append(block)
                state.notes.append(
                    f"{block} did not pass all its tests, so this exercise was graded with a "
                    f"working {block}: a mistake there costs points only once."
                )
        self.session.worker.stop()  # a fresh worker: nothing one exercise did reaches another
        try:
            raised = self.session.load(name, substitutes)
        except StudentError as error:
            state.problem = f"importing {source.filename} {error.message}"
            return
        if raised is not None:
            where = f"\n{raised.where()}" if raised.frames else ""
            state.problem = f"importing {source.filename} raised {raised.headline()}{where}"
            return
        state.student = Student(self.session, name, substitutes)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report = yield
        if call.when == "call" or (call.when == "setup" and call.excinfo is not None):
            error = call.excinfo.value if call.excinfo is not None else None
            self.state(exercise_of(item)).tests.append(self.quoted(judge(item, error)))
        return report

    def quoted(self, result: TestResult) -> TestResult:
        """The result, quoting what is left of the submission's output allowance."""
        kept = result.output[: self.output_left]
        self.output_left -= len(kept)
        if len(kept) == len(result.output):
            return result
        note = f"[... dropped: the feedback quotes at most {OUTPUT_PER_SUBMISSION} characters"
        return replace(result, output=f"{kept}\n{note} of what a submission prints]")


def full_marks(state: ExerciseState) -> bool:
    return not state.problem and bool(state.tests) and all(
        test.status == "passed" for test in state.tests
    )


def judge(item: pytest.Item, error: BaseException | None) -> TestResult:
    """One test's result: its points when it passed, and what the student needs to know."""
    marker = item.get_closest_marker("points")
    points = marker.args[0] if marker else 0
    hidden = item.get_closest_marker("hidden") is not None
    function: Any = getattr(item, "function", None)
    doc = (getattr(function, "__doc__", None) or item.name).strip().splitlines()[0]
    def result(status: Status, fields: dict[str, str] | None = None) -> TestResult:
        return TestResult(id=item.name, name=doc, status=status, max_score=points,
                          score=points if status == "passed" else 0, hidden=hidden,
                          **(fields or {}))

    if error is None:
        return result("passed")
    status: Status
    fields: dict[str, str]
    if isinstance(error, Mismatch):
        status = "failed"
        fields = {"call": error.call, "expected": error.expected, "actual": error.actual,
                  "hint": error.hint, "output": error.output,
                  "message": f"expected {error.expected}, got {error.actual}"}
    elif isinstance(error, StudentError):
        status = "timeout" if isinstance(error, StudentTimeout) else "error"
        where = error.raised.where() if isinstance(error, StudentRaised) else ""
        fields = {"call": error.call, "message": error.message, "output": error.output,
                  "where": where}
    elif isinstance(error, AssertionError):
        status, fields = "failed", {"message": str(error)}
    elif "Timeout" in str(error) and type(error).__name__ == "Failed":
        status, fields = "timeout", {"message": "the test ran out of time"}
    else:
        status = "error"
        fields = {"message": f"the grader failed on this test, not your code (please report "
                             f"it): {type(error).__name__}: {error}"}
    return result(status, hide(fields, error) if hidden else fields)


def hide(fields: dict[str, str], error: BaseException) -> dict[str, str]:
    """A hidden test's feedback: its result and hint, none of its inputs or their echoes."""
    if isinstance(error, StudentRaised):
        raised = error.raised
        message = error.message if raised.not_written else f"raised {raised.type_name}"
        lines = [f"{f.filename}, line {f.line}, in {f.function}" for f in raised.frames]
        return {"message": message, "where": "\n".join(lines)}
    if isinstance(error, StudentError):
        return {"message": error.message}
    if isinstance(error, AssertionError):
        return {"message": "your answer was not the expected one", "hint": fields.get("hint", "")}
    return {"message": "the grader failed on this test, not your code (please report it)"}
