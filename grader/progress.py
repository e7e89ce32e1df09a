"""Progress of a bulk run: one line redrawn on a terminal, plain lines in a pipe or CI."""

from __future__ import annotations

import time
from typing import TextIO

from grader.escape import visible

BAR = 30


class Progress:
    def __init__(self, total: int, stream: TextIO, redraw: bool) -> None:
        self.total = total
        self.done = 0
        self.stream = stream
        self.redraw = redraw
        self.started = time.monotonic()

    def step(self, name: str, score: float, refused: str = "") -> None:
        self.done += 1
        elapsed = max(time.monotonic() - self.started, 1e-9)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate
        if self.redraw:
            filled = BAR * self.done // max(self.total, 1)
            self.stream.write(f"\r[{'#' * filled}{'.' * (BAR - filled)}] {self.done}/"
                              f"{self.total}  {rate:.1f}/s  {left:.0f} s left ")
        else:
            what = f"refused: {refused}" if refused else f"{score:g}"
            self.stream.write(visible(f"[{self.done}/{self.total}] {name}: {what}") + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.redraw and self.total:
            self.stream.write("\n")
            self.stream.flush()
