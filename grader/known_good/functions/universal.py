# A working bump, put in place of a student's broken one (and only it) while grading evaluate,
# which sums bumps, so that one mistake costs points once. Runs in a worker that does not
# grade bump.

from activations import sigmoid


def bump(x, left, right, height, steepness=1000.0):
    k = steepness
    return height * (sigmoid(k * (x - left)) - sigmoid(k * (x - right)))
