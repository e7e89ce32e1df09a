"""The state of grading one submission, and the tests pytest collected: what the plugin
(grader/plugin.py) and the stand-ins (grader/stand_ins.py) both read and write."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

import pytest

from grader.results import TestResult
from grader.student import Session, Student
from grader.submission import Submission
from grader.verdict import Test

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
    problems: dict[str, str]  # why an exercise cannot run, after the file or cell it is in
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




def run_tests(session: pytest.Session, items: list[Item]) -> None:
    """Each test through pytest's protocol hook (so that pytest-timeout guards it)."""
    for collected in items:
        if session.shouldfail:
            raise session.Failed(session.shouldfail)
        collected.item.ihook.pytest_runtest_protocol(item=collected.item, nextitem=None)
