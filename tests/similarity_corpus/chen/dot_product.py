"""Exercise 1: the dot product (10 points).

A neuron starts by weighing its inputs: it multiplies each input by its own weight and adds
the products up. That sum is the dot product, w · x. Run `grade` to check your work.

You may import only math, random, typing and __future__ here: the point is to build it by hand.
"""

import math


def dot(w, x):
    """Return the dot product w · x: the sum of w[i] * x[i] over every position i.

    w and x are vectors: lists or tuples of numbers, of the same length.

    Example:
        dot([1, 2, 3], [4, 5, 6]) == 1*4 + 2*5 + 3*6 == 32
        dot([], []) == 0            (the sum of no products)

    Vectors of different lengths have no dot product: raise ValueError for them.
    Pitfall: pairing the entries up with zip() quietly stops at the shorter vector,
    so dot([1, 2, 3], [1, 2]) would return 5 instead of complaining.

    Do not change w or x.
    """
    # zip(strict=True) refuses vectors of different lengths with a ValueError;
    # fsum keeps the rounding error of the sum as small as it can be.
    return math.fsum(wi * xi for wi, xi in zip(w, x, strict=True))
