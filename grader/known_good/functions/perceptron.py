# A working predict and update, each put in place of a student's broken one while grading the
# functions of perceptron that call it (update calls predict; train calls both), so that one
# mistake costs points once. Runs inside the worker, in a worker that does not grade it.

from activations import step
from dot_product import dot


def predict(w, b, x):
    return step(dot(w, x) + b)


def update(w, b, x, y, lr=1.0):
    err = y - predict(w, b, x)
    return [wi + lr * err * xi for wi, xi in zip(w, x)], b + lr * err
