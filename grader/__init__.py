"""neuron-kit's grader: hidden pytest suites run against student code held in a worker process."""

__version__ = "0.1.0"
