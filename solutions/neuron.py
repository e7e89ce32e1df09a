"""Exercise 3: a neuron is a dot product followed by a squish."""

from activations import sigmoid
from dot_product import dot


def neuron(w, b, x, activation=sigmoid):
    """activation(w · x + b)."""
    return activation(dot(w, x) + b)


def decision_boundary(w, b):
    """The line w1*x1 + w2*x2 + b = 0 as x2 = slope*x1 + intercept: (slope, intercept)."""
    w1, w2 = w
    if w2 == 0:
        raise ValueError("w2 is 0: the boundary is the vertical line x1 = -b / w1")
    return (-w1 / w2, -b / w2)
