"""Exercise 4: the perceptron and its learning rule (30 points).

A perceptron is a neuron whose activation is the step: it answers 1 or 0. Its decision
boundary is a straight line, so it can learn any gate whose 1s and 0s a line can separate
(AND, OR, NAND, NOR) and never XOR.

You may import math, random, typing, __future__ and your earlier exercises.
"""

from activations import step
from dot_product import dot

# Truth tables: lists of (input, expected output) pairs. Leave these as they are.
GATES = {
    "AND": [((0, 0), 0), ((0, 1), 0), ((1, 0), 0), ((1, 1), 1)],
    "OR": [((0, 0), 0), ((0, 1), 1), ((1, 0), 1), ((1, 1), 1)],
    "NAND": [((0, 0), 1), ((0, 1), 1), ((1, 0), 1), ((1, 1), 0)],
    "NOR": [((0, 0), 1), ((0, 1), 0), ((1, 0), 0), ((1, 1), 0)],
    "XOR": [((0, 0), 0), ((0, 1), 1), ((1, 0), 1), ((1, 1), 0)],
}


def predict(w, b, x):
    """Return step(w · x + b): the int 1 or 0.

    Example: predict((1, 1), -1.5, (1, 1)) == 1, since 1 + 1 - 1.5 = 0.5 > 0.
    On the line itself (w · x + b == 0) the answer is 0.
    """
    z = dot(w, x) + b
    return step(z)


def update(w, b, x, y, lr=1.0):
    """Apply the perceptron rule once and return the new (w, b).

    err = y - predict(w, b, x)    is +1, -1, or 0 when the prediction was right.
    new w[i] = w[i] + lr * err * x[i]
    new b    = b + lr * err

    Example: update([0, 0], 0, [1, 1], 1) == ([1.0, 1.0], 1.0)
    (predict said 0, the answer is 1, so err = 1 and every weight moves toward x).

    Pitfalls: err is y - prediction, not the other way round; the bias learns too;
    and w must be left unchanged: build a new list.
    """
    error = y - predict(w, b, x)
    new_w = []
    for i in range(len(w)):
        new_w.append(w[i] + lr * error * x[i])
    new_b = b + lr * error
    return new_w, new_b


def make_zero_weights(n):
    """A list of n zeros: one starting weight per input."""
    weights = []
    for i in range(n):
        weights.append(0.0)
    return weights


def train(data, epochs=100, lr=1.0):
    """Train a perceptron on data and return (w, b, mistakes).

    data is a list of (x, y) pairs, for example GATES["AND"].
    Start from all-zero weights (one per input) and bias 0. In each epoch, visit the pairs
    in order; for each pair, first count a mistake if predict(w, b, x) != y, then apply
    update. mistakes[i] is the number of mistakes in epoch i. Stop after the first epoch
    with no mistake, or after `epochs` epochs.

    Example: train(GATES["OR"]) gives mistakes == [1, 2, 1, 0].
    On XOR it never stops early: all epochs run and no epoch is mistake-free.
    """
    number_of_inputs = len(data[0][0])
    w = make_zero_weights(number_of_inputs)
    b = 0.0
    mistakes = []
    epoch = 0
    finished = False
    while epoch < epochs and not finished:
        wrong = 0
        for i in range(len(data)):
            x = data[i][0]
            y = data[i][1]
            if predict(w, b, x) != y:
                wrong = wrong + 1
            w, b = update(w, b, x, y, lr)
        mistakes.append(wrong)
        if wrong == 0:
            finished = True  # a perfect epoch: the weights are learned
        epoch = epoch + 1
    return w, b, mistakes


def gate_weights(gate):
    """Return hand-picked (w, b) for which predict computes the gate.

    gate is "AND", "OR", "NAND" or "NOR". Nielsen's NAND is w = (-2, -2), b = 3:
    predict((-2, -2), 3, (1, 1)) == 0 and 1 for the other three inputs.

    For "XOR" raise ValueError: no single neuron computes it (why not? draw it).
    Raise ValueError for any other name too.
    """
    if gate == "XOR":
        raise ValueError("XOR is not linearly separable, one neuron cannot do it")
    if gate == "AND":
        return (3, 3), -5
    elif gate == "OR":
        return (3, 3), -2
    elif gate == "NAND":
        return (-2, -2), 3
    elif gate == "NOR":
        return (-3, -3), 2
    else:
        raise ValueError("unknown gate: " + str(gate))
