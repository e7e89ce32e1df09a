"""Exercise 3: the neuron, a dot product followed by a squish (10 points).

Put the first two exercises together and you have a neuron: it weighs its inputs (w · x),
adds its bias b, and squishes the result with an activation. With two inputs, the points
where w · x + b is exactly 0 form a line, the decision boundary: on one side the neuron
leans towards 1, on the other towards 0. Learning moves that line.

You may import math, random, typing, __future__ and your earlier exercises.
"""

from activations import sigmoid
from dot_product import dot


def neuron(w, b, x, activation=sigmoid):
    """Return activation(w · x + b): the neuron's output for input x.

    w (weights) and x (input) are vectors of the same length, b (bias) is a number, and
    activation is any function of one number (sigmoid unless another is given).

    Examples:
        neuron([1, 1], -2, [1, 1]) == sigmoid(0) == 0.5
        neuron([2, 3], 1, [1, -1], activation=relu) == relu(0) == 0

    Use your dot from exercise 1. Do not change w or x.
    """
    return activation(b + dot(w, x))


def decision_boundary(w, b):
    """Return (slope, intercept) of the line where a two-input neuron is undecided.

    That line is w1*x1 + w2*x2 + b = 0, here w = (w1, w2). Solve it for x2 to write it
    as x2 = slope * x1 + intercept.

    Example: decision_boundary((1, 1), -1.5) == (-1.0, 1.5): the line x2 = -x1 + 1.5.

    When w2 == 0 the line is vertical (x1 = -b / w1) and has no slope: raise ValueError.
    """
    w1, w2 = w
    if not w2:
        raise ValueError("w2 == 0: the boundary x1 = -b/w1 is vertical")
    scale = -1.0 / w2
    return (w1 * scale, b * scale)
