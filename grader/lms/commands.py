"""`grade collect` and `grade export`: the command-line side of grader/lms."""

from __future__ import annotations

import argparse
from pathlib import Path

from grader.cli import EXIT_PASSED, Parser, UsageError


def collect_parser() -> Parser:
    from grader.lms.layouts import LAYOUTS

    p = Parser(prog="grade collect",
               description="Make one entry per student of a learning platform's download of "
                           "submissions, with a manifest of who each is, for grade bulk.")
    p.add_argument("source", type=Path, help="the download: a .zip, or the folder it unpacks to")
    p.add_argument("--out", type=Path, required=True, help="a new folder for the entries")
    p.add_argument("--from", dest="layout", choices=LAYOUTS, default=None,
                   help="the platform it comes from (default: found from its file names)")
    return p


def run_collect(args: argparse.Namespace) -> int:
    from grader.lms import collect
    from grader.submission import UngradableInput

    if not args.source.exists():
        raise UsageError(f"{args.source}: no such file or folder")
    try:
        done = collect.collect(args.source, args.out, args.layout)
    except UngradableInput as error:
        raise UsageError(str(error)) from None
    refused = f", {done.refused} refused (see the manifest)" if done.refused else ""
    print(f"{args.out}: {done.entries} students from a {done.layout} download{refused}; "
          f"who each is: {args.out / collect.MANIFEST}")
    return EXIT_PASSED


def export_parser() -> Parser:
    from grader.lms.export import FORMATS

    p = Parser(prog="grade export",
               description="Write the gradebook of a grade bulk run as the CSV a learning "
                           "platform imports.")
    p.add_argument("out", type=Path, help="the --out folder of grade bulk (or of grade merge)")
    p.add_argument("--to", choices=FORMATS, required=True,
                   help="canvas, moodle, or csv (everything, for any other tool)")
    p.add_argument("--assignment", default="Neuron exercises", metavar="NAME",
                   help="the assignment's name in the platform's gradebook")
    p.add_argument("--roster", type=Path, default=None, metavar="FILE.csv",
                   help="the class list the platform exports (Canvas's gradebook export, "
                        "Moodle's participants): every student gets a row, and a submission "
                        "that matches nobody says so")
    return p


def run_export(args: argparse.Namespace) -> int:
    from grader.lms import export

    if not (args.out / "results").is_dir():
        raise UsageError(f"{args.out}: not the output of grade bulk (no results folder)")
    people = None
    if args.roster is not None:
        from grader.lms import roster

        try:
            people = roster.read(args.roster)
        except roster.RosterError as error:
            raise UsageError(str(error)) from None
    for path in export.export(args.out, args.to, args.assignment, people):
        print(path)
    return EXIT_PASSED


def run(words: list[str]) -> int:
    if words[0] == "collect":
        return run_collect(collect_parser().parse_args(words[1:]))
    return run_export(export_parser().parse_args(words[1:]))
