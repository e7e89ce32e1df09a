"""Exercise 5: XOR needs a hidden layer (20 points).

One neuron draws one line, and no line separates XOR's 1s from its 0s. Two hidden neurons
draw two lines, and an output neuron combines what they say.

You may import math, random, typing, __future__ and your earlier exercises.
"""

from activations import step
from dot_product import dot

# Choose these by hand: (W_hidden, b_hidden, w_out, b_out) for a network with a hidden
# layer of step neurons that computes XOR. W_hidden has one row of two weights per hidden
# neuron, b_hidden one bias per hidden neuron, w_out one weight per hidden neuron, and
# b_out is a number. Hint: XOR(x1, x2) is "OR, and not AND".
# Hidden neuron 1 is OR (it fires unless both inputs are 0), hidden neuron 2
# is NAND (it fires unless both inputs are 1), and the output neuron is the
# AND of the two hidden neurons.
XOR_WEIGHTS = (
    [[2, 2], [-2, -2]],  # W_hidden
    [-1, 3],  # b_hidden
    [1, 1],  # w_out
    -1,  # b_out
)


def layer(W, b, x, activation):
    """Return the outputs of a layer of neurons: [activation(W[i] · x + b[i]) for each i].

    W holds one row of weights per neuron, b one bias per neuron, x is the input.

    Example: layer([[1, 2], [3, 4]], [0.5, -1], [1, 1], relu) == [3.5, 6]

    Raise ValueError when W and b have different lengths. Do not change W, b or x.
    """
    if len(W) != len(b):
        raise ValueError("W has " + str(len(W)) + " rows but b has " + str(len(b)) + " biases")
    outputs = []
    for i in range(len(W)):
        z = dot(W[i], x) + b[i]
        outputs.append(activation(z))
    return outputs


def xor(x1, x2):
    """Return XOR of two bits (the int 0 or 1) by a forward pass through XOR_WEIGHTS.

    Feed [x1, x2] through the hidden layer (use layer and step), then feed the hidden
    outputs through the output neuron.

    Example: xor(0, 1) == 1, xor(1, 1) == 0.
    """
    W_hidden = XOR_WEIGHTS[0]
    b_hidden = XOR_WEIGHTS[1]
    w_out = XOR_WEIGHTS[2]
    b_out = XOR_WEIGHTS[3]
    hidden = layer(W_hidden, b_hidden, [x1, x2], step)
    z = dot(w_out, hidden) + b_out
    return step(z)
