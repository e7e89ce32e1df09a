"""Hidden suite for exercise 2, activations (20 points)."""

import math

from grader.checks import close, curve, hidden, picture_on_failure, points, unchanged
from grader.student import library

SIGMOID = (
    "sigmoid squashes any z into (0, 1): 1 / (1 + e^-z). It is 0.5 at z = 0, near 1 for large "
    "positive z and near 0 for large negative z."
)
STABLE = (
    "For a very negative z, e^-z is astronomically large and overflows. Rewrite the formula for "
    "z < 0 so that only e raised to a negative power is ever computed (multiply top and bottom "
    "by e^z); branch on the sign of z."
)
TANH = (
    "tanh squashes z into (-1, 1), centred on 0: (e^z - e^-z) / (e^z + e^-z). For large |z| both "
    "exponentials overflow: rewrite it with e^(-2|z|), which never does, and use the sign of z."
)
RELU = "ReLU passes a positive z through unchanged and clamps everything else to 0."
STEP = (
    "The step fires (1) only when z is strictly positive; at exactly 0 it stays silent (0), as "
    "in Nielsen's perceptron. It returns the int 1 or 0."
)
SIGMOID_PRIME = (
    "The slope of the sigmoid can be written with the sigmoid itself: s(z)·(1 - s(z)). It peaks "
    "at 0.25 when z = 0 and fades to 0 on both sides: the root of the vanishing gradient."
)
TANH_PRIME = "The slope of tanh is 1 - tanh(z)²: 1 at z = 0, fading to 0 as |z| grows."
RELU_PRIME = (
    "ReLU's slope is 1 wherever z > 0 and 0 elsewhere (take 0 at z = 0): a slope of 1 is why a "
    "gradient survives many ReLU layers."
)
CHAIN = (
    "Through a chain of one-neuron layers with weight 1, the chain rule multiplies the local "
    "slopes: the gradient is the product of prime(z) over all the layers' z (and 1 for none)."
)


def plain_sigmoid(z):
    """The formula as the contract writes it: enough to draw a picture over a few units of z
    (the stable way to compute it is the exercise)."""
    return 1 / (1 + math.exp(-z))


def plot(student, name, expected, low, high):
    """A picture of the student's function against the expected one, for the feedback."""
    return lambda: curve(f"{name} over [{low}, {high}], yours against the expected:",
                         student, name, expected, low, high)


# contract: sigmoid(z) = 1 / (1 + e^-z)
@points(2)
def test_sigmoid_values(student):
    """sigmoid matches 1 / (1 + e^-z) at ordinary inputs"""
    with picture_on_failure(plot(student, "sigmoid", plain_sigmoid, -6, 6)):
        cases = ((0, 0.5), (1, 0.7310585786300049), (-1, 0.2689414213699951),
                 (2.5, 0.9241418199787566), (-4.0, 0.017986209962091555))
        for (_, expected), outcome in zip(cases, student.sigmoid.each((z,) for z, _ in cases)):
            close(outcome, expected, hint=SIGMOID)


# contract: Never raises for a finite z: sigmoid(-1000) is about 0.0 and sigmoid(1000) about 1.0
@points(2)
def test_sigmoid_never_overflows(student):
    """sigmoid(-1000) is about 0 and sigmoid(1000) about 1, without an error"""
    for outcome, expected in zip(student.sigmoid.each([(1000,), (-1000,), (-750.5,)]),
                                 (1.0, 0.0, 0.0)):
        close(outcome, expected, hint=STABLE)


# contract: tanh(z) = (e^z - e^-z) / (e^z + e^-z)
@points(2)
def test_tanh_values(student):
    """tanh matches (e^z - e^-z) / (e^z + e^-z) at ordinary inputs"""
    with picture_on_failure(plot(student, "tanh", math.tanh, -3, 3)):
        zs = (0, 0.5, -0.5, 2, -3.0)
        for z, outcome in zip(zs, student.tanh.each((z,) for z in zs)):
            close(outcome, math.tanh(z), hint=TANH)


# contract: Never raises for a finite z; tanh(±1000) is ±1
@points(2)
def test_tanh_never_overflows(student):
    """tanh(1000) is 1 and tanh(-1000) is -1, without an error"""
    for outcome, expected in zip(student.tanh.each([(1000,), (-1000,)]), (1.0, -1.0)):
        close(outcome, expected, hint=TANH)


# contract: relu(z) = max(0, z)
@points(2)
def test_relu(student):
    """relu passes positive inputs through and turns the rest into 0"""
    with picture_on_failure(plot(student, "relu", lambda z: max(0.0, z), -2, 2)):
        cases = ((3, 3), (0.5, 0.5), (0, 0), (-2, 0), (-0.1, 0))
        for (_, expected), outcome in zip(cases, student.relu.each((z,) for z, _ in cases)):
            close(outcome, expected, hint=RELU)


# contract: step(z) = 1 if z > 0 else 0 (... step(0) == 0); any scalar may be an int or a float
@points(2)
def test_step(student):
    """step is 1 for z > 0 and 0 otherwise, with step(0) == 0"""
    with picture_on_failure(plot(student, "step", lambda z: float(z > 0), -2, 2)):
        cases = ((2, 1), (0.001, 1), (0, 0), (-3, 0), (0.0, 0))
        for (_, expected), outcome in zip(cases, student.step.each((z,) for z, _ in cases)):
            close(outcome, expected, hint=STEP)


# contract: sigmoid_prime(z) = sigmoid(z)·(1 - sigmoid(z))
@points(2)
def test_sigmoid_prime(student):
    """sigmoid_prime is sigmoid(z)·(1 - sigmoid(z)), 0.25 at z = 0"""
    slope = lambda z: plain_sigmoid(z) * (1 - plain_sigmoid(z))  # noqa: E731
    with picture_on_failure(plot(student, "sigmoid_prime", slope, -6, 6)):
        cases = ((0, 0.25), (1.5, 0.14914645207033286), (-2, 0.1049935854035065),
                 (30, 9.348077867342945e-14))
        for (_, expected), outcome in zip(cases,
                                          student.sigmoid_prime.each((z,) for z, _ in cases)):
            close(outcome, expected, hint=SIGMOID_PRIME)


# contract: tanh_prime(z) = 1 - tanh(z)²
@points(2)
def test_tanh_prime(student):
    """tanh_prime is 1 - tanh(z)², 1 at z = 0"""
    with picture_on_failure(plot(student, "tanh_prime", lambda z: 1 - math.tanh(z) ** 2, -3, 3)):
        zs = (0, 0.7, -1.2)
        for z, outcome in zip(zs, student.tanh_prime.each((z,) for z in zs)):
            close(outcome, 1 - math.tanh(z) ** 2, hint=TANH_PRIME)


# contract: relu_prime(z) = 1 if z > 0 else 0
@points(1)
def test_relu_prime(student):
    """relu_prime is 1 for z > 0 and 0 otherwise"""
    with picture_on_failure(plot(student, "relu_prime", lambda z: float(z > 0), -2, 2)):
        cases = ((4, 1), (0.01, 1), (0, 0), (-5, 0))
        for (_, expected), outcome in zip(cases,
                                          student.relu_prime.each((z,) for z, _ in cases)):
            close(outcome, expected, hint=RELU_PRIME)


# contract: Empty zs gives 1.
@points(1)
def test_chain_gradient_of_nothing(student):
    """chain_gradient of no layers is 1"""
    double = library("double")
    for outcome, expected in zip(student.chain_gradient.each([(double, []), (double, [1.5])]),
                                 (1, 3)):
        close(outcome, expected, hint=CHAIN)


# contract: through 10 sigmoid layers at z = 0 it is 0.25**10; through ReLU layers ... 1
@points(1)
def test_gradient_vanishes_through_sigmoids_not_relus(student):
    """through 10 sigmoid layers at z = 0 the gradient is 0.25**10; through ReLUs it stays 1"""
    sigmoids, relus = student.chain_gradient.each([
        (library("quarter"), [0] * 10),  # a sigmoid's slope at 0
        (library("one"), [0.5, 3, 1e-3, 7] * 5),  # a ReLU's slope where z > 0
    ])
    close(sigmoids, 0.25**10, hint=CHAIN, rel=1e-9)
    close(relus, 1, hint=CHAIN)


# contract: chain_gradient(prime, zs): the product of prime(z) over zs; never change their arguments
@hidden
@points(1)
def test_chain_gradient_multiplies(student):
    """chain_gradient multiplies the slopes of every layer, and leaves zs as it was"""
    prime = library("cos")
    zs = [0.3, -1.1, 2.0]
    cases = (((library("double"), [1, 2.5, -3]), 2 * 5 * -6),
             ((prime, zs), math.prod(math.cos(z) for z in zs)),
             ((prime, (0.5,)), math.cos(0.5)))
    outcomes = list(student.chain_gradient.each(a for a, _ in cases))
    for (_, product), outcome in zip(cases, outcomes):
        close(outcome, product, hint=CHAIN)
    unchanged(outcomes[1], hint="chain_gradient only reads the zs of the layers.")
