# A working perceptron, put in place of a student's broken one while grading a later exercise
# whose file imports it, so that one mistake costs points once. Runs inside the worker, in a
# worker that does not grade perceptron.

from activations import step
from dot_product import dot

GATES = {
    "AND": [((0, 0), 0), ((0, 1), 0), ((1, 0), 0), ((1, 1), 1)],
    "OR": [((0, 0), 0), ((0, 1), 1), ((1, 0), 1), ((1, 1), 1)],
    "NAND": [((0, 0), 1), ((0, 1), 1), ((1, 0), 1), ((1, 1), 0)],
    "NOR": [((0, 0), 1), ((0, 1), 0), ((1, 0), 0), ((1, 1), 0)],
    "XOR": [((0, 0), 0), ((0, 1), 1), ((1, 0), 1), ((1, 1), 0)],
}
HAND_WEIGHTS = {
    "AND": ((1, 1), -1.5),
    "OR": ((1, 1), -0.5),
    "NAND": ((-2, -2), 3),
    "NOR": ((-1, -1), 0.5),
}


def predict(w, b, x):
    return step(dot(w, x) + b)


def update(w, b, x, y, lr=1.0):
    err = y - predict(w, b, x)
    return ([wi + lr * err * xi for wi, xi in zip(w, x)], b + lr * err)


def train(data, epochs=100, lr=1.0):
    w, b = ([0] * len(data[0][0]), 0)
    mistakes = []
    for _ in range(epochs):
        mistakes.append(0)
        for x, y in data:
            mistakes[-1] += predict(w, b, x) != y
            w, b = update(w, b, x, y, lr)
        if mistakes[-1] == 0:
            break
    return (w, b, mistakes)


def gate_weights(gate):
    if gate == "XOR":
        raise ValueError("XOR is not linearly separable: no single neuron computes it")
    if gate not in HAND_WEIGHTS:
        raise ValueError(f"unknown gate {gate!r}")
    return HAND_WEIGHTS[gate]
