"""`grade` started afresh: the baseline that watch mode and check() are measured against."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path


def cold_grade_ms(path: Path, runs: int, cwd: Path) -> float:
    """The median time of `grade PATH` in a new interpreter, in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "grader", str(path)], cwd=cwd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)
