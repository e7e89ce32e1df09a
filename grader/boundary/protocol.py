"""The messages between the grading process and its workers: typed records, one JSON line each.

Both sides use this module: the parent (grader.boundary.parent, grader.student) writes requests
and reads answers, the worker program reads requests and writes answers, and the zygote takes
orders. It imports only the standard library, since the worker program runs without the grader.

Reading is where trust differs. A worker reads what the parent wrote, and a malformed request is
a bug of ours. The parent reads what may be student code's own writing (a worker is fully in
its hands), so `read_answer` checks the type of every field and caps every text and list as it
reads them: nothing larger or stranger than this module allows reaches the grader.
"""

from __future__ import annotations

import functools
import json
from typing import Any, NamedTuple

# What an answer may hold, at most: whatever the worker sends, the parent keeps no more.
TYPE_NAME_CHARS = 200
MESSAGE_CHARS = 500
BASES = 40
FRAMES = 50
FRAME_CHARS = 300
LINE_DIGITS = 10
# A worker sends its answers together, each at the latest this many seconds after its call
# (grader/boundary/worker.py, Channel): the parent allows that much more for a batch's answers.
SEND_EVERY = 0.01

# Made once: json.loads and json.dumps with an option set build their decoder or encoder anew
# on every call, which costs more than a typical message's own parsing or writing.
DECODER = json.JSONDecoder()
STRICT_ENCODER = json.JSONEncoder(allow_nan=False)  # NaN is not JSON: its writer must say so


# Parent to worker. ------------------------------------------------------------------------


class Hello(NamedTuple):
    """The first line a worker reads: its submission and its limits."""

    sources: dict[str, list[tuple[str, str]]]  # module: [(filename, text)], a chunk each
    names: list[str]  # the contract's modules, in order
    allowed_imports: list[str]
    output_cap: int  # characters of printed output kept per call
    limits: dict[str, int]
    uid: int | None  # the user to become, or None
    known_good: dict[str, str]  # working building blocks this worker may hold


class Load(NamedTuple):
    module: str
    substitutes: list[str]  # building blocks replaced by working ones
    known_good: dict[str, str]  # their sources, sent once to a worker that grades none of them


class Get(NamedTuple):
    module: str
    name: str
    substitutes: list[str]


class Call(NamedTuple):
    module: str
    function: str
    substitutes: list[str]
    args: list[Any]  # JSON data (grader.boundary.wire), or Shared
    kwargs: dict[str, Any]


class Shared(NamedTuple):
    """An argument of several calls (the same 100 bumps), written as JSON once, and read by
    the worker once: a Keep line gives it to the worker, and each call names it by its key."""

    key: int  # unique in the grading process, and larger than any of an earlier batch
    text: str
    since: int  # no key below this one is named again: the worker may let their data go


class Keep(NamedTuple):
    """A Shared argument's data, for the calls after it to name: the one line not answered."""

    key: int
    data: Any
    since: int


Request = Load | Get | Call
OPS: dict[str, type[Load] | type[Get] | type[Call] | type[Keep]] = {
    "load": Load, "get": Get, "call": Call, "keep": Keep}
OP_OF = {kind: op for op, kind in OPS.items()}
KEPT = "$kept"  # {"$kept": key} stands for a Shared argument in a call


def hello_line(hello: Hello) -> bytes:
    return json.dumps(hello._asdict()).encode() + b"\n"


def parsed(line: bytes) -> Any:
    """The JSON value a line holds (a ValueError when it holds anything else): json.loads,
    without its set-up, for UTF-8 (all that either side writes) with nothing before the value."""
    text = line.decode()
    value, end = DECODER.raw_decode(text)
    if text[end:].strip(" \t\n\r"):
        raise ValueError("more than one JSON value")
    return value


def read_hello(line: bytes) -> Hello:
    data = parsed(line)
    data["sources"] = {name: [(filename, text) for filename, text in chunks]
                       for name, chunks in data["sources"].items()}
    return Hello(**data)


def request_line(number: int, request: Request) -> bytes:
    """The line that sends `request` as request `number` (its answer must carry the number)."""
    if type(request) is Call:
        if any(type(arg) is Shared for arg in request.args):
            args = ", ".join(f'{{"{KEPT}": {arg.key}}}' if type(arg) is Shared
                             else json.dumps(arg) for arg in request.args)
        else:  # the usual call: one encoding of all its arguments
            args = json.dumps(request.args)[1:-1]
        kwargs = json.dumps(request.kwargs) if request.kwargs else "{}"
        head = call_head(request.module, request.function, tuple(request.substitutes))
        return f'{{"id": {number}, {head}, "kwargs": {kwargs}, "args": [{args}]}}\n'.encode()
    fields = request._asdict()
    return json.dumps({"id": number, "op": OP_OF[type(request)], **fields}).encode() + b"\n"


def keep_line(shared: Shared) -> bytes:
    return (f'{{"op": "keep", "key": {shared.key}, "since": {shared.since}, '
            f'"data": {shared.text}}}\n').encode()


def shared_in(request: Request) -> list[Shared]:
    return [arg for arg in request.args if type(arg) is Shared] if type(request) is Call else []


@functools.lru_cache(maxsize=256)
def call_head(module: str, function: str, substitutes: tuple[str, ...]) -> str:
    """The part of a call's line that its many calls of one function share, written once."""
    return json.dumps({"op": "call", "module": module, "function": function,
                       "substitutes": list(substitutes)})[1:-1]


def read_request(line: bytes) -> tuple[int, Request | Keep]:
    """The request and its number (-1 for a Keep, which is not answered)."""
    data = parsed(line)
    number, op = data.pop("id", -1), data.pop("op")
    return number, OPS[op](**data)


# Worker to parent. ------------------------------------------------------------------------


class Frame(NamedTuple):
    """A line of student code an exception passed through."""

    filename: str
    line: int
    function: str
    text: str


class Raised(NamedTuple):
    """An exception student code raised, as data."""

    type_name: str
    bases: tuple[str, ...]  # the builtin exception classes it is an instance of
    message: str
    frames: tuple[Frame, ...]  # the student's own, innermost last


class Returned(NamedTuple):
    value: Any  # JSON data, for grader.boundary.wire.decode
    output: str
    # The places of the arguments the call changed (its keyword arguments after the others).
    mutated: tuple[int, ...]


class Threw(NamedTuple):
    raised: Raised
    output: str
    mutated: tuple[int, ...]


class Missing(NamedTuple):
    """The module defines no such name (a function misspelt, say), and the closest it has."""

    module: str
    name: str
    closest: str  # '' when nothing is close


class SetupFailed(NamedTuple):
    """The worker could not lock itself down, so it ran nothing."""

    message: str


class Unreadable(NamedTuple):
    """What came back was not an answer to this request (or not an answer at all)."""

    why: str


Answer = Returned | Threw | Missing
ARGUMENTS = 64  # places of changed arguments an answer may name


def answer_line(number: int | None, answer: Answer | SetupFailed) -> bytes:
    if type(answer) is Threw:
        data: dict[str, Any] = {"raised": answer.raised._asdict(), "output": answer.output,
                                "mutated": answer.mutated}
    elif type(answer) is SetupFailed:
        data = {"setup_error": answer.message}
    elif type(answer) is Missing:
        data = {"missing": answer._asdict()}
    else:
        data = answer._asdict()
    try:
        text = STRICT_ENCODER.encode({"id": number, **data})
    except (ValueError, TypeError, RecursionError) as problem:
        text = json.dumps({"id": number, "protocol_error": f"not encodable: {problem}"})
    return text.encode() + b"\n"


def read_answer(line: bytes, number: int, output_chars: int) -> Answer | SetupFailed | Unreadable:
    """The answer to request `number`, every field checked and capped. `output_chars` is what
    the worker was told to keep of a call's printed output."""
    try:
        data = parsed(line)
    except (ValueError, RecursionError):  # not JSON or UTF-8, too deep, an int too long
        return Unreadable("not JSON")
    if type(data) is not dict:
        return Unreadable("not a JSON object")
    if type(data.get("setup_error")) is str:
        return SetupFailed(capped(data["setup_error"], MESSAGE_CHARS))
    if data.get("id") != number or type(data.get("id")) is not int:
        return Unreadable("not the answer to this request")
    if "missing" in data:
        return read_missing(data["missing"])
    output, mutated = data.get("output", ""), data.get("mutated", [])
    if not (type(output) is str and type(mutated) is list and len(mutated) <= ARGUMENTS
            and all(type(place) is int and 0 <= place < ARGUMENTS for place in mutated)):
        return Unreadable("output or mutated of the wrong type")
    # The worker adds a line saying how much it dropped: room for it, and no more.
    output = capped(output, output_chars + 100)
    if "raised" in data:
        raised = read_raised(data["raised"])
        return (Threw(raised, output, tuple(mutated)) if raised
                else Unreadable("unreadable exception"))
    if "value" in data:
        return Returned(data["value"], output, tuple(mutated))
    return Unreadable("neither a value nor an exception")


def read_missing(data: Any) -> Missing | Unreadable:
    fields = [data.get(key) for key in Missing._fields] if type(data) is dict else []
    texts = [field for field in fields if type(field) is str]
    if len(texts) != len(Missing._fields):
        return Unreadable("unreadable missing name")
    return Missing(*(capped(text, TYPE_NAME_CHARS) for text in texts))


def read_raised(data: Any) -> Raised | None:
    if type(data) is not dict:
        return None
    type_name, bases = data.get("type_name"), data.get("bases")
    message, frames = data.get("message"), data.get("frames")
    if not (type(type_name) is str and type(message) is str and type(bases) is list
            and type(frames) is list):
        return None
    return Raised(
        type_name=capped(type_name, TYPE_NAME_CHARS),
        bases=tuple(capped(base, TYPE_NAME_CHARS) for base in bases[:BASES]
                    if type(base) is str),
        message=capped(message, MESSAGE_CHARS),
        frames=tuple(frame for frame in map(read_frame, frames[-FRAMES:]) if frame),
    )


def read_frame(data: Any) -> Frame | None:
    if type(data) is not list or len(data) != 4:
        return None
    filename, line, function, text = data
    if not (type(line) is int and 0 <= line < 10 ** LINE_DIGITS
            and all(type(item) is str for item in (filename, function, text))):
        return None
    return Frame(capped(filename, FRAME_CHARS), line, capped(function, FRAME_CHARS),
                 capped(text, FRAME_CHARS))


def capped(text: str, limit: int) -> str:
    return text if len(text) <= limit else f"{text[:limit]}..."


# The parent's orders to a zygote (grader.boundary.launch.ForkLauncher), and its answers. -----


class Fork(NamedTuple):
    """Fork a worker working in `cwd`; the zygote answers with its pid."""

    cwd: str


class Clear(NamedTuple):
    """End every process of the jail but the zygote, and empty `scratch`; the zygote answers
    `cleared` (or `unclean`, and the parent replaces the jail). Sent as a worker is let go, and
    answered while the parent goes on: the next fork finds the jail clear already."""

    scratch: str


Order = Fork | Clear
ANSWER_BYTES = 32  # a zygote's answer is a pid, or a word saying why not
CLEARED = b"cleared\n"


def order_message(order: Order) -> bytes:
    return json.dumps({type(order).__name__: order._asdict()}).encode()


def read_order(message: bytes) -> Order:
    (kind, fields), = json.loads(message).items()
    return Clear(**fields) if kind == "Clear" else Fork(**fields)


def read_pid(line: bytes) -> int | None:
    """A forked worker's pid, from the zygote's answer; None for anything else."""
    text = line.decode("ascii", "replace").strip()
    return int(text) if text.isdigit() and 0 < int(text) < 1 << 22 else None
