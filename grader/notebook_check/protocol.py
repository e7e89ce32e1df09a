"""The messages between a notebook's kernel (client) and its grading process (server): one JSON
line each way per check. The server reads requests from the student's kernel, so it checks
every field's type and caps every size before it grades anything."""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from grader.catalog import BY_NAME
from grader.notebook import MAX_CODE_CHARS

MAX_CELLS = 2000
MAX_LABEL = 100


class Request(NamedTuple):
    cells: list[tuple[str, str]]  # (label, code) of each cell to grade, in the order they ran
    exercise: str | None  # None: every exercise


class Answer(NamedTuple):
    score: float
    max_score: float
    report: dict[str, Any]  # as `grade --format json` prints it
    text: str  # as `grade` prints it, without colour
    html: str
    error: str = ""  # a request that could not be graded, and why


class BadRequest(Exception):
    """A request line that is not a well-formed Request; the message says what is wrong."""


def encode(message: Request | Answer) -> bytes:
    return json.dumps(message._asdict(), ensure_ascii=True).encode() + b"\n"


def read_request(line: bytes) -> Request:
    if len(line) > 2 * MAX_CODE_CHARS:
        raise BadRequest(f"more than {MAX_CODE_CHARS >> 20} MiB of code to check")
    try:
        data = json.loads(line)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise BadRequest("a request that is not JSON") from None
    if type(data) is not dict or set(data) != set(Request._fields):
        raise BadRequest("a request without exactly the fields cells and exercise")
    exercise, cells = data["exercise"], data["cells"]
    if exercise is not None and (type(exercise) is not str or exercise not in BY_NAME):
        raise BadRequest("a request for an exercise the kit does not have")
    if type(cells) is not list or len(cells) > MAX_CELLS or not all(
            type(cell) is list and len(cell) == 2 and type(cell[0]) is str
            and type(cell[1]) is str and len(cell[0]) <= MAX_LABEL for cell in cells):
        raise BadRequest("cells that are not a list of (label, code) text pairs")
    if sum(len(code) for _, code in cells) > MAX_CODE_CHARS:
        raise BadRequest(f"more than {MAX_CODE_CHARS >> 20} MiB of code to check")
    return Request([(label, code) for label, code in cells], exercise)


def read_answer(line: bytes) -> Answer:
    """The server's answer (the server is ours: a malformed one is a bug, said plainly)."""
    try:
        data = json.loads(line)
        answer = Answer(**data)
    except (ValueError, TypeError, UnicodeDecodeError):
        raise BadRequest("the grading process answered something that is not an answer") \
            from None
    if not (type(answer.text) is str and type(answer.html) is str
            and type(answer.report) is dict and type(answer.error) is str):
        raise BadRequest("the grading process answered something that is not an answer")
    return answer
