# Working activations, put in place of a student's broken ones while grading the exercises that
# build on them, so that one mistake costs points once. Runs inside the worker: stdlib only.

import math


def sigmoid(z):
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    ez = math.exp(z)
    return ez / (1.0 + ez)


def tanh(z):
    e = math.exp(-2.0 * abs(z))
    return math.copysign((1.0 - e) / (1.0 + e), z)


def relu(z):
    return max(0, z)


def step(z):
    return 1 if z > 0 else 0


def sigmoid_prime(z):
    s = sigmoid(z)
    return s * (1 - s)


def tanh_prime(z):
    return 1 - tanh(z) ** 2


def relu_prime(z):
    return 1 if z > 0 else 0


def chain_gradient(prime, zs):
    gradient = 1
    for z in zs:
        gradient *= prime(z)
    return gradient
