"""Hidden suite for exercise 4, perceptron (30 points)."""

from grader import pictures
from grader.boundary.wire import is_number, show
from grader.checks import (
    answer,
    builds_on,
    close,
    equal,
    fail,
    hidden,
    of,
    picture_on_failure,
    points,
    property_of,
    raises,
    returns_like,
    unchanged,
)
from grader.student import Args

TRUTH = {
    "AND": [((0, 0), 0), ((0, 1), 0), ((1, 0), 0), ((1, 1), 1)],
    "OR": [((0, 0), 0), ((0, 1), 1), ((1, 0), 1), ((1, 1), 1)],
    "NAND": [((0, 0), 1), ((0, 1), 1), ((1, 0), 1), ((1, 1), 0)],
    "NOR": [((0, 0), 1), ((0, 1), 0), ((1, 0), 0), ((1, 1), 0)],
    "XOR": [((0, 0), 0), ((0, 1), 1), ((1, 0), 1), ((1, 1), 0)],
}
PREDICT = (
    "A perceptron is a neuron whose activation is the step: it answers 1 when w · x + b is "
    "strictly positive and 0 otherwise, as an int."
)
RULE = (
    "The perceptron rule moves the weights by the error: err = y - prediction is +1 (it said 0, "
    "should say 1), -1 (the reverse) or 0 (right, so nothing changes). Each weight moves by "
    "lr · err · its own input, and the bias by lr · err, as if its input were always 1."
)
FRESH = (
    "update returns new weights and leaves the old ones alone: the caller may still need them. "
    "Build a new list instead of changing the one you were given."
)
TRAIN = (
    "An epoch visits every pair in order: it first asks predict whether the current weights get "
    "the pair right (a wrong answer counts as a mistake), then applies update. Training starts "
    "from zero weights and bias 0, and stops after the first epoch without a mistake."
)
NEVER = (
    "XOR is not linearly separable: no line puts (0, 1) and (1, 0) on one side and (0, 0) and "
    "(1, 1) on the other, so the perceptron keeps making mistakes in every epoch and uses them all."
)
HAND = (
    "Think of the decision boundary: choose a line w1·x1 + w2·x2 + b = 0 that puts the inputs "
    "where the gate says 1 strictly on the positive side, and the others on the zero-or-negative "
    "side. Try each of the four inputs on your weights."
)
NO_XOR = (
    "No single neuron computes XOR: its boundary is one straight line, and XOR's two classes "
    "cannot be split by one. Say so by raising ValueError (and the same for a gate you do not "
    "know)."
)


def predict(w, b, x):
    return 1 if sum(wi * xi for wi, xi in zip(w, x)) + b > 0 else 0


def update(w, b, x, y, lr=1.0):
    err = y - predict(w, b, x)
    return [wi + lr * err * xi for wi, xi in zip(w, x)], b + lr * err


def train(data, epochs=100, lr=1.0):
    w, b, mistakes = [0] * len(data[0][0]), 0, []
    for _ in range(epochs):
        mistakes.append(0)
        for x, y in data:
            mistakes[-1] += predict(w, b, x) != y
            w, b = update(w, b, x, y, lr)
        if mistakes[-1] == 0:
            break
    return w, b, mistakes


def as_data(table):
    return [(list(x), y) for x, y in table]


def check_training(outcome, expected):
    """(w, b, mistakes) as the perceptron rule gives them."""
    def draw():
        series = {"expected": expected[2]}
        yours = outcome.returned[2] if isinstance(outcome.returned, list | tuple) else None
        if isinstance(yours, list | tuple) and all(is_number(c) for c in yours):
            series["yours"] = [int(c) for c in yours]
        return pictures.epochs("mistakes per epoch:", series)

    with picture_on_failure(draw):
        close(outcome, expected, hint=TRAIN)


# contract: predict(w, b, x) = step(dot(w, x) + b), an int 0 or 1
@of("predict")
@points(2)
def test_predict(student):
    """predict is step(w · x + b), an int 0 or 1"""
    cases = ((([1, 1], -1.5, [1, 1]), 1), (([1, 1], -1.5, [0, 1]), 0), (((-2, -2), 3, (1, 0)), 1))
    for (_, expected), outcome in zip(cases, student.predict.each(a for a, _ in cases)):
        equal(outcome, expected, hint=PREDICT)


# contract: predict(w, b, x) = step(dot(w, x) + b); step(0) == 0
@of("predict")
@points(1)
def test_predict_on_the_boundary(student):
    """predict says 0 when w · x + b is exactly 0"""
    cases = ((([1, 1], -2, [1, 1]), 0), (([0.5, 0.5], 0, [0, 0]), 0), (([1, 1], -2, [1, 2]), 1))
    for (_, expected), outcome in zip(cases, student.predict.each(a for a, _ in cases)):
        equal(outcome, expected, hint=PREDICT)


# contract: update: w[i] + lr·err·x[i] and b + lr·err, with err = y - predict(w, b, x)
@of("update")
@builds_on("predict")
@points(3)
def test_update_on_a_mistake(student):
    """update moves w by lr·err·x and b by lr·err after a wrong prediction"""
    cases = ((([0, 0], 0, [1, 1], 1), ([1.0, 1.0], 1.0)),
             (([1, 1], 0, [1, 0], 0), ([0.0, 1.0], -1.0)))
    for (_, expected), outcome in zip(cases, student.update.each(a for a, _ in cases)):
        close(outcome, expected, hint=RULE)


# contract: update(w, b, x, y, lr=1.0): w[i] + lr·err·x[i] and b + lr·err
@of("update")
@builds_on("predict")
@points(2)
def test_update_learning_rate(student):
    """update scales its step by the learning rate lr"""
    cases = ((Args([0.5, -0.5], 0.25, [2, 3], 1, lr=0.1), ([0.7, -0.2], 0.35)),
             (Args([1, 1], 1, [1, 2], 0, 0.5), ([0.5, 0.0], 0.5)))
    for (_, expected), outcome in zip(cases, student.update.each(a for a, _ in cases)):
        close(outcome, expected, hint=RULE)


# contract: update: err = y - predict(w, b, x) (0 when the prediction is right)
@of("update")
@builds_on("predict")
@points(1)
def test_update_when_right(student):
    """update leaves w and b as they are when the prediction is right"""
    for outcome in student.update.each([([1, 1], -1.5, [1, 1], 1), ([1, 1], -1.5, [0, 0], 0)]):
        close(outcome, ([1, 1], -1.5), hint=RULE)


# contract: update: returns the new (w, b). The arguments are left unchanged.
@of("update")
@property_of("update")
@builds_on("predict")
@points(2)
def test_update_leaves_arguments(student):
    """update returns new weights and leaves the ones it was given unchanged"""
    cases = ((([0.0, 0.0], 0.0, [1.0, 1.0], 1), ([1.0, 1.0], 1.0)),
             (([2.0, 0.0], 1.0, [1.0, 1.0], 0), ([1.0, -1.0], 0.0)))
    for (_, expected), outcome in zip(cases, student.update.each(a for a, _ in cases)):
        returns_like(outcome, expected, hint=RULE)
        unchanged(outcome, hint=FRESH)


# What the rule gives on the gates, from zero weights (public tests compare with these; the
# hidden ones with the rule itself, on other data).
TRAINED = {
    "AND": ([2.0, 1.0], -2.0, [1, 3, 3, 2, 1, 0]),
    "OR": ([1.0, 1.0], 0.0, [1, 2, 1, 0]),
    "NAND": ([-2.0, -1.0], 3.0, [2, 3, 3, 2, 1, 0]),
    "NOR": ([-1.0, -1.0], 1.0, [2, 2, 1, 0]),
}


# contract: train(data, epochs=100, lr=1.0): starts from zero weights ... Returns (w, b, mistakes)
@builds_on("predict", "update")
@points(4)
def test_train_learns_and(student):
    """train learns AND: (w, b, mistakes per epoch) as the perceptron rule gives them"""
    check_training(student.train(TRUTH["AND"]), TRAINED["AND"])


# contract: train: each epoch visits the pairs in order, counts a mistake before the update ...
@builds_on("predict", "update")
@points(3)
def test_train_learns_or_nand_nor(student):
    """train learns OR, NAND and NOR, and the learned weights compute each gate"""
    gates = ("OR", "NAND", "NOR")
    for gate, outcome in zip(gates, student.train.each((as_data(TRUTH[g]),) for g in gates)):
        check_training(outcome, TRAINED[gate])


# contract: On XOR it never converges: it runs all epochs and no count is 0; epochs=100
@builds_on("predict", "update")
@points(3)
def test_train_never_converges_on_xor(student):
    """on XOR train uses every epoch and never has an epoch without mistakes"""
    outcome, default = student.train.each([Args(as_data(TRUTH["XOR"]), epochs=25),
                                           Args(as_data(TRUTH["XOR"]))])
    pictures.attach(pictures.plane(
        "XOR: the 1s sit on one diagonal, the 0s on the other. No straight line puts both 1s "
        "on one side and both 0s on the other, so one neuron cannot learn it:",
        [(*x, y, None) for x, y in TRUTH["XOR"]], None))
    check_training(outcome, ([-1.0, 0.0], 1.0, [2, 3] + [4] * 23))
    mistakes = answer(outcome, NEVER)[2]
    if 0 in mistakes:
        fail(outcome, expected="no epoch without a mistake", hint=NEVER)
    check_training(default, ([-1.0, 0.0], 1.0, [2, 3] + [4] * 98))  # epochs is 100 by default


# contract: train(data, epochs=100, lr=1.0); never change their arguments
@builds_on("predict", "update")
@points(2)
def test_train_options(student):
    """train honours epochs and lr, and leaves its data unchanged"""
    short, slow, plain = student.train.each([Args(as_data(TRUTH["NAND"]), epochs=3),
                                             Args(as_data(TRUTH["AND"]), lr=0.5),
                                             Args(as_data(TRUTH["OR"]))])
    check_training(short, ([-2.0, -1.0], 2.0, [2, 3, 3]))
    check_training(slow, ([1.0, 0.5], -1.0, [1, 3, 3, 2, 1, 0]))
    check_training(plain, TRAINED["OR"])
    unchanged(plain, hint="train reads its data and never changes it.")


def weights_of(outcome):
    """What gate_weights returned, if it is (w, b) with w two numbers and b a number."""
    weights = answer(outcome, HAND)
    if not (isinstance(weights, list | tuple) and len(weights) == 2
            and isinstance(weights[0], list | tuple) and len(weights[0]) == 2
            and all(is_number(v) for v in (*weights[0], weights[1]))):
        fail(outcome, expected="(w, b) with w two numbers and b a number", hint=HAND)
    return weights


def check_gates(student, answered):
    """For each (gate, outcome of gate_weights(gate)): (w, b) for which predict reproduces the
    truth table (predict's calls for every gate go out together)."""
    weights = [weights_of(outcome) for _, outcome in answered]
    said = iter([answer(outcome, PREDICT) for outcome in student.predict.each(
        (w, b, x) for (gate, _), (w, b) in zip(answered, weights) for x, _ in TRUTH[gate])])
    for (gate, outcome), weight in zip(answered, weights, strict=True):
        w, b = weight
        yours = [next(said) for _ in TRUTH[gate]]
        wrong = [x for (x, y), said_x in zip(TRUTH[gate], yours) if said_x != y]
        if wrong:
            points = [(*x, y, said_x if said_x in (0, 1) else None)
                      for (x, y), said_x in zip(TRUTH[gate], yours)]
            pictures.attach(pictures.plane(f"{gate} through your weights:", points, (*w, b)))
            fail(outcome, expected=f"weights that compute {gate} on all four inputs",
                 actual=f"{show(weight)}, wrong on {', '.join(show(x) for x in wrong)}",
                 hint=HAND)


# contract: gate_weights(gate): (w, b) such that predict reproduces the truth table
@builds_on("predict")
@points(3)
def test_gate_weights(student):
    """gate_weights gives (w, b) that reproduce AND, OR, NAND and NOR"""
    gates = ("AND", "OR", "NAND", "NOR")
    check_gates(student, list(zip(gates, student.gate_weights.each((gate,) for gate in gates))))


# contract: For XOR it raises ValueError ... Unknown names raise ValueError too.
@points(2)
def test_gate_weights_refuses_xor(student):
    """gate_weights raises ValueError for XOR and for an unknown gate"""
    of_xor, unknown, nand = student.gate_weights.each([("XOR",), ("MAYBE",), ("NAND",)])
    raises(of_xor, "ValueError", hint=NO_XOR)
    raises(unknown, "ValueError", hint=NO_XOR)
    weights_of(nand)  # whether they compute NAND is the test above's


# contract: train: ... Stops after the first epoch with no mistake. Deterministic
@builds_on("predict", "update")
@hidden
@points(2)
def test_train_on_other_data(student):
    """train follows the rule on other linearly separable data"""
    data = [([2, 1], 1), ([-1, -3], 0), ([1, 3], 1), ([-2, 1], 0), ([0.5, -1], 0)]
    data3 = [([1, 0, 1], 1), ([0, 1, 1], 0), ([1, 1, 0], 1), ([0, 0, 1], 0)]
    two, three = student.train.each([Args(data), Args(data3, lr=0.3)])
    check_training(two, train(data))
    check_training(three, train(data3, lr=0.3))
