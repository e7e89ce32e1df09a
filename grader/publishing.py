"""`grade generate` and `grade release`: the students' material, made from the solutions."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from grader.catalog import NAMES, PACKAGE
from grader.cli import EXIT_PASSED, Parser, UsageError

# What IPython passes to pip untouched (it expands $name and {name} in a magic's line), and
# no query or fragment, after which a folder's URL could not take the wheel's name.
SAFE_URL = re.compile(r"[A-Za-z0-9._~:/@!&*+,;=%\[\]-]+")


def run(words: list[str]) -> int:
    if words[0] == "generate":
        return run_generate(generate_parser().parse_args(words[1:]))
    return run_release(release_parser().parse_args(words[1:]))


def generate_parser() -> Parser:
    p = Parser(prog="grade generate",
               description="Write what students get (the stubs and the lesson notebook) from "
                           "the reference solutions and their BEGIN/END SOLUTION markers.")
    p.add_argument("--solutions", type=Path, default=Path("solutions"),
                   help="the reference solutions (default: ./solutions)")
    p.add_argument("--out", type=Path, default=Path("exercises"),
                   help="where the stubs and neuron.ipynb go (default: ./exercises)")
    return p


def run_generate(args: argparse.Namespace) -> int:
    from grader import authoring

    missing = [n for n in NAMES if not (args.solutions / f"{n}.py").is_file()]
    if missing:
        raise UsageError(f"{args.solutions}: no {missing[0]}.py (a folder of the solutions)")
    try:
        written = authoring.generate(args.solutions, args.out)
        if (PACKAGE / "known_good").is_dir():  # the kit, not a student release
            # The similarity report's copy of what every student received: it never counts.
            written += authoring.write_stubs(args.solutions, PACKAGE / "stubs", list(NAMES))
    except authoring.MarkerError as error:
        raise UsageError(str(error)) from None
    print("\n".join(str(path) for path in written))
    return EXIT_PASSED


def release_parser() -> Parser:
    p = Parser(prog="grade release",
               description="Write what students receive: the stubs and the notebook, the "
                           "grader with the public tests only, and a README for students.")
    p.add_argument("out", type=Path, help="a new folder for the release")
    p.add_argument("--solutions", type=Path, default=Path("solutions"),
                   help="the reference solutions (default: ./solutions)")
    p.add_argument("--wheel-url", type=wheel_url, metavar="URL",
                   help="where you will put the release's wheel (dist/*.whl) for students to "
                        "install: its URL, or its folder's; the notebook's first cell "
                        "installs the grader from there where it is missing (Google Colab)")
    return p


def wheel_url(text: str) -> str:
    if not text or not SAFE_URL.fullmatch(text):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a URL or path a notebook can install from (no spaces, quotes, "
            "$, braces, ? or #)")
    from grader import __version__, release, wheel

    name = wheel.filename(release.PROJECT, __version__)
    if text.endswith(".whl") and not text.endswith(f"/{name}") and text != name:
        raise argparse.ArgumentTypeError(
            f"{text!r} ends in another file name than the wheel's, {name}; pip reads the "
            "name and version from it: give that name, or the folder's URL")
    return text


def run_release(args: argparse.Namespace) -> int:
    from grader import __version__, authoring
    from grader.catalog import PACKAGE

    if not (PACKAGE / "release.py").is_file():  # a student release leaves its builder out
        raise UsageError("this grader is a student release; releases are made from the kit")
    from grader import release

    if args.out.exists():
        raise UsageError(f"{args.out} exists already; a release goes into a new folder")
    missing = [n for n in NAMES if not (args.solutions / f"{n}.py").is_file()]
    if missing:
        raise UsageError(f"{args.solutions}: no {missing[0]}.py (a folder of the solutions)")
    try:
        built = release.build(args.out, args.solutions, __version__, args.wheel_url)
    except (authoring.MarkerError, release.LeakError) as error:
        raise UsageError(str(error)) from None
    print(f"{args.out}: the student release (stubs, notebook, public tests, README)")
    print(f"{built}: the same grader as a wheel, for `pip install` or a notebook's %pip")
    return EXIT_PASSED
