"""How long `grade solutions` takes, against the bare start-up it cannot avoid.

Interleaves runs of `grade solutions` and of `python -c "import pytest, numpy"` in this one
process, and prints the median of each and their ratio. Run from the project root:

    python benchmarks/grade_latency.py [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = {
    "grade solutions": [sys.executable, "-m", "grader", str(ROOT / "solutions")],
    "python -c 'import pytest, numpy'": [sys.executable, "-c", "import pytest, numpy"],
}


def seconds(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    for command in COMMANDS.values():  # warm the file cache and __pycache__ first
        seconds(command)
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(runs):
        for name, command in COMMANDS.items():
            times[name].append(seconds(command))
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, median in medians.items():
        print(f"{name:36} median {median * 1000:7.1f} ms over {runs} runs")
    grade, baseline = medians.values()
    print(f"ratio {grade / baseline:.2f} (goal: at most 2.0)")


if __name__ == "__main__":
    main()
