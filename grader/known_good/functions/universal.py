# A working bump and approximate, each put in place of a student's broken one (and only it)
# while grading what calls it: evaluate sums bumps, and the sine test sums the bumps approximate
# makes, so that one mistake costs points once. Runs in a worker that does not grade it.

from activations import sigmoid


def bump(x, left, right, height, steepness=1000.0):
    k = steepness
    return height * (sigmoid(k * (x - left)) - sigmoid(k * (x - right)))


def approximate(f, lo, hi, n):
    width = (hi - lo) / n
    edges = [(lo + i * width, lo + (i + 1) * width) for i in range(n)]
    return [(left, right, f((left + right) / 2)) for left, right in edges]
