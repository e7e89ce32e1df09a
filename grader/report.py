"""The class report: one self-contained HTML page an instructor reads at a glance.

No script, no external style or font, nothing fetched: the page opens from a folder, an email
or a learning platform alike, and a name a student chose is always escaped. Bars are plain
elements whose width is the number, so that they read the same for 10 students and for 1000.
"""

from __future__ import annotations

import html
import statistics
from collections.abc import Sequence
from urllib.parse import quote

from grader.catalog import NAMES
from grader.gradebook import Row, Tally, bins, number, pass_rates

STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 64rem;
       padding: 0 1rem; color: #1d1d1f; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2.2rem; }
.figures { display: flex; gap: 2rem; flex-wrap: wrap; }
.figure b { display: block; font-size: 1.8rem; }
.bars { display: grid; grid-template-columns: minmax(6rem, max-content) 1fr 6rem;
        gap: .25rem .75rem; align-items: center; }
.bar { background: #e8e8ed; height: .9rem; border-radius: .2rem; }
.bar span { display: block; height: 100%; background: #3d7bd9; border-radius: .2rem; }
.hard span { background: #d9534f; } .medium span { background: #e8a33d; }
.number { text-align: right; font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: .25rem .5rem; border-bottom: 1px solid #e8e8ed; text-align: right; }
th:first-child, td:first-child, td.note { text-align: left; }
tr.refused td { color: #8a1c1c; }
"""


def page(rows: Sequence[Row], tally: Tally, alike: str = "") -> str:
    """The class report; `alike` is the similarity section (grader/similarity/pages.py)."""
    totals = tally.totals
    figures = [("submissions", str(len(rows))), ("graded", str(len(totals))),
               ("refused", str(tally.refused))]
    if totals:
        figures += [("mean", f"{statistics.fmean(totals):.1f}"),
                    ("median", number(statistics.median(totals))),
                    ("out of", number(tally.max_score))]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Class report: How a single neuron works</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>Class report: How a single neuron works</h1>",
        '<div class="figures">',
        *(f'<div class="figure" id="{e(name)}"><b>{e(value)}</b>{e(name)}</div>'
          for name, value in figures),
        "</div>",
        "<h2>Totals</h2>",
        bars([(label, count, f"{count}") for label, count in bins(totals, tally.max_score)]
             if totals else [], "histogram"),
        "<h2>Exercises, average score</h2>",
        bars([(name, tally.exercise_sums[name] / len(totals) / tally.exercise_max[name],
               f"{tally.exercise_sums[name] / len(totals):.1f} / "
               f"{number(tally.exercise_max[name])}")
              for name in NAMES if name in tally.exercise_max and totals], "exercises",
             fraction=True),
        "<h2>Tests, hardest first</h2>",
        bars([(f"{exercise}: {test}", rate, f"{rate:.0%}")
              for rate, exercise, test in pass_rates(tally)], "tests", fraction=True),
        alike,
        "<h2>Submissions</h2>",
        table(rows),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def e(text: str) -> str:
    return html.escape(text, quote=True)


def bars(items: list[tuple[str, float, str]], name: str, fraction: bool = False) -> str:
    """One row per item: its label, a bar as wide as its value, the value written out."""
    if not items:
        return f'<p id="{name}">Nothing graded.</p>'
    widest = 1.0 if fraction else max(value for _, value, _ in items) or 1.0
    rows = []
    for label, value, shown in items:
        width = 100 * value / widest
        level = ("hard" if value < 0.5 else "medium" if value < 0.8 else "") if fraction else ""
        rows.append(f'<span>{e(label)}</span><div class="bar {level}"><span style="width: '
                    f'{width:.1f}%"></span></div><span class="number">{e(shown)}</span>')
    return f'<div class="bars" id="{name}">' + "".join(rows) + "</div>"


def table(rows: Sequence[Row]) -> str:
    head = "".join(f"<th>{e(h)}</th>" for h in ("submission", "score", "out of", *NAMES,
                                                   "note"))
    body = []
    for row in rows:
        link = f'<a href="feedback/{quote(row.name)}.txt">{e(row.name)}</a>'
        cells = [link, number(row.score), number(row.max_score),
                 *(number(score) for score in row.exercises)]
        body.append(f'<tr class="{"refused" if row.note else ""}" data-submission='
                    f'"{e(row.name)}">' + "".join(f"<td>{cell}</td>" for cell in cells)
                    + f'<td class="note">{e(row.note)}</td></tr>')
    return f'<table id="submissions"><tr>{head}</tr>' + "".join(body) + "</table>"
