"""Hidden suite for exercise 3, neuron (10 points)."""

from grader.checks import close, hidden, of, points, property_of, raises, returns_like, unchanged
from grader.student import Args, library

NEURON = (
    "A neuron does two things in order: it takes the dot product of its weights with the input "
    "and adds its bias (w · x + b), then it squishes that one number with its activation."
)
DEFAULT = (
    "When no activation is given the neuron uses the sigmoid, so its output is between 0 and 1."
)
BOUNDARY = (
    "The decision boundary is where the neuron is undecided: w1·x1 + w2·x2 + b = 0. Solve that "
    "equation for x2 to read off the slope and the intercept of the line."
)
VERTICAL = (
    "When w2 is 0 the boundary does not depend on x2: it is a vertical line, which has no slope "
    "and cannot be written as x2 = slope·x1 + intercept."
)


# contract: neuron(w, b, x, activation=sigmoid) = activation(dot(w, x) + b)
@of("neuron")
@points(2)
def test_default_activation_is_sigmoid(student):
    """neuron(w, b, x) is sigmoid(w · x + b) when no activation is given"""
    cases = ((([0.5, -1.0], 0.25, [2.0, 1.0]), 0.5621765008857981),  # sigmoid(0.25)
             (([1, 1], -2, [1, 1]), 0.5))
    for (_, expected), outcome in zip(cases, student.neuron.each(a for a, _ in cases)):
        close(outcome, expected, hint=DEFAULT)


# contract: for any one-argument activation function
@of("neuron")
@points(2)
def test_any_activation(student):
    """neuron applies the activation it is given to w · x + b"""
    cases = ((Args([2, 3], 1, [1, -1], activation=library("identity")), 0),
             (Args([2, 3], 1, [4, 1], library("square")), 144),
             (Args((1, 1, 1), -10, (1, 2, 3), library("abs")), 4))
    for (_, expected), outcome in zip(cases, student.neuron.each(a for a, _ in cases)):
        close(outcome, expected, hint=NEURON)


# contract: [functions] never change their arguments
@property_of("neuron")
@points(1)
def test_neuron_leaves_arguments(student):
    """neuron leaves its weights and input as they were"""
    outcome = student.neuron([1.0, 2.0], 0.5, [3.0, 4.0])
    returns_like(outcome, 0.9999898700090192, hint=NEURON)  # sigmoid(11.5)
    unchanged(outcome, hint="A neuron only reads w and x.")


# contract: decision_boundary(w, b): ... x2 = slope·x1 + intercept; returns (slope, intercept)
@of("decision_boundary")
@points(3)
def test_decision_boundary(student):
    """decision_boundary(w, b) solves w1·x1 + w2·x2 + b = 0 for x2: (slope, intercept)"""
    cases = ((([1, 1], -1.5), (-1.0, 1.5)), (((-2, -2), 3), (-1.0, 1.5)),
             (([2, 4], 1), (-0.5, -0.25)))
    outcomes = list(student.decision_boundary.each(a for a, _ in cases))
    for (_, expected), outcome in zip(cases, outcomes):
        close(outcome, expected, hint=BOUNDARY)
    unchanged(outcomes[0], hint="decision_boundary only reads w and b.")


# contract: Raises ValueError when w2 == 0.
@points(1)
def test_vertical_boundary_refused(student):
    """decision_boundary raises ValueError when w2 is 0"""
    slanted, vertical = student.decision_boundary.each([([1, 2], 0), ([3, 0], 1)])
    returns_like(slanted, (-0.5, 0.0), hint=BOUNDARY)
    raises(vertical, "ValueError", hint=VERTICAL)


# contract: decision_boundary(w, b): ... returns (slope, intercept)
@of("decision_boundary")
@hidden
@points(1)
def test_boundary_for_other_weights(student):
    """decision_boundary is right for other weights and biases too"""
    weights = (([0.3, -0.7], 0.2), ([-5, 2], 11), ([1e-3, 1], -1))
    for (w, b), outcome in zip(weights, student.decision_boundary.each(weights)):
        close(outcome, (-w[0] / w[1], -b / w[1]), hint=BOUNDARY)
