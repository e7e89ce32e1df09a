# A working dot_product, put in place of a student's broken one while grading the exercises that
# build on it, so that one mistake costs points once. Runs inside the worker: stdlib only.


def dot(w, x):
    if len(w) != len(x):
        raise ValueError(f"vectors of different lengths: {len(w)} and {len(x)}")
    return sum(wi * xi for wi, xi in zip(w, x))
