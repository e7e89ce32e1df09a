"""The similarity report, measured: its precision and recall on the corpus of known copies and
independent solutions (tests/similarity_corpus), and its time for a class of 100 and of 1,000.

The classes are made from the corpus's four independent authors: each student takes each
exercise from one of them (so much of the code is common) and adds a statement or two of
their own to every function; one student in ten hands in a disguised copy of the one before.
Prints the median time (of --runs) to fingerprint the class (grade bulk does this in its
jobs, in parallel) and to compare it, the pairs listed against the copies planted, and the
ratio of the 1,000 class's comparing time to the 100 class's: 10 is linear, 100 quadratic.
Run from the project root:

    python benchmarks/similarity.py [--runs 3]
"""

from __future__ import annotations

import argparse
import ast
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader.catalog import NAMES  # noqa: E402
from grader.similarity import compare, records  # noqa: E402
from grader.similarity.fingerprint import fingerprints_of  # noqa: E402
from tests.similarity_corpus import (  # noqa: E402
    AUTHORS,
    authored,
    disguised_all,
    listed,
    measured,
)


def expression(rng: random.Random, depth: int = 3) -> str:
    """A random expression: students' own code differs in shape, not just in names."""
    if depth == 0 or rng.random() < 0.2:
        return rng.choice(["1", "2.5", "len([])", "abs(-3)", "'x'", "None", "True"])
    shape = rng.choice(["({} + {})", "({} * {})", "[{}, {}]", "({} if {} else 0)",
                        "max({}, {})", "({}, {})", "str({}) + str({})", "({} or {})"])
    return shape.format(expression(rng, depth - 1), expression(rng, depth - 1))


def own_touch(code: str, rng: random.Random) -> str:
    """A statement or two of the student's own in every function: each student's code
    differs from the author's it started from in its own way."""
    tree = ast.parse(code)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            for _ in range(rng.randrange(1, 3)):
                statement = ast.parse(f"seen = {expression(rng)}").body[0]
                node.body.insert(rng.randrange(1, len(node.body) + 1), statement)
    return ast.unparse(tree)


def make_class(size: int, seed: int) -> dict[str, dict[str, str]]:
    rng = random.Random(seed)
    works = {author: authored(author) for author in AUTHORS}
    made: dict[str, dict[str, str]] = {}
    for number in range(size):
        name = f"student{number:04d}"
        if number % 10 == 9:
            made[name] = {n: disguised_all(code) for n, code in made[f"student{number - 1:04d}"]
                          .items()}
        else:
            made[name] = {n: own_touch(works[rng.choice(AUTHORS)][n], rng) for n in NAMES}
    return made


def timed(size: int, runs: int) -> tuple[float, float, set[tuple[str, str]]]:
    made = make_class(size, seed=size)
    stubs = records.stubs()
    prints_ms, compare_ms, found = [], [], set()
    for _ in range(runs):
        start = time.perf_counter()
        code = {name: {n: compare.hashes_of(prints) for n, prints in zip(
                    work, fingerprints_of(list(work.values())), strict=True)}
                for name, work in made.items()}
        prints_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        found = listed(compare.alike(code, stubs))
        compare_ms.append((time.perf_counter() - start) * 1000)
    return statistics.median(prints_ms), statistics.median(compare_ms), found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    precision, recall, wrong, missed = measured()
    print(f"corpus: precision {precision:.2f}, recall {recall:.2f} "
          f"({len(wrong)} pairs listed wrongly, {len(missed)} missed)")
    for pair in missed:
        print(f"  missed: {pair}")
    figures = {size: timed(size, runs) for size in (100, 1000)}
    for size, (prints_ms, compare_ms, found) in figures.items():
        planted = {(f"student{n - 1:04d}", f"student{n:04d}") for n in range(9, size, 10)}
        print(f"{size:5d} submissions: fingerprints {prints_ms:8.1f} ms, comparing "
              f"{compare_ms:8.1f} ms (median of {runs}); {len(found & planted)} of "
              f"{len(planted)} planted copies listed, {len(found - planted)} other pairs")
    print(f"ratio {figures[1000][1] / figures[100][1]:.1f} (comparing 1,000 against 100: 10 is "
          "linear, 100 quadratic)")


if __name__ == "__main__":
    main()
