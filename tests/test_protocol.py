"""The messages across the worker boundary: what the parent reads is checked and capped."""

from __future__ import annotations

import json

import pytest

from grader.boundary import protocol
from grader.boundary.protocol import (
    Call,
    Clear,
    Fork,
    Frame,
    Get,
    Keep,
    Load,
    Missing,
    Raised,
    Returned,
    SetupFailed,
    Shared,
    Threw,
    Unreadable,
)


@pytest.mark.parametrize("request_", [
    Load("neuron", ["dot_product"], {"dot_product": "def dot(w, x): ..."}),
    Get("perceptron", "GATES", []),
    Call("dot_product", "dot", [], [[1, 2.5], {"$tuple": [3]}], {"k": 5.0}),
])
def test_requests_read_back_as_written(request_):
    assert protocol.read_request(protocol.request_line(7, request_)) == (7, request_)


def test_a_shared_argument_is_named_by_its_key_after_its_keep():
    vector = Shared(5, json.dumps([0.5] * 3), 4)
    line = protocol.request_line(1, Call("m", "f", [], [vector, 2], {}))
    assert protocol.read_request(line) == (1, Call("m", "f", [], [{"$kept": 5}, 2], {}))
    assert protocol.read_request(protocol.keep_line(vector)) == (-1, Keep(5, [0.5] * 3, 4))


@pytest.mark.parametrize("answer", [
    Returned({"$tuple": [1, 2]}, "printed\n", ()),
    Threw(Raised("ValueError", ("ValueError", "Exception"), "bad",
                 (Frame("dot_product.py", 3, "dot", "return w[9]"),)), "", (0, 2)),
    Missing("dot_product", "dot", "dott"),
])
def test_answers_read_back_as_written(answer):
    assert protocol.read_answer(protocol.answer_line(4, answer), 4, 2000) == answer


def test_a_setup_failure_is_read_as_one():
    line = protocol.answer_line(None, SetupFailed("no rlimits here"))
    assert protocol.read_answer(line, 0, 2000) == SetupFailed("no rlimits here")


def raw(**data) -> bytes:
    return json.dumps({"id": 1, "output": "", "mutated": [], **data}).encode()


@pytest.mark.parametrize("line", [
    b"not json", b"[1, 2]", b'"text"', b"9" * 5000, b"[" * 100_000,
    raw(id=2, value=1), raw(id=True, value=1), raw(id="1", value=1),
    raw(value=1, output=5), raw(value=1, mutated="yes"), raw(value=1, mutated=[-1]),
    raw(value=1, mutated=list(range(100))), raw(missing={"module": "m"}), raw(),
    raw(raised="ValueError"), raw(raised={"type_name": 3, "bases": [], "message": "",
                                          "frames": []}),
    raw(value=1) + b" " + raw(value=2), raw(value=1) + b"]", raw(value="\xe9").replace(
        b"\\u00e9", "\xe9".encode("latin-1")), b"",
])
def test_anything_but_an_answer_to_this_request_is_unreadable(line):
    assert isinstance(protocol.read_answer(line, 1, 2000), Unreadable)


def test_an_answer_is_read_whatever_whitespace_ends_its_line():
    for end in (b"", b"\n", b" \r\n", b"\t\n"):
        assert protocol.read_answer(raw(value=[1.5]) + end, 1, 2000) == Returned([1.5], "", ())


def test_a_value_json_cannot_carry_is_answered_as_a_protocol_error():
    line = protocol.answer_line(3, Returned(float("nan"), "", ()))
    assert json.loads(line) == {"id": 3, "protocol_error": json.loads(line)["protocol_error"]}
    assert isinstance(protocol.read_answer(line, 3, 2000), Unreadable)


def test_every_text_and_list_of_an_answer_is_capped_on_reading():
    line = raw(output="o" * 10**6, raised={
        "type_name": "T" * 10**6, "bases": ["ValueError" * 100] * 1000, "message": "m" * 10**6,
        "frames": [["f.py" * 100, 1, "g" * 1000, "t" * 1000]] * 500 + [["f.py", -1, "", ""]],
    })
    answer = protocol.read_answer(line, 1, 2000)
    assert isinstance(answer, Threw)
    raised = answer.raised
    assert len(answer.output) <= 2200
    assert len(raised.type_name) <= protocol.TYPE_NAME_CHARS + 3
    assert len(raised.message) <= protocol.MESSAGE_CHARS + 3
    assert len(raised.bases) <= protocol.BASES
    assert all(len(base) <= protocol.TYPE_NAME_CHARS + 3 for base in raised.bases)
    assert 0 < len(raised.frames) <= protocol.FRAMES
    assert all(len(field) <= protocol.FRAME_CHARS + 3 for frame in raised.frames
               for field in (frame.filename, frame.function, frame.text))


def test_a_zygote_answers_a_pid_or_nothing():
    assert protocol.read_pid(b"1234\n") == 1234
    for line in (b"", b"-5\n", b"12ab\n", b"99999999999999\n", b"\xff\n"):
        assert protocol.read_pid(line) is None
    for order in (Fork("/tmp/work"), Clear("/tmp")):
        assert protocol.read_order(protocol.order_message(order)) == order
