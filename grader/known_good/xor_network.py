# A working xor_network, put in place of a student's broken one while grading a later exercise
# whose file imports it, so that one mistake costs points once. Runs inside the worker, in a
# worker that does not grade xor_network.

from activations import step
from dot_product import dot

XOR_WEIGHTS = ([[1, 1], [-1, -1]], [-0.5, 1.5], [1, 1], -1.5)


def layer(W, b, x, activation):
    if len(W) != len(b):
        raise ValueError(f"{len(W)} rows of weights but {len(b)} biases")
    return [activation(dot(wi, x) + bi) for wi, bi in zip(W, b)]


def xor(x1, x2):
    W_hidden, b_hidden, w_out, b_out = XOR_WEIGHTS
    hidden = layer(W_hidden, b_hidden, [x1, x2], step)
    return step(dot(w_out, hidden) + b_out)
