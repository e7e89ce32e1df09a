"""Hidden suite for exercise 1, dot_product (10 points)."""

import random

import numpy as np

from grader.checks import close, hidden, of, points, property_of, raises, returns_like, unchanged

PAIRING = (
    "w · x pairs each weight with its own input, multiplies each pair, and adds the products: "
    "one number that says how strongly x points along w."
)
LENGTHS = (
    "Every weight needs exactly one input. When the lengths differ, some entry has no partner "
    "and the dot product is not defined: check before you pair them up, since pairing up "
    "quietly stops at the shorter vector."
)


# contract: dot(w, x): the sum of w[i] * x[i]
@of("dot")
@points(2)
def test_pairs_multiplied_and_summed(student):
    """dot multiplies matching entries and adds the products"""
    close(student.dot([1, 2, 3], [4, 5, 6]), 32, hint=PAIRING)


# contract: dot(w, x): the sum of w[i] * x[i]
@of("dot")
@points(1)
def test_negative_and_fractional_entries(student):
    """dot works with negative and fractional entries"""
    close(student.dot([0.5, -2.0], [4.0, 3.0]), -4.0, hint=PAIRING)


# contract: Vectors are lists or tuples of numbers. Functions accept both
@of("dot")
@points(1)
def test_tuples_are_vectors_too(student):
    """dot accepts tuples as well as lists"""
    close(student.dot((1, 2), (3, 4)), 11, hint="A vector may come as a tuple or a list; "
          "both can be indexed and measured the same way.")


# contract: Two empty vectors give 0.
@of("dot")
@points(1)
def test_empty_vectors(student):
    """two empty vectors have dot product 0"""
    empty, single = student.dot.each([([], []), ([2], [3])])
    close(empty, 0, hint="A sum of no products is 0, the empty sum.")
    close(single, 6, hint=PAIRING)


# contract: Vectors of different lengths raise ValueError
@points(2)
def test_different_lengths_refused(student):
    """vectors of different lengths raise ValueError, in either order"""
    same, longer, shorter = student.dot.each([([1, 2], [3, 4]), ([1, 2, 3], [1, 2]),
                                              ([1], [1, 2])])
    returns_like(same, 11, hint=PAIRING)
    raises(longer, "ValueError", hint=LENGTHS)
    raises(shorter, "ValueError", hint=LENGTHS)


# contract: [functions] never change their arguments
@property_of("dot")
@points(1)
def test_arguments_unchanged(student):
    """dot leaves its arguments as they were"""
    outcome = student.dot([1.0, 2.0], [3.0, 4.0])
    returns_like(outcome, 11.0, hint=PAIRING)
    unchanged(outcome, hint="A dot product only reads its vectors.")


# contract: dot(w, x): the sum of w[i] * x[i]; floats are compared with a tolerance
@of("dot")
@hidden
@points(2)
def test_random_vectors(student):
    """dot agrees with the definition on random vectors of many lengths"""
    rng = random.Random(40)
    vectors = []
    for length in (1, 2, 5, 17, 100):
        w = [rng.uniform(-10, 10) for _ in range(length)]
        vectors.append((w, [rng.randint(-10, 10) for _ in range(length)]))
    *outcomes, whole = student.dot.each([*vectors, ([3], [4])])
    for (w, x), outcome in zip(vectors, outcomes, strict=True):
        close(outcome, float(np.dot(w, x)), hint=PAIRING)
    close(whole, 12, hint=PAIRING)
