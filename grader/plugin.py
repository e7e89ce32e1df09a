"""The pytest plugin object that runs the hidden suites against submissions.

It calls each test with a `student` (its exercise's module in the worker), records every test
as a `TestResult` (grader/verdict.py), and decides which worker runs which tests:

- In a worker, every public test runs before any hidden one: whatever student code keeps from
  a hidden test's inputs can then reach nothing a student sees.
- A worker never holds the working version of an exercise it grades: the building blocks
  (`dot_product`, `activations`) are graded first; exercises built on them share that worker
  only while every block passes, and are graded in a fresh worker otherwise, where working
  blocks stand in for the student's.
- An exercise that loses points in a worker where another had lost points is graded again
  alone, in a fresh worker, and that grading counts: a mistake costs points once.
- Inside an exercise, and for earlier exercises a file imports, working versions stand in
  for broken ones as grader/stand_ins.py says.
"""

from __future__ import annotations

import signal
import threading
from dataclasses import replace
from typing import Any

import pytest

from grader import pictures
from grader.catalog import BLOCKS
from grader.runs import ExerciseState, Item, Part, Run, Runs, read_test, run_tests
from grader.stand_ins import StandIns, stood_in_for
from grader.student import Student, StudentError
from grader.verdict import TestTimedOut, judge

__all__ = ["GradingPlugin", "Run"]

MARKERS = (
    "points(n): what the test is worth; the points of a suite add up to its exercise's",
    "hidden: the student sees the test's name, result and hint, never its inputs",
    "of(function): the test checks that function of its exercise",
    "builds_on(*functions): what the test calls calls these; where they fail their own tests, "
    "the test is graded again with working ones",
    "property_of(function): the test checks a property of that function (its arguments left "
    "alone, an error raised), which counts only where the function passes a test of its value",
)


def own_alarm() -> bool:
    """Whether the plugin times whole tests itself. pytest-timeout's own alarm reports through
    pytest's terminal, which grading turns off; its timer hooks exist to be overridden, so the
    alarm here raises an exception the results know. A signal needs the main thread."""
    return (hasattr(signal, "setitimer")
            and threading.current_thread() is threading.main_thread())


class GradingPlugin(StandIns):
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
        self.items: dict[str, Item] = {}
        self.parts: dict[tuple[str, Part], list[Item]] = {}
        self.exercises: list[str] = []  # in suite order
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
        for place, item in enumerate(session.items):
            test = read_test(item)
            self.items[item.nodeid] = Item(item, test, place)
            part: Part = "hidden" if test.hidden else "public"
            self.parts.setdefault((test.exercise, part), []).append(self.items[item.nodeid])
            if test.exercise not in self.exercises:
                self.exercises.append(test.exercise)
        for run in self.runs:
            self.run, complete = run, False
            try:
                self.grade(session, run)
                complete = True
            finally:
                self.run = None
                self.runs.end(run, complete)
        return True

    def grade(self, session: pytest.Session, run: Run) -> None:
        """Every test of the run's exercises, in the order the module's docstring explains;
        then, inside each exercise, the tests of functions that call one that failed its own
        tests, again with working ones."""
        self.grade_exercises(session, run)
        self.after_imported(session, run)
        for name in self.exercises:
            if name in run.graded and not run.state(name).problem:
                self.with_working(session, run, name)
                self.properties_of_answers(run, name)

    def grade_exercises(self, session: pytest.Session, run: Run) -> None:
        graded = [name for name in self.exercises if name in run.graded]
        blocks = [name for name in graded if name in BLOCKS]
        built = [name for name in graded if name not in BLOCKS]
        self.part(session, run, blocks, "public")
        together = not any(run.state(name).lost_points() for name in blocks)
        if together:
            self.part(session, run, built, "public")
        self.part(session, run, blocks, "hidden")
        if together and not any(run.state(name).lost_points() for name in blocks):
            self.part(session, run, built, "hidden")
            return
        for name in built:  # graded again from the start, against working blocks
            run.exercises.pop(name, None)
        run.fresh_worker()
        self.part(session, run, built, "public")
        self.part(session, run, built, "hidden")

    def part(self, session: pytest.Session, run: Run, exercises: list[str], part: Part) -> None:
        """One part of each exercise's tests. An exercise that fails a test where another had
        lost points before it in the same worker is graded again alone.

        Whatever a failed exercise did to its worker (patching `math`, say) may have cost the
        next one its points; a fresh worker for every exercise after a failed one would settle
        that too, but costs a worker where nearly always nothing was harmed. Running out of
        time is no reason to grade again: a timeout ends the worker anyway, and no accident of
        another exercise makes code loop. The timeouts counted stay counted, so what was given
        up on is not run again.
        """
        for name in exercises:
            state = run.state(name)
            items = self.parts.get((name, part), [])
            if state.alone or not items:
                continue
            harmed = any(run.state(other).lost_points() for other in run.in_worker
                         if other != name)
            if name not in run.in_worker:
                run.in_worker.append(name)
            run_tests(session, items)
            if harmed and any(state.results[i.place].status in ("failed", "error")
                              for i in items):
                self.alone(session, run, name)

    def alone(self, session: pytest.Session, run: Run, name: str) -> None:
        run.exercises[name] = ExerciseState(alone=True)
        run.fresh_worker()
        run.in_worker.append(name)
        for part in ("public", "hidden"):
            run_tests(session, self.parts.get((name, part), []))
        run.fresh_worker()  # hidden tests ran in it: no public test may follow

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> bool:
        run, collected = self.run, self.items[item.nodeid]
        test = collected.test
        assert run is not None and isinstance(item, pytest.Function)
        pictures.take()  # none may be left from a test before
        run.session.hidden = test.hidden
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
        run.state(test.exercise).results[collected.place] = result
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
        student's own did not pass."""
        source = run.submission.sources.get(name)
        if source is None:
            state.problem = f"{name}.py is missing from the submission"
            return
        if source.problem or run.problems.get(name):
            state.problem = (f"{source.filename} {source.problem}" if source.problem
                             else run.problems[name])
            return
        if state.substitutes is None:
            state.substitutes = []
            for block in stood_in_for(run, name):
                built = run.exercises.get(block)
                if block not in BLOCKS and not state.imports_stood_in:
                    continue
                lost = built.lost_points() if built else block in BLOCKS
                if block in self.known_good and lost:
                    state.substitutes.append(block)
                    state.notes.append(
                        f"{block} did not pass all its tests, so this exercise was graded "
                        f"with a working {block}: a mistake there costs points only once.")
        try:
            raised = run.session.load(name, state.substitutes)
        except StudentError as error:
            state.problem = f"importing {source.filename} {error.message}"
            return
        if raised is not None:
            where = f"\n{raised.where()}" if raised.frames else ""
            state.problem = f"importing {source.filename} raised {raised.headline()}{where}"
            return
        state.student = Student(run.session, name, state.substitutes)


