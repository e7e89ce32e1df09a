"""Reports as text for a student, or as the contract's JSON. Pure functions: no printing."""

from __future__ import annotations

import base64
import functools
import json
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass

from grader.escape import visible
from grader.results import ExerciseResult, Report, TestResult

WIDTH = 88
WRITTEN_IN = re.compile(r"^(?P<file>.+?), line \d+, in (?P<function>\w+):", re.MULTILINE)
LABELS = {"passed": "PASS", "failed": "FAIL", "error": "ERROR", "timeout": "TIMEOUT"}
COLOURS = {"passed": "32", "failed": "31", "error": "31", "timeout": "33"}


@dataclass(frozen=True)
class Style:
    colour: bool = False
    pictures: bool = True

    def paint(self, text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.colour else text

    def bold(self, text: str) -> str:
        return self.paint(text, "1")


def as_json(report: Report) -> str:
    return json.dumps(report.to_json(), indent=2)


def as_gradescope(report: Report) -> str:
    """Gradescope's autograder results.json: a test per hidden-suite test, the feedback text
    as each test's output, and hidden tests hidden from students."""
    tests = []
    for number, exercise in enumerate(report.exercises, start=1):
        hinted: set[str] = set()
        for index, test in enumerate(exercise.tests, start=1):
            output = "\n".join(details(test, hinted)) if test.status != "passed" else ""
            if exercise.problem:
                output = f"{exercise.name} could not be graded: {exercise.problem}"
            tests.append({
                "name": f"{exercise.name}: {test.name}",
                "number": f"{number}.{index}",
                "score": test.score,
                "max_score": test.max_score,
                "status": "passed" if test.status == "passed" else "failed",
                "output": textwrap.dedent(output),
                "visibility": "hidden" if test.hidden else "visible",
            })
    data = {
        "score": report.score,
        "output": "\n".join(report.notes),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }
    return json.dumps(data, indent=2)


def as_classroom(report: Report) -> str:
    """GitHub Classroom's runner result, as its autograding reporter reads it from a step's
    output (classroom-resources/autograding-grading-reporter): base64 of a JSON object with
    `version`, `status`, `max_score` and `tests`, each test's `score` added up to the points."""
    tests = []
    for exercise in report.exercises:
        hinted: set[str] = set()
        for test in exercise.tests:
            message = ("\n".join(details(test, hinted)) if test.status != "passed" else "")
            if exercise.problem:
                message = f"{exercise.name} could not be graded: {exercise.problem}"
            tests.append({
                "name": f"{exercise.name}: {test.name}",
                "status": CLASSROOM_STATUS[test.status],
                "score": test.score,
                "message": textwrap.dedent(message),
                "test_code": "" if test.hidden else test.call,
                "filename": "",
                "line_no": 0,
                "duration": 0,
            })
    data = {"version": 1, "status": "pass" if report.passed else "fail",
            "max_score": report.max_score, "tests": tests}
    return base64.b64encode(json.dumps(data).encode()).decode()


CLASSROOM_STATUS = {"passed": "pass", "failed": "fail", "timeout": "fail", "error": "fail"}


def as_text(report: Report, style: Style = Style()) -> str:
    blocks = [textwrap.fill(visible(note), WIDTH, initial_indent="note: ",
                            subsequent_indent="      ") for note in report.notes]
    blocks += [exercise_text(exercise, style) for exercise in report.exercises]
    blocks.append(total_text(report, style))
    return "\n\n".join(blocks) + "\n"


def points(score: float, max_score: float) -> str:
    return f"{score:g}/{max_score:g}"


def exercise_text(exercise: ExerciseResult, style: Style) -> str:
    header = exercise.name.ljust(WIDTH - 10) + points(exercise.score, exercise.max_score)
    lines = [style.bold(header)]
    if not_started(exercise):  # its notes (a working dot_product stood in...) can wait
        lines.append(field("to do", not_started(exercise), indent=2))
        return "\n".join(lines)
    lines += [textwrap.fill(visible(note), WIDTH, initial_indent="  note: ",
                            subsequent_indent=" " * 8) for note in exercise.notes]
    if exercise.problem:
        lines.append(field("problem", exercise.problem, indent=2))
        lines.append(field("score", f"0 for all {len(exercise.tests)} tests of this exercise",
                           indent=2))
        return "\n".join(lines)
    for test, rows in explanations(exercise):
        lines.append(test_line(test, style))
        drawn = [f"{' ' * 10}{line}".rstrip() for picture in test.pictures
                 for line in ["", *picture.lines()]] if style.pictures else []
        lines += drawn[1:] if test.status == "passed" else [*rows, *drawn]
    return "\n".join(lines)


def explanations(exercise: ExerciseResult) -> Iterator[tuple[TestResult, list[str]]]:
    """Each test with the rows that explain it (none for a pass): the same exception from the
    same line has one cause, explained once, and a hint is not said twice in a row."""
    explained: set[tuple[str, str]] = set()
    hinted: set[str] = set()
    for test in exercise.tests:
        if test.status == "passed":
            yield test, []
            continue
        key = (test.message, test.where) if test.status == "error" else (test.id, "")
        yield test, ([field("problem", "the same as above")] if key in explained
                     else details(test, hinted))
        explained.add(key)
        hinted.clear()  # "the same as above" means the hint just above, nothing further up
        hinted.add(test.hint)


def unwritten(test: TestResult) -> bool:
    """A stub's test: its function still raises NotImplementedError, or its constant is
    still None."""
    return ((test.status == "error" and test.message.startswith("not written yet"))
            or (test.status == "failed" and test.actual == "None" and "(" not in test.call))


def not_started(exercise: ExerciseResult) -> str:
    """For an exercise nothing of which is written yet, what to do, in a line (its tests
    would all say the same); else ''."""
    if not exercise.tests or not all(map(unwritten, exercise.tests)):
        return ""
    found = [WRITTEN_IN.search(test.where) for test in exercise.tests]
    names = [*(match["function"] for match in found if match),
             *(test.call for test in exercise.tests if test.status == "failed")]
    names = list(dict.fromkeys(names)) or ["its functions"]
    file = next((match["file"] for match in found if match), f"{exercise.name}.py")
    them = "them" if len(names) > 1 else "it"
    return (f"not started: {', '.join(names)} {'are' if len(names) > 1 else 'is'} still "
            f"the stub. Write {them} in {file} (each docstring says what to build), then "
            f"grade again: its {len(exercise.tests)} tests wait for {them}.")


def test_line(test: TestResult, style: Style) -> str:
    """The status, the test's name (wrapped), and its points on the first line."""
    label = style.paint(LABELS[test.status].ljust(7), COLOURS[test.status])
    name = ("(hidden) " if test.hidden else "") + test.name
    room = WIDTH - 10 - 10
    rows = wrapped(name, room)
    first = f"  {label} {rows[0].ljust(room)}{points(test.score, test.max_score).rjust(8)}"
    return "\n".join([first, *(" " * 10 + row for row in rows[1:])])


@functools.lru_cache(maxsize=512)
def wrapped(name: str, width: int) -> tuple[str, ...]:
    """A test's name in rows: the same few dozen names head every report of a class."""
    return tuple(textwrap.wrap(name, width)) or ("",)


def details(test: TestResult, hinted: set[str]) -> list[str]:
    """What was called, expected and got, where the student's code raised, and the hint."""
    rows = []
    if test.call:
        rows.append(("called", test.call))
    if test.expected:
        rows += [("expected", test.expected), ("got", test.actual)]
    elif test.message:
        rows.append(("problem", test.message))
    if test.where:
        rows.append(("where", test.where))
    if test.output:
        rows.append(("printed", test.output.rstrip("\n")))
    if test.hint:
        rows.append(("hint", "the same as above" if test.hint in hinted else test.hint))
    return [field(name, text) for name, text in rows]


def field(name: str, text: str, indent: int = 10) -> str:
    """`name:` then the text, wrapped and aligned under itself."""
    prefix = " " * indent + f"{name}:".ljust(10)
    body: list[str] = []
    for line in visible(text).split("\n") or [""]:
        body += rows_of(line, WIDTH - len(prefix)) or [""]
    return "\n".join(
        (prefix if i == 0 else " " * len(prefix)) + line for i, line in enumerate(body)
    )


def rows_of(line: str, width: int) -> list[str]:
    """textwrap.wrap's rows of a line (hyphens are no place to break a value), without its
    work for most lines of a report: one that fits, with no whitespace but spaces (every
    other kind is unprintable)."""
    if len(line) <= width and line.isprintable():
        return [line.rstrip(" ")] if line.strip(" ") else []
    return textwrap.wrap(line, width, break_on_hyphens=False)


def total_text(report: Report, style: Style) -> str:
    total = f"Total: {points(report.score, report.max_score)}"
    if report.passed:
        return style.bold(total + "  - every test passed.")
    return style.bold(total)
