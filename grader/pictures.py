"""Pictures of the lesson's ideas in plain characters, so that they work in any terminal and in
feedback files: the input plane with a decision boundary, mistakes per epoch, and a curve
drawn over the one expected.

A picture is data (what the JSON carries) and a pure function that draws it. A suite attaches
pictures to the test being run with `attach`; the grading plugin takes them with `take`.
"""

from __future__ import annotations

import json
import math
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Point = tuple[float, float, int, int | None]  # x1, x2, expected output, the student's output

PLANE_COLUMNS, PLANE_ROWS = 29, 11  # x1 and x2 from -0.25 to 1.25
CURVE_ROWS = 11
TITLE_WIDTH = 76
LEVELS = " .:-=+*#"


@dataclass(frozen=True)
class Picture:
    kind: str  # "plane", "epochs", "curves", or "note" for one that could not be drawn
    title: str
    data: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "title": self.title, **self.data}

    def lines(self) -> list[str]:
        drawers: dict[str, Callable[..., list[str]]] = {
            "plane": draw_plane, "epochs": draw_epochs, "curves": draw_curves,
            "note": draw_note}
        return [*textwrap.wrap(self.title, TITLE_WIDTH), *drawers[self.kind](**self.data)]


LEFT_OUT = ("(left out: the numbers your code gave cannot be drawn here, too large for a "
            "float or not numbers at all; the message above says what was wrong)")
pending: list[Picture] = []


def attach(picture: Picture) -> None:
    """Show `picture` with the feedback of the test being run, or a note in its place if it
    cannot be drawn or written as JSON (its data came from student code)."""
    try:
        picture.lines()
        json.dumps(picture.to_json(), allow_nan=False)
    except Exception:  # whatever a value does to drawing, the report must still render
        picture = Picture("note", picture.title, {"text": LEFT_OUT})
    pending.append(picture)


def take() -> tuple[Picture, ...]:
    """The pictures attached since the last call (the plugin calls it around each test)."""
    taken = tuple(pending)
    pending.clear()
    return taken


def plane(title: str, points: list[Point], weights: tuple[float, float, float] | None) -> Picture:
    return Picture("plane", title, {"points": [list(p) for p in points],
                                    "weights": list(weights) if weights else None})


def epochs(title: str, series: dict[str, list[int]]) -> Picture:
    return Picture("epochs", title, {"series": series})


def curves(title: str, xs: list[float], series: dict[str, list[Any]]) -> Picture:
    """Each series over xs; a value that is not a finite number is a gap in its curve."""
    return Picture("curves", title, {"xs": xs, "series": {
        name: [drawable(value) for value in values] for name, values in series.items()}})


def drawable(value: Any) -> float | None:
    """The value as a finite float, or None (a bool, a huge int, nan, not a number)."""
    if type(value) not in (int, float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def draw_plane(points: list[list[Any]], weights: list[float] | None) -> list[str]:
    """The unit square with each input's expected output, `*` beside a wrong answer, and the
    line where w1*x1 + w2*x2 + b = 0 drawn with `.`: the neuron fires on its `+` side."""
    def at(column: int, row: int) -> tuple[float, float]:
        return (-0.25 + 1.5 * column / (PLANE_COLUMNS - 1),
                1.25 - 1.5 * row / (PLANE_ROWS - 1))

    grid = [[" "] * PLANE_COLUMNS for _ in range(PLANE_ROWS)]
    if weights:
        w1, w2, b = weights
        for row in range(PLANE_ROWS):
            for column in range(PLANE_COLUMNS):
                x1, x2 = at(column, row)
                here = w1 * x1 + w2 * x2 + b
                right = w1 * at(column + 1, row)[0] + w2 * x2 + b
                below = w1 * x1 + w2 * at(column, row + 1)[1] + b
                if (here > 0) != (right > 0) or (here > 0) != (below > 0):
                    grid[row][column] = "."
                elif column in (0, PLANE_COLUMNS - 1) and row in (0, PLANE_ROWS - 1):
                    grid[row][column] = "+" if here > 0 else "-"
    for x1, x2, expected, predicted in points:
        column = round((x1 + 0.25) / 1.5 * (PLANE_COLUMNS - 1))
        row = round((1.25 - x2) / 1.5 * (PLANE_ROWS - 1))
        grid[row][column] = str(expected)
        if predicted is not None and predicted != expected:
            grid[row][column + 1] = "*"
    def column_of(x1: float) -> int:
        return round((x1 + 0.25) / 1.5 * (PLANE_COLUMNS - 1))

    def row_of(x2: float) -> int:
        return round((1.25 - x2) / 1.5 * (PLANE_ROWS - 1))

    labels = {0: "x2", row_of(1): " 1", row_of(0): " 0"}
    lines = [f"  {labels.get(i, '  ')} |{''.join(row)}" for i, row in enumerate(grid)]
    lines.append("     +" + "-" * PLANE_COLUMNS)
    ticks = [" "] * (PLANE_COLUMNS + 4)
    ticks[column_of(0)], ticks[column_of(1)] = "0", "1"
    lines.append("      " + "".join(ticks).rstrip() + "  x1")
    if weights:
        lines.append("  . your line w1*x1 + w2*x2 + b = 0 (+ : the neuron says 1), "
                     "* : a wrong answer")
    return lines


def draw_note(text: str) -> list[str]:
    return textwrap.wrap(text, TITLE_WIDTH, initial_indent="  ", subsequent_indent="  ")


def draw_epochs(series: dict[str, list[int]]) -> list[str]:
    """Mistakes per epoch, one character an epoch, taller for more mistakes."""
    most = max((count for counts in series.values() for count in counts), default=0) or 1
    width = max(len(label) for label in series)
    lines = []
    for label, counts in series.items():
        bar = "".join(LEVELS[min(len(LEVELS) - 1, math.ceil(c / most * (len(LEVELS) - 1)))]
                      for c in counts[:40])
        more = "..." if len(counts) > 40 else ""
        end = f"ends at {counts[-1]}" if counts else "no epoch"
        epochs = f"{len(counts)} epoch{'' if len(counts) == 1 else 's'}"
        lines.append(f"  {label:>{width}} |{bar}{more}| {epochs}, {end}")
    lines.append(f"  {'':>{width}}  one character an epoch: blank for no mistake, "
                 f"{LEVELS[-1]} for the most")
    return lines


def draw_curves(xs: list[float], series: dict[str, list[float | None]]) -> list[str]:
    """Each series over xs, one character a column (`.` the first, `o` the second, `@` where
    both fall); values far outside the first series' range are drawn at the edge."""
    expected = [v for v in next(iter(series.values())) if v is not None]
    low, high = (min(expected), max(expected)) if expected else (0.0, 1.0)
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    margin = (high - low) * 0.15
    low, high = low - margin, high + margin
    grid = [[" "] * len(xs) for _ in range(CURVE_ROWS)]
    for marks, values in zip(".o", series.values(), strict=False):
        for column, value in enumerate(values):
            if value is None or not math.isfinite(value):
                continue
            share = (min(max(value, low), high) - low) / (high - low)
            row = CURVE_ROWS - 1 - round(share * (CURVE_ROWS - 1))
            grid[row][column] = "@" if grid[row][column] not in (" ", marks) else marks
    lines = [f"  {high:8.3g} |{''.join(grid[0])}"]
    lines += [f"  {'':8} |{''.join(row)}" for row in grid[1:-1]]
    lines.append(f"  {low:8.3g} |{''.join(grid[-1])}")
    lines.append(f"  {'':8} +{'-' * len(xs)}")
    lines.append(f"  {'':8}  {xs[0]:<8.3g}{xs[-1]:>{max(len(xs) - 8, 1)}.3g}")
    names = list(series)
    lines.append(f"  . {names[0]}" + (f"   o {names[1]}   @ both" if len(names) > 1 else ""))
    return lines
