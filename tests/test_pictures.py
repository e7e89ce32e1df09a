"""Pictures are data drawn by pure functions; one that cannot be drawn is a note, never a crash."""

from __future__ import annotations

import json
import math

import pytest

from grader import pictures
from grader.render import as_json, as_text
from grader.results import ExerciseResult, Report, TestResult

POINTS = [(0, 0, 0, 1), (0, 1, 0, 0), (1, 0, 0, 0), (1, 1, 1, 1)]


def attached(picture: pictures.Picture) -> pictures.Picture:
    pictures.attach(picture)
    (taken,) = pictures.take()
    return taken


def test_a_plane_shows_the_line_and_the_wrong_answers():
    drawn = "\n".join(attached(pictures.plane("AND:", POINTS, (1.0, 1.0, -1.5))).lines())
    assert "." in drawn and "*" in drawn and "AND:" in drawn


@pytest.mark.parametrize("weights", [(10**1200, 1, 0), (math.nan, 1.0, 0.0), (math.inf, 1, 0)])
def test_weights_that_cannot_be_drawn_leave_a_note_and_a_report_that_renders(weights):
    picture = attached(pictures.plane("AND through your weights:", POINTS, weights))
    assert picture.kind == "note"
    assert "left out" in "\n".join(picture.lines())
    result = TestResult("t", "gate", "failed", 0, 1, message="wrong", pictures=(picture,))
    report = Report("s", (ExerciseResult("perceptron", 1, (result,)),))
    assert "left out" in as_text(report)
    json.loads(as_json(report), parse_constant=pytest.fail)


def test_values_that_are_not_finite_numbers_are_gaps_in_a_curve():
    xs = [0.0, 1.0, 2.0, 3.0, 4.0]
    picture = attached(pictures.curves("sigmoid:", xs, {
        "expected": [0.5] * 5, "yours": [0.5, math.nan, 10**1200, True, "x"]}))
    assert picture.kind == "curves"
    assert picture.data["series"]["yours"] == [0.5, None, None, None, None]
    assert len(picture.lines()) > 5


def test_mistakes_per_epoch_have_a_legend_and_count_epochs_right():
    drawn = "\n".join(attached(pictures.epochs("mistakes per epoch:", {
        "expected": [2, 1, 0], "yours": [4]})).lines())
    assert "3 epochs, ends at 0" in drawn and "1 epoch, ends at 4" in drawn
    assert "one character an epoch" in drawn
