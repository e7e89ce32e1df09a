# A working layer, put in place of a student's broken one (and only it) while grading xor, which
# calls it, so that one mistake costs points once. Runs in a worker that does not grade layer.

from dot_product import dot


def layer(W, b, x, activation):
    if len(W) != len(b):
        raise ValueError(f"{len(W)} rows of weights but {len(b)} biases")
    return [activation(dot(row, x) + bias) for row, bias in zip(W, b)]
