# A working predict, put in place of a student's broken one (and only it) while grading the
# functions of perceptron that call it, update and train, so that one mistake costs points
# once. Runs inside the worker, in a worker that does not grade predict.

from activations import step
from dot_product import dot


def predict(w, b, x):
    return step(dot(w, x) + b)
