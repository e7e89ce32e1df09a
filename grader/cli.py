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

from grader import interrupts
from grader.boundary import jail
from grader.boundary.launch import available_start_methods
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
    p = Parser(prog="grade", description="Grade the neuron exercises and explain every result.",
               epilog="Other commands: grade collect (a learning platform's download, one "
                      "entry per student), grade bulk (a whole class, into a gradebook), grade "
                      "export (the gradebook as Canvas or Moodle import it), grade merge "
                      "(shards of a class), grade generate (stubs and notebook from the "
                      "solutions), grade release (what students get). Each has --help.")
    p.add_argument("path", nargs="?", default=None, type=Path,
                   help="a folder of exercise files, one exercise .py file, a .zip of them, or "
                        "a notebook (.ipynb); default: ./exercises, or this folder when it "
                        "holds the exercise files")
    p.add_argument("--exercise", choices=NAMES, metavar="NAME",
                   help=f"grade only this exercise: {', '.join(NAMES)}")
    p.add_argument("--format", choices=("text", "json", "gradescope", "classroom"),
                   default="text",
                   help="text for people (default), json for tools, gradescope for "
                        "Gradescope's results.json, classroom for GitHub Classroom's "
                        "autograding reporter")
    p.add_argument("--timeout", type=positive_seconds, default=None, metavar="SECONDS",
                   help="how long one call of your code may take (default: 2)")
    p.add_argument("--start-method", choices=available_start_methods(), default=None,
                   help="how workers start: fork (POSIX, faster) or spawn (everywhere); "
                        "default: fork where it exists")
    p.add_argument("--no-pictures", action="store_true",
                   help="leave out the pictures (the plane, the curves) from the feedback")
    p.add_argument("--watch", action="store_true",
                   help="grade again whenever an exercise file is saved (Ctrl-C stops), showing "
                        "a line per exercise and what changed")
    return p


def default_path(here: Path) -> Path:
    """./exercises, or this folder when it is where the exercise files are."""
    if not (here / "exercises").is_dir() and any(
            (here / f"{name}.py").is_file() for name in NAMES):
        return Path(".")
    return Path("exercises")


def is_terminal(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


def use_colour(stream: object) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return is_terminal(stream) and not os.environ.get("NO_COLOR")


def shard_spec(text: str) -> tuple[int, int]:
    k, _, n = text.partition("/")
    if not (k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n)):
        raise argparse.ArgumentTypeError(f"--shard takes K/N with 1 <= K <= N, not {text!r}")
    return int(k), int(n)


def positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"--jobs takes a whole number from 1, not {text!r}")
    return int(text)


def bulk_parser() -> Parser:
    p = Parser(prog="grade bulk", description="Grade every submission of a class folder.")
    p.add_argument("folder", type=Path, help="a folder whose every entry (a folder, a .zip) is "
                                             "one submission, named by the entry's name")
    p.add_argument("--out", type=Path, required=True,
                   help="where the gradebook, results and feedback go")
    # A job waits for its worker's answer during every call; one job more than there are
    # cores keeps every core busy through those waits (measured: about 6% faster on 2 cores).
    p.add_argument("--jobs", type=positive_int, default=(os.cpu_count() or 1) + 1,
                   help="how many submissions at once (default: one more than the cores)")
    p.add_argument("--force", action="store_true",
                   help="grade again what an earlier run already graded")
    p.add_argument("--shard", type=shard_spec, default=(1, 1), metavar="K/N",
                   help="grade only the K-th of N slices (for several machines)")
    p.add_argument("--timeout", type=positive_seconds, default=None, metavar="SECONDS",
                   help="how long one call of student code may take (default: 2)")
    p.add_argument("--start-method", choices=available_start_methods(), default=None,
                   help="how workers start (see grade --help)")
    p.add_argument("--without-kernel-sandbox", action="store_true",
                   help="grade even where bubblewrap's sandbox cannot be made (Linux): a "
                        "hostile submission could then reach what the grading user can")
    return p


def merge_parser() -> Parser:
    p = Parser(prog="grade merge", description="Combine the outputs of sharded bulk runs.")
    p.add_argument("sources", type=Path, nargs="+", help="the --out folders of the shards")
    p.add_argument("--out", type=Path, required=True, help="where the combined output goes")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")
    words = list(sys.argv[1:] if argv is None else argv)
    try:
        with interrupts.terminate_as_interrupt():
            return run_command(words)
    except UsageError as error:
        print(f"grade: error: {error}", file=sys.stderr)
        return EXIT_UNGRADABLE
    except KeyboardInterrupt:
        print("grade: interrupted", file=sys.stderr)
        return 130


def run_command(words: list[str]) -> int:
    if words[:1] == ["bulk"]:
        return run_bulk(bulk_parser().parse_args(words[1:]))
    if words[:1] == ["merge"]:
        return run_merge(merge_parser().parse_args(words[1:]))
    if words[:1] in (["generate"], ["release"]):
        from grader import publishing

        return publishing.run(words)
    if words[:1] in (["collect"], ["export"]):
        from grader.lms import commands  # the learning platforms' side, imported when used

        return commands.run(words)
    return run(parser().parse_args(words))


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
    jail.probe()  # runs while pytest loads
    # Imported here so that --help and bad input answer without loading pytest.
    from grader import grading, render, submission

    args.path = args.path or default_path(Path.cwd())
    try:
        work = submission.read(args.path)
    except submission.UngradableInput as error:
        raise UsageError(str(error)) from None
    if args.exercise and work.only and args.exercise not in work.only:
        raise UsageError(f"--exercise {args.exercise} does not match the file {args.path}")
    if args.watch:
        from grader import watch

        if args.format != "text":
            raise UsageError(f"--watch shows text for people; --format {args.format} is for "
                             "one grading")

        return watch.command(args)
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
    elif args.format == "gradescope":
        print(render.as_gradescope(report))
    elif args.format == "classroom":
        print(render.as_classroom(report))
    else:
        style = render.Style(colour=use_colour(sys.stdout), pictures=not args.no_pictures)
        print(render.as_text(report, style), end="")
    return EXIT_PASSED if report.passed else EXIT_FAILED


def run_bulk(args: argparse.Namespace) -> int:
    jail.probe()  # runs while pytest loads
    from grader import bulk, grading, progress, submission

    if sys.platform.startswith("linux") and not jail.find() and not args.without_kernel_sandbox:
        raise UsageError(f"no kernel sandbox here: {jail.WHY_MISSING}. Without it a hostile "
                         "submission can reach the class folder and the gradebook; pass "
                         "--without-kernel-sandbox to grade anyway")
    out = bulk.Out(args.out)
    if args.out.resolve().is_relative_to(args.folder.resolve()):
        raise UsageError(f"--out {args.out} is inside {args.folder}, whose entries are graded")
    try:
        plan = bulk.plan(args.folder, out, args.shard, args.force,
                         args.timeout or grading.CALL_TIMEOUT)
    except submission.UngradableInput as error:
        raise UsageError(str(error)) from None
    out.prepare()
    skipped = len(plan.mine) - len(plan.todo)
    if skipped:
        print(f"{skipped} of {len(plan.mine)} already graded (unchanged); --force grades them "
              "again", file=sys.stderr)
    bar = progress.Progress(len(plan.todo), sys.stderr, is_terminal(sys.stderr))
    options = {"call_timeout": args.timeout or grading.CALL_TIMEOUT,
               "start_method": args.start_method}
    graded = skipped
    try:
        for line in bulk.run_jobs(out, plan.todo, args.jobs, options):
            if "fatal" in line:
                print(f"grade: the grader is broken, not a submission: {line['fatal']} "
                      "(please report it)", file=sys.stderr)
            else:
                bar.step(line["name"], line["score"], line["refused"])
                graded += not line["refused"]
    except bulk.BulkFailed as error:
        bar.close()
        print(f"grade: {error}; what was graded is kept, run again to go on", file=sys.stderr)
        return EXIT_UNGRADABLE
    bar.close()
    keep_manifest(args.folder, args.out)
    out.record_run(args.shard, plan.everyone)
    # Everyone graded into OUT so far keeps a row: grading some students again updates theirs.
    print(out.write_books(out.names()), end="")
    if not graded and (plan.mine or args.shard == (1, 1)):  # a shard may have no entries
        print(f"grade: nothing in {args.folder} could be graded: every entry was refused (the "
              "reasons are in the gradebook)", file=sys.stderr)
        return EXIT_UNGRADABLE
    return EXIT_PASSED


def keep_manifest(folder: Path, out: Path) -> None:
    """The manifest `grade collect` wrote beside the entries, kept with the results: who each
    row is, for `grade export`."""
    from grader import atomic
    from grader.lms.collect import MANIFEST

    if (folder / MANIFEST).is_file():
        atomic.write_text(out / MANIFEST, (folder / MANIFEST).read_text(encoding="utf-8"))


def run_merge(args: argparse.Namespace) -> int:
    from grader import bulk

    for source in args.sources:
        if not (source / "results").is_dir():
            raise UsageError(f"{source}: not the output of grade bulk (no results folder)")
    try:
        print(bulk.merge(args.sources, bulk.Out(args.out)), end="")
    except bulk.MergeRefused as error:
        raise UsageError(str(error)) from None
    return EXIT_PASSED
