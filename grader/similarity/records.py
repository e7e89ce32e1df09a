"""What grading keeps of each submission's code for the similarity report (`OUT/code/NAME.json`:
each exercise's code and its fingerprints, made by the job that graded it, in parallel), and
the report made from those records once a class is graded or merged."""

from __future__ import annotations

import json
import operator
from collections.abc import Sequence
from pathlib import Path

import numpy

from grader import atomic
from grader.catalog import NAMES, PACKAGE
from grader.similarity import compare, pages
from grader.similarity.fingerprint import Print, fingerprints, fingerprints_of, tokens
from grader.submission import Submission

STUBS = PACKAGE / "stubs"  # the code every student received (written by `grade generate`)


def record(work: Submission) -> str:
    """The submission's code record, as JSON: each exercise's code as the worker ran it."""
    code = {name: "\n".join(text for _, text in source.chunks)
            for name, source in work.sources.items() if not source.problem and name in NAMES}
    prints = fingerprints_of(list(code.values()))
    return json.dumps({"exercises": {
        name: {"code": text, "prints": [list(p) for p in found]}
        for (name, text), found in zip(code.items(), prints, strict=True)}}) + "\n"


def read(path: Path) -> dict[str, tuple[str, list[Print]]] | None:
    """A code record: exercise -> (code, fingerprints); None when there is none or it is not
    one."""
    found = read_checked(path)
    return None if found is None else {
        name: (code, [Print(*p) for p in prints]) for name, (code, prints) in found.items()}


def read_hashes(path: Path) -> dict[str, compare.Hashes] | None:
    """Only the fingerprints of a code record: what comparing a class needs of each."""
    found = read_checked(path)
    return None if found is None else {
        name: numpy.unique(numpy.array(prints, numpy.uint64).reshape(-1, 3)[:, 0])
        for name, (_, prints) in found.items()}


def read_checked(path: Path) -> dict[str, tuple[str, list[list[int]]]] | None:
    """A code record's exercises: (code, fingerprints as [hash, first line, last line]); None
    when there is none or it is not one (an output folder is the instructor's, yet it is
    checked like any input: a hash is a 64-bit number, and a fingerprint's lines are lines of
    its code). A class's records are thousands of fingerprints: they are checked a list at a
    time, not a number at a time."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        found = {}
        for name, entry in data["exercises"].items():
            code, prints = entry["code"], entry["prints"]
            if (name not in NAMES or type(code) is not str or type(prints) is not list
                    or not fingerprints_fit(prints, code.count("\n") + 1)):
                return None
            found[name] = (code, prints)
        return found
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None


def fingerprints_fit(prints: list[list[int]], lines: int) -> bool:
    """Whether each is three ints: a hash of 64 bits, then the lines it spans, in order."""
    if not prints:
        return True
    # Not lists of three: zip or the unpacking raises (ValueError, TypeError), or what they
    # give is not all ints; either way the record is not one.
    hashes, firsts, lasts = (list(column) for column in zip(*prints, strict=True))
    return (set(map(type, hashes + firsts + lasts)) == {int}
            and min(hashes) >= 0 and max(hashes) < 1 << 64
            and min(firsts) >= 1 and max(lasts) <= lines
            and all(map(operator.le, firsts, lasts)))


def stubs() -> dict[str, compare.Hashes]:
    return {name: compare.hashes_of(fingerprints((STUBS / f"{name}.py").read_text(
                encoding="utf-8")))
            for name in NAMES if (STUBS / f"{name}.py").is_file()}


def write_report(root: Path, names: Sequence[str]) -> str:
    """similarity.md and the pages in `root`, for the graded `names`; report.html's section.
    Comparing reads only each record's fingerprints; the code is read for the pages alone."""
    hashes = {name: read_hashes(root / "code" / f"{name}.json") for name in names}
    code = {name: found for name, found in hashes.items() if found is not None}
    without = [name for name, found in hashes.items() if found is None]
    found = compare.alike(code, stubs())
    folder = root / "similarity"
    folder.mkdir(exist_ok=True)
    for old in [*folder.glob("pair-*.html"), *folder.glob("same-*.html")]:
        old.unlink()  # from an earlier run, listing others
    for number, group in enumerate(found.groups, start=1):
        record = read(root / "code" / f"{group[0]}.json") or {}
        atomic.write_text(root / pages.group_name(number), pages.group_page(
            number, group, {exercise: text for exercise, (text, _) in record.items()}))
    for rank, pair in enumerate(found.pairs, start=1):
        first, second = ({exercise: (text, marked(text, prints, pair, exercise))
                          for exercise, (text, prints) in (read(
                              root / "code" / f"{who}.json") or {}).items()}
                         for who in (pair.first, pair.second))
        atomic.write_text(root / pages.page_name(rank),
                          pages.pair_page(rank, pair, first, second))
    atomic.write_text(root / "similarity.md", pages.summary_markdown(found, len(code), without))
    return pages.report_section(found, len(code))


def marked(code: str, prints: list[Print], pair: compare.Pair, exercise: str) -> frozenset[int]:
    """The lines of `code` to mark: those its shared fingerprints span that hold code (the
    docstring a fingerprint spans, from `def` to the first line of the body, is not marked)."""
    match = pair.exercises.get(exercise)
    if match is None:
        return frozenset()
    return compare.lines_of(prints, match.shared) & {line for _, line in tokens(code)}
