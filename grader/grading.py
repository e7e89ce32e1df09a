"""Grading one submission: the hidden suites, run by pytest in this process, against a worker.

Data in, data out: a `Submission` goes in, a `Report` comes out, and nothing is printed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence

import pytest

from grader import imports
from grader.boundary import jail
from grader.boundary.launch import StartMethod, default_start_method, make_launcher
from grader.boundary.parent import Pool, Worker, missing_protections
from grader.boundary.protocol import Hello
from grader.catalog import (
    ALLOWED_IMPORTS,
    BY_NAME,
    NAMES,
    SUITES,
    known_good_names,
    with_building_blocks,
)
from grader.plugin import GradingPlugin, Run
from grader.results import ExerciseResult, Report, TestResult
from grader.student import Session
from grader.submission import Submission


class GraderBroken(Exception):
    """The grader itself failed (an install without its suites, a broken suite): a bug of
    ours, never a verdict on the submission."""


CALL_TIMEOUT = 2.0  # seconds a single call of student code may take
SUITE_TIMEOUT = 120  # seconds a whole hidden test may take (pytest-timeout), as a last resort
OUTPUT_CAP = 2000  # characters of printed output kept per call
OUTPUT_PER_SUBMISSION = 20_000  # characters of printed output the feedback quotes in all
LIMITS = {  # what one worker may use; the kernel enforces them (POSIX)
    "memory_bytes": 1 << 30,
    "cpu_seconds": 60,
    "file_bytes": 16 << 20,
    "open_files": 64,
}

# pytest's own plugins that grading has no use for; each costs start-up time, and
# unraisableexception runs a full garbage collection at the end of every session.
UNUSED_PLUGINS = (
    "cacheprovider", "terminal", "stepwise", "unraisableexception", "threadexception",
    "junitxml", "doctest", "pastebin", "legacypath", "tmpdir", "monkeypatch", "recwarn",
    "setuponly", "setupplan", "logging", "debugging", "warnings", "faulthandler", "python_path",
    "unittest", "capture",  # the one imports unittest, the other readline: the suites need neither
)

# pytest must see nothing of the grading machine's or the submission's configuration: not an
# ini file or conftest.py from the current folder, not PYTEST_ADDOPTS, not a plugin that
# happens to be installed.
PYTEST_ARGS = [
    "-c", str(SUITES / "suites.toml"),
    "--rootdir", str(SUITES),
    "--noconftest",
    "--import-mode=importlib",
    "--assert=plain",  # the suites assert through grader.checks, which needs no rewriting
    *(arg for plugin in UNUSED_PLUGINS for arg in ("-p", f"no:{plugin}")),
    "-p", "pytest_timeout",
    f"--timeout={SUITE_TIMEOUT}",
]
ISOLATING_ENVIRONMENT: dict[str, str | None] = {
    "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTEST_ADDOPTS": None, "PYTEST_PLUGINS": None}


class Batch:
    """Submissions graded in one pytest session, one after the other (the plugin's `Runs`)."""

    def __init__(self, submissions: Iterable[Submission], exercises: Sequence[str], pool: Pool,
                 call_timeout: float, on_report: Callable[[Report], None]) -> None:
        self.submissions = submissions
        self.exercises = exercises
        self.pool = pool
        self.call_timeout = call_timeout
        self.on_report = on_report
        self.untested: list[str] = []

    def selected(self, submission: Submission) -> list[str]:
        return list(self.exercises or submission.only or BY_NAME)

    def __iter__(self) -> Iterator[Run]:
        for submission in self.submissions:
            yield self.begin(submission)

    def begin(self, submission: Submission) -> Run:
        examined = {name: [imports.examine(name, text, filename)
                           for filename, text in source.chunks]
                    for name, source in submission.sources.items() if not source.problem}
        # A problem names its file, or its cell in a notebook: "work.ipynb, code cell 4 has..."
        problems = {name: next((f"{filename} {p}" for (filename, _), (p, _) in zip(
            submission.sources[name].chunks, found, strict=True) if p), "")
            for name, found in examined.items()}
        kit = {name: frozenset().union(*(k for _, k in found)) for name, found in examined.items()}
        runnable = {
            name: list(source.chunks)
            for name, source in submission.sources.items()
            if not source.problem and not problems[name]
        }
        hello = Hello(sources=runnable, names=list(BY_NAME),
                      allowed_imports=sorted(ALLOWED_IMPORTS), output_cap=OUTPUT_CAP,
                      limits=LIMITS, uid=None, known_good={})
        worker = Worker(self.pool, hello)
        graded = frozenset(with_building_blocks(self.selected(submission)))
        return Run(submission, Session(worker, self.call_timeout), problems, graded, kit)

    def end(self, run: Run, complete: bool) -> None:
        run.session.worker.close()
        if not complete:  # cut short: nothing is reported, so nothing half-graded is kept
            return
        selected = self.selected(run.submission)
        exercises = quoted(tuple(
            exercise_result(name, run) for name in with_building_blocks(selected)
            if name in selected
        ))
        # A suite that did not run must never look like a submission that passed.
        self.untested += [e.name for e in exercises if not e.tests]
        notes = (*platform_notes(), *run.submission.notes())
        self.on_report(Report(run.submission.name, exercises, notes=notes))


def grade_many(
    submissions: Iterable[Submission],
    on_report: Callable[[Report], None],
    exercises: Sequence[str] = (),
    start_method: StartMethod | None = None,
    call_timeout: float = CALL_TIMEOUT,
) -> None:
    """Grade submissions one after the other in one pytest session, handing each Report to
    `on_report` as soon as it is complete. The submissions are taken one at a time (a
    generator reading them as it goes keeps memory flat however many there are); `exercises`
    limits the grading to those, otherwise each submission's own selection applies."""
    pool = Pool(make_launcher(start_method or default_start_method(), jail.find()))
    batch = Batch(submissions, exercises, pool, call_timeout, on_report)
    plugin = GradingPlugin(batch, known_good_names())
    suites = with_building_blocks(exercises or NAMES)
    try:
        with isolated_environment():
            code = pytest.main([*PYTEST_ARGS, *(str(BY_NAME[name].suite) for name in suites)],
                               plugins=[plugin])
    finally:
        pool.close()
    if code == pytest.ExitCode.INTERRUPTED:
        raise KeyboardInterrupt
    if (code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED)
            or plugin.collection_errors or batch.untested):
        raise GraderBroken(
            f"the hidden suites did not run (pytest exit {int(code)}"
            + (f"; {plugin.collection_errors} could not be collected"
               if plugin.collection_errors else "")
            + (f"; no tests for {', '.join(sorted(set(batch.untested)))}"
               if batch.untested else "") + ")"
        )


def grade(
    submission: Submission,
    exercises: Sequence[str] = (),
    start_method: StartMethod | None = None,
    call_timeout: float = CALL_TIMEOUT,
) -> Report:
    """Grade `exercises` (all of them when empty, or the submission's `only`) of a submission."""
    reports: list[Report] = []
    grade_many([submission], reports.append, exercises or submission.only, start_method,
               call_timeout)
    return reports[0]


def platform_notes() -> tuple[str, ...]:
    missing = missing_protections()
    if not missing:
        return ()
    return (f"On this computer ({sys.platform}) grading runs without: {'; '.join(missing)}. "
            "Scores are the same; these protect the grading machine and the other "
            "submissions from hostile code.",)


def exercise_result(name: str, run: Run) -> ExerciseResult:
    """The exercise's result, out of the points of the tests that ran: the contract's points
    with the full suites, the public tests' points in a student release."""
    state = run.state(name)
    max_score = sum(test.max_score for test in state.tests) or BY_NAME[name].points
    return ExerciseResult(name, max_score, tuple(state.tests), state.problem,
                          tuple(state.notes))


def quoted(exercises: tuple[ExerciseResult, ...]) -> tuple[ExerciseResult, ...]:
    """The results, quoting at most OUTPUT_PER_SUBMISSION characters of what the submission
    printed in all, in the order the report shows them."""
    left = OUTPUT_PER_SUBMISSION
    note = (f"[... dropped: the feedback quotes at most {OUTPUT_PER_SUBMISSION} characters "
            "of what a submission prints]")

    def quote(test: TestResult) -> TestResult:
        nonlocal left
        kept = test.output[:left]
        left -= len(kept)
        if len(kept) == len(test.output):
            return test
        return dataclasses.replace(test, output=f"{kept}\n{note}")

    return tuple(dataclasses.replace(exercise, tests=tuple(map(quote, exercise.tests)))
                 for exercise in exercises)


def set_environment(values: dict[str, str | None]) -> None:
    """Set each variable, or remove it where the value is None."""
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@contextlib.contextmanager
def isolated_environment() -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in ISOLATING_ENVIRONMENT}
    set_environment(ISOLATING_ENVIRONMENT)
    try:
        yield
    finally:
        set_environment(saved)
