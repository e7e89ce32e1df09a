"""How fast `grade --watch` shows the result of a save, against a cold `grade`.

Saves a fix and its undoing, over and over, into a copy of the reference solutions with a
mistake, while `grader.watch.watch` runs in this process as `grade --watch` runs it; prints the
median time from each save to its result, the median time of `grade` run afresh on the same
folder, and their ratio. Run from the project root:

    python benchmarks/watch.py [--runs 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from cold import cold_grade_ms

from grader import watch
from grader.render import Style

ROOT = Path(__file__).resolve().parent.parent
MISTAKE = ("wi * xi", "wi + xi")


class Stamps:
    """An output stream that notes when each result is written."""

    def __init__(self) -> None:
        self.times: list[float] = []

    def write(self, text: str) -> int:
        if text.startswith("dot_product") or "\ndot_product" in text:
            self.times.append(time.perf_counter())
        return len(text)

    def flush(self) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "work"
        shutil.copytree(ROOT / "solutions", folder, ignore=shutil.ignore_patterns("__pycache__"))
        target = folder / "dot_product.py"
        saves: list[float] = []

        def save(n: int) -> None:
            old, new = MISTAKE if n % 2 else MISTAKE[::-1]
            target.write_text(target.read_text().replace(old, new))
            saves.append(time.perf_counter())

        stamps = Stamps()
        watch.watch(folder, stamps, Style(), rounds=runs + 1, saved=save)  # type: ignore[arg-type]
        warm = [(shown - saved) * 1000 for saved, shown in zip(saves, stamps.times[1:],
                                                               strict=True)]
        cold_ms = cold_grade_ms(folder, runs, ROOT)
    saved_ms = statistics.median(warm)
    print(f"save to result, grade --watch  median {saved_ms:7.1f} ms over {runs} saves")
    print(f"grade, started afresh          median {cold_ms:7.1f} ms over {runs} runs")
    print(f"ratio {saved_ms / cold_ms:.2f} (a watched save takes this share of a cold grade)")


if __name__ == "__main__":
    main()
