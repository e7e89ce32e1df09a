"""`grade`: grade a submission and show the feedback.

Exit codes: 0 when every test passed, 1 when something failed, 2 when the input could not be
graded at all (a one-line error, no traceback; it also says when the fault is the grader's).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from grader.boundary import available_start_methods
from grader.catalog import NAMES

EXIT_PASSED, EXIT_FAILED, EXIT_UNGRADABLE = 0, 1, 2


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    """argparse, with errors raised as one line instead of printed with the whole usage."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see grade --help)")


def positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--timeout takes seconds, not {text!r}") from None
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"--timeout takes 0 to 3600 seconds, not {text}")
    return value


def parser() -> Parser:
    p = Parser(prog="grade", description="Grade the neuron exercises and explain every result.")
    p.add_argument("path", nargs="?", default="exercises", type=Path,
                   help="a folder of exercise files, one exercise .py file, or a .zip "
                        "(default: ./exercises)")
    p.add_argument("--exercise", choices=NAMES, metavar="NAME",
                   help=f"grade only this exercise: {', '.join(NAMES)}")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="text for people (default), json for tools")
    p.add_argument("--timeout", type=positive_seconds, default=None, metavar="SECONDS",
                   help="how long one call of your code may take (default: 2)")
    p.add_argument("--start-method", choices=available_start_methods(), default=None,
                   help="how workers start: fork (POSIX, faster) or spawn (everywhere); "
                        "default: fork where it exists")
    return p


def use_colour(stream: object) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("NO_COLOR") and (
        os.environ.get("TERM") != "dumb"
    )


def main(argv: Sequence[str] | None = None) -> int:
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")
    try:
        args = parser().parse_args(argv)
        return run(args)
    except UsageError as error:
        print(f"grade: error: {error}", file=sys.stderr)
        return EXIT_UNGRADABLE
    except KeyboardInterrupt:
        print("grade: interrupted", file=sys.stderr)
        return 130


def console() -> NoReturn:
    """The `grade` command: main(), then an exit that skips the interpreter's teardown.

    Tearing down pytest and numpy takes longer than a student should wait for nothing; every
    worker has been ended and every result printed by then, so only buffers need flushing.
    """
    code = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError):  # a reader that left early (grade | head)
            stream.flush()
    os._exit(code)


def run(args: argparse.Namespace) -> int:
    # Imported here so that --help and bad input answer without loading pytest.
    from grader import grading, render, submission

    try:
        work = submission.read(args.path)
    except submission.UngradableInput as error:
        raise UsageError(str(error)) from None
    if args.exercise and work.only and args.exercise not in work.only:
        raise UsageError(f"--exercise {args.exercise} does not match the file {args.path}")
    try:
        report = grading.grade(
            work,
            exercises=[args.exercise] if args.exercise else (),
            start_method=args.start_method,
            call_timeout=args.timeout or grading.CALL_TIMEOUT,
        )
    except grading.GraderBroken as error:
        print(f"grade: the grader is broken, not your code: {error} (please report it)",
              file=sys.stderr)
        return EXIT_UNGRADABLE
    if args.format == "json":
        print(render.as_json(report))
    else:
        print(render.as_text(report, render.Style(colour=use_colour(sys.stdout))), end="")
    return EXIT_PASSED if report.passed else EXIT_FAILED
