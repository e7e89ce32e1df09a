"""neuron-kit's grader: hidden pytest suites run against student code held in a worker process."""

__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    # `from grader import check` in a notebook; loaded only then, never by `grade` itself.
    if name == "check":
        from grader.notebook_check.client import check

        return check
    raise AttributeError(f"module 'grader' has no attribute {name!r}")
