"""`grade --watch [PATH]`: grade again whenever an exercise file (or the notebook) is saved.

The grader stays loaded between gradings (pytest, the suites, the worker's zygote), so a
regrade after a save costs the grading alone, not a start-up. Each grading prints a compact
view: a line per exercise, then, after the first, only the tests whose result changed (with
what a failure needs: the call, what was expected, what came back, the hint).

Saves are noticed by polling the submission's files (their size and modification time) ten
times a second. A file-watching library (watchfiles, watchdog) would save those polls, but a
submission is six small files, the polls cost nothing measurable, and polling needs no
dependency and behaves the same on every system and file system (network mounts included,
where change notifications often never come).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

from grader.escape import visible
from grader.render import Style, details, points, test_line
from grader.results import Report
from grader.submission import Submission

POLL_SECONDS = 0.1
SETTLE_SECONDS = 0.05  # how long the files must stay unchanged before a save counts as done
WIDTH = 88


def snapshot(path: Path) -> dict[str, tuple[int, int]]:
    """What a save changes: the size and modification time of each file grading reads."""
    files = [path] if path.is_file() else [
        p for p in path.rglob("*") if p.suffix in (".py", ".ipynb", ".zip")
        and not any(part.startswith(".") or part == "__pycache__"
                    for part in p.relative_to(path).parts)]
    found = {}
    for file in sorted(files):
        try:
            info = file.stat()
        except OSError:  # removed between listing and looking
            continue
        found[str(file)] = (info.st_mtime_ns, info.st_size)
    return found


def summary(report: Report) -> list[str]:
    lines = [f"{e.name.ljust(WIDTH - 10)}{points(e.score, e.max_score)}"
             for e in report.exercises]
    lines.append(f"{'Total'.ljust(WIDTH - 10)}{points(report.score, report.max_score)}")
    return lines


def changes(before: Report, after: Report, style: Style) -> list[str]:
    """The tests whose result changed, each with what a failure needs."""
    was = {(e.name, t.id): t for e in before.exercises for t in e.tests}
    lines: list[str] = []
    for exercise in after.exercises:
        for test in exercise.tests:
            old = was.get((exercise.name, test.id))
            if old is not None and (old.status, old.score, old.message) == (
                    test.status, test.score, test.message):
                continue
            lines.append(f"{exercise.name}: {test_line(test, style).lstrip()}")
            if test.status != "passed":
                lines += details(test, set())
    return lines or ["(no test changed)"]


def view(report: Report, before: Report | None, style: Style) -> str:
    lines = [f"note: {visible(note)}" for note in report.notes] + summary(report)
    if before is not None:
        lines += ["", "changed since the last save:", *changes(before, report, style)]
    return "\n".join(lines) + "\n"


def watch(path: Path, out: TextIO, style: Style, rounds: int | None = None,
          saved: Callable[[int], None] = lambda _: None, poll: float = POLL_SECONDS,
          **options: Any) -> int:
    """Grade `path`, print the view, then wait for a save and do it again: `rounds` gradings
    in all (None: until interrupted), in one grading session (grading.grade_many), so that
    pytest, the suites and the worker's zygote stay loaded. `saved(n)` runs after the n-th
    grading (tests save a file there); `options` are grade_many's."""
    from grader import grading, submission

    before: list[Report] = []
    started = [0.0]

    def submissions() -> Iterator[Submission]:
        done, seen = 0, snapshot(path)
        while rounds is None or done < rounds:
            if done:
                saved(done)
                seen = wait_for_a_save(path, poll, seen)
            try:
                work = submission.read(path)
            except submission.UngradableInput as error:  # mid-save, a file may be missing
                out.write(f"\nnote: {visible(str(error))}\n")
                out.flush()
                done += 1
                continue
            started[0] = time.perf_counter()
            yield work
            done += 1

    def show(report: Report) -> None:
        out.write(f"\n--- graded in {time.perf_counter() - started[0]:.2f} s ---\n")
        out.write(view(report, before[-1] if before else None, style))
        out.flush()
        before[:] = [report]

    grading.grade_many(submissions(), show, **options)
    return 0


def wait_for_a_save(path: Path, poll: float,
                    seen: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """Once the files grading reads differ from `seen`, and have then stayed as they are for a
    moment (an editor may save in steps), what they are."""
    now = snapshot(path)
    while now == seen:
        time.sleep(poll)
        now = snapshot(path)
    while True:
        time.sleep(max(poll, SETTLE_SECONDS))
        settled = snapshot(path)
        if settled == now:
            return now
        now = settled


def command(args: argparse.Namespace) -> int:
    """`grade --watch`: the arguments of `grade` (grader/cli.py), graded on every save."""
    from grader import grading
    from grader.cli import use_colour

    style = Style(colour=use_colour(sys.stdout), pictures=not args.no_pictures)
    return watch(args.path, sys.stdout, style,
                 exercises=[args.exercise] if args.exercise else (),
                 start_method=args.start_method,
                 call_timeout=args.timeout or grading.CALL_TIMEOUT)
