"""The pytest plugin object that runs the hidden suites against one submission.

It hands each suite a `student` fixture for its exercise and records every test as a
`TestResult` while pytest runs, from the report's exception, never from pytest's output.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol, TypedDict

import pytest

from grader import pictures
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


@dataclass
class Run:
    """One submission being graded: its worker session and what each exercise has so far."""

    submission: Submission
    session: Session
    problems: dict[str, str]
    expected_tests: int = 0
    exercises: dict[str, ExerciseState] = field(default_factory=dict)
    output_left: int = field(default_factory=lambda: OUTPUT_PER_SUBMISSION)

    def state(self, name: str) -> ExerciseState:
        return self.exercises.setdefault(name, ExerciseState())

    @property
    def complete(self) -> bool:
        return sum(len(e.tests) for e in self.exercises.values()) == self.expected_tests


class Runs(Protocol):
    """What the plugin needs from its caller: a run started per submission, and each run
    handed back once all its tests have run (or abandoned, when the session is cut short)."""

    count: int

    def begin(self, index: int) -> Run: ...

    def end(self, run: Run, complete: bool) -> None: ...


def exercise_of(item: pytest.Item) -> str:
    return Path(str(item.path)).stem.removeprefix("test_")


def submission_of(item: pytest.Item) -> int:
    callspec = getattr(item, "callspec", None)
    return int(callspec.params["student"]) if callspec else 0


class GradingPlugin:
    """Runs every hidden test once per submission, one submission after the other."""

    def __init__(self, runs: Runs, known_good: set[str]) -> None:
        self.runs = runs
        self.known_good = known_good
        self.run: Run | None = None
        self.index = -1
        self.expected: Counter[int] = Counter()

    def pytest_configure(self, config: pytest.Config) -> None:
        for marker in MARKERS:
            config.addinivalue_line("markers", marker)

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        if "student" in metafunc.fixturenames:
            metafunc.parametrize("student", range(self.runs.count), indirect=True, ids=str)

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        # Submission by submission (a stable sort keeps the suites' order within each), so
        # that each has one worker at a time and its exercises are graded in contract order.
        items.sort(key=submission_of)
        self.expected = Counter(submission_of(item) for item in items)

    def pytest_sessionfinish(self) -> None:
        self.switch(-1)

    def switch(self, index: int) -> Run | None:
        """Make `index` the current submission, handing back the one before it."""
        if index != self.index:
            if self.run is not None:
                self.runs.end(self.run, self.run.complete)
                self.run = None
            if index >= 0:
                self.run = self.runs.begin(index)
                self.run.expected_tests = self.expected[index]
            self.index = index
        return self.run

    @pytest.fixture
    def student(self, request: pytest.FixtureRequest) -> Student:
        run = self.switch(int(request.param))
        assert run is not None
        name = exercise_of(request.node)
        state = run.state(name)
        if state.student is None and not state.problem:
            self.open(run, name, state)
        if state.problem:
            raise StudentError(state.problem)
        assert state.student is not None
        return state.student

    def open(self, run: Run, name: str, state: ExerciseState) -> None:
        """Import the exercise's module in a fresh worker, against working building blocks
        wherever the student's own did not pass."""
        source = run.submission.sources.get(name)
        if source is None:
            state.problem = f"{name}.py is missing from the submission"
            return
        if source.problem or run.problems.get(name):
            state.problem = f"{source.filename} {source.problem or run.problems[name]}"
            return
        substitutes = []
        for block in BY_NAME[name].builds_on:
            built = run.exercises.get(block)
            if block in self.known_good and (built is None or not full_marks(built)):
                substitutes.append(block)
                state.notes.append(
                    f"{block} did not pass all its tests, so this exercise was graded with a "
                    f"working {block}: a mistake there costs points only once."
                )
        run.session.worker.stop()  # a fresh worker: nothing one exercise did reaches another
        try:
            raised = run.session.load(name, substitutes)
        except StudentError as error:
            state.problem = f"importing {source.filename} {error.message}"
            return
        if raised is not None:
            where = f"\n{raised.where()}" if raised.frames else ""
            state.problem = f"importing {source.filename} raised {raised.headline()}{where}"
            return
        state.student = Student(run.session, name, substitutes)

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> pytest.TestReport:
        """Record the test's result, and give pytest a report of our own: pytest's would format
        a traceback with source for every failure, which nobody reads and which costs more
        than the test."""
        run = self.switch(submission_of(item))
        drawn = pictures.take()  # those of this test (none are left from another)
        if run is not None and (call.when == "call" or (
                call.when == "setup" and call.excinfo is not None)):
            error = call.excinfo.value if call.excinfo is not None else None
            result = judge(item, error)
            if drawn and not result.hidden:  # a hidden test's pictures would show its inputs
                result = replace(result, pictures=drawn)
            run.state(exercise_of(item)).tests.append(quoted(run, result))
        when = call.when
        assert when != "collect"  # this hook only ever sees the run phases
        return pytest.TestReport(
            item.nodeid, item.location, {}, "passed" if call.excinfo is None else "failed",
            f"{call.excinfo.typename}: graded by neuron-kit" if call.excinfo else None,
            when, duration=call.duration, start=call.start, stop=call.stop)


def quoted(run: Run, result: TestResult) -> TestResult:
    """The result, quoting what is left of the submission's output allowance."""
    kept = result.output[: run.output_left]
    run.output_left -= len(kept)
    if len(kept) == len(result.output):
        return result
    note = f"[... dropped: the feedback quotes at most {OUTPUT_PER_SUBMISSION} characters"
    return replace(result, output=f"{kept}\n{note} of what a submission prints]")


def full_marks(state: ExerciseState) -> bool:
    return not state.problem and bool(state.tests) and all(
        test.status == "passed" for test in state.tests
    )


class Feedback(TypedDict, total=False):
    """What a failed test tells the student (the text fields of a TestResult)."""

    message: str
    call: str
    expected: str
    actual: str
    hint: str
    output: str
    where: str


def judge(item: pytest.Item, error: BaseException | None) -> TestResult:
    """One test's result: its points when it passed, and what the student needs to know."""
    marker = item.get_closest_marker("points")
    points = marker.args[0] if marker else 0
    hidden = item.get_closest_marker("hidden") is not None
    function: Any = getattr(item, "function", None)
    doc = (getattr(function, "__doc__", None) or item.name).strip().splitlines()[0]
    test_id = getattr(item, "originalname", item.name)

    def result(status: Status, fields: Feedback | None = None) -> TestResult:
        passed = TestResult(id=test_id, name=doc, status=status, max_score=points,
                            score=points if status == "passed" else 0, hidden=hidden)
        return replace(passed, **(fields or {}))

    if error is None:
        return result("passed")
    status: Status
    fields: Feedback
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


def hide(fields: Feedback, error: BaseException) -> Feedback:
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
