"""Exercise 2: activations, the squish after the dot product (20 points).

A neuron computes z = w · x + b and then squishes z with a nonlinear activation. Without the
squish, layers of neurons would collapse into one linear function. Sigmoid and tanh are the
classic squishes; ReLU won in deep networks because its slope does not vanish.

You may import only math, random, typing and __future__ here (math.exp is all you need).
"""

import math


def sigmoid(z):
    """Return 1 / (1 + e^-z), a number between 0 and 1.

    Examples: sigmoid(0) == 0.5, sigmoid(2) ≈ 0.8808, sigmoid(-2) ≈ 0.1192.

    It must never raise for a finite z: sigmoid(1000) ≈ 1.0 and sigmoid(-1000) ≈ 0.0.
    Pitfall: for z = -1000, e^-z = e^1000 overflows (OverflowError). For negative z, multiply
    the top and the bottom by e^z first, so only e to a negative power is ever computed.
    """
    try:
        return 1 / (1 + math.exp(-z))
    except OverflowError:
        # e^-z is too big for a float: then the true value is below 1e-300 anyway
        return 0.0


def tanh(z):
    """Return (e^z - e^-z) / (e^z + e^-z), a number between -1 and 1.

    Examples: tanh(0) == 0.0, tanh(1) ≈ 0.7616, tanh(-1) ≈ -0.7616.

    It must never raise for a finite z: tanh(1000) == 1.0 and tanh(-1000) == -1.0.
    Pitfall: both exponentials overflow for large |z|. Rewrite the formula using only
    e^(-2|z|), and put the sign of z back at the end. (Build it yourself: no math.tanh.)
    """
    return 2 * sigmoid(2 * z) - 1  # tanh(z) = 2 sigmoid(2z) - 1


def relu(z):
    """Return max(0, z): z itself when it is positive, else 0.

    Examples: relu(3) == 3, relu(-2) == 0, relu(0) == 0.
    """
    return z if z > 0 else 0


def step(z):
    """Return the int 1 if z > 0, else the int 0: the perceptron's activation.

    Examples: step(0.5) == 1, step(-3) == 0, and step(0) == 0 (as in Nielsen's chapter 1).
    Pitfall: z >= 0 makes step(0) == 1. And return 1 or 0, not True or False.
    """
    return (0, 1)[z > 0]


def sigmoid_prime(z):
    """Return the slope of the sigmoid at z: sigmoid(z) * (1 - sigmoid(z)).

    Example: sigmoid_prime(0) == 0.25, its largest value. Far from 0 it is nearly 0.
    """
    s = sigmoid(z)
    return s - s * s


def tanh_prime(z):
    """Return the slope of tanh at z: 1 - tanh(z)**2.

    Example: tanh_prime(0) == 1.0.
    """
    t = tanh(z)
    return (1 - t) * (1 + t)


def relu_prime(z):
    """Return the slope of ReLU at z: 1 if z > 0, else 0.

    Example: relu_prime(5) == 1, relu_prime(-5) == 0, relu_prime(0) == 0.
    """
    return step(z)  # same thing


def chain_gradient(prime, zs):
    """Return the product of prime(z) for every z in zs (1 when zs is empty).

    prime is a slope function such as sigmoid_prime. Picture a chain of one-neuron layers,
    each with weight 1; zs holds each layer's input z. By the chain rule the gradient that
    reaches the first layer is the product of the local slopes.

    Examples:
        chain_gradient(sigmoid_prime, [0] * 10) == 0.25 ** 10  (about 1e-6: it vanishes)
        chain_gradient(relu_prime, [1, 2, 3]) == 1              (it survives)
        chain_gradient(sigmoid_prime, []) == 1
    """
    g = 1
    for slope in map(prime, zs):
        g *= slope
    return g
