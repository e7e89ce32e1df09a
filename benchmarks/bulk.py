"""How fast `grade bulk` grades a class, against the interpreter start it must beat.

Makes synthetic submissions (the reference solutions, and copies with typical mistakes),
grades 200 of them with `grade bulk` on every core, and prints the milliseconds per
submission next to those of 200 bare interpreter starts (`python -c pass`) measured in the
same run (medians of several runs each), and their ratio. Then prints the peak memory of the
largest process of a bulk run over 100 and over 1000 submissions. Run from the project root:

    python benchmarks/bulk.py [--runs 3] [--class-size 200] [--no-memory]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MISTAKES = [  # (file, reference text, mistaken text)
    None,
    ("dot_product", "wi * xi for", "wi + xi for"),
    ("activations", "return max(0, z)", "return abs(z)"),
    ("perceptron", "err = y - predict(w, b, x)", "err = predict(w, b, x) - y"),
    ("neuron", "activation(dot(w, x) + b)", "activation(dot(w, x))"),
    ("universal", "f((left + right) / 2)", "f(left)"),
]
PEAK_RSS = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
            "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def make_class(folder: Path, size: int) -> Path:
    folder.mkdir(parents=True)
    for i in range(size):
        target = folder / f"student{i:04d}"
        shutil.copytree(ROOT / "solutions", target)
        mistake = MISTAKES[i % len(MISTAKES)]
        if mistake:
            name, old, new = mistake
            path = target / f"{name}.py"
            path.write_text(path.read_text().replace(old, new))
    return folder


def bulk_command(folder: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "grader", "bulk", str(folder), "--out", str(out)]


def seconds(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def bare_starts(count: int) -> float:
    start = time.perf_counter()
    for _ in range(count):
        subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--class-size", type=int, default=200)
    parser.add_argument("--no-memory", action="store_true")
    args = parser.parse_args()
    size = args.class_size
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        folder = make_class(work / "class", size)
        bulk_ms, bare_ms = [], []
        for run in range(args.runs):  # interleaved, so that both see the same machine
            bare_ms.append(bare_starts(size) / size * 1000)
            bulk_ms.append(seconds(bulk_command(folder, work / f"out{run}")) / size * 1000)
        bulk, bare = statistics.median(bulk_ms), statistics.median(bare_ms)
        print(f"grade bulk, {size} submissions:  {bulk:6.1f} ms per submission "
              f"(median of {args.runs})")
        print(f"python -c pass, {size} starts:   {bare:6.1f} ms per start (median of {args.runs})")
        print(f"ratio {bulk / bare:.2f} (goal: at most 1.0)")
        if args.no_memory:
            return
        for count in (100, 1000):
            sized = make_class(work / f"class{count}", count)
            command = [sys.executable, "-c", PEAK_RSS, *bulk_command(sized, work / f"m{count}")]
            peak = int(subprocess.run(command, check=True, capture_output=True,
                                      text=True).stdout) / 1024
            print(f"peak memory of the largest process, {count:4} submissions: {peak:6.1f} MiB")


if __name__ == "__main__":
    main()
