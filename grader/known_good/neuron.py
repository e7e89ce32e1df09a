# A working neuron, put in place of a student's broken one while grading a later exercise whose
# file imports it (the contract allows that), so that one mistake costs points once. Runs inside
# the worker, in a worker that does not grade neuron.

from activations import sigmoid
from dot_product import dot


def neuron(w, b, x, activation=sigmoid):
    return activation(dot(w, x) + b)


def decision_boundary(w, b):
    w1, w2 = w
    if w2 == 0:
        raise ValueError("w2 is 0: the boundary is the vertical line x1 = -b / w1")
    return (-w1 / w2, -b / w2)
