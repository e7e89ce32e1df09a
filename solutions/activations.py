"""Exercise 2: the squishes, their slopes, and why gradients vanish."""

import math


def sigmoid(z):
    """1 / (1 + e^-z), branching on the sign of z so that e^|z| never overflows."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    ez = math.exp(z)
    return ez / (1.0 + ez)


def tanh(z):
    """(e^z - e^-z) / (e^z + e^-z), rewritten with e^-2|z| so that it never overflows."""
    e = math.exp(-2.0 * abs(z))
    return math.copysign((1.0 - e) / (1.0 + e), z)


def relu(z):
    """max(0, z)."""
    return max(0, z)


def step(z):
    """1 if z > 0 else 0: the perceptron's all-or-nothing activation."""
    return 1 if z > 0 else 0


def sigmoid_prime(z):
    """sigmoid(z) * (1 - sigmoid(z))."""
    s = sigmoid(z)
    return s * (1 - s)


def tanh_prime(z):
    """1 - tanh(z)^2."""
    return 1 - tanh(z) ** 2


def relu_prime(z):
    """1 if z > 0 else 0."""
    return 1 if z > 0 else 0


def chain_gradient(prime, zs):
    """The product of prime(z) over zs: the gradient through a chain of one-neuron layers."""
    gradient = 1
    for z in zs:
        gradient *= prime(z)
    return gradient
