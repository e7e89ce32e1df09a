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

HISTOGRAM_WIDTH = 40


@dataclass(frozen=True)
class Graded:
    """One submission's result as the gradebook reads it: the contract's JSON object."""

    name: str
    result: dict[str, Any]

    @property
    def refused(self) -> str:
        return str(self.result.get("refused", ""))


def gradebook_csv(graded: Iterable[Graded]) -> str:
    """Columns `submission`, `score`, `max_score`, one per exercise, then `note`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["submission", "score", "max_score", *NAMES, "note"])
    for item in graded:
        by_name = {e["name"]: e["score"] for e in item.result["exercises"]}
        writer.writerow([item.name, number(item.result["score"]),
                         number(item.result["max_score"]),
                         *(number(by_name.get(name, 0)) for name in NAMES),
                         f"refused: {item.refused}" if item.refused else ""])
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
    rates = sorted(tally.tests_run, key=lambda key: (
        tally.tests_passed[key] / tally.tests_run[key], NAMES.index(key[0]), key[1]))
    for key in rates:
        rate = tally.tests_passed[key] / tally.tests_run[key]
        lines.append(f"| {rate:.0%} | {key[0]} | {key[1].replace('|', '/')} |")
    lines += ["", "## Needs a look", ""]
    lines += [f"- {entry}" for entry in tally.attention] or ["Nothing: every submission ran."]
    return "\n".join(lines) + "\n"


def histogram(totals: list[float], max_score: float) -> list[str]:
    """Totals in ten bins of a tenth of the maximum each (the maximum gets a row of its own)."""
    if not totals or max_score <= 0:
        return ["(no graded submission)"]
    step = max_score / 10
    bins = Counter(min(int(total // step), 10) for total in totals)
    widest = max(bins.values())
    rows = []
    for i in range(11):
        label = f"{i * step:g}-{(i + 1) * step:g}" if i < 10 else f"{max_score:g}"
        bar = "#" * round(HISTOGRAM_WIDTH * bins[i] / widest)
        rows.append(f"{label:>9} | {bar:<{HISTOGRAM_WIDTH}} {bins[i]}")
    return rows
