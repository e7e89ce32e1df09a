"""The grading process behind check(): `python -m grader.notebook_check.server`.

It reads one request per line on its standard input and answers each with one line on its
standard output, grading every request in one grading session (grading.grade_many), so that
pytest, the suites and the workers' zygote stay loaded between checks: a second check costs a
fraction of the first. It ends when its input ends, that is when the kernel does.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Iterator
from pathlib import PurePath
from typing import BinaryIO

from grader import grading, notebook, render
from grader.notebook_check import display
from grader.notebook_check.protocol import Answer, BadRequest, encode, read_request
from grader.results import Report
from grader.submission import Submission

NOT_RUN = "has not run {name}'s code yet: run the cell with it, then check again"
NOTEBOOK = PurePath("this notebook")


def submission(cells: list[tuple[str, str]], exercise: str | None) -> Submission:
    """The cells as `grade` reads a notebook without tags, named as the kernel names them."""
    read = notebook.submission_of([notebook.Cell(label, code) for label, code in cells],
                                  NOTEBOOK, place="", missing=NOT_RUN)
    return dataclasses.replace(read, only=(exercise,) if exercise else ())


def answer(report: Report) -> Answer:
    return Answer(report.score, report.max_score, report.to_json(),
                  render.as_text(report, render.Style(colour=False)), display.as_html(report))


def serve(requests: BinaryIO, answers: BinaryIO) -> None:
    def submissions() -> Iterator[Submission]:
        for line in requests:
            try:
                request = read_request(line)
            except BadRequest as error:
                send(Answer(0, 0, {}, "", "", error=str(error)))
                continue
            yield submission(request.cells, request.exercise)

    def send(message: Answer) -> None:
        answers.write(encode(message))
        answers.flush()

    grading.grade_many(submissions(), lambda report: send(answer(report)))


def main() -> int:
    # The answers get a descriptor of their own; anything else printed goes to stderr, where it
    # can never be taken for an answer.
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    try:
        serve(sys.stdin.buffer, answers)
    except grading.GraderBroken as error:
        print(f"grade: the grader is broken, not your code: {error} (please report it)",
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
