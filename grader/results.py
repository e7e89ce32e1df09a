"""A grading's results as typed data, and their JSON form (the contract's keys, extended)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from grader.pictures import Picture

Status = Literal["passed", "failed", "error", "timeout"]


@dataclass(frozen=True)
class TestResult:
    __test__ = False  # a result, not a test class for pytest to collect

    id: str
    name: str
    status: Status
    score: float
    max_score: float
    hidden: bool = False
    message: str = ""
    call: str = ""
    expected: str = ""
    actual: str = ""
    hint: str = ""
    output: str = ""
    where: str = ""
    pictures: tuple[Picture, ...] = ()

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "status": self.status,
            "score": self.score,
            "max_score": self.max_score,
            "message": self.message,
            "id": self.id,
            "hidden": self.hidden,
        }
        extra = {"call": self.call, "expected": self.expected, "actual": self.actual,
                 "hint": self.hint, "output": self.output, "where": self.where}
        data.update({key: value for key, value in extra.items() if value})
        if self.pictures:
            data["pictures"] = [picture.to_json() for picture in self.pictures]
        return data


@dataclass(frozen=True)
class ExerciseResult:
    name: str
    max_score: float
    tests: tuple[TestResult, ...]
    problem: str = ""
    notes: tuple[str, ...] = ()

    @property
    def score(self) -> float:
        return sum(test.score for test in self.tests)

    @property
    def passed(self) -> bool:
        return not self.problem and bool(self.tests) and all(
            test.status == "passed" for test in self.tests
        )

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "score": self.score,
            "max_score": self.max_score,
            "tests": [test.to_json() for test in self.tests],
        }
        if self.problem:
            data["problem"] = self.problem
        if self.notes:
            data["notes"] = list(self.notes)
        return data


@dataclass(frozen=True)
class Report:
    submission: str
    exercises: tuple[ExerciseResult, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def score(self) -> float:
        return sum(exercise.score for exercise in self.exercises)

    @property
    def max_score(self) -> float:
        return sum(exercise.max_score for exercise in self.exercises)

    @property
    def passed(self) -> bool:
        return bool(self.exercises) and all(exercise.passed for exercise in self.exercises)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "score": self.score,
            "max_score": self.max_score,
            "exercises": [exercise.to_json() for exercise in self.exercises],
        }
        if self.notes:
            data["notes"] = list(self.notes)
        return data
