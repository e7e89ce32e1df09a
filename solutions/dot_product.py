"""Exercise 1: the dot product, the first half of every neuron."""


def dot(w, x):
    """w · x: the sum of w[i] * x[i]."""
    if len(w) != len(x):
        raise ValueError(f"vectors of different lengths: {len(w)} and {len(x)}")
    return sum(wi * xi for wi, xi in zip(w, x))
