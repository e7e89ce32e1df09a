"""Exercise 5: a hidden layer computes what one neuron cannot."""

from activations import step
from dot_product import dot

# Hidden neurons OR and NAND; the output neuron ANDs them: XOR = OR and not AND.
XOR_WEIGHTS = (
    [[1, 1], [-1, -1]],
    [-0.5, 1.5],
    [1, 1],
    -1.5,
)


def layer(W, b, x, activation):
    """One neuron per row of W: activation(W[i] · x + b[i])."""
    if len(W) != len(b):
        raise ValueError(f"{len(W)} rows of weights but {len(b)} biases")
    return [activation(dot(wi, x) + bi) for wi, bi in zip(W, b)]


def xor(x1, x2):
    """The forward pass through XOR_WEIGHTS."""
    W_hidden, b_hidden, w_out, b_out = XOR_WEIGHTS
    hidden = layer(W_hidden, b_hidden, [x1, x2], step)
    return step(dot(w_out, hidden) + b_out)
