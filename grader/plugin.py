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
- Inside an exercise, where a function others call (`@of`) fails its own tests, the failed
  tests that build on it (`@builds_on`) are graded again in a fresh worker with a working one.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, Protocol

import pytest

from grader import pictures
from grader.catalog import BLOCKS, BY_NAME, known_good_path
from grader.results import TestResult
from grader.student import Session, Student, StudentError
from grader.submission import Submission
from grader.verdict import Test, TestTimedOut, judge

MARKERS = (
    "points(n): what the test is worth; the points of a suite add up to its exercise's",
    "hidden: the student sees the test's name, result and hint, never its inputs",
    "of(function): the test checks that function of its exercise",
    "builds_on(*functions): what the test calls calls these; where they fail their own tests, "
    "the test is graded again with working ones",
    "property_of(function): the test checks a property of that function (its arguments left "
    "alone, an error raised), which counts only where the function passes a test of its value",
)
Part = Literal["public", "hidden"]


@dataclass
class ExerciseState:
    student: Student | None = None
    substitutes: list[str] | None = None  # decided when the exercise is first opened
    problem: str = ""
    notes: list[str] = field(default_factory=list)
    results: dict[int, TestResult] = field(default_factory=dict)  # by place in the suite
    alone: bool = False  # graded again, whole, in a worker of its own
    # Graded again in a worker of its own, with working versions of the earlier exercises its
    # file imports where they lost points (never in a worker that grades them: see after_imported).
    imports_stood_in: bool = False

    @property
    def tests(self) -> list[TestResult]:
        return [self.results[place] for place in sorted(self.results)]

    def lost_points(self) -> bool:
        return bool(self.problem) or any(t.status != "passed" for t in self.results.values())


@dataclass
class Run:
    """One submission being graded: its worker session and what each exercise has so far."""

    submission: Submission
    session: Session
    problems: dict[str, str]
    graded: frozenset[str]  # the exercises whose tests run (those selected, and what they build on)
    # What each file imports of the earlier exercises (the contract allows it): where one of
    # those lost points, a working version stands in for it, as for a building block.
    imports: dict[str, frozenset[str]] = field(default_factory=dict)
    in_worker: list[str] = field(default_factory=list)  # exercises tested in the worker now
    exercises: dict[str, ExerciseState] = field(default_factory=dict)

    def state(self, name: str) -> ExerciseState:
        return self.exercises.setdefault(name, ExerciseState())

    def fresh_worker(self) -> None:
        """The next test runs in a new worker that has seen nothing but the sources."""
        self.session.worker.renew()
        self.in_worker.clear()
        for state in self.exercises.values():
            state.student = None  # opened again, in the new worker, when next needed


class Runs(Protocol):
    """What the plugin needs from its caller: the submissions' runs one after the other, each
    handed back once all its tests have run (or abandoned, when the session is cut short)."""

    def __iter__(self) -> Iterator[Run]: ...

    def end(self, run: Run, complete: bool) -> None: ...


@dataclass(frozen=True)
class Item:
    """A collected test, and its place in its suite."""

    item: pytest.Item
    test: Test
    place: int


def read_test(item: pytest.Item) -> Test:
    def argument(name: str, default: Any) -> Any:
        marker = item.get_closest_marker(name)
        return marker.args[0] if marker else default

    function: Any = getattr(item, "function", None)
    doc = (getattr(function, "__doc__", None) or item.name).strip().splitlines()[0]
    builds_on = item.get_closest_marker("builds_on")
    return Test(id=getattr(item, "originalname", item.name), name=doc,
                points=argument("points", 0),
                hidden=item.get_closest_marker("hidden") is not None,
                exercise=Path(str(item.path)).stem.removeprefix("test_"),
                of=argument("of", ""), builds_on=tuple(builds_on.args) if builds_on else (),
                property_of=argument("property_of", ""))


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

    def after_imported(self, session: pytest.Session, run: Run) -> None:
        """An exercise that lost points while its file imports an earlier one (neuron, say)
        that lost points too is graded again, whole, in a fresh worker with a working version
        of that one: so late, since the earlier one's hidden tests must be over before a
        working version of it is in any worker."""
        for name in self.exercises:
            state = run.state(name)
            if name not in run.graded or state.problem or not state.lost_points():
                continue
            if any(d not in BLOCKS and d in self.known_good and run.state(d).lost_points()
                   for d in run.imports.get(name, ()) if d in run.exercises):
                run.exercises[name] = ExerciseState(imports_stood_in=True)
                run.fresh_worker()
                run.in_worker.append(name)
                run_tests(session, sorted(self.of_exercise(name),
                                          key=lambda i: (i.test.hidden, i.place)))
                run.fresh_worker()

    def of_exercise(self, name: str) -> list[Item]:
        return [*self.parts.get((name, "public"), []), *self.parts.get((name, "hidden"), [])]

    def with_working(self, session: pytest.Session, run: Run, name: str) -> None:
        """Where functions of the exercise (predict, update, layer, bump) failed their own
        tests, the failed tests that build on them are graded again, in a fresh worker, with
        working ones in the student's module, and that grading counts. A test is never given
        a working version of the function it checks, and the worker never runs that
        function's own tests."""
        items = self.of_exercise(name)
        # The tests of functions others call come first: update's, graded again with a
        # working predict, say whether update itself is broken before train's are graded.
        regraded: dict[tuple[str, ...], int] = {}
        for candidates in ([i for i in items if i.test.of], [i for i in items if not i.test.of]):
            for working, count in self.regrade(session, run, name, items, candidates).items():
                regraded[working] = regraded.get(working, 0) + count
        for working, count in regraded.items():
            names, many = " and ".join(working), len(working) > 1
            run.state(name).notes.append(
                f"{names} did not pass all {'their' if many else 'its'} tests, so "
                f"{tests(count)} of what calls {'them' if many else 'it'} "
                f"{'was' if count == 1 else 'were'} graded with a working {names}: a mistake "
                "there costs points only once.")
        run.state(name).notes.extend(self.fix_first(run, name, items))

    def properties_of_answers(self, run: Run, name: str) -> None:
        """A property test passed by a function that passes none of its value tests (a stub, a
        constant) does not count: a wrong answer earns nothing. Where the function answers
        some, the property counts whatever its values, so that a wrong value costs once."""
        items = self.of_exercise(name)
        results = run.state(name).results
        for item in items:
            function = item.test.property_of
            if not function or results[item.place].status != "passed":
                continue
            values = [i for i in items if i.test.of == function and not i.test.property_of]
            # Where no test of its value runs (a release has no hidden tests), it counts.
            if values and not any(results[i.place].status == "passed" for i in values):
                results[item.place] = replace(
                    results[item.place], status="failed", score=0,
                    message=f"not counted yet: this property counts once {function} passes "
                            "one of the tests of its values")

    def fix_first(self, run: Run, name: str, items: list[Item]) -> list[str]:
        """Where no working version can stand in (a student release has none), which failed
        functions the failed tests of their callers may be failing through."""
        results = run.state(name).results
        notes = []
        for function in sorted({i.test.of for i in items if i.test.of}):
            if (known_good_path(f"{name}.{function}").is_file()
                    or all(results[i.place].status == "passed" for i in items
                           if i.test.of == function)):
                continue
            callers = [i for i in items if function in i.test.builds_on
                       and i.test.of != function and results[i.place].status != "passed"]
            if callers:
                notes.append(f"{function} did not pass all its tests, and {tests(len(callers))} "
                             f"of what calls it failed too: fix {function} first, they may "
                             f"pass with it.")
        return notes

    def regrade(self, session: pytest.Session, run: Run, name: str, items: list[Item],
                candidates: list[Item]) -> dict[tuple[str, ...], int]:
        """The failed `candidates` graded again with working versions of the functions they
        build on that fail their own tests (among `items`); how many, by those functions."""
        state = run.state(name)
        failed = {i.test.of for i in items if i.test.of
                  and state.results[i.place].status != "passed"
                  and known_good_path(f"{name}.{i.test.of}").is_file()}  # none in a release
        groups: dict[tuple[str, ...], list[Item]] = {}
        for item in candidates:
            working = tuple(sorted((set(item.test.builds_on) & failed) - {item.test.of}))
            if working and state.results[item.place].status in ("failed", "error"):
                groups.setdefault(working, []).append(item)
        own = state.substitutes
        for working, dependents in groups.items():
            state.substitutes = [*(own or []), *(f"{name}.{function}" for function in working)]
            run.fresh_worker()
            run.in_worker.append(name)
            run_tests(session, sorted(dependents, key=lambda i: (i.test.hidden, i.place)))
            run.fresh_worker()  # hidden tests ran in it, with working functions
        state.substitutes = own
        return {working: len(dependents) for working, dependents in groups.items()}

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
            state.problem = f"{source.filename} {source.problem or run.problems[name]}"
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


def tests(count: int) -> str:
    return f"{count} test" if count == 1 else f"{count} tests"


def stood_in_for(run: Run, name: str) -> list[str]:
    """What the exercise builds on, by the contract and by its own imports, in contract order."""
    wanted = set(BY_NAME[name].builds_on) | run.imports.get(name, frozenset())
    return [other for other in BY_NAME if other in wanted]


def run_tests(session: pytest.Session, items: list[Item]) -> None:
    """Each test through pytest's protocol hook (so that pytest-timeout guards it)."""
    for collected in items:
        if session.shouldfail:
            raise session.Failed(session.shouldfail)
        collected.item.ihook.pytest_runtest_protocol(item=collected.item, nextitem=None)
