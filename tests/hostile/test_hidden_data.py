"""Class 6 of the attacks: data of a hidden test must reach nothing a student sees.

Correct building blocks that remember every input they are given, and later exercises that
print all of it on every call: whatever the grading order, no input that only a hidden test
passed may show in the report.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from grader import grading, plugin, render, submission
from grader.student import Args, RemoteFunction

from ..conftest import FULL, SOLUTIONS, scores, write_submission

REMEMBER = '''

import math as _math

def _remember(kind, value):
    seen = getattr(_math, "seen", [])
    seen.append(f"{kind}={value!r}")
    _math.seen = seen
    try:
        with open("seen.txt", "a") as file:
            file.write(f"{kind}={value!r}\\n")
    except OSError:
        pass
'''
TELL = '''

import math as _math

def _tell():
    try:
        with open("seen.txt") as file:
            print(file.read())
    except OSError:
        pass
    print("\\n".join(getattr(_math, "seen", [])))
    raise ValueError("; ".join(getattr(_math, "seen", [])))
'''


def remembering(name: str, function: str, kind: str, argument: str) -> str:
    text = (SOLUTIONS / f"{name}.py").read_text() + REMEMBER
    head = f"def {function}("
    start = text.index(head)
    body = text.index(":\n", start) + 2
    return text[:body] + f"    _remember({kind!r}, {argument})\n" + text[body:]


def telling(name: str, function: str) -> str:
    text = (SOLUTIONS / f"{name}.py").read_text() + TELL
    start = text.index(f"def {function}(")
    body = text.index(":\n", start) + 2
    return text[:body] + "    _tell()\n" + text[body:]


def inputs_seen(monkeypatch: pytest.MonkeyPatch, folder) -> tuple[set[str], set[str]]:
    """What the public and the hidden tests pass to dot and sigmoid, as `_remember` writes it,
    learnt by watching the parent's side of every call."""
    pending: list[str] = []
    public: set[str] = set()
    hidden: set[str] = set()
    each = RemoteFunction.each
    judge = plugin.judge

    def watched(self: RemoteFunction, calls) -> Iterator:
        listed = [call if isinstance(call, Args) else Args(*call) for call in calls]
        for call in listed:
            if self.name == "dot" and len(call.args) == 2:
                pending.append(f"w={list(call.args[0])!r}")
            if self.name == "sigmoid" and call.args:
                pending.append(f"z={call.args[0]!r}")
        yield from each(self, listed)

    def judged(test, error):
        (hidden if test.hidden else public).update(pending)
        pending.clear()
        return judge(test, error)

    monkeypatch.setattr(RemoteFunction, "each", watched)
    monkeypatch.setattr(plugin, "judge", judged)
    grading.grade(submission.read(folder))
    monkeypatch.undo()
    return public, hidden


@pytest.mark.slow
def test_no_input_of_a_hidden_test_reaches_the_report(tmp_path, monkeypatch):
    folder = write_submission(tmp_path / "attack", replace={
        "dot_product": remembering("dot_product", "dot", "w", "list(w)"),
        "activations": remembering("activations", "sigmoid", "z", "z"),
        "neuron": telling("neuron", "neuron"),
        "perceptron": telling("perceptron", "predict"),
        "xor_network": telling("xor_network", "layer"),
        "universal": telling("universal", "bump"),
    })
    public, hidden = inputs_seen(monkeypatch, folder)
    only_hidden = hidden - public
    assert only_hidden, "the hidden suites pass dot and sigmoid inputs of their own"

    report = grading.grade(submission.read(folder))

    shown = render.as_text(report) + render.as_json(report) + render.as_gradescope(report)
    assert "w=[" in shown  # the attack did print what it remembered of the public tests
    assert not [text for text in only_hidden if text in shown]
    assert scores(report)["dot_product"] == FULL["dot_product"]
