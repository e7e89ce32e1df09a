"""A report as HTML for a notebook: the text `grade` prints, laid out for a page, every text in
it escaped (a student's output or names never become markup). Pure: no printing."""

from __future__ import annotations

import html
import textwrap

from grader.render import LABELS, explanations, not_started, points
from grader.results import ExerciseResult, Report, TestResult

COLOURS = {"passed": "#1a7f37", "failed": "#cf222e", "error": "#cf222e", "timeout": "#9a6700"}
PRE = "<pre style='margin:0.2em 0 0.6em 2em;line-height:1.25'>{}</pre>"


def as_html(report: Report) -> str:
    parts = [f"<p><b>note:</b> {html.escape(note)}</p>" for note in report.notes]
    parts += [exercise_html(exercise) for exercise in report.exercises]
    total = f"Total: {points(report.score, report.max_score)}"
    parts.append(f"<p><b>{total}{'  - every test passed.' if report.passed else ''}</b></p>")
    return f"<div class='neuron-kit-check'>{''.join(parts)}</div>"


def exercise_html(exercise: ExerciseResult) -> str:
    parts = [f"<h4 style='margin:0.6em 0 0.2em 0'>{html.escape(exercise.name)} "
             f"&mdash; {points(exercise.score, exercise.max_score)}</h4>"]
    if not_started(exercise):
        return parts[0] + f"<p><b>to do:</b> {html.escape(not_started(exercise))}</p>"
    parts += [f"<p><b>note:</b> {html.escape(note)}</p>" for note in exercise.notes]
    if exercise.problem:
        return "".join([*parts, f"<p><b>problem:</b> {html.escape(exercise.problem)}<br>"
                        f"<b>score:</b> 0 for all {len(exercise.tests)} tests of this "
                        "exercise</p>"])
    parts += [test_html(test, textwrap.dedent("\n".join(rows)))
              for test, rows in explanations(exercise)]
    return "".join(parts)


def test_html(test: TestResult, explained: str) -> str:
    label = (f"<span style='color:{COLOURS[test.status]};font-weight:bold'>"
             f"{LABELS[test.status]}</span>")
    name = html.escape(("(hidden) " if test.hidden else "") + test.name)
    line = (f"<div>{label} {name} <span style='opacity:0.7'>"
            f"{points(test.score, test.max_score)}</span></div>")
    shown = [explained] if explained else []
    shown += ["\n".join(picture.lines()) for picture in test.pictures]
    return line + PRE.format(html.escape("\n\n".join(shown))) if shown else line
