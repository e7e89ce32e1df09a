"""Hidden suite for exercise 5, xor_network (20 points)."""

from grader.boundary.wire import is_number, show
from grader.checks import (
    answer,
    builds_on,
    close,
    equal,
    fail,
    hidden,
    of,
    points,
    property_of,
    raises,
    returns_like,
    unchanged,
)
from grader.student import library

XOR = [((0, 0), 0), ((0, 1), 1), ((1, 0), 1), ((1, 1), 0)]
LAYER = (
    "A layer is several neurons reading the same input: neuron i has its own row of weights "
    "W[i] and its own bias b[i], and the layer's output lists every neuron's activation."
)
SHAPES = (
    "Each neuron of a layer needs one row of weights and one bias; when their counts differ, "
    "some neuron would have no bias (or some bias no neuron). Refuse that with ValueError."
)
HIDDEN = (
    "One line cannot split XOR, but two can: let one hidden neuron detect 'at least one input "
    "is on' (OR) and another 'not both are on' (NAND); the output neuron fires only when both "
    "hidden neurons fire (AND). Work each of the four inputs through by hand."
)
FORWARD = (
    "The forward pass feeds (x1, x2) through the hidden layer of step neurons, then feeds the "
    "hidden layer's outputs to the output neuron, and returns its step as an int."
)


def forward(student, weights):
    """What XOR_WEIGHTS give for the four inputs, worked through with the student's own layer
    and step (working ones where theirs fail their tests): the hidden layer, then the output
    neuron as a layer of one. A list of 0s and 1s, or the reason there is none."""
    W, b, w_out, b_out = weights
    fires = student.own("activations.step")
    hidden = [answer(outcome, LAYER) for outcome in student.layer.each(
        (W, b, x, fires) for x, _ in XOR)]
    if not all(isinstance(h, list | tuple) and len(h) == len(W) and all(map(is_number, h))
               for h in hidden):
        return "your layer gave no hidden outputs to pass on"
    outputs = [answer(outcome, LAYER) for outcome in student.layer.each(
        ([w_out], [b_out], h, fires) for h in hidden)]
    if not all(isinstance(o, list | tuple) and len(o) == 1 and o[0] in (0, 1) for o in outputs):
        return "your layer gave no output of 0 or 1"
    return [int(o[0]) for o in outputs]


def shape_problem(weights):
    """What is wrong with the shape of XOR_WEIGHTS, or ''."""
    def numbers(v, n=None):
        return isinstance(v, list | tuple) and all(is_number(i) for i in v) and (
            n is None or len(v) == n)

    if not (isinstance(weights, list | tuple) and len(weights) == 4):
        return "a tuple of four parts, (W_hidden, b_hidden, w_out, b_out)"
    W, b, w_out, b_out = weights
    if not (isinstance(W, list | tuple) and len(W) >= 2 and all(numbers(row, 2) for row in W)):
        return "W_hidden with at least two rows of two weights (one row per hidden neuron)"
    if not numbers(b, len(W)):
        return "b_hidden with one number per hidden neuron"
    if not numbers(w_out, len(W)) or not is_number(b_out):
        return "w_out with one weight per hidden neuron, and a number b_out"
    return ""


# contract: layer(W, b, x, activation): [activation(dot(W[i], x) + b[i]) for each i]
@of("layer")
@points(3)
def test_layer_values(student):
    """layer computes activation(W[i] · x + b[i]) for every row of W"""
    cases = ((([[1, 2], [3, 4]], [0.5, -1], [1, 1], library("identity")), [3.5, 6]),
             (([[1, -1], [-1, 1], [2, 2]], [0, 0, -3], [2, 1], library("double")),
              [2, -2, 6]),
             ((((0.5, 0.5, 0.5),), (0,), (1, 2, 3), library("square")), [9]))
    for (_, expected), outcome in zip(cases, student.layer.each(a for a, _ in cases)):
        close(outcome, expected, hint=LAYER)


# contract: Raises ValueError when W and b differ in length.
@of("layer")
@points(1)
def test_layer_shape_mismatch(student):
    """layer raises ValueError when W and b differ in length"""
    identity = library("identity")
    matched, more_rows, more_biases = student.layer.each([
        ([[1, 1]], [0], [1, 1], identity),
        ([[1, 1], [2, 2]], [0], [1, 1], identity),
        ([[1, 1]], [0, 1], [1, 1], identity),
    ])
    close(matched, [2], hint=LAYER)
    raises(more_rows, "ValueError", hint=SHAPES)
    raises(more_biases, "ValueError", hint=SHAPES)


# contract: [functions] never change their arguments
@of("layer")
@property_of("layer")
@points(1)
def test_layer_leaves_arguments(student):
    """layer leaves its weights, biases and input as they were"""
    outcome = student.layer([[1.0, 2.0]], [0.5], [1.0, 1.0], library("identity"))
    returns_like(outcome, [3.5], hint=LAYER)
    unchanged(outcome, hint="A layer only reads W, b and x.")


# contract: XOR_WEIGHTS is (W_hidden, b_hidden, w_out, b_out), step neurons computing XOR
@builds_on("layer")
@points(6)
def test_xor_weights_compute_xor(student):
    """XOR_WEIGHTS is a network with a hidden layer of step neurons that computes XOR"""
    outcome = student.constant("XOR_WEIGHTS")
    problem = shape_problem(answer(outcome, HIDDEN))
    if problem:
        fail(outcome, expected=problem, hint=HIDDEN)
    said = forward(student, outcome.value)
    if isinstance(said, str):
        fail(outcome, expected="0, 1, 1, 0 for (0, 0), (0, 1), (1, 0), (1, 1)", actual=said,
             hint=LAYER)
    if said != [y for _, y in XOR]:
        answers = ", ".join(f"{show(x)} -> {y}" for (x, _), y in zip(XOR, said))
        fail(outcome, expected="0, 1, 1, 0 for (0, 0), (0, 1), (1, 0), (1, 1)",
             actual=f"{answers} through your weights", hint=HIDDEN)


# contract: xor(x1, x2): the forward pass through XOR_WEIGHTS with layer and step; an int
@builds_on("layer")
@points(6)
def test_xor_truth_table(student):
    """xor(x1, x2) is the forward pass through XOR_WEIGHTS for all four inputs, as an int"""
    # Checked against the student's own weights, so that wrong weights cost only their test
    # (and an xor that ignores XOR_WEIGHTS earns nothing here).
    weights = student.constant("XOR_WEIGHTS")
    outcomes = list(student.xor.each(x for x, _ in XOR))
    for outcome in outcomes:  # an xor that raises (or is not written yet) says so first
        answer(outcome, FORWARD)
    problem = shape_problem(answer(weights, FORWARD))
    said = problem or forward(student, weights.value)
    if isinstance(said, str):
        reason = f"XOR_WEIGHTS is not {problem}" if problem else said
        fail(outcomes[0], expected="the forward pass through XOR_WEIGHTS",
             actual=f"no forward pass: {reason}", hint=FORWARD)
    for expected, outcome in zip(said, outcomes, strict=True):
        equal(outcome, expected, hint=FORWARD)


# contract: layer(W, b, x, activation): one neuron per row of W
@of("layer")
@hidden
@points(3)
def test_layer_more_shapes(student):
    """layer works for other sizes of layers and inputs"""
    W = [[0.1 * (i + j) - 0.3 for j in range(5)] for i in range(4)]
    b = [0.2, -0.1, 0.0, 0.4]
    x = [1.0, -2.0, 0.5, 3.0, -1.5]
    expected = [sum(wi * xi for wi, xi in zip(row, x)) + bi for row, bi in zip(W, b)]
    larger, empty = student.layer.each([(W, b, x, library("identity")),
                                        ([], [], [1, 2], library("identity"))])
    close(larger, expected, hint=LAYER)
    close(empty, [], hint=LAYER)
