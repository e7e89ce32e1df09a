"""The gradebook and the class summary, as pure functions of the graded results.

Both depend on the results alone, in the order of the submissions' names: grading the same
class twice, or in shards that are merged, gives byte-identical files.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from grader.catalog import NAMES
from grader.escape import cell, visible

HISTOGRAM_WIDTH = 40


@dataclass(frozen=True)
class Graded:
    """One submission's result as the gradebook reads it: the contract's JSON object."""

    name: str
    result: dict[str, Any]

    @property
    def refused(self) -> str:
        return str(self.result.get("refused", ""))


@dataclass(frozen=True)
class Row:
    """A submission's line of the gradebook."""

    name: str
    score: float
    max_score: float
    exercises: tuple[float, ...]  # in the contract's order
    note: str


def row_of(item: Graded) -> Row:
    by_name = {e["name"]: e["score"] for e in item.result["exercises"]}
    return Row(item.name, item.result["score"], item.result["max_score"],
               tuple(by_name.get(name, 0) for name in NAMES),
               f"refused: {item.refused}" if item.refused else "")


def gradebook_csv(rows: Iterable[Row]) -> str:
    """Columns `submission`, `score`, `max_score`, one per exercise, then `note`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["submission", "score", "max_score", *NAMES, "note"])
    for row in rows:
        writer.writerow([cell(row.name), number(row.score), number(row.max_score),
                         *(number(score) for score in row.exercises), cell(row.note)])
    return buffer.getvalue()


def number(value: float) -> str:
    return f"{value:g}"


@dataclass
class Tally:
    """What the summary needs, gathered one result at a time (memory does not grow with the
    class beyond one number per submission)."""

    totals: list[float] = field(default_factory=list)
    max_score: float = 0
    exercise_sums: Counter[str] = field(default_factory=Counter)
    exercise_max: dict[str, float] = field(default_factory=dict)
    tests_run: Counter[tuple[str, str]] = field(default_factory=Counter)
    tests_passed: Counter[tuple[str, str]] = field(default_factory=Counter)
    attention: list[str] = field(default_factory=list)
    refused: int = 0

    def add(self, item: Graded) -> None:
        result = item.result
        if item.refused:
            self.refused += 1
            self.attention.append(f"{item.name}: refused: {item.refused}")
            return
        self.totals.append(result["score"])
        self.max_score = max(self.max_score, result["max_score"])
        for exercise in result["exercises"]:
            name = exercise["name"]
            self.exercise_sums[name] += exercise["score"]
            self.exercise_max[name] = exercise["max_score"]
            for test in exercise["tests"]:
                key = (name, test["name"])
                self.tests_run[key] += 1
                self.tests_passed[key] += test["status"] == "passed"
        trouble = trouble_of(result)
        if trouble:
            self.attention.append(f"{item.name}: {trouble}")


def trouble_of(result: dict[str, Any]) -> str:
    """Why a graded submission needs a look: an exercise that could not run, timeouts, errors."""
    problems = [f"{e['name']} could not be graded ({first_line(e['problem'])})"
                for e in result["exercises"] if e.get("problem")]
    statuses = Counter((e["name"], t["status"]) for e in result["exercises"]
                       for t in e["tests"] if not e.get("problem"))
    for status, verb in (("timeout", "timed out"), ("error", "raised errors")):
        names = [name for (name, seen), _ in sorted(statuses.items()) if seen == status]
        if names:
            problems.append(f"{verb} in {', '.join(sorted(names, key=NAMES.index))}")
    return "; ".join(problems)


def first_line(text: str) -> str:
    return text.splitlines()[0] if text else ""


def summary_markdown(tally: Tally) -> str:
    graded = len(tally.totals)
    lines = ["# Class summary", ""]
    lines.append(f"{graded} submissions graded, {tally.refused} refused.")
    if graded:
        lines.append(f"Mean {statistics.fmean(tally.totals):.1f}, median "
                     f"{statistics.median(tally.totals):g} (out of {tally.max_score:g}).")
    lines += ["", "## Totals", "", "```", *histogram(tally.totals, tally.max_score), "```"]
    lines += ["", "## Exercises", "", "| exercise | average | out of |", "| --- | --- | --- |"]
    for name in NAMES:
        if name in tally.exercise_max and graded:
            average = tally.exercise_sums[name] / graded
            lines.append(f"| {name} | {average:.1f} | {tally.exercise_max[name]:g} |")
    lines += ["", "## Tests, hardest first", "", "| passed | exercise | test |",
              "| --- | --- | --- |"]
    for rate, exercise, test in pass_rates(tally):
        lines.append(f"| {rate:.0%} | {exercise} | {test.replace('|', '/')} |")
    lines += ["", "## Needs a look", ""]
    lines += [f"- {visible(entry)}" for entry in tally.attention] or [
        "Nothing: every submission ran."]
    return "\n".join(lines) + "\n"


def bins(totals: list[float], max_score: float) -> list[tuple[str, int]]:
    """Totals in ten bins of a tenth of the maximum each (the maximum gets one of its own)."""
    step = max_score / 10
    counts = Counter(min(int(total // step), 10) for total in totals)
    return [(f"{i * step:g}-{(i + 1) * step:g}" if i < 10 else f"{max_score:g}", counts[i])
            for i in range(11)]


def histogram(totals: list[float], max_score: float) -> list[str]:
    if not totals or max_score <= 0:
        return ["(no graded submission)"]
    counted = bins(totals, max_score)
    widest = max(count for _, count in counted)
    return [f"{label:>9} | {'#' * round(HISTOGRAM_WIDTH * count / widest):<{HISTOGRAM_WIDTH}} "
            f"{count}" for label, count in counted]


def pass_rates(tally: Tally) -> list[tuple[float, str, str]]:
    """(rate, exercise, test) for every test, hardest first."""
    return sorted(((tally.tests_passed[key] / tally.tests_run[key], *key)
                   for key in tally.tests_run),
                  key=lambda rate: (rate[0], NAMES.index(rate[1]), rate[2]))
