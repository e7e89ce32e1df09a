"""Hidden suite for exercise 6, universal (10 points)."""

import itertools
import math

import numpy as np

from grader.checks import (
    ABS_TOL,
    answer,
    builds_on,
    close,
    curve,
    hidden,
    of,
    picture_on_failure,
    points,
    unchanged,
)
from grader.student import Args, library

BUMP = (
    "A bump is two steep sigmoid neurons: one steps up by 1 at `left`, the other steps up by 1 "
    "at `right`. Their difference is 1 between the two edges and 0 outside; scale it by the "
    "height. The steepness k multiplies (x - edge) inside each sigmoid."
)
TILE = (
    "n bumps of equal width (hi - lo) / n cover [lo, hi] edge to edge: bump i runs from "
    "lo + i·width to lo + (i + 1)·width, and its height is f at the middle of that interval."
)
SUM = (
    "The network's output is the sum of all its bumps at x: each pair of hidden sigmoid neurons "
    "adds one bump, and together they trace f as a staircase."
)


def approximate(f, lo, hi, n):
    edges = np.linspace(lo, hi, n + 1)
    return [(float(a), float(b), f(float(a + b) / 2)) for a, b in itertools.pairwise(edges)]


# contract: bump = height·(sigmoid(k·(x - left)) - sigmoid(k·(x - right)))
@of("bump")
@points(2)
def test_bump_shape(student):
    """bump is `height` between left and right and about 0 outside"""
    draw = lambda: curve("bump(x, 0, 1, 2.0), yours against the expected:",  # noqa: E731
                         student, "bump", lambda x: 2.0 if 0 < x < 1 else 0.0, -1, 2,
                         after=(0, 1, 2.0))
    with picture_on_failure(draw):
        cases = (((0.5, 0, 1, 2.0), 2.0, ABS_TOL), ((-0.5, 0, 1, 2.0), 0.0, 1e-6),
                 ((1.5, 0, 1, 2.0), 0.0, 1e-6), ((3.0, 2, 4, -1.5), -1.5, ABS_TOL))
        for (_, expected, tolerance), outcome in zip(cases,
                                                     student.bump.each(c[0] for c in cases)):
            close(outcome, expected, hint=BUMP, abs_=tolerance)


# contract: bump(x, left, right, height, steepness=1000.0), k = steepness
@of("bump")
@points(1)
def test_bump_steepness(student):
    """bump uses its steepness (1000 unless given): a gentle bump has soft edges"""
    cases = ((Args(0.0, 0, 1, 1.0, steepness=5.0), 0.49330714907571516),
             (Args(1.2, 0, 1, 3.0, 2.0), 0.954418930180877),
             (Args(0.001, 0, 1, 1.0), 0.7310585786300049))  # sigmoid(1) - sigmoid(-999)
    for (_, expected), outcome in zip(cases, student.bump.each(a for a, _ in cases)):
        close(outcome, expected, hint=BUMP)


# contract: approximate(f, lo, hi, n): n bumps of equal width that tile [lo, hi], height f(midpoint)
@of("approximate")
@points(2)
def test_approximate_tiles(student):
    """approximate gives n equal bumps tiling [lo, hi], each as tall as f at its middle"""
    squares, identities = student.approximate.each([(library("square"), 0, 2, 4),
                                                    (library("identity"), -1, 1, 1)])
    close(squares, [(0, 0.5, 0.0625), (0.5, 1, 0.5625), (1, 1.5, 1.5625), (1.5, 2, 3.0625)],
          hint=TILE)
    close(identities, [(-1, 1, 0)], hint=TILE)


# contract: evaluate(bumps, x, steepness=1000.0): the sum of the bumps at x
@builds_on("bump")
@points(2)
def test_evaluate_sums_bumps(student):
    """evaluate adds up the bumps at x (steepness 1000 unless given), and leaves them be"""
    bumps = [(0, 1, 2.0), (1, 2, -1.0), (2, 3, 0.5)]
    xs = (0.5, 1.5, 2.5, 4.0)
    *traced, gentle, edge, none = student.evaluate.each(
        [*((bumps, x) for x in xs), Args([(0, 1, 1.0)], 1.0, steepness=2.0),
         ([(0, 1, 1.0)], 0.001), ([], 1.0)])
    for expected, outcome in zip((2.0, -1.0, 0.5, 0.0), traced, strict=True):
        close(outcome, expected, hint=SUM, abs_=1e-6)
    close(gentle, 0.3807970779778823, hint=SUM)  # sigmoid(2) - sigmoid(0)
    close(edge, 0.7310585786300049, hint=SUM)
    close(none, 0, hint=SUM)
    unchanged(traced[0], hint="evaluate only reads its bumps.")


# contract: for f = sin on [0, 2π], n = 100: within 0.05 of sin(x) away from the edges
@builds_on("bump", "approximate")
@points(2)
def test_sin_approximated(student):
    """100 bumps trace sin on [0, 2π] to within 0.05, away from the bump edges"""
    bumps = answer(student.approximate(library("sin"), 0, 2 * math.pi, 100), TILE)
    width = 2 * math.pi / 100
    draw = lambda: curve("sin, and the sum of your 100 bumps:",  # noqa: E731
                         student, "evaluate", math.sin, 0, 2 * math.pi, before=(bumps,),
                         count=49)
    with picture_on_failure(draw):
        xs = [(i + 0.5) * width for i in range(0, 100, 13)]
        for x, outcome in zip(xs, student.evaluate.each((bumps, x) for x in xs)):
            close(outcome, math.sin(x), hint=SUM, abs_=0.05, rel=0)


# contract: approximate and evaluate: n equal bumps of height f(midpoint), summed at x
@builds_on("bump")
@hidden
@points(1)
def test_other_functions_approximated(student):
    """approximate and evaluate trace other functions too"""
    close(student.approximate(library("cos"), -1, 3, 40), approximate(math.cos, -1, 3, 40),
          hint=TILE)
    bumps = approximate(math.exp, 0, 1, 25)
    xs = (0.02, 0.5, 0.98)
    for x, outcome in zip(xs, student.evaluate.each((bumps, x, 5000.0) for x in xs)):
        close(outcome, math.exp(x), hint=SUM, abs_=0.05, rel=0)
