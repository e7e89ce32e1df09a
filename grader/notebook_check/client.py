"""check(), as a notebook calls it: the kernel's cells to the grading process, the answer back
as an object a notebook shows (HTML in Jupyter, text elsewhere)."""

from __future__ import annotations

import atexit
import contextlib
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from typing import IO, Any

from grader.catalog import BY_NAME
from grader.notebook_check import kernel
from grader.notebook_check.protocol import Answer, BadRequest, Request, encode, read_answer


class CheckFailed(Exception):
    """The grading process could not answer; the message says why."""


@dataclass(frozen=True)
class Checked:
    """What check() found: `score` and `max_score` as in `grade --format json` (whose whole
    report is `report`), shown as `grade` would print it."""

    score: float
    max_score: float
    report: dict[str, Any] = field(repr=False)
    text: str = field(repr=False)
    html: str = field(repr=False)

    def __repr__(self) -> str:
        return self.text.rstrip("\n")

    def _repr_html_(self) -> str:
        return self.html


def check(exercise: str | None = None) -> Checked:
    """Grade `exercise` (all six when None) as this notebook last ran it: the latest run of
    each cell counts, saved or not. Scores and feedback are the ones `grade` gives."""
    if exercise is not None and exercise not in BY_NAME:
        raise ValueError(f"there is no exercise {exercise!r}; the exercises are "
                         f"{', '.join(BY_NAME)}")
    cells = kernel.latest(kernel.history())
    answer = SERVER.ask(Request([(cell.label, cell.code) for cell in cells], exercise))
    if answer.error:
        raise CheckFailed(answer.error)
    return Checked(answer.score, answer.max_score, answer.report, answer.text, answer.html)


class Server:
    """The kernel's one grading process, started at the first check and kept for the next."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.errors: IO[bytes] | None = None
        self.folder: tempfile.TemporaryDirectory[str] | None = None

    def ask(self, request: Request) -> Answer:
        process = self.running()
        assert process.stdin is not None and process.stdout is not None  # piped in running()
        try:
            process.stdin.write(encode(request))
            process.stdin.flush()
            line = process.stdout.readline()
        except BaseException:  # interrupted mid-check: its answer can no longer be matched
            self.stop()
            raise
        if not line:
            said = self.said()
            self.stop()
            raise CheckFailed("the grading process stopped" + (f": {said}" if said else ""))
        try:
            return read_answer(line)
        except BadRequest as error:
            self.stop()
            raise CheckFailed(str(error)) from None

    def running(self) -> subprocess.Popen[bytes]:
        if self.process is None or self.process.poll() is not None:
            self.stop()
            self.errors = tempfile.TemporaryFile()  # noqa: SIM115 (kept open with the process)
            # `-m` puts the current folder first on the import path: the notebook's folder
            # might hold a pytest.py or numpy.py of the student's. An empty one holds nothing.
            self.folder = tempfile.TemporaryDirectory(prefix="neuron-kit-check-")
            # A session of its own: interrupting the kernel (Jupyter signals its whole process
            # group) must not end the grading process waiting for the next check.
            self.process = subprocess.Popen(
                [sys.executable, "-m", "grader.notebook_check.server"], cwd=self.folder.name,
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors,
                start_new_session=True)
        return self.process

    def said(self) -> str:
        """The last line the grading process wrote to stderr."""
        if self.errors is None:
            return ""
        self.errors.seek(0)
        lines = self.errors.read().decode(errors="replace").strip().splitlines()
        return lines[-1][:500] if lines else ""

    def stop(self) -> None:
        if self.process is not None:
            with contextlib.suppress(OSError):
                self.process.kill()
            self.process.wait()
            for stream in (self.process.stdin, self.process.stdout):
                with contextlib.suppress(OSError):
                    stream and stream.close()
        if self.errors is not None:
            self.errors.close()
        if self.folder is not None:
            self.folder.cleanup()
        self.process = self.errors = self.folder = None


SERVER = Server()
atexit.register(SERVER.stop)
