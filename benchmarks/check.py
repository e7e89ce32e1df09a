"""How fast check() answers in a notebook, against `grade` started afresh on the same notebook.

Runs the reference solutions' cells in an IPython shell in this process (as a kernel runs
them), then checks all six exercises again and again, each time after re-running one cell with
a mistake or its fix; prints the median time of the first check (which starts the grading
process), of the checks after it, of a cold `grade` of the same cells saved as a notebook, and
the ratio of a warm check to a cold grade. Run from the project root:

    python benchmarks/check.py [--runs 5]
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from pathlib import Path

import nbformat
from cold import cold_grade_ms
from IPython.core.interactiveshell import InteractiveShell

from grader.catalog import NAMES

ROOT = Path(__file__).resolve().parent.parent
KIT_IMPORT = re.compile(r"^from (?:dot_product|activations|neuron|perceptron|xor_network) "
                        r"import .*\n", re.MULTILINE)
MISTAKE = ("wi * xi", "wi + xi")


def timed(shell: InteractiveShell, code: str) -> float:
    start = time.perf_counter()
    result = shell.run_cell(code, store_history=True)
    result.raise_error()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    cells = {name: KIT_IMPORT.sub("", (ROOT / "solutions" / f"{name}.py").read_text())
             for name in NAMES}
    shell = InteractiveShell.instance()
    timed(shell, "from grader import check")
    for code in cells.values():
        timed(shell, code)
    first = timed(shell, "_ = check()")
    warm = []
    for n in range(runs):
        old, new = MISTAKE if n % 2 == 0 else MISTAKE[::-1]
        cells["dot_product"] = cells["dot_product"].replace(old, new)
        timed(shell, cells["dot_product"])
        warm.append(timed(shell, "_ = check()"))
    with tempfile.TemporaryDirectory() as scratch:
        book = nbformat.v4.new_notebook()
        book.cells = [nbformat.v4.new_code_cell(code) for code in cells.values()]
        path = Path(scratch) / "work.ipynb"
        nbformat.write(book, path)
        cold_ms = cold_grade_ms(path, runs, Path(scratch))
    warm_ms = statistics.median(warm)
    print(f"first check() (starts its grader)  {first:7.1f} ms")
    print(f"check() after a re-run cell        median {warm_ms:7.1f} ms over {runs} checks")
    print(f"grade on the saved notebook, cold  median {cold_ms:7.1f} ms over {runs} runs")
    print(f"ratio {warm_ms / cold_ms:.2f} (a check takes this share of a cold grade)")


if __name__ == "__main__":
    main()
