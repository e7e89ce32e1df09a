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
XOR_WEIGHTS = None


def layer(W, b, x, activation):
    """Return the outputs of a layer of neurons: [activation(W[i] · x + b[i]) for each i].

    W holds one row of weights per neuron, b one bias per neuron, x is the input.

    Example: layer([[1, 2], [3, 4]], [0.5, -1], [1, 1], relu) == [3.5, 6]

    Raise ValueError when W and b have different lengths. Do not change W, b or x.
    """
    raise NotImplementedError


def xor(x1, x2):
    """Return XOR of two bits (the int 0 or 1) by a forward pass through XOR_WEIGHTS.

    Feed [x1, x2] through the hidden layer (use layer and step), then feed the hidden
    outputs through the output neuron.

    Example: xor(0, 1) == 1, xor(1, 1) == 0.
    """
    raise NotImplementedError
