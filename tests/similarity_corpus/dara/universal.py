"""Exercise 6: universal approximation with bumps (10 points).

Two steep sigmoid neurons make a bump: one steps up at `left`, the other steps up at
`right`, and their difference is a plateau between the two. Enough bumps side by side trace
any continuous function: a network with one hidden layer can approximate anything.

You may import math, random, typing, __future__ and your earlier exercises.
"""

from activations import sigmoid


def bump(x, left, right, height, steepness=1000.0):
    """Return height * (sigmoid(k * (x - left)) - sigmoid(k * (x - right))), k = steepness.

    About `height` for left < x < right, about 0 outside.

    Example: bump(0.5, 0, 1, 2.0) ≈ 2.0 and bump(1.5, 0, 1, 2.0) ≈ 0.0.
    Pitfall: k multiplies the whole (x - left), not only x.
    """
    edges = ((left, 1), (right, -1))  # step up at left, step down at right
    return height * sum(sign * sigmoid(steepness * (x - e)) for e, sign in edges)


def approximate(f, lo, hi, n):
    """Return n bumps, as (left, right, height) tuples, that tile [lo, hi].

    They have equal width (hi - lo) / n, sit edge to edge from lo to hi, and each is as
    tall as f at the middle of its interval.

    Example: approximate(square, 0, 2, 2) == [(0.0, 1.0, 0.25), (1.0, 2.0, 2.25)]
    """
    cuts = [lo + (hi - lo) * i / n for i in range(n + 1)]
    return [(a, c, f((a + c) / 2)) for a, c in zip(cuts, cuts[1:])]


def evaluate(bumps, x, steepness=1000.0):
    """Return the sum of all the bumps at x.

    This is a network with one hidden layer of 2n sigmoid neurons. For f = math.sin on
    [0, 2π] with n = 100 it stays within 0.05 of sin(x), away from the bump edges.
    """
    return sum(map(lambda t: bump(x, *t, steepness=steepness), bumps))
