"""Values as they cross the worker boundary: plain JSON data, judged by exact type.

The worker sends exact builtin values and only a description of anything else; `decode` turns
that data into Python values, and makes anything it does not recognise an `Opaque`, which equals
nothing and is never a number or a vector.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

# Worker-side names of a function a suite hands to student code: `lib:identity` (a plain
# function of the worker) or `student:activations.sigmoid`.


PLAIN = (int, str, bool, type(None))
FINITE = frozenset({int, float, bool})  # numbers that are their own data where finite
JSON_SCALARS = frozenset({int, float, bool, str, type(None)})  # decode to themselves
SHOWN_ITEMS = 12  # a longer vector is shown by its first items and its length


@dataclass(frozen=True)
class FunctionRef:
    ref: str
    label: str


@dataclass(frozen=True)
class Opaque:
    """A value that was not plain data: a float subclass, an object, a dict, a huge int."""

    type_name: str
    text: str


def encode(value: Any) -> Any:
    """JSON data for an argument the parent sends (suites send numbers, vectors, functions)."""
    kind = type(value)
    if kind is list:
        if FINITE.issuperset(map(type, value)) and finite(value):
            return value  # a vector, the usual argument: already its own data
        return [encode(item) for item in value]
    if kind is tuple:
        return {"$tuple": [encode(item) for item in value]}
    if kind is float:
        return value if math.isfinite(value) else {"$float": repr(value)}
    if kind in PLAIN:
        return value
    if kind is FunctionRef:
        return {"$fn": value.ref}
    raise TypeError(f"a suite sent {kind.__name__}, which does not cross the boundary")


def finite(numbers: list[int | float]) -> bool:
    try:
        return all(map(math.isfinite, numbers))
    except OverflowError:  # an int too large for a float: encoded one item at a time
        return False


def decode(data: Any) -> Any:
    """Python values for the data a worker sent; whatever is not of our forms is Opaque."""
    if data is None or type(data) in (bool, int, float, str):
        return data
    if type(data) is list:
        if JSON_SCALARS.issuperset(map(type, data)):
            return data  # a vector, the usual answer: JSON's own list, held by nothing else
        return [decode(item) for item in data]
    if type(data) is dict and len(data) == 1:
        key, inner = next(iter(data.items()))
        if key == "$tuple" and type(inner) is list:
            return tuple(decode(item) for item in inner)
        if key == "$float" and inner in ("nan", "inf", "-inf"):
            return float(inner)
        if key == "$other" and type(inner) is dict:
            return Opaque(str(inner.get("type", "?")), str(inner.get("repr", "")))
    return Opaque("?", "")


def is_number(value: Any) -> bool:
    """An int or a float, exactly: not a bool, not a subclass, not an Opaque."""
    return type(value) in (int, float)


def show(value: Any) -> str:
    """A short, exact-enough text of a value for feedback."""
    if isinstance(value, Opaque):
        text = f": {value.text}" if value.text else ""
        return f"a {value.type_name} object{text}"
    if isinstance(value, FunctionRef):
        return value.label
    if type(value) is float:
        if not math.isfinite(value):
            return repr(value)
        text = f"{value:.6g}"
        return text if any(c in text for c in ".e") else f"{text}.0"
    if isinstance(value, list | tuple):
        inner = ", ".join(show(item) for item in value[:SHOWN_ITEMS])
        if len(value) > SHOWN_ITEMS:
            inner += f", ... ({len(value)} items)"
        elif isinstance(value, tuple) and len(value) == 1:
            inner += ","
        return f"({inner})" if isinstance(value, tuple) else f"[{inner}]"
    return repr(value)  # a bool too: where a number is due, the check says so
