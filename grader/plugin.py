"""The pytest plugin object that runs the hidden suites against submissions.

It calls each test with a `student` (its exercise's module in the worker) and records every
test as a `TestResult` from the exception the test raised, never from pytest's output.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
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
    after_failure: bool = False  # opened in a worker where an exercise had lost points


@dataclass
class Run:
    """One submission being graded: its worker session and what each exercise has so far."""

    submission: Submission
    session: Session
    problems: dict[str, str]
    graded: frozenset[str]  # the exercises whose tests run (those selected, and what they build on)
    loaded: list[str] = field(default_factory=list)  # the exercises imported in the worker now
    exercises: dict[str, ExerciseState] = field(default_factory=dict)
    output_left: int = field(default_factory=lambda: OUTPUT_PER_SUBMISSION)

    def state(self, name: str) -> ExerciseState:
        return self.exercises.setdefault(name, ExerciseState())


class Runs(Protocol):
    """What the plugin needs from its caller: the submissions' runs one after the other, each
    handed back once all its tests have run (or abandoned, when the session is cut short)."""

    def __iter__(self) -> Iterator[Run]: ...

    def end(self, run: Run, complete: bool) -> None: ...


@dataclass(frozen=True)
class Test:
    """What the results need of a hidden test, read once from its function and markers."""

    id: str
    name: str  # the first line of its docstring: what the student reads
    points: float
    hidden: bool
    exercise: str

    @classmethod
    def of(cls, item: pytest.Item) -> Test:
        marker = item.get_closest_marker("points")
        function: Any = getattr(item, "function", None)
        doc = (getattr(function, "__doc__", None) or item.name).strip().splitlines()[0]
        return cls(id=getattr(item, "originalname", item.name), name=doc,
                   points=marker.args[0] if marker else 0,
                   hidden=item.get_closest_marker("hidden") is not None,
                   exercise=Path(str(item.path)).stem.removeprefix("test_"))


class TestTimedOut(Exception):
    """A whole test outlasted pytest-timeout's limit (the last guard: calls have their own)."""


def own_alarm() -> bool:
    """Whether the plugin times whole tests itself. pytest-timeout's own alarm reports through
    pytest's terminal, which grading turns off; its timer hooks exist to be overridden, so the
    alarm here raises an exception the results know. A signal needs the main thread."""
    return (hasattr(signal, "setitimer")
            and threading.current_thread() is threading.main_thread())


class GradingPlugin:
    """Runs every hidden test once per submission, one submission after the other.

    The suites are collected once; each test is then run for each submission through pytest's
    `pytest_runtest_protocol` hook (so that pytest-timeout guards every run of it), by this
    plugin's own implementation of that hook: a test takes one argument, `student`, and its
    result is judged from the exception it raised, with none of the setup, report and
    traceback machinery that pytest spends on a test whose output nobody reads.
    """

    def __init__(self, runs: Runs, known_good: frozenset[str]) -> None:
        self.runs = runs
        self.known_good = known_good
        self.run: Run | None = None
        self.tests: dict[str, Test] = {}
        self.collection_errors = 0
        self.limit: float | None = None  # pytest-timeout's limit, once the alarm is ours
        self.replaced: Any = signal.SIG_DFL  # the alarm's handler before ours

    def pytest_configure(self, config: pytest.Config) -> None:
        for marker in MARKERS:
            config.addinivalue_line("markers", marker)

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session: pytest.Session) -> bool:
        self.collection_errors = session.testsfailed
        if self.collection_errors:  # a suite that cannot be imported grades nobody
            return True
        self.tests = {item.nodeid: Test.of(item) for item in session.items}
        suites: dict[str, list[pytest.Item]] = {}
        for item in session.items:
            suites.setdefault(self.tests[item.nodeid].exercise, []).append(item)
        for run in self.runs:
            self.run, complete = run, False
            try:
                for exercise, items in suites.items():
                    if exercise in run.graded:
                        self.grade_exercise(session, run, exercise, items)
                complete = True
            finally:
                self.run = None
                self.runs.end(run, complete)
        return True

    def grade_exercise(self, session: pytest.Session, run: Run, exercise: str,
                       items: list[pytest.Item]) -> None:
        """Run an exercise's tests; if they ran in a worker where an exercise before had lost
        points and this one failed a test too, run them again in a fresh worker, and keep that.

        Whatever a failed exercise did to its worker (patching `math`, say) may have cost the
        next one its points, and a mistake must cost points only once; a fresh worker for
        every exercise after a failed one would settle that too, but costs a worker where
        nearly always nothing was harmed. Running out of time is no reason to grade again: a
        timeout ends the worker anyway, and no accident of another exercise makes code loop.
        The timeouts counted stay counted, so what was given up on is not run again.
        """
        output_left = run.output_left
        run_tests(session, items)
        state = run.state(exercise)
        if state.after_failure and (state.problem or any(
                test.status in ("failed", "error") for test in state.tests)):
            run.exercises[exercise] = ExerciseState()
            run.output_left = output_left
            run.session.worker.stop()
            run.loaded.clear()
            run_tests(session, items)

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> bool:
        run, test = self.run, self.tests[item.nodeid]
        assert run is not None and isinstance(item, pytest.Function)
        pictures.take()  # none may be left from a test before
        error: BaseException | None = None
        try:
            item.obj(self.student(run, test.exercise))
        except (KeyboardInterrupt, pytest.exit.Exception):
            raise
        except BaseException as raised:  # TestTimedOut, a Mismatch, a StudentError ...
            error = raised
        result = judge(test, error)
        drawn = pictures.take()
        if drawn and not result.hidden:  # a hidden test's pictures would show its inputs
            result = replace(result, pictures=drawn)
        run.state(test.exercise).tests.append(quoted(run, result))
        return True

    @pytest.hookimpl(tryfirst=True)
    def pytest_timeout_set_timer(self, settings: Any) -> bool | None:
        if not own_alarm():
            return None
        if self.limit is None:  # installed once: the handler stays, only the timer changes
            self.replaced = signal.signal(signal.SIGALRM, self.expire)
        self.limit = settings.timeout
        signal.setitimer(signal.ITIMER_REAL, settings.timeout)
        return True

    def expire(self, signum: int, frame: Any) -> None:
        raise TestTimedOut(f"over {self.limit:g} s")

    @pytest.hookimpl(tryfirst=True)
    def pytest_timeout_cancel_timer(self) -> bool | None:
        if not own_alarm():
            return None
        signal.setitimer(signal.ITIMER_REAL, 0)
        return True

    def pytest_sessionfinish(self) -> None:
        if self.limit is not None:
            signal.signal(signal.SIGALRM, self.replaced)
            self.limit = None

    def student(self, run: Run, name: str) -> Student:
        """The exercise's module in the worker, imported by its first test."""
        state = run.state(name)
        if state.student is None and not state.problem:
            self.open(run, name, state)
        if state.problem:
            raise StudentError(state.problem)
        assert state.student is not None
        return state.student

    def open(self, run: Run, name: str, state: ExerciseState) -> None:
        """Import the exercise's module, against working building blocks wherever the
        student's own did not pass. The exercises of a submission share its worker."""
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
        state.after_failure = any(not full_marks(run.exercises[other]) for other in run.loaded)
        run.loaded.append(name)
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


def run_tests(session: pytest.Session, items: list[pytest.Item]) -> None:
    """Each test through pytest's protocol hook (so that pytest-timeout guards it)."""
    for item in items:
        if session.shouldfail:
            raise session.Failed(session.shouldfail)
        item.ihook.pytest_runtest_protocol(item=item, nextitem=None)


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


def judge(test: Test, error: BaseException | None) -> TestResult:
    """One test's result: its points when it passed, and what the student needs to know."""

    def result(status: Status, fields: Feedback | None = None) -> TestResult:
        return TestResult(id=test.id, name=test.name, status=status, max_score=test.points,
                          score=test.points if status == "passed" else 0, hidden=test.hidden,
                          **(fields or {}))

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
        return {"message": message, "where": "\n".join(lines)}
    if isinstance(error, StudentError | TestTimedOut):
        return {"message": fields.get("message", "")}
    if isinstance(error, AssertionError):
        return {"message": "your answer was not the expected one", "hint": fields.get("hint", "")}
    return {"message": "the grader failed on this test, not your code (please report it)"}
