"""Values crossing the boundary: whatever a worker sends, the parent gets plain data."""

from __future__ import annotations

import math

import pytest

from grader.boundary.wire import FunctionRef, Opaque, decode, encode, is_number, show


def test_round_trip_of_what_suites_send():
    value = [1, 2.5, (3, [4.0]), "s", None, True]
    assert decode(encode(value)) == value
    assert isinstance(decode(encode((1, 2))), tuple)
    assert encode(FunctionRef("lib:identity", "identity")) == {"$fn": "lib:identity"}
    assert math.isinf(decode(encode(float("inf"))))


@pytest.mark.parametrize(("value", "data"), [
    ([1, 2.5, True], [1, 2.5, True]),  # a vector is sent as it is
    ([1.0, math.inf, -math.inf], [1.0, {"$float": "inf"}, {"$float": "-inf"}]),
    ([10**400, 1.5], [10**400, 1.5]),  # too large for a float, and still an int
    ([[1, 2], (3,)], [[1, 2], {"$tuple": [3]}]),
])
def test_vectors_are_encoded_item_by_item_where_an_item_is_not_its_own_data(value, data):
    assert encode(value) == data
    assert repr(decode(encode(value))) == repr(value)  # nan, inf and tuples come back too


@pytest.mark.parametrize(("data", "value"), [
    ([1, 2.5, True, None, "s"], [1, 2.5, True, None, "s"]),
    ([1, {"$float": "nan"}], [1, math.nan]),
    ([1, {"a": 1}], [1, Opaque("?", "")]),
    ([[1], {"$tuple": [2]}], [[1], (2,)]),
])
def test_an_answer_that_is_a_list_is_decoded_item_by_item_where_needed(data, value):
    assert repr(decode(data)) == repr(value)


@pytest.mark.parametrize("data", [
    {"$tuple": "not a list"}, {"$other": "x"}, {"a": 1}, {"$tuple": [], "$x": 1},
    {"$float": "1e400"}, {"$fn": "lib:identity"},
])
def test_anything_unexpected_decodes_to_opaque(data):
    assert isinstance(decode(data), Opaque)


def test_described_objects_are_opaque_and_never_numbers():
    value = decode({"$other": {"type": "Sneaky", "repr": "32.0"}})
    assert value == Opaque("Sneaky", "32.0")
    assert not is_number(value)
    assert not is_number(True)
    assert is_number(3) and is_number(3.5)


def test_suites_cannot_send_objects():
    with pytest.raises(TypeError):
        encode(object())


def test_show_is_short_and_exact_enough():
    assert show(1.0) == "1.0"
    assert show(-1.0) == "-1.0"
    assert show(0.123456789) == "0.123457"
    assert show((1,)) == "(1,)"
    assert show([1, (2, 3)]) == "[1, (2, 3)]"
    assert show(True) == "True"
    assert show(list(range(100))).endswith("... (100 items)]")
    assert show(Opaque("Yes", "")) == "a Yes object"
