"""Grading one submission: the hidden suites, run by pytest in this process, against a worker.

Data in, data out: a `Submission` goes in, a `Report` comes out, and nothing is printed.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator, Sequence

import pytest

from grader import imports
from grader.boundary import (
    StartMethod,
    Worker,
    default_start_method,
    make_launcher,
    missing_protections,
)
from grader.catalog import (
    ALLOWED_IMPORTS,
    BY_NAME,
    SUITES,
    known_good_sources,
    with_building_blocks,
)
from grader.plugin import GradingPlugin
from grader.results import ExerciseResult, Report, TestResult
from grader.student import Session
from grader.submission import Submission


class GraderBroken(Exception):
    """The grader itself failed (an install without its suites, a broken suite): a bug of
    ours, never a verdict on the submission."""


CALL_TIMEOUT = 2.0  # seconds a single call of student code may take
SUITE_TIMEOUT = 120  # seconds a whole hidden test may take (pytest-timeout), as a last resort
OUTPUT_CAP = 2000  # characters of printed output kept per call
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
)

# pytest must see nothing of the grading machine's or the submission's configuration: not an
# ini file or conftest.py from the current folder, not PYTEST_ADDOPTS, not a plugin that
# happens to be installed.
PYTEST_ARGS = [
    "-c", str(SUITES / "suites.toml"),
    "--rootdir", str(SUITES),
    "--noconftest",
    "--import-mode=importlib",
    "--capture=no",
    "--assert=plain",  # the suites assert through grader.checks, which needs no rewriting
    *(arg for plugin in UNUSED_PLUGINS for arg in ("-p", f"no:{plugin}")),
    "-p", "pytest_timeout",
    f"--timeout={SUITE_TIMEOUT}",
]
ISOLATING_ENVIRONMENT = {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTEST_ADDOPTS": None,
                         "PYTEST_PLUGINS": None}


def grade(
    submission: Submission,
    exercises: Sequence[str] = (),
    start_method: StartMethod | None = None,
    call_timeout: float = CALL_TIMEOUT,
) -> Report:
    """Grade `exercises` (all of them when empty, or the submission's `only`) of a submission."""
    selected = list(exercises or submission.only or BY_NAME)
    graded = with_building_blocks(selected)
    known_good = known_good_sources()
    problems = {
        name: imports.problem(name, source.text, source.filename)
        for name, source in submission.sources.items()
        if not source.problem
    }
    runnable = {
        name: {"filename": source.filename, "text": source.text}
        for name, source in submission.sources.items()
        if not source.problem and not problems[name]
    }
    hello = {"sources": runnable, "known_good": known_good, "names": list(BY_NAME),
             "allowed_imports": sorted(ALLOWED_IMPORTS), "output_cap": OUTPUT_CAP,
             "limits": LIMITS}
    launcher = make_launcher(start_method or default_start_method())
    worker = Worker(launcher, hello)
    plugin = GradingPlugin(Session(worker, call_timeout), submission, problems, set(known_good))
    try:
        with isolated_environment():
            code = pytest.main([*PYTEST_ARGS, *(str(BY_NAME[name].suite) for name in graded)],
                               plugins=[plugin])
    finally:
        worker.close()
        launcher.close()
    report = Report(submission.name, tuple(
        exercise_result(name, plugin) for name in graded if name in selected
    ), notes=(*platform_notes(), *submission.notes()))
    # A suite that did not run must never look like a submission that passed.
    untested = [exercise.name for exercise in report.exercises if not exercise.tests]
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED) or untested:
        raise GraderBroken(
            f"the hidden suites did not run (pytest exit {int(code)}"
            + (f"; no tests for {', '.join(untested)})" if untested else ")")
        )
    return report


def platform_notes() -> tuple[str, ...]:
    missing = missing_protections()
    if not missing:
        return ()
    return (f"On this computer ({sys.platform}) grading runs without: {'; '.join(missing)}. "
            "Scores are the same; these protect the grading machine, and here that is yours.",)


def exercise_result(name: str, plugin: GradingPlugin) -> ExerciseResult:
    state = plugin.state(name)
    tests: tuple[TestResult, ...] = tuple(state.tests)
    return ExerciseResult(name, BY_NAME[name].points, tests, state.problem, tuple(state.notes))


@contextlib.contextmanager
def isolated_environment() -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in ISOLATING_ENVIRONMENT}
    try:
        for name, value in ISOLATING_ENVIRONMENT.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
